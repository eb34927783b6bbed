"""The KPM register: an office's own lists of beneficiary families, tens of thousands of rows.

Most KPM never wrote to the bot; the office has them on lists (the BPNT SOP of Buton Tengah
names what a KPM's entry holds: head of the family, spouse, members, address, NIK, DTKS id,
and the KKS card). This module reads such a list and registers each family's person, matched
by NIK: a list imported again updates the people on it instead of duplicating them, and an
empty cell never erases what is on file.

Unlike ``services.csv_import`` (a few hundred rows, all or nothing), a register is imported
row by row: a bad row is reported with its number and reason, and the good rows go in. The
rows are streamed (never all in memory), validated, and written in chunks of :data:`CHUNK`
rows, each with one Core ``INSERT … ON CONFLICT (nik) DO UPDATE`` and one transaction, so a
large list never holds SQLite's write lock for long and an interrupted import keeps what it
committed and can go on from there.

Reading (what offices' spreadsheets hold):

- CSV as Excel or LibreOffice write it: ``,`` ``;`` or tab between cells, UTF-8 with or
  without a byte order mark, or Windows-1252 (Excel's "CSV" on Windows) line by line.
- XLSX **by value**, as openpyxl reads it in read-only mode (``services.xlsx_rows``, a faster
  reader giving openpyxl's values): a formula counts as the value the spreadsheet program
  last computed and saved (what staff saw on screen); a formula whose
  value is an error (``#N/A``) is an error of its row. A cell merged down one column (a desa
  written once for several rows) counts for every row it spans; a cell merged across columns
  is an error of each row it spans, since its value cannot belong to both columns. An .xls
  (Excel 97–2003) file is refused with how to save it.
- Title rows above the headers are skipped: the header row is the first of the first
  :data:`HEADER_ROWS` rows that has a NIK column. Headers are matched by name, any case and
  punctuation (``No. KK``, ``NIK KPM``, ``Desa/Kelurahan``); columns not understood are
  ignored and named in the report.

No NIK reaches a log or a report: a row is named by its number as the spreadsheet shows it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import chain, islice
from typing import IO, Any

from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException
from sqlalchemy import JSON, Engine, Table, Text, bindparam, cast, delete, func, true, update
from sqlalchemy import column as sql_column
from sqlalchemy import select as core_select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from core.db import unit_of_work
from models import AuditLog, Person, RegisterImport, RegisterImportFile, StaffUser
from services import audit, phones
from services.csv_import import MARITAL_WORDS, SEX_WORDS, RowError, parse_date
from services.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from services.nik import IdentityError, normalise, validate_kk, validate_nik
from services.roles import CASE_WRITERS, require_office, require_role
from services.xlsx_rows import Workbook, Worksheet

CHUNK = 2000
HEADER_ROWS = 10
# A list larger than this is split by the office (the command line has no limit).
MAX_UPLOAD_BYTES = 40 * 1024 * 1024
# Errors kept with a staff page's import; the command line's --check prints them all.
KEPT_ERRORS = 500

# Each column by its name in reports, with the headers offices write for it (folded: lower
# case, every run of other characters one "_").
COLUMNS: dict[str, tuple[str, ...]] = {
    "nik": ("nik", "nik_kpm", "nik_penerima", "nik_pengurus", "no_nik", "nomor_nik"),
    "no_kk": ("no_kk", "nomor_kk", "nokk", "kk", "no_kartu_keluarga", "nomor_kartu_keluarga"),
    "nama": ("nama", "nama_kpm", "nama_penerima", "nama_lengkap", "nama_pengurus"),
    "nama_kepala_keluarga": ("nama_kepala_keluarga", "kepala_keluarga", "nama_krt", "nama_kk"),
    "nama_pasangan": (
        "nama_pasangan",
        "pasangan",
        "nama_pasangan_kepala_keluarga",
        "nama_istri",
        "nama_suami",
        "nama_istri_suami",
    ),
    "anggota_keluarga": ("anggota_keluarga", "nama_anggota_keluarga", "anggota"),
    "id_dtks": (
        "id_dtks",
        "iddtks",
        "no_id_dtks",
        "id_dtsen",
        "iddtsen",
        "id_dtks_dtsen",
        "id_bdt",
        "idbdt",
    ),
    "no_kks": ("no_kks", "nomor_kks", "nokks", "kks", "no_kartu_kks", "nomor_kartu_kks"),
    "alamat": ("alamat", "alamat_tinggal", "alamat_rumah", "alamat_lengkap"),
    "desa": ("desa", "kelurahan", "desa_kelurahan", "kelurahan_desa", "nama_desa"),
    "kecamatan": ("kecamatan", "nama_kecamatan"),
    "telepon": (
        "telepon",
        "no_telepon",
        "nomor_telepon",
        "telp",
        "no_telp",
        "hp",
        "no_hp",
        "nomor_hp",
        "no_wa",
        "nomor_wa",
        "whatsapp",
    ),
    "tempat_lahir": ("tempat_lahir",),
    "tanggal_lahir": ("tanggal_lahir", "tgl_lahir"),
    "jenis_kelamin": ("jenis_kelamin", "jk", "l_p"),
    "status_perkawinan": ("status_perkawinan", "status_kawin"),
    "pekerjaan": ("pekerjaan",),
}
REQUIRED = ("nik", "no_kk")
NAME_COLUMNS = ("nama", "nama_kepala_keluarga")
# A running number: every list has one, and it means nothing here.
SILENTLY_IGNORED = frozenset({"no", "nomor", "no_urut", "urut"})
_BY_HEADER = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}

# Free text and its room in the person's row.
TEXT_LIMITS = {
    "nama": 120,
    "nama_kepala_keluarga": 120,
    "nama_pasangan": 120,
    "anggota_keluarga": 500,
    "alamat": 200,
    "desa": 80,
    "kecamatan": 80,
    "tempat_lahir": 80,
    "pekerjaan": 80,
    "id_dtks": 40,
}
# Numbers that must stay text: a spreadsheet keeps only 15 significant digits of a number.
IDENTITY_COLUMNS = ("nik", "no_kk", "no_kks", "id_dtks")

_FOLD = re.compile(r"[^0-9a-z]+")
_SCIENTIFIC = re.compile(r"^\d[.,]\d+[eE]\+?\d+$")
_FORMULA_ERROR = re.compile(r"^#(N/A|REF!|VALUE!|DIV/0!|NAME\?|NUM!|NULL!|SPILL!|CALC!)$")
_MEMBER_SEPARATORS = re.compile(r"\s*[;|\n]\s*")
_DTKS = re.compile(r"^[0-9A-Za-z.\-]+$")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


def fold(header: str) -> str:
    """``No. KK`` → ``no_kk``; ``Desa/Kelurahan`` → ``desa_kelurahan``."""
    return _FOLD.sub("_", header.lower()).strip("_")


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RawRow:
    """A data row as read: its number as the spreadsheet shows it, its cells by column name,
    and what was wrong with it before any value was looked at."""

    number: int
    cells: dict[str, Any]
    problems: tuple[RowError, ...] = ()


@dataclass
class Sheet:
    kind: str  # "CSV" or "XLSX"
    columns: tuple[str, ...]  # the column names found, in the file's order
    ignored: tuple[str, ...]  # headers not understood, as written
    rows: Iterator[RawRow]


@dataclass(frozen=True)
class _Header:
    number: int
    positions: dict[int, str]  # 0-based cell position → column name
    width: int
    ignored: tuple[str, ...]


def _header(number: int, cells: Iterable[Any]) -> _Header | None:
    """The header row, if this is it: it names a NIK column."""
    texts = ["" if c is None else str(c).strip() for c in cells]
    folded = [fold(t) for t in texts]
    if "nik" not in {_BY_HEADER.get(f) for f in folded}:
        return None
    positions: dict[int, str] = {}
    given: dict[str, list[str]] = {}
    ignored: list[str] = []
    for position, (text, name) in enumerate(zip(texts, folded, strict=True)):
        column = _BY_HEADER.get(name)
        if column is not None:
            positions[position] = column
            given.setdefault(column, []).append(text)
        elif name and name not in SILENTLY_IGNORED:
            ignored.append(text)
    twice = [" / ".join(texts) for texts in given.values() if len(texts) > 1]
    if twice:
        raise InvalidInput("register.file.duplicate_columns", columns="; ".join(twice))
    missing = [c for c in REQUIRED if c not in given]
    if not any(c in given for c in NAME_COLUMNS):
        missing.append("nama")
    if missing:
        raise InvalidInput("register.file.missing_columns", columns=", ".join(missing))
    return _Header(number, positions, len(texts), tuple(ignored))


def read_sheet(source: IO[bytes]) -> Sheet:
    """Open a list (CSV or XLSX, told apart by their first bytes, not their names). Problems
    of the whole file raise :class:`InvalidInput`; those of a row come with the row."""
    start = source.read(8)
    source.seek(0)
    if not start.strip():
        raise InvalidInput("register.file.empty")
    if start.startswith(b"PK\x03\x04"):
        return _xlsx(source)
    if start.startswith(b"\xd0\xcf\x11\xe0"):
        raise InvalidInput("register.file.xls")
    return _csv(source)


def _lines(source: IO[bytes]) -> Iterator[str]:
    for number, raw in enumerate(source, start=1):
        if b"\x00" in raw:
            # NUL bytes: a binary file (an .xlsx renamed is caught earlier).
            raise InvalidInput("register.file.not_a_list")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            # Excel on Windows saves "CSV" in the machine's code page.
            text = raw.decode("cp1252", errors="replace")
        yield text.removeprefix("\ufeff") if number == 1 else text


def _csv(source: IO[bytes]) -> Sheet:
    lines = _lines(source)
    first = list(islice(lines, HEADER_ROWS))
    counts = {d: sum(line.count(d) for line in first) for d in (";", ",", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    records = enumerate(csv.reader(chain(first, lines), delimiter=delimiter), start=1)

    def problem(exc: csv.Error) -> InvalidInput:
        return InvalidInput("register.file.unreadable", kind="CSV", problem=str(exc))

    header = None
    try:
        for number, cells in islice(records, HEADER_ROWS):
            header = _header(number, cells)
            if header is not None:
                break
    except csv.Error as exc:
        raise problem(exc) from None
    if header is None:
        raise InvalidInput("register.file.no_header", rows=HEADER_ROWS)

    def rows(header: _Header = header) -> Iterator[RawRow]:
        try:
            for number, cells in records:
                if not any(c.strip() for c in cells):
                    continue
                problems: tuple[RowError, ...] = ()
                if any(c.strip() for c in cells[header.width :]):
                    problems = (RowError.of(number, "", "register.row.too_many_cells"),)
                values = {
                    name: cells[position]
                    for position, name in header.positions.items()
                    if position < len(cells)
                }
                yield RawRow(number, values, problems)
        except csv.Error as exc:
            raise problem(exc) from None

    return Sheet("CSV", tuple(header.positions.values()), header.ignored, rows())


def _merged_ranges(sheet: Worksheet) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges (min_col, min_row, max_col, max_row), found by scanning its
    XML for ``<mergeCell ref=…>``: read-only mode does not keep them, and they come after the
    rows, so they are looked for before the rows are read."""
    refs: set[bytes] = set()
    tail = b""
    with sheet.open_xml() as xml:
        while chunk := xml.read(1 << 20):
            data = tail + chunk
            refs.update(match[1] for match in _MERGE.finditer(data))
            tail = data[-256:]
    return [range_boundaries(ref.decode()) for ref in sorted(refs)]  # type: ignore[misc]


