"""The fast XLSX reader gives exactly what openpyxl gives (read-only, by value, after
``reset_dimensions()``, ``iter_rows(values_only=True)``): every workbook here is read both
ways and the rows compared value by value, with their types (``1``, ``1.0`` and ``True`` are
equal in Python, not here), and the errors of a broken file compared by type."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from openpyxl import Workbook as WriteBook
from openpyxl import load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.reader.strings import read_string_table

from services.xlsx_rows import Workbook, _NotPlain, read_shared_strings

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
KINDS = "application/vnd.openxmlformats-officedocument.spreadsheetml"
# Style 0 plain, 1 a built-in date (14), 2 a custom date, 3 a duration ([h]:mm:ss), 4 text.
STYLES = (
    f'<styleSheet xmlns="{MAIN}"><numFmts count="1">'
    '<numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
    '<fonts count="1"><font/></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
    '<xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="46" applyNumberFormat="1"/>'
    '<xf numFmtId="49" applyNumberFormat="1"/></cellXfs></styleSheet>'
)


def typed(rows: list[Any]) -> list[Any]:
    """Rows with each value's type beside it, and each row's own type ([] for a missing row)."""
    return [(type(row).__name__, [(type(v).__name__, v) for v in row]) for row in rows]


def openpyxl_rows(data: bytes, **bounds: Any) -> list[list[Any]]:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheets = []
    for sheet in book.worksheets:
        sheet.reset_dimensions()
        sheets.append(typed(list(sheet.iter_rows(values_only=True, **bounds))))
    return sheets


def fast_rows(data: bytes, **bounds: Any) -> list[list[Any]]:
    book = Workbook(io.BytesIO(data))
    return [typed(list(sheet.iter_rows(**bounds))) for sheet in book.worksheets]


def outcome(read: Any, data: bytes) -> Any:
    """The rows read, or the type of what was raised."""
    try:
        return read(data)
    except Exception as exc:  # the type is what is compared
        return type(exc)


def assert_same(data: bytes) -> list[list[Any]]:
    expected = openpyxl_rows(data)
    assert fast_rows(data) == expected
    for bounds in ({"max_row": 3}, {"min_row": 2}, {"min_row": 4, "max_row": 12}):
        assert fast_rows(data, **bounds) == openpyxl_rows(data, **bounds), bounds
    return expected


def package(sheets: list[str], shared: list[str] | None = None, *, workbook_pr: str = "") -> bytes:
    """A workbook as Excel writes one: each sheet's XML (inside <worksheet>), the
    shared-strings table's <si> elements as given, the styles above."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{KINDS}.worksheet+xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    sheet_rels = "".join(
        f'<Relationship Id="rId{n}" Type="{REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    entries = "".join(
        f'<sheet name="S{n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, len(sheets) + 1)
    )
    parts = {
        "[Content_Types].xml": (
            f'<Types xmlns="{PACKAGE}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{KINDS}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{KINDS}.styles+xml"/>'
            + overrides
            + (
                f'<Override PartName="/xl/sharedStrings.xml" ContentType="{KINDS}.sharedStrings'
                '+xml"/>'
                if shared is not None
                else ""
            )
            + "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{PACKAGE}/relationships"><Relationship Id="r1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}">{workbook_pr}<sheets>{entries}</sheets>'
            "</workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PACKAGE}/relationships">{sheet_rels}'
            f'<Relationship Id="rS" Type="{REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rT" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": STYLES,
    }
    for n, body in enumerate(sheets, 1):
        parts[f"xl/worksheets/sheet{n}.xml"] = (
            f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}" '
            'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">'
            f"{body}</worksheet>"
        )
    if shared is not None:
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}">{"".join(shared)}</sst>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + xml)
    return out.getvalue()


