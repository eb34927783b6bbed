"""A fast reader of an XLSX workbook's values, giving exactly what openpyxl gives.

openpyxl's read-only mode spends most of its time on two things a register of 100,000 rows
has plenty of: building a rich-text object for each of the shared strings (800,000 of them)
and a dictionary for each cell, through an XML event per element. This reader keeps openpyxl
for the package, the workbook and its relationships, and the styles (which cells are dates),
and reads the two hot spots in a plain lane when they are written as Excel, LibreOffice and
openpyxl write them:

- the shared strings, when every one is ``<si><t>text</t></si>`` with text needing no XML
  decoding, are taken by one regular expression; openpyxl reads what surrounds them (with
  one such string in their place) to show the part is well-formed and they are its strings;
- a sheet's rows ``<row r="7" …>`` of cells ``<c r="B7" s="3" t="s">`` holding a shared
  string, a number (a date when its style says so), a formula's cached text, boolean or
  error (the formula itself ignored: values are read), are read by regular expressions;
  openpyxl's parser reads the rest of the sheet (what comes before and after the rows).

Anything else gives way to openpyxl's own code: a shared-strings table with one rich-text
string is read by ``iterparse`` (plain strings directly, any other through openpyxl's
``Text.from_tree(...).content``); a sheet with one row the plain lane does not know (an
inline string, an entity, a cell without its reference, a date out of range) is read, from
that row on, by openpyxl's ``WorkSheetParser`` with a faster ``parse_row`` (plain cells
directly, any other through openpyxl's ``parse_cell``).

So the values, and the errors a broken file raises, are openpyxl's (``load_workbook(...,
read_only=True, data_only=True)``, ``reset_dimensions()``, ``iter_rows(values_only=True)``):
``tests/services/test_xlsx_rows.py`` compares the two on workbooks with every case a register
holds. Not done: the dimension openpyxl reads when it opens a sheet (only its errors would
differ, and after ``reset_dimensions()`` the rows do not depend on it).
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from typing import IO, Any
from zipfile import ZipFile

from openpyxl.cell.text import Text
from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.reader.excel import ExcelReader
from openpyxl.reader.strings import read_string_table
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

_SI = f"{{{SHEET_MAIN_NS}}}si"
_T = f"{{{SHEET_MAIN_NS}}}t"
_C = f"{{{SHEET_MAIN_NS}}}c"
_V = f"{{{SHEET_MAIN_NS}}}v"


def _cast_number(value: str) -> int | float:
    """openpyxl's (``worksheet._reader._cast_number``): a number with a point or an exponent
    is a float, any other an int."""
    if "." in value or "E" in value or "e" in value:
        return float(value)
    return int(value)


# Text that is the same read as XML or as it stands: no markup, no reference, no carriage
# return (XML reads \r\n as \n), no "]]>", no character XML forbids.
_PLAIN = r"[^<&\]\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]*"
_SI_PLAIN = re.compile(rf'(<si><t(?: xml:space="preserve")?>)({_PLAIN})</t></si>')
_ENCODING = re.compile(r"""^\s*<\?xml[^>]*?encoding=["']([^"']*)["']""")
# Parts larger than this are read by the streaming parser only (memory).
_WHOLE_PART = 128 * 1024 * 1024


def _utf8(head: str) -> bool:
    declared = _ENCODING.match(head)
    return declared is None or declared[1].lower().replace("-", "").replace("_", "") == "utf8"


def read_shared_strings(archive: ZipFile, name: str) -> list[str]:
    """What ``openpyxl.reader.strings.read_string_table`` gives for the part ``name``.

    Excel, LibreOffice and openpyxl write each string as ``<si><t>text</t></si>``, one after
    the other: when every one is so written, the texts are taken as they stand (one regular
    expression), and what surrounds them is read by openpyxl with one such string in their
    place, to show it is well-formed XML in which they are the table's strings. Any other
    table goes through :func:`_read_shared_strings`."""
    if archive.getinfo(name).file_size <= _WHOLE_PART:
        try:
            text = archive.read(name).decode("utf-8")
        except UnicodeDecodeError:
            text = ""
        first, last = text.find("<si>"), text.rfind("</si>") + len("</si>")
        if 0 <= first < last and _utf8(text[:first]):
            found = _SI_PLAIN.findall(text, first, last)
            if (
                sum(len(tag) + len(plain) for tag, plain in found) + len("</t></si>") * len(found)
                == last - first
            ):
                probe = text[:first] + "<si><t>x</t></si>" + text[last:]
                try:
                    proven = read_string_table(io.BytesIO(probe.encode("utf-8"))) == ["x"]
                except Exception:  # the streaming reader raises it as openpyxl does
                    proven = False
                if proven:
                    strings = [plain for _, plain in found]
                    if "x005F_" in text:
                        strings = [plain.replace("x005F_", "") for plain in strings]
                    return strings
    with archive.open(name) as source:
        return _read_shared_strings(source)


def _read_shared_strings(source: IO[bytes]) -> list[str]:
    """What ``openpyxl.reader.strings.read_string_table`` gives, faster for plain strings."""
    strings: list[str] = []
    append = strings.append
    for _, node in iterparse(source):
        if node.tag != _SI:
            continue
        # One <t> (with xml:space="preserve" or not, as LibreOffice writes every one): its
        # text. An attribute of <si> itself goes to openpyxl, which refuses it.
        if not node.attrib and len(node) == 1 and node[0].tag == _T:
            text = node[0].text or ""
        else:
            text = Text.from_tree(node).content  # type: ignore[union-attr]
        append(text.replace("x005F_", ""))
        node.clear()
    return strings


class _RowParser(WorkSheetParser):
    """openpyxl's worksheet parser with a faster row: ``parse()`` yields ``(row number,
    values)``, the values as ``ReadOnlyWorksheet._get_row(..., values_only=True)`` makes
    them from openpyxl's own cells."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._columns: dict[str, int] = {}  # column letters → number, as openpyxl read them
        self._styles: dict[str, int | str] = {}

    def parse_row(self, row: Any) -> tuple[int, tuple[Any, ...]]:  # type: ignore[override]
        number = row.get("r")
        if number is not None and number.isdigit() and number.isascii():
            self.row_counter = int(number)
            self.col_counter = 0
        else:
            # openpyxl's own handling of an unusual row number (or none); its cells are
            # not used.
            self.row_counter, _ = WorkSheetParser.parse_row(self, _empty(row))
        suffix = str(self.row_counter)
        # A cell's column is read from its reference: a known column's letters followed by
        # its row's number. Row 0 is an error openpyxl raises, so it takes openpyxl's path.
        fast = self.row_counter > 0
        columns = self._columns
        styles = self._styles
        date_formats = self.date_formats
        strings = self.shared_strings
        cells: list[tuple[int, Any]] = []
        for cell in row:
            ref = cell.get("r")
            kind = cell.get("t", "n")
            style_text = cell.get("s")
            style: int | str = 0
            if style_text is not None:
                # As openpyxl: s="" stays "" (no style), anything else must be a number.
                style = styles.get(style_text, -1)
                if style == -1:
                    style = styles[style_text] = int(style_text) if style_text else ""
            column = (
                columns.get(ref[: -len(suffix)], 0) if fast and ref and ref.endswith(suffix) else 0
            )
            if (
                column
                and cell.tag == _C
                and (kind == "s" or kind == "str" or (kind == "n" and style not in date_formats))
            ):
                value = cell.findtext(_V) or None
                if value is not None:
                    if kind == "s":
                        value = strings[int(value)]
                    elif kind == "n":
                        value = _cast_number(value)
                self.col_counter = column
                cells.append((column, value))
                continue
            parsed = self.parse_cell(cell)
            column = parsed["column"]
            cells.append((column, parsed["value"]))
            if fast and ref and cell.tag == _C and ref.endswith(suffix):
                letters = ref[: -len(suffix)]
                if letters.isalpha() and letters.isupper() and letters.isascii():
                    columns[letters] = column
        if not cells:
            return self.row_counter, ()
        width = cells[-1][0]
        values: list[Any] = [None] * width
        for column, value in cells:
            if 1 <= column <= width:
                values[column - 1] = value
        return self.row_counter, tuple(values)