def _xlsx(source: IO[bytes]) -> Sheet:
    try:
        book = Workbook(source)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise InvalidInput(
            "register.file.unreadable", kind="XLSX", problem=type(exc).__name__
        ) from None
    for sheet in book.worksheets:
        # Read as openpyxl's read-only sheet after reset_dimensions(): files from other
        # programs may state a wrong size, so what is there is read.
        header = None
        for number, cells in enumerate(sheet.iter_rows(max_row=HEADER_ROWS), 1):
            header = _header(number, cells)
            if header is not None:
                break
        if header is not None:
            rows = _xlsx_rows(sheet, header, _merged_ranges(sheet))
            return Sheet("XLSX", tuple(header.positions.values()), header.ignored, rows)
    raise InvalidInput("register.file.no_header", rows=HEADER_ROWS)


def _xlsx_rows(
    sheet: Worksheet, header: _Header, merged: list[tuple[int, int, int, int]]
) -> Iterator[RawRow]:
    names = header.positions
    # A range merged down one known column fills the rows below its first; one across columns
    # spoils every row it spans.
    fill_down: dict[int, list[tuple[int, int]]] = {}  # position → [(first row, last row)]
    across: list[tuple[int, int, str]] = []  # (first row, last row, columns)
    for min_col, min_row, max_col, max_row in merged:
        if max_row <= header.number:
            continue  # titles and headers
        covered = [names[p] for p in range(min_col - 1, max_col) if p in names]
        if not covered:
            continue
        if min_col == max_col:
            fill_down.setdefault(min_col - 1, []).append((max(min_row, header.number + 1), max_row))
        else:
            across.append((max(min_row, header.number + 1), max_row, ", ".join(covered)))
    carried: dict[int, tuple[Any, int]] = {}  # position → (value, last row it fills)

    rows = sheet.iter_rows(min_row=header.number + 1)
    for number, cells in enumerate(rows, start=header.number + 1):
        values: dict[str, Any] = {}
        for position, name in names.items():
            value = cells[position] if position < len(cells) else None
            for first, last in fill_down.get(position, ()):
                if number == first:
                    carried[position] = (value, last)
            if position in carried:
                kept, last = carried[position]
                if number > last:
                    del carried[position]
                elif value is None:
                    value = kept
            values[name] = value
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
            continue
        problems = tuple(
            RowError.of(number, "", "register.row.merged", columns=columns)
            for first, last, columns in across
            if first <= number <= last
        )
        yield RawRow(number, values, problems)