SHARED = [
    "<si><t>NIK</t></si>",
    '<si><t xml:space="preserve">  Wa Ode  Sitti </t></si>',
    # Rich text: runs with their fonts, and a phonetic run openpyxl leaves out.
    '<si><r><rPr><b/><sz val="11"/></rPr><t>Desa </t></r><r><t>Lakudo</t></r>'
    '<rPh sb="0" eb="1"><t>x</t></rPh><phoneticPr fontId="1"/></si>',
    "<si><t/></si>",
    "<si></si>",
    "<si><t>7414014403850001</t></si>",
    "<si><t>a &amp; b &lt;c&gt; &#233;&#x1F600;\r\nline</t></si>",
    "<si><t>_x005F_x000D_ kept</t></si>",
    "<si><t>#N/A</t></si>",
    '<si><t>plain</t><rPh sb="0" eb="1"><t>p</t></rPh></si>',
]


class TestAgainstOpenpyxl:
    def test_a_workbook_written_by_openpyxl(self) -> None:
        book = WriteBook()
        sheet = book.active
        sheet.append(["Daftar KPM Desa Lakudo"])
        sheet.append([])
        sheet.append([None, None, "NIK", "No. KK", "Nama", "Lahir", "HP", "Aktif", "Nilai"])
        for serial in range(1, 30):
            sheet.append(
                [
                    None,
                    None,
                    f"74140144038500{serial:02d}" if serial % 3 else 7414014403850000 + serial,
                    7.414014403850001e15 if serial % 5 == 0 else f"741401010120{serial:04d}",
                    f"Wa Ode {serial}" if serial % 4 else None,
                    date(1985, 3, serial % 28 + 1) if serial % 2 else datetime(1990, 1, 2, 3, 4),
                    81234567800 + serial if serial % 6 else "0812-3456-7890",
                    serial % 2 == 0,
                    serial * 1.5 if serial % 7 else -serial,
                ]
            )
        sheet["K12"] = "=C12&D12"  # written with no value: read as None
        sheet["L14"] = CellRichText(
            "Wa ", TextBlock(InlineFont(b=True), "Ode"), " Sitti"
        )  # written inline
        sheet["M15"] = time(8, 30)
        sheet["N16"] = timedelta(hours=30)
        sheet["F40"] = "alone, far below"
        sheet.merge_cells("E5:E7")
        sheet.merge_cells("A1:I1")
        other = book.create_sheet("Kosong")
        other["C3"] = 0
        book.create_sheet("Empty")
        data = io.BytesIO()
        book.save(data)
        rows = assert_same(data.getvalue())
        assert rows[0][3][1][2] == ("str", "7414014403850001")
        assert rows[0][5][1][2] == ("int", 7414014403850003)
        # openpyxl writes a whole float without its point: it comes back an int.
        assert rows[0][7][1][3] == ("int", 7414014403850001)

    def test_every_kind_of_cell_excel_writes(self) -> None:
        sheet = (
            '<dimension ref="A1:H9"/><sheetFormatPr defaultRowHeight="15"/>'
            '<cols><col min="1" max="3" width="12" customWidth="1"/></cols><sheetData>'
            '<row r="1" spans="1:8" x14ac:dyDescent="0.25">'
            + "".join(f'<c r="{c}1" t="s"><v>{n}</v></c>' for n, c in enumerate("ABCDEFGH"))
            + "</row>"
            '<row r="2" spans="1:8" ht="20" customHeight="1">'
            '<c r="A2" t="s" s="0"><v>8</v></c>'  # a string that looks like a formula error
            '<c r="B2"><v>7414014403850000</v></c>'  # a NIK typed as a number
            '<c r="C2"><v>7.4140144038500005E+15</v></c>'
            '<c r="D2" s="4"><v>42</v></c>'
            '<c r="E2"><v>-0.5</v></c>'
            '<c r="F2"><v>1e3</v></c>'
            '<c r="G2" t="b"><v>1</v></c>'
            '<c r="H2" t="b"><v>0</v></c>'
            "</row>"
            '<row r="3">'
            '<c r="A3" t="str"><f>A2&amp;""</f><v>Wa Ode</v></c>'  # formula, string result
            '<c r="B3"><f>1+1</f><v>2</v></c>'  # formula, number result
            '<c r="C3" t="e"><f>VLOOKUP(A1,A2,3)</f><v>#N/A</v></c>'
            '<c r="D3" t="b"><f>TRUE()</f><v>1</v></c>'
            '<c r="E3"><f>NOW()</f></c>'  # formula never computed
            '<c r="F3" t="str"><f t="shared" ref="F3:F4" si="0">A3</f><v></v></c>'
            '<c r="G3" t="inlineStr"><is><t>inline</t></is></c>'
            '<c r="H3" t="inlineStr"><is><r><t>rich </t></r><r><rPr><i/></rPr><t>inline'
            "</t></r></is></c>"
            "</row>"
            # Gaps in column letters, a styled empty cell, leading empty columns.
            '<row r="5"><c r="C5" s="1"/><c r="E5" t="s"><v>5</v></c><c r="Z5"><v>1</v></c></row>'
            '<row r="6" spans="2:4"><c r="B6" s="1"><v>31140</v></c>'
            '<c r="C6" s="2"><v>31140.5</v></c><c r="D6" s="3"><v>1.25</v></c>'
            '<c r="E6" t="d"><v>2024-05-06T07:08:09</v></c><c r="F6" s="1"><v>-1</v></c>'
            '<c r="G6" s=""><v>3</v></c></row>'
            # Cells and rows without references, a cell out of order, lower-case letters.
            '<row><c><v>1</v></c><c t="s"><v>3</v></c><c r="E7"><v>5</v></c><c><v>6</v></c>'
            "</row>"
            '<row r="8"><c r="D8"><v>4</v></c><c r="B8"><v>2</v></c></row>'
            '<row r="9"><c r="a9"><v>1</v></c><c r="C9"><v>3</v></c><c r="B10"><v>2</v></c>'
            '<c r="AA9" t="s"><v>9</v></c></row>'
            '<row r="12"/>'
            '<row r="11"><c r="A11"><v>11</v></c></row>'  # out of order: openpyxl skips it
            '<row r="14" spans="1:2"><c r="A14" t="s"><v>6</v></c><c r="B14" t="s"><v>7</v></c>'
            "</row>"
            '<row r="14"><c r="A14"><v>14</v></c></row>'  # twice: the first counts
            '<row r="15"><c r="A15" t="n"><v>15</v></c><extLst/></row>'
            "</sheetData>"
            '<mergeCells count="1"><mergeCell ref="C5:C6"/></mergeCells>'
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
            'footer="0.3"/>'
        )
        assert_same(package([sheet, "<sheetData/>"], SHARED))

    def test_dates_in_the_1904_system(self) -> None:
        sheet = (
            '<sheetData><row r="1"><c r="A1" s="1"><v>30000</v></c>'
            '<c r="B1" s="2"><v>0</v></c><c r="C1" s="3"><v>0.5</v></c></row></sheetData>'
        )
        assert_same(package([sheet], workbook_pr='<workbookPr date1904="1"/>'))

    def test_a_prefixed_sheet_and_rows_without_a_dimension(self) -> None:
        sheet = (
            '<x:sheetData xmlns:x="' + MAIN + '">'
            '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1"><x:v>2</x:v></x:c>'
            '</x:row><x:row r="3"><x:c r="B3" t="s"><x:v>1</x:v></x:c></x:row>'
            "</x:sheetData>"
        )
        assert_same(package([sheet], SHARED))

    def test_a_row_numbered_0_is_left_out(self) -> None:
        sheet = '<sheetData><row r="0"><c r="A0"><v>1</v></c></row><row><c><v>2</v></c></row>'
        assert_same(package([sheet + "</sheetData>"]))


