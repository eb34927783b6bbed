"""A fast reader of an XLSX workbook's values, giving exactly what openpyxl gives.

openpyxl's read-only mode spends most of its time on two things a register of 100,000 rows
has plenty of: building a rich-text object for each of the shared strings (800,000 of them)
and a dictionary for each cell. This reader keeps openpyxl for everything else — the package,
the workbook and its relationships, the styles (which cells are dates), the worksheet's event
loop and its non-cell elements — and replaces only those two hot spots with a short path for
the common case:

- a shared string that is one plain ``<t>`` (what Excel and LibreOffice write for text
  without formatting) is read as its text; any other (rich text runs, phonetic runs,
  attributes) goes through openpyxl's own ``Text.from_tree(...).content``;
- a cell ``<c>`` holding a shared string, a plain number (not styled as a date) or a string
  formula result is converted here; every other cell (inline strings, booleans, errors,
  dates, unusual coordinates) goes through openpyxl's own ``WorkSheetParser.parse_cell``.

So the values, and the errors a broken file raises, are openpyxl's (``load_workbook(...,
read_only=True, data_only=True)``, ``reset_dimensions()``, ``iter_rows(values_only=True)``):
``tests/services/test_xlsx_rows.py`` compares the two on workbooks with every case a register
holds. What is not done: the dimension openpyxl reads when it opens a sheet (only its
errors would differ, and the rows do not depend on it after ``reset_dimensions()``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from openpyxl.cell.text import Text
from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.reader.excel import ExcelReader
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


def read_shared_strings(source: IO[bytes]) -> list[str]:
    """What ``openpyxl.reader.strings.read_string_table`` gives, faster for plain strings."""
    strings: list[str] = []
    append = strings.append
    for _, node in iterparse(source):
        if node.tag != _SI:
            continue
        if not node.attrib and len(node) == 1 and node[0].tag == _T and not node[0].attrib:
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
        with self.open_xml() as source:
            parser = _RowParser(
                source,
                self.book.shared_strings,
                data_only=True,
                epoch=self.book.epoch,
                date_formats=self.book.date_formats,
                timedelta_formats=self.book.timedelta_formats,
            )
            for number, values in parser.parse():
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


class _Reader(ExcelReader):
    """openpyxl's reader of the package, with the fast shared strings and worksheets."""

    worksheets: list[tuple[str, str]]

    def read_strings(self) -> None:
        found = self.package.find(SHARED_STRINGS)  # type: ignore[no-untyped-call]
        if found is not None:
            with self.archive.open(found.PartName[1:]) as source:
                self.shared_strings = read_shared_strings(source)

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