# --- one row --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kpm:
    """A valid row: one family's person as the list gives them ("" where it says nothing)."""

    row: int
    nik: str
    kk_number: str
    name: str
    head_of_family: str
    spouse_name: str
    household_members: str
    dtks_id: str
    kks_number: str
    address: str
    desa: str
    kecamatan: str
    phone: str
    phone_e164: str
    birth_place: str
    occupation: str
    marital_status: str  # "" when the list does not say
    birth_date: date
    sex: str
    kecamatan_code: str


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _identity(row: int, column: str, value: Any, errors: list[RowError]) -> str:
    """A number that must stay text (NIK, No. KK): as a spreadsheet number it lost digits."""
    # A spreadsheet keeps 15 significant digits of a number: a 16-digit NIK typed as one
    # comes back with a 0 for its last digit (7414014403850001 → 7414014403850000). A number
    # ending in 0 may be such a one, so it is refused with how to keep it as text.
    if isinstance(value, float) or (
        isinstance(value, int) and len(str(value)) >= 15 and str(value).endswith("0")
    ):
        errors.append(RowError.of(row, column, "register.row.number_cell", column=column))
        return ""
    text = _text(value).removeprefix("'")
    if _SCIENTIFIC.match(text):
        errors.append(RowError.of(row, column, "register.row.number_cell", column=column))
        return ""
    return text