def _empty(row: Any) -> Any:
    """The row element without its cells (for openpyxl's row-number rules alone)."""
    shell = row.makeelement(row.tag, row.attrib)
    return shell


class Worksheet:
    """One worksheet, read as openpyxl's read-only worksheet after ``reset_dimensions()``."""

    def __init__(self, book: Workbook, title: str, path: str) -> None:
        self.book = book
        self.title = title
        self.path = path

    def open_xml(self) -> IO[bytes]:
        return self.book.archive.open(self.path)

    def iter_rows(self, min_row: int | None = None, max_row: int | None = None) -> Iterator[Any]:
        """``iter_rows(min_row=…, max_row=…, values_only=True)``: a tuple per row from
        ``min_row`` on (``[]`` for a row missing from the file), up to each row's last cell."""
        first = min_row or 1
        empty: list[Any] = []
        counter = first
        number = 1
        for number, values in self._rows():
            if max_row is not None and number > max_row:
                break
            for _ in range(counter, number):
                counter += 1
                yield empty
            if counter <= number:
                counter += 1
                yield values
        if max_row is not None and max_row < number:
            for _ in range(counter, max_row + 1):
                yield empty

    def _parser(self, source: IO[bytes]) -> _RowParser:
        return _RowParser(
            source,
            self.book.shared_strings,
            data_only=True,
            epoch=self.book.epoch,
            date_formats=self.book.date_formats,
            timedelta_formats=self.book.timedelta_formats,
        )

    def _rows(self) -> Iterator[tuple[int, Any]]:
        """Each row's number and values, as openpyxl's ``WorkSheetParser.parse()`` and
        ``_get_row`` give them: from the plain lane while the sheet is as Excel writes it,
        then (for the rest of a sheet it is not) from openpyxl's parser, which starts again
        and passes over the rows already given."""
        given = 0
        try:
            for row in self._plain_rows():
                given += 1
                yield row
            return
        except _NotPlain:
            pass
        with self.open_xml() as source:
            for done, row in enumerate(self._parser(source).parse()):
                if done >= given:
                    yield row

    def _plain_rows(self) -> Iterator[tuple[int, Any]]:
        """The rows of a sheet written as Excel writes one, read by regular expressions.

        ``<worksheet …>…<sheetData>`` (the head, read by openpyxl's parser with an empty
        ``sheetData``: what it holds is openpyxl's to read or refuse), then rows
        ``<row r="7" …>`` of cells ``<c r="B7" s="3" t="s">`` holding at most a formula
        (plain text, ignored: values are read) and a value, then ``</sheetData>`` and the
        rest (read by openpyxl with the head). Anything else, anywhere (an inline string, a
        reference, a row without its number, a space between cells), raises
        :class:`_NotPlain` before the row is given."""
        strings = self.book.shared_strings
        columns: dict[str, int] = {}
        proven: set[str] = set()
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
        with self.open_xml() as source:
            text = ""
            while (start := text.find("<sheetData>")) < 0:
                chunk = source.read(1 << 16)
                if not chunk or len(text) > 1 << 20:
                    raise _NotPlain
                text += _decoded(decoder, chunk)
            head = text[: start + len("<sheetData>")]
            if not _utf8(head) or not self._proven(head, "", proven):
                raise _NotPlain
            text = text[len(head) :]
            ended = False
            while not ended:
                chunk = source.read(1 << 20)
                ended = not chunk
                text += _decoded(decoder, chunk, final=ended)
                end = len(text) if ended else text.rfind("</row>") + len("</row>")
                position = 0
                while (row := _ROW.match(text, position, end)) is not None:
                    position = row.end()
                    number, attributes, body = row.groups()
                    if attributes not in proven and not self._proven(head, attributes, proven):
                        raise _NotPlain
                    yield int(number), _cells(body, strings, columns, self.book)
                text = text[position:]
                if text.lstrip(" \t\r\n").startswith("</sheetData>"):
                    break
                # A whole row (or whatever else is there) that is not plain.
                if ended or text[: end - position].strip(" \t\r\n"):
                    raise _NotPlain
            while chunk := source.read(1 << 20):
                text += _decoded(decoder, chunk)
            text += _decoded(decoder, b"", final=True)
        # The head and the rest, as openpyxl reads them (and refuses what it refuses).
        with io.BytesIO((head + text).encode("utf-8")) as rest:
            for _ in self._parser(rest).parse():
                raise _NotPlain

    def _proven(self, head: str, attributes: str, proven: set[str]) -> bool:
        """Whether a row of these attributes, in this head, is a row openpyxl reads, in a
        well-formed sheet."""
        probe = f'{head}<row r="1"{attributes}/></sheetData></worksheet>'
        try:
            with io.BytesIO(probe.encode("utf-8")) as source:
                rows = list(self._parser(source).parse())
        except Exception:  # openpyxl's parser raises it, when it reads the sheet
            return False
        if rows != [(1, ())]:
            return False
        proven.add(attributes)
        return True