# A sheet as Excel writes one, every cell of it in the plain lane (regular expressions).
PLAIN_SHARED = [
    "<si><t>NIK</t></si>",
    '<si><t xml:space="preserve">  Wa Ode  Sitti </t></si>',
    "<si><t></t></si>",
    "<si><t>7414014403850001</t></si>",
    "<si><t>x > y, 100% \u00e9\U0001f600\nline two</t></si>",
    "<si><t>_x005F_x000D_ kept</t></si>",
    "<si><t>#N/A</t></si>",
]
PLAIN_SHEET = (
    '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><dimension ref="B1:H9"/>'
    '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
    '<sheetFormatPr defaultRowHeight="15" x14ac:dyDescent="0.25"/><sheetData>'
    '<row r="1" spans="2:8" x14ac:dyDescent="0.25">'
    + "".join(f'<c r="{c}1" t="s"><v>{n}</v></c>' for n, c in enumerate("BCDEFGH"))
    + "</row>"
    '<row r="2" spans="2:8" ht="20" customHeight="1">'
    '<c r="B2" s="4" t="s"><v>3</v></c><c r="C2"><v>7414014403850000</v></c>'
    '<c r="D2"><v>7.4140144038500005E+15</v></c><c r="E2" t="n"><v>-0.5</v></c>'
    '<c r="F2"><v>1e3</v></c><c r="G2" s="4"><v>42</v></c><c r="H2" s="0"><v>0</v></c></row>'
    '<row r="3"><c r="B3" t="str"><f>B2</f><v>Wa Ode</v></c><c r="C3"><f>1+1</f><v>2</v></c>'
    '<c r="D3" t="e"><f>NA()</f><v>#N/A</v></c><c r="E3" t="b"><f>TRUE()</f><v>1</v></c>'
    '<c r="F3"><f>NOW()</f></c><c r="G3" t="str"><f t="shared" ref="G3:G4" si="0">B3</f>'
    '<v></v></c><c r="H3" t="b"><v>0</v></c></row>\n'
    '<row r="4"><c r="G4" t="str"><f t="shared" si="0"/><v>x</v></c></row>'
    '<row r="6" spans="2:8"><c r="D6" s="1"/><c r="F6" t="s"><v>4</v></c>'
    '<c r="AA6"><v>1</v></c></row>'
    '<row r="7"/><row r="8"><c r="E8"><v>4</v></c><c r="C8"><v>2</v></c></row>'
    '<row r="5"><c r="B5"><v>5</v></c></row>'  # out of order: openpyxl leaves it out
    '<row r="9"><c r="B9" t="s"><v>5</v></c><c r="B9"><v>9</v></c></row>'
    '<row r="9"><c r="B9"><v>99</v></c></row>'  # twice: the first counts
    # Dates, a time and a duration, by their styles (1, 2 dates, 3 a duration).
    '<row r="10"><c r="B10" s="1"><v>31140</v></c><c r="C10" s="2"><v>31140.5</v></c>'
    '<c r="D10" s="3"><v>1.25</v></c><c r="E10" s="1"><v>0.5</v></c>'
    '<c r="F10" s="1"><v>60</v></c><c r="G10" s="2" t="n"><v>0</v></c>'
    '<c r="H10" s="1"><v>-1</v></c></row>'
    "</sheetData>"
    '<mergeCells count="1"><mergeCell ref="D6:D7"/></mergeCells>'
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
)