def _members(value: Any) -> str:
    """Names one per line, or between ``;`` or ``|``: kept as ``Ani; Budi; Citra``."""
    if value is None:
        return ""
    names = (" ".join(n.split()) for n in _MEMBER_SEPARATORS.split(str(value)))
    return "; ".join(n for n in names if n)


def check_row(raw: RawRow, *, today: date) -> Kpm | list[RowError]:
    """The row as a :class:`Kpm`, or every reason it cannot be one."""
    number, cells = raw.number, raw.cells
    errors = list(raw.problems)
    for column, value in cells.items():
        if isinstance(value, str) and _FORMULA_ERROR.match(value.strip()):
            errors.append(
                RowError.of(
                    number, column, "register.row.formula_error", column=column, value=value
                )
            )
    if errors:
        return errors

    ids = {c: _identity(number, c, cells.get(c), errors) for c in IDENTITY_COLUMNS}
    texts = {c: _text(cells.get(c)) for c in TEXT_LIMITS if c != "id_dtks"}
    texts["anggota_keluarga"] = _members(cells.get("anggota_keluarga"))
    name = texts["nama"] or texts["nama_kepala_keluarga"]
    for column, value in (("nik", ids["nik"]), ("no_kk", ids["no_kk"]), ("nama", name)):
        if not value and not any(e.column == column for e in errors):
            errors.append(RowError.of(number, column, "register.row.required", column=column))
    for column, limit in TEXT_LIMITS.items():
        value = ids[column] if column in ids else texts[column]
        if len(value) > limit:
            errors.append(
                RowError.of(number, column, "register.row.too_long", column=column, max=limit)
            )

    nik_info = None
    if ids["nik"]:
        try:
            nik_info = validate_nik(ids["nik"], today=today)
        except IdentityError as exc:
            errors.append(RowError.of(number, "nik", exc.key, **exc.params))
    kk = ""
    if ids["no_kk"]:
        try:
            kk = validate_kk(ids["no_kk"])
        except IdentityError as exc:
            errors.append(RowError.of(number, "no_kk", exc.key, **exc.params))
    kks = normalise(ids["no_kks"])
    if kks and not (kks.isascii() and kks.isdigit() and 12 <= len(kks) <= 19):
        errors.append(RowError.of(number, "no_kks", "register.row.kks"))
    dtks = ids["id_dtks"]
    if dtks and not _DTKS.match(dtks):
        errors.append(RowError.of(number, "id_dtks", "register.row.dtks"))

    phone_text = _text(cells.get("telepon"))
    e164 = written = ""
    if phone_text:
        e164 = phones.normalise(phone_text) or ""
        if not e164:
            errors.append(RowError.of(number, "telepon", "register.row.phone", value=phone_text))
        # Kept as written (as a registration keeps it), unless a spreadsheet number dropped
        # its leading 0 or it would not fit: then as matched.
        fits = phone_text.startswith(("0", "+")) and len(phone_text) <= 20
        written = phone_text if fits else e164

    marital = ""
    if marital_text := _text(cells.get("status_perkawinan")):
        marital = MARITAL_WORDS.get(fold(marital_text), "")
        if not marital:
            errors.append(
                RowError.of(
                    number,
                    "status_perkawinan",
                    "api.csv.marital_status",
                    value=marital_text,
                    allowed=", ".join(sorted(set(MARITAL_WORDS.values()))),
                )
            )
    if nik_info is not None:
        born = cells.get("tanggal_lahir")
        if isinstance(born, datetime):
            born = born.date()
        if born is not None and not isinstance(born, date):
            born_text = _text(born)
            born = parse_date(born_text) if born_text else None
            if born_text and born is None:
                errors.append(
                    RowError.of(number, "tanggal_lahir", "register.row.date", value=born_text)
                )
        if isinstance(born, date) and born != nik_info.birth_date:
            errors.append(
                RowError.of(
                    number,
                    "tanggal_lahir",
                    "identity.nik.birth_mismatch",
                    nik_date=nik_info.birth_date.strftime("%d-%m-%Y"),
                    given=born.strftime("%d-%m-%Y"),
                )
            )
        if sex_text := _text(cells.get("jenis_kelamin")):
            sex = SEX_WORDS.get(fold(sex_text))
            if sex is None:
                errors.append(RowError.of(number, "jenis_kelamin", "api.csv.sex", value=sex_text))
            elif sex != nik_info.sex:
                errors.append(
                    RowError.of(
                        number,
                        "jenis_kelamin",
                        "identity.nik.sex_mismatch",
                        nik_sex=nik_info.sex,
                        given=sex,
                    )
                )
    if errors or nik_info is None:
        return errors
    return Kpm(
        row=number,
        nik=nik_info.nik,
        kk_number=kk,
        name=name,
        head_of_family=texts["nama_kepala_keluarga"],
        spouse_name=texts["nama_pasangan"],
        household_members=texts["anggota_keluarga"],
        dtks_id=dtks,
        kks_number=kks,
        address=texts["alamat"],
        desa=texts["desa"],
        kecamatan=texts["kecamatan"],
        phone=written,
        phone_e164=e164,
        birth_place=texts["tempat_lahir"],
        occupation=texts["pekerjaan"],
        marital_status=marital,
        birth_date=nik_info.birth_date,
        sex=nik_info.sex,
        kecamatan_code=nik_info.kecamatan_code,
    )