class _NotPlain(Exception):
    """The sheet is not as the plain lane reads it."""


def _decoded(decoder: Any, chunk: bytes, *, final: bool = False) -> str:
    try:
        return str(decoder.decode(chunk, final))
    except UnicodeDecodeError:
        raise _NotPlain from None


# An attribute's name; never a namespace declaration, which would change what the cells are.
_NAME = r"(?!xmlns)[A-Za-z_][A-Za-z0-9_.\-]*(?::[A-Za-z_][A-Za-z0-9_.\-]*)?"
_ATTRIBUTE_VALUE = r'"[^"<&\x00-\x1f\ufffe\uffff]*"'
_ROW = re.compile(
    rf'[ \t\r\n]*<row r="([0-9]+)"((?: {_NAME}={_ATTRIBUTE_VALUE})*)(?:/>|>(.*?)</row>)', re.S
)
_CELL = re.compile(
    r'(<c r="([A-Z]{1,3})[0-9]+"(?: s="([0-9]+)")?(?: t="(s|str|n|b|e)")?'
    r'(?:/>|>(?:<f(?: t="(?:shared|array|normal)")?(?: ref="[A-Z0-9:]+")?(?: ca="[01]")?'
    rf'(?: si="[0-9]+")?(?:/>|>{_PLAIN}</f>))?'
    rf"(?:<v>({_PLAIN})</v>)?</c>))"
)
# The cells, one after the other and nothing else (no backtracking into one).
_CELLS = re.compile(f"(?:{_CELL.pattern})++")


