"""The KPM register at scale: a list of 100,000 families checked, imported, and imported again.

Goal (issue 12): 100,000 rows in under 60 s, on SQLite and PostgreSQL. The list is written
as a CSV and as an XLSX (shared strings, as Excel saves one) with every column the BPNT SOP
names; one row in a hundred has a phone that is no phone, so the report's
path is measured too. Sizes: BENCH_REGISTER_ROWS (100000; 0 skips the CSV),
BENCH_REGISTER_XLSX_ROWS (100000; 0 skips the XLSX).

The XLSX's anchor, in the same run: reading its rows with openpyxl (read-only, by value, as
the import read them before ``services.xlsx_rows``) against reading them with the import's
reader. BENCH_REGISTER_ANCHOR=0 skips it.
"""

from __future__ import annotations

import csv
import os
import tempfile
import time
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from bench.common import databases, fresh_database
from core.db import make_engine, unit_of_work
from models import Office
from services.nik import make_nik
from services.register_import import import_register
from services.xlsx_rows import Workbook

ROWS = int(os.environ.get("BENCH_REGISTER_ROWS") or "100000")
XLSX_ROWS = int(os.environ.get("BENCH_REGISTER_XLSX_ROWS") or "100000")
ANCHOR = os.environ.get("BENCH_REGISTER_ANCHOR", "1") != "0"
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
HEADER = [
    "No",
    "NIK",
    "No. KK",
    "Nama Kepala Keluarga",
    "Nama Pasangan",
    "Anggota Keluarga",
    "ID DTKS",
    "No. KKS",
    "Alamat",
    "Desa",
    "Kecamatan",
    "No. HP",
]


def _rows(count: int) -> list[list[str]]:
    rows = []
    for i in range(count):
        # Unique NIKs: 99 kecamatan × birth days × serials.
        born = date(1950, 1, 1) + timedelta(days=i // 99 % 20_000)
        nik = make_nik("74.14", i % 99 + 1, born, "P" if i % 2 else "L", i // (99 * 20_000) + 1)
        phone = "bukan nomor" if i % 100 == 7 else f"0812{i:08d}"
        rows.append(
            [
                str(i + 1),
                nik,
                f"741401{i % 999_999 + 1:06d}0001",
                f"Kepala Keluarga {i}",
                f"Pasangan {i}",
                "Anak Satu; Anak Dua",
                f"DTKS-{i:08d}",
                f"6013{i:012d}",
                f"Jl. Poros No. {i % 300}",
                f"Desa {i % 120}",
                f"Kecamatan {i % 99}",
                phone,
            ]
        )
    return rows


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows)


def _write_xlsx(path: Path, rows: list[list[str]]) -> None:
    """As Excel and LibreOffice save a sheet: text in the shared-strings table, and the
    sheet's size in a <dimension> before its rows (without one, openpyxl reads the whole sheet
    once more when it opens it, to learn its size)."""
    strings: dict[str, int] = {}

    def cell(column: int, row: int, text: str) -> str:
        index = strings.setdefault(text, len(strings))
        return f'<c r="{get_column_letter(column)}{row}" t="s"><v>{index}</v></c>'

    body = "".join(
        f'<row r="{r}">' + "".join(cell(c, r, v) for c, v in enumerate(values, 1)) + "</row>"
        for r, values in enumerate([HEADER, *rows], 1)
    )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006"
    kinds = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    shared = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
    parts = {
        "[Content_Types].xml": (
            f'<Types xmlns="{package}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{kinds}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{kinds}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kinds}.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{package}/relationships"><Relationship Id="r1" '
            f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="KPM" sheetId="1" r:id="r1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{package}/relationships">'
            f'<Relationship Id="r1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="r2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}"><dimension ref="A1:{get_column_letter(len(HEADER))}'
            f'{len(rows) + 1}"/><sheetData>{body}</sheetData></worksheet>'
        ),
        "xl/sharedStrings.xml": f'<sst xmlns="{main}" count="{len(strings)}">{shared}</sst>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + xml)


def _read_anchor(path: Path) -> None:
    """Every row of the XLSX read by openpyxl and by the import's reader (CPU seconds)."""
    for name in ("openpyxl", "services.xlsx_rows"):
        started, cpu = time.perf_counter(), time.process_time()
        with path.open("rb") as source:
            if name == "openpyxl":
                sheet = load_workbook(source, read_only=True, data_only=True).worksheets[0]
                sheet.reset_dimensions()
                opened = time.process_time()
                count = sum(1 for _ in sheet.iter_rows(values_only=True))
            else:
                fast = Workbook(source).worksheets[0]
                opened = time.process_time()
                count = sum(1 for _ in fast.iter_rows())
        done = time.process_time()
        print(
            f"[read] xlsx {name:<18} {time.perf_counter() - started:6.1f} s wall, CPU "
            f"{done - cpu:5.1f} s (open {opened - cpu:.1f} s, "
            f"{count:,} rows {done - opened:.1f} s)",
            flush=True,
        )


def _timed(url: str, path: Path, *, write: bool) -> tuple[float, float, str]:
    engine = make_engine(url)
    try:
        with unit_of_work(engine) as session:
            office = session.get(Office, 1) or Office(
                code="74.14", slug="buton-tengah", name="Dinas Sosial Buton Tengah"
            )
            session.add(office)
            session.flush()
            office_id = office.id or 0
        started, cpu = time.perf_counter(), time.process_time()
        with path.open("rb") as source:
            outcome = import_register(
                engine=engine, source=source, office_id=office_id, now=NOW, write=write,
                actor="bench", name=path.name,
            )  # fmt: skip
        elapsed, used = time.perf_counter() - started, time.process_time() - cpu
    finally:
        engine.dispose()
    t = outcome.totals
    return (
        elapsed,
        used,
        (
            f"{t.read:,} rows: {t.created:,} new, {t.updated:,} updated, "
            f"{t.unchanged:,} unchanged, {t.rejected:,} rejected"
        ),
    )


def run() -> None:
    print(f"== KPM register: {ROWS:,} rows (CSV), {XLSX_ROWS:,} rows (XLSX); goal < 60 s ==")
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        lists = []
        rows = _rows(max(ROWS, XLSX_ROWS))
        if ROWS:
            lists.append(Path(folder) / "kpm.csv")
            _write_csv(lists[-1], rows[:ROWS])
        if XLSX_ROWS:
            lists.append(Path(folder) / "kpm.xlsx")
            _write_xlsx(lists[-1], rows[:XLSX_ROWS])
        del rows
        print(f"lists written in {time.perf_counter() - started:.1f} s")
        if XLSX_ROWS and ANCHOR:
            _read_anchor(lists[-1])
        for kind in databases():
            for path in lists:
                with fresh_database(kind, schema="sigap_bench_register") as url:
                    for step, write in (("check", False), ("import", True), ("again", True)):
                        elapsed, used, what = _timed(url, path, write=write)
                        verdict = "ok" if elapsed < 60 else "OVER 60 s"
                        print(
                            f"[{kind}] {path.suffix[1:]:<4} {step:<6} {elapsed:6.1f} s "
                            f"(CPU {used:.1f} s here; {what}) {verdict}",
                            flush=True,
                        )