# --- a chunk --------------------------------------------------------------------------------

# What a list says replaces what is on file; what it leaves empty keeps what is on file.
LISTED = (
    "kk_number",
    "name",
    "head_of_family",
    "spouse_name",
    "household_members",
    "dtks_id",
    "kks_number",
    "address",
    "desa",
    "kecamatan",
    "phone",
    "phone_e164",
    "birth_place",
    "occupation",
)
_ON_FILE = ("id", "nik", "office_id", "marital_status", "registries", *LISTED)


@dataclass
class Chunk:
    rows: list[Kpm] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    read: int = 0  # data rows read (good and bad)
    last_row: int = 0


@dataclass
class Totals:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    last_row: int = 0

    def add(self, other: Totals) -> None:
        self.read += other.read
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.rejected += other.rejected
        self.last_row = max(self.last_row, other.last_row)


@dataclass(frozen=True)
class ChunkDone:
    """One chunk's outcome (``totals`` is of this chunk alone), and its rejected rows."""

    totals: Totals
    errors: list[RowError]


def _registries(on_file: str, dtks_id: str) -> str:
    names = {r for r in on_file.split(",") if r}
    if dtks_id:
        names.add("DTKS")
    return ",".join(sorted(names))


# A chunk's rows differ in these columns; the others hold one value for the whole chunk.
_VARYING = (
    "nik",
    *LISTED,
    "marital_status",
    "registries",
    "birth_date",
    "sex",
    "kecamatan_code",
    "regency_code",
)
_FIXED = ("office_id", "education", "created_at", "updated_at")
_AUDIT_VARYING = ("entity_id", "detail")
_AUDIT_FIXED = ("at", "staff_id", "actor", "action", "entity")


def _upsert(insert: Any) -> Any:
    """``insert`` as the register's upsert by NIK: what the list says replaces what is on
    file, what it leaves empty keeps it."""
    table: Table = Person.__table__  # type: ignore[attr-defined]
    excluded = insert.excluded
    changes: dict[str, Any] = {
        name: func.coalesce(func.nullif(excluded[name], ""), table.c[name]) for name in LISTED
    }
    changes |= {
        "marital_status": excluded.marital_status,
        "registries": excluded.registries,
        "updated_at": excluded.updated_at,
    }
    # Never another office's person, whatever the pre-check saw.
    return insert.on_conflict_do_update(
        index_elements=[table.c.nik],
        set_=changes,
        where=table.c.office_id == excluded.office_id,
    )


def _from_json(dialect: str, table: Table, varying: tuple[str, ...], fixed: tuple[str, ...]) -> Any:
    """``INSERT INTO table SELECT … FROM`` the rows of one JSON document (``:rows``, a list of
    objects holding the ``varying`` columns), the ``fixed`` ones bound once (``:all_<name>``).

    A chunk is one statement whose text never changes, its rows encoded in C and taken apart
    by the database: SQLAlchemy's executemany builds every row's parameters in Python (most
    of a chunk's time on SQLite), psycopg's sends an INSERT a row, and multi-row VALUES make
    psycopg parse a new 50,000-parameter text every chunk."""
    if dialect == "postgresql":
        document = cast(bindparam("rows", type_=Text()), JSON())
        recordset = (
            func.json_to_recordset(document)
            .table_valued(*(sql_column(name, table.c[name].type) for name in varying))
            .render_derived(with_types=True)
        )
        columns = [recordset.c[name] for name in varying]
        insert: Any = postgresql.insert(table)
    else:
        each = func.json_each(bindparam("rows", type_=Text())).table_valued("value")
        columns = [
            func.json_extract(each.c.value, f"$.{name}", type_=table.c[name].type).label(name)
            for name in varying
        ]
        insert = sqlite.insert(table)
    constants = [bindparam(f"all_{name}", type_=table.c[name].type).label(name) for name in fixed]
    # SQLite reads "INSERT … SELECT … ON CONFLICT" only with a WHERE before the ON.
    source = core_select(*columns, *constants).where(true())
    return insert.from_select([*varying, *fixed], source)