def _cells(
    body: str | None, strings: list[str], columns: dict[str, int], book: Workbook
) -> tuple[Any, ...]:
    """A row's values, as openpyxl's ``parse_cell`` and ``_get_row`` make them."""
    if not body:
        return ()
    date_formats = book.date_formats
    if _CELLS.fullmatch(body) is None:
        raise _NotPlain
    values: list[Any] = []
    width = last = 0
    for _, letters, style, kind, value in _CELL.findall(body):
        column = columns.get(letters)
        if column is None:
            column = columns[letters] = column_index_from_string(letters)
        if not value:
            value = None
        elif kind == "s":
            value = strings[int(value)]
        elif kind == "" or kind == "n":
            value = _cast_number(value)
            if date_formats and (number := int(style) if style else 0) in date_formats:
                # A date (or a time, or a duration), as openpyxl's parse_cell reads it; one
                # out of range is openpyxl's to warn of.
                try:
                    value = from_excel(
                        value, book.epoch, timedelta=number in book.timedelta_formats
                    )
                except (OverflowError, ValueError):
                    raise _NotPlain from None
        elif kind == "b":
            value = bool(int(value))
        # "str" (a formula's text) and "e" (an error, "#N/A") are their text.
        if column == width + 1:
            values.append(value)
            width = column
        elif column > width:
            values.extend([None] * (column - width - 1))
            values.append(value)
            width = column
        else:
            values[column - 1] = value
        last = column
    # openpyxl's row ends at its last cell, whatever the columns before it.
    return tuple(values[:last])


class _Reader(ExcelReader):
    """openpyxl's reader of the package, with the fast shared strings and worksheets."""

    worksheets: list[tuple[str, str]]

    def read_strings(self) -> None:
        found = self.package.find(SHARED_STRINGS)  # type: ignore[no-untyped-call]
        if found is not None:
            self.shared_strings = read_shared_strings(self.archive, found.PartName[1:])

    def read_worksheets(self) -> None:
        # As ExcelReader.read_worksheets in read-only mode, without opening the sheets.
        self.worksheets = []
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files:
                continue
            if "chartsheet" in rel.Type:
                self.read_chartsheet(sheet, rel)  # type: ignore[arg-type]
                continue
            rels_path = get_rels_path(rel.target)  # type: ignore[no-untyped-call]
            if rels_path in self.valid_files:
                get_dependents(self.archive, rels_path)  # as openpyxl: a broken one raises
            self.worksheets.append((sheet.name, rel.target))


class Workbook:
    """A workbook opened for its values (``load_workbook(source, read_only=True,
    data_only=True)``); raises what openpyxl raises for a file it cannot read."""

    def __init__(self, source: IO[bytes]) -> None:
        reader = _Reader(source, read_only=True, data_only=True)
        reader.read()
        self.archive = reader.archive
        self.shared_strings: list[str] = reader.shared_strings
        self.epoch = reader.wb.epoch
        # Which styles are dates and durations, as openpyxl's stylesheet says.
        self.date_formats: set[int] = getattr(reader.wb, "_date_formats")  # noqa: B009
        self.timedelta_formats: set[int] = getattr(reader.wb, "_timedelta_formats")  # noqa: B009
        self.worksheets = [Worksheet(self, title, path) for title, path in reader.worksheets]

    def close(self) -> None:
        self.archive.close()


__all__ = ["Workbook", "Worksheet", "read_shared_strings"]