def plain_lane(data: bytes) -> list[Any]:
    """The first sheet's rows from the plain lane alone (it raises where it gives way)."""
    sheet = Workbook(io.BytesIO(data)).worksheets[0]
    return list(sheet._plain_rows())


def exact_lane(data: bytes) -> list[Any]:
    sheet = Workbook(io.BytesIO(data)).worksheets[0]
    with sheet.open_xml() as source:
        return list(sheet._parser(source).parse())


class TestThePlainLane:
    def test_a_sheet_as_excel_writes_it_is_read_by_the_plain_lane_as_openpyxl_reads_it(
        self,
    ) -> None:
        data = package([PLAIN_SHEET], PLAIN_SHARED)
        assert typed(plain_lane(data)) == typed(exact_lane(data))
        rows = assert_same(data)
        assert rows[0][1][1][1:3] == [("str", "7414014403850001"), ("int", 7414014403850000)]

    def test_the_shared_strings_are_read_plainly_when_all_are_plain(self) -> None:
        for table in (PLAIN_SHARED, SHARED):
            xml = f'<sst xmlns="{MAIN}" count="{len(table)}">{"".join(table)}</sst>'.encode()
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as archive:
                archive.writestr("s.xml", xml)
            with zipfile.ZipFile(out) as archive:
                assert read_shared_strings(archive, "s.xml") == read_string_table(io.BytesIO(xml))

    @pytest.mark.parametrize(
        "odd",
        [
            '<c r="C5" t="inlineStr"><is><t>inline</t></is></c>',
            '<c r="C5" s="1"><v>1e10</v></c>',  # a date out of range: openpyxl warns
            '<c r="C5" t="str"><f>A1&amp;B1</f><v>x</v></c>',
            '<c r="C5"><v>1</v></c> <c r="D5"><v>2</v></c>',
            '<c r="c5"><v>1</v></c>',
            '<c r="C5" t="s"><v>1</v></c><c><v>2</v></c>',
        ],
    )
    @pytest.mark.filterwarnings("ignore:Cell C5 is marked as a date")
    def test_a_row_it_does_not_know_hands_the_rest_to_openpyxls_parser(self, odd: str) -> None:
        rows = "".join(f'<row r="{r}"><c r="B{r}"><v>{r}</v></c></row>' for r in range(1, 5))
        later = "".join(f'<row r="{r}"><c r="B{r}"><v>{r}</v></c></row>' for r in range(6, 9))
        data = package([f'<sheetData>{rows}<row r="5">{odd}</row>{later}</sheetData>'], SHARED)
        given = []
        with pytest.raises(_NotPlain):
            for row in Workbook(io.BytesIO(data)).worksheets[0]._plain_rows():
                given.append(row)
        assert [number for number, _ in given] == [1, 2, 3, 4]
        assert_same(data)

    @pytest.mark.parametrize(
        "row",
        [
            '<row r="1" xmlns="urn:other"><c r="A1"><v>1</v></c></row>',
            '<row r="1" spans="1:1" spans="1:2"><c r="A1"><v>1</v></c></row>',
            '<row r="1" undeclared:x="1"><c r="A1"><v>1</v></c></row>',
        ],
    )
    def test_a_row_that_openpyxl_would_read_otherwise_is_not_read_plainly(self, row: str) -> None:
        data = package([f"<sheetData>{row}</sheetData>"])
        with pytest.raises(_NotPlain):
            plain_lane(data)
        assert outcome(fast_rows, data) == outcome(openpyxl_rows, data)


def broken(cell: str) -> bytes:
    return package([f'<sheetData><row r="1">{cell}</row></sheetData>'], SHARED)


@pytest.mark.parametrize(
    "data",
    [
        broken('<c r="A1" t="s"><v>99</v></c>'),  # no such shared string
        broken('<c r="A1"><v>seven</v></c>'),
        broken('<c r="A1" s="x"><v>1</v></c>'),
        broken('<c r="A1" t="b"><v>yes</v></c>'),
        broken('<c r="A1"><v>1</v></c><c r="ABCD1"><v>1</v></c>'),
        broken('<c r="$C$1"><v>1</v></c>'),
        package(['<sheetData><row r="x"><c r="A1"><v>1</v></c></row></sheetData>']),
        package(['<sheetData><row r="1"><c r="A1"><v>1</v></c></row>']),  # not well formed
        b"PK\x03\x04 not a zip",
    ],
)
def test_a_broken_file_fails_as_with_openpyxl(data: bytes) -> None:
    expected = outcome(openpyxl_rows, data)
    assert isinstance(expected, type)
    assert outcome(fast_rows, data) is expected