_PERSON: Table = Person.__table__  # type: ignore[attr-defined]
_AUDIT_LOG: Table = AuditLog.__table__  # type: ignore[attr-defined]
_STATEMENTS: dict[tuple[str, str], Any] = {}


def _statement(dialect: str, table: Table) -> Any:
    key = (dialect, table.name)
    if key not in _STATEMENTS:
        if table is _PERSON:
            upsert = _upsert(_from_json(dialect, _PERSON, _VARYING, _FIXED))
            _STATEMENTS[key] = upsert.returning(_PERSON.c.id, _PERSON.c.nik)
        else:
            _STATEMENTS[key] = _from_json(dialect, _AUDIT_LOG, _AUDIT_VARYING, _AUDIT_FIXED)
    return _STATEMENTS[key]


def _write(connection: Any, table: Table, rows: list[dict[str, Any]]) -> Any:
    """Insert ``rows`` (upsert, for persons: then the result holds each written person's id
    and NIK) in one statement; all rows have the same ``fixed`` values."""
    varying, fixed = (_VARYING, _FIXED) if table is _PERSON else (_AUDIT_VARYING, _AUDIT_FIXED)
    document = json.dumps([{name: row[name] for name in varying} for row in rows], default=str)
    params = {"rows": document} | {f"all_{name}": rows[0][name] for name in fixed}
    return connection.execute(_statement(connection.dialect.name, table), params)


def apply_chunk(
    *,
    session: Session,
    office_id: int,
    chunk: Chunk,
    now: datetime,
    write: bool,
    staff: StaffUser | None = None,
    actor: str = "",
    source: str = "",
) -> ChunkDone:
    """Sort the chunk's rows into new, changed and unchanged persons (and those of another
    office, rejected); with ``write``, upsert the new and changed in one statement and put each
    on the audit trail. Flushes; the caller commits."""
    table: Table = Person.__table__  # type: ignore[attr-defined]
    errors = list(chunk.errors)
    niks = [k.nik for k in chunk.rows]
    on_file = {
        row.nik: row
        for row in session.execute(
            core_select(*(table.c[c] for c in _ON_FILE)).where(table.c.nik.in_(niks))
        ).all()
    }
    done = Totals(read=chunk.read, last_row=chunk.last_row)
    values: list[dict[str, Any]] = []
    outcome: dict[str, str] = {}
    for kpm in chunk.rows:
        known = on_file.get(kpm.nik)
        if known is not None and known.office_id != office_id:
            errors.append(RowError.of(kpm.row, "nik", "register.row.other_office"))
            continue
        row: dict[str, Any] = {name: getattr(kpm, name) for name in LISTED}
        if known is None:
            marital = kpm.marital_status or ("kawin" if kpm.spouse_name else "")
            row |= {"marital_status": marital, "registries": _registries("", kpm.dtks_id)}
            outcome[kpm.nik] = "created"
            done.created += 1
        else:
            row = {name: value or getattr(known, name) for name, value in row.items()}
            marital = kpm.marital_status or known.marital_status
            if not marital and kpm.spouse_name:
                marital = "kawin"
            row |= {
                "marital_status": marital,
                "registries": _registries(known.registries, kpm.dtks_id),
            }
            if all(row[name] == getattr(known, name) for name in row):
                done.unchanged += 1
                continue
            outcome[kpm.nik] = "updated"
            done.updated += 1
        row |= {
            "office_id": office_id,
            "nik": kpm.nik,
            "birth_date": kpm.birth_date,
            "sex": kpm.sex,
            "education": "",
            "kecamatan_code": kpm.kecamatan_code,
            "regency_code": kpm.kecamatan_code[:5],
            "created_at": now,
            "updated_at": now,
        }
        values.append(row)
    done.rejected = len({e.row for e in errors})
    if write and values:
        connection = session.connection()
        written = _write(connection, _PERSON, values).all()
        rows_of = {k.nik: k.row for k in chunk.rows}
        if written:
            _write(
                connection,
                _AUDIT_LOG,
                [
                    {
                        "at": now,
                        "staff_id": staff.id if staff else None,
                        "actor": actor or (f"staff:{staff.id}" if staff else "system"),
                        "action": "import",
                        "entity": "person",
                        "entity_id": person_id,
                        "detail": f"KPM register {source} row {rows_of[nik]}: {outcome[nik]}"[:300],
                    }
                    for person_id, nik in written
                ],
            )
    errors.sort(key=lambda e: (e.row, e.column))
    return ChunkDone(done, errors)


# --- a whole list ---------------------------------------------------------------------------

OnChunk = Callable[[Session, ChunkDone, Totals], None]


@dataclass(frozen=True)
class Outcome:
    kind: str
    ignored: tuple[str, ...]
    totals: Totals
    errors: list[RowError]  # the first KEPT_ERRORS
    error_count: int


def chunks(sheet: Sheet, *, today: date, after: int = 0, size: int = CHUNK) -> Iterator[Chunk]:
    """The sheet's rows checked, ``size`` at a time. Rows up to ``after`` (already imported)
    are read for duplicates only."""
    first_of: dict[str, int] = {}
    chunk = Chunk()
    for raw in sheet.rows:
        checked = check_row(raw, today=today)
        if isinstance(checked, Kpm):
            other = first_of.setdefault(checked.nik, raw.number)
            if other != raw.number:
                checked = [
                    RowError.of(raw.number, "nik", "register.row.duplicate_in_file", other=other)
                ]
        if raw.number <= after:
            continue
        if isinstance(checked, Kpm):
            chunk.rows.append(checked)
        else:
            chunk.errors.extend(checked)
        chunk.read += 1
        chunk.last_row = raw.number
        if chunk.read >= size:
            yield chunk
            chunk = Chunk()
    if chunk.read:
        yield chunk


def import_register(
    *,
    engine: Engine,
    source: IO[bytes],
    office_id: int,
    now: datetime,
    write: bool,
    staff: StaffUser | None = None,
    actor: str = "",
    name: str = "",
    after: int = 0,
    on_chunk: OnChunk | None = None,
    chunk_size: int = CHUNK,
) -> Outcome:
    """Check (``write=False``) or import a list, one transaction per chunk: this function is
    its own unit of work, like a job. ``on_chunk`` runs inside each chunk's transaction (a
    job's progress commits with the rows it counts). A file that cannot be read as a list
    raises before anything is written."""
    if staff is not None:
        require_role(staff, CASE_WRITERS)
        if staff.office_id != office_id:
            raise Forbidden("error.forbidden_role", role=staff.role)
    sheet = read_sheet(source)
    totals = Totals()
    kept: list[RowError] = []
    count = 0
    for chunk in chunks(sheet, today=now.date(), after=after, size=chunk_size):
        with unit_of_work(engine) as session:
            done = apply_chunk(
                session=session, office_id=office_id, chunk=chunk, now=now, write=write,
                staff=staff, actor=actor, source=name,
            )  # fmt: skip
            totals.add(done.totals)
            if on_chunk is not None:
                on_chunk(session, done, totals)
        count += len(done.errors)
        kept.extend(done.errors[: max(0, KEPT_ERRORS - len(kept))])
    if write:
        with unit_of_work(engine) as session:
            audit.record(
                session=session, action="import", entity="office", entity_id=office_id,
                now=now, staff=staff, actor=actor, detail=summary_line(name, totals),
            )  # fmt: skip
    return Outcome(sheet.kind, sheet.ignored, totals, kept, count)


def summary_line(name: str, totals: Totals) -> str:
    """For the audit trail: counts, never a NIK."""
    return (
        f"KPM register {name}: {totals.read} rows, {totals.created} created, "
        f"{totals.updated} updated, {totals.unchanged} unchanged, {totals.rejected} rejected"
    )[:300]


# --- imports from the staff pages -----------------------------------------------------------

# A worker silent this long has stopped (a chunk takes about a second).
STALE_AFTER = timedelta(minutes=2)
RUNNING = ("checking", "importing")


def new_import(
    *, session: Session, staff: StaffUser, filename: str, content: bytes, now: datetime
) -> RegisterImport:
    """An uploaded list, to be checked in the background (see :func:`work`)."""
    require_role(staff, CASE_WRITERS)
    if not content.strip():
        raise InvalidInput("register.file.empty")
    if len(content) > MAX_UPLOAD_BYTES:
        raise InvalidInput("register.file.too_large", max_mb=MAX_UPLOAD_BYTES // 2**20)
    job = RegisterImport(
        office_id=staff.office_id,
        staff_id=staff.id or 0,
        filename=(filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1] or "daftar")[:200],
        size=len(content),
        status="checking",
        created_at=now,
    )
    session.add(job)
    session.flush()
    session.add(RegisterImportFile(import_id=job.id or 0, content=content))
    session.flush()
    return job


def import_for_staff(*, session: Session, staff: StaffUser, import_id: int) -> RegisterImport:
    require_role(staff, CASE_WRITERS)
    job = session.get(RegisterImport, import_id)
    if job is None:
        raise NotFound("error.not_found", what="Import")
    require_office(staff, job.office_id, what="Import")
    return job


def recent_imports(*, session: Session, staff: StaffUser, limit: int = 10) -> list[RegisterImport]:
    require_role(staff, CASE_WRITERS)
    query = (
        select(RegisterImport)
        .where(RegisterImport.office_id == staff.office_id)
        .order_by(col(RegisterImport.id).desc())
        .limit(limit)
    )
    return list(session.exec(query).all())


def is_stalled(job: RegisterImport, now: datetime) -> bool:
    last_sign = job.heartbeat_at or job.created_at
    return job.status in RUNNING and now - last_sign > STALE_AFTER


def _drop_file(session: Session, import_id: int) -> None:
    session.execute(
        delete(RegisterImportFile).where(col(RegisterImportFile.import_id) == import_id)
    )


def confirm(*, session: Session, staff: StaffUser, import_id: int, now: datetime) -> RegisterImport:
    """Checked, and the staff member says import: the background worker takes it on."""
    job = import_for_staff(session=session, staff=staff, import_id=import_id)
    if job.status != "checked":
        raise Conflict("register.job.not_checked")
    job.status, job.heartbeat_at = "importing", None
    job.errors, job.error_count, job.rejected = [], 0, 0
    job.created, job.updated, job.unchanged, job.last_row = 0, 0, 0, 0
    session.add(job)
    session.flush()
    return job


def cancel(*, session: Session, staff: StaffUser, import_id: int, now: datetime) -> RegisterImport:
    job = import_for_staff(session=session, staff=staff, import_id=import_id)
    if job.status != "checked":
        raise Conflict("register.job.not_checked")
    job.status, job.finished_at = "cancelled", now
    session.add(job)
    _drop_file(session, import_id)
    session.flush()
    return job


def resume(*, session: Session, staff: StaffUser, import_id: int, now: datetime) -> RegisterImport:
    """A stalled job, to be taken on again (a check starts over; an import goes on)."""
    job = import_for_staff(session=session, staff=staff, import_id=import_id)
    if not is_stalled(job, now):
        raise Conflict("register.job.not_stalled")
    return job


def claim(*, engine: Engine, import_id: int, now: datetime) -> bool:
    """Take the job on, unless a live worker has it: one guarded UPDATE, so two processes
    (or two clicks) never run it twice."""
    table = RegisterImport.__table__  # type: ignore[attr-defined]
    with unit_of_work(engine) as session:
        result = session.execute(
            update(table)
            .where(
                table.c.id == import_id,
                table.c.status.in_(RUNNING),
                (table.c.heartbeat_at.is_(None)) | (table.c.heartbeat_at < now - STALE_AFTER),
            )
            .values(heartbeat_at=now)
        )
        return bool(getattr(result, "rowcount", 0) == 1)


def work(*, engine: Engine, import_id: int, clock: Callable[[], datetime]) -> None:
    """Run a claimed job's phase to its end: the check (from the start) or the import (from
    the row after its last committed chunk). Every chunk's progress commits with the chunk."""
    with unit_of_work(engine) as session:
        job = session.get_one(RegisterImport, import_id)
        stored = session.get(RegisterImportFile, import_id)
        staff = session.get_one(StaffUser, job.staff_id)
        content = stored.content if stored is not None else b""
        status, after = job.status, job.last_row
        if status == "checking":
            job.rows_read = job.will_create = job.will_update = job.will_keep = 0
            job.errors, job.error_count, job.rejected = [], 0, 0
            session.add(job)
    if status not in RUNNING:
        return
    checking = status == "checking"
    now = clock()

    def progress(session: Session, done: ChunkDone, totals: Totals) -> None:
        job = session.get_one(RegisterImport, import_id)
        room = max(0, KEPT_ERRORS - len(job.errors))
        job.errors = [*job.errors, *(_as_item(e) for e in done.errors[:room])]
        job.error_count += len(done.errors)
        job.rejected += done.totals.rejected
        job.heartbeat_at = clock()
        if checking:
            job.rows_read += done.totals.read
            job.will_create += done.totals.created
            job.will_update += done.totals.updated
            job.will_keep += done.totals.unchanged
        else:
            job.last_row = done.totals.last_row
            job.created += done.totals.created
            job.updated += done.totals.updated
            job.unchanged += done.totals.unchanged
        session.add(job)

    try:
        outcome = import_register(
            engine=engine, source=io.BytesIO(content), office_id=job.office_id, now=now,
            write=not checking, staff=staff, name=job.filename, after=after, on_chunk=progress,
        )  # fmt: skip
    except DomainError as exc:
        # The file is no list, or the uploader may no longer import: said on the page.
        with unit_of_work(engine) as session:
            job = session.get_one(RegisterImport, import_id)
            job.status, job.finished_at = "failed", clock()
            job.problem = exc.as_dict()["message"][:500]
            session.add(job)
            _drop_file(session, import_id)
        return
    with unit_of_work(engine) as session:
        job = session.get_one(RegisterImport, import_id)
        job.ignored_columns = ", ".join(outcome.ignored)[:500]
        job.heartbeat_at = clock()
        if checking:
            job.status = "checked"
        else:
            job.status, job.finished_at = "done", clock()
            _drop_file(session, import_id)
        session.add(job)


def _as_item(error: RowError) -> dict[str, Any]:
    return {"row": error.row, "column": error.column, "message": error.message}


__all__ = [
    "CHUNK",
    "COLUMNS",
    "Kpm",
    "Outcome",
    "Totals",
    "apply_chunk",
    "cancel",
    "check_row",
    "chunks",
    "claim",
    "confirm",
    "import_for_staff",
    "import_register",
    "is_stalled",
    "new_import",
    "read_sheet",
    "recent_imports",
    "resume",
    "work",
]
