"""Spreadsheets of people and proposals, imported all or nothing.

Staff keep these lists in Excel or LibreOffice and save them as CSV, so the reader accepts
what those programs write in Indonesia: ``;`` as often as ``,`` between cells, a UTF-8 byte
order mark, dates written day first, and header names in Indonesian. Every row is checked
and then written through the same service functions a single registration uses, inside one
savepoint: if any row is wrong the report names every bad row (numbered as the spreadsheet
shows them, header = row 1) and nothing is kept.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

import messages
from models import StaffUser
from services import audit
from services.catalogue import MARITAL_STATUSES, Catalogue
from services.errors import DomainError, InvalidInput
from services.nik import normalise
from services.persons import GroupIn, PersonIn, person_by_nik, register_group, register_person
from services.proposals import create_proposal
from services.roles import CASE_WRITERS
from services.staff import require_role

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# Columns many spreadsheets carry that mean nothing to us (a running number).
IGNORED_COLUMNS = frozenset({"no", "nomor", "no_urut"})

PERSON_COLUMNS: dict[str, str] = {
    "nik": "nik",
    "no_kk": "kk_number",
    "nama": "name",
    "tempat_lahir": "birth_place",
    "tanggal_lahir": "birth_date",
    "jenis_kelamin": "sex",
    "status_perkawinan": "marital_status",
    "pendidikan": "education",
    "pekerjaan": "occupation",
    "alamat": "address",
    "desa": "desa",
    "kecamatan": "kecamatan",
    "telepon": "phone",
    "terdaftar": "registries",
}
PERSON_REQUIRED = ("nik", "no_kk", "nama", "tanggal_lahir", "jenis_kelamin", "status_perkawinan")
PROPOSAL_COLUMNS = ("program", "nik_pemohon", "nama_kelompok", "nik_anggota", "catatan")
PROPOSAL_REQUIRED = ("program",)

# How spreadsheets write sex and marital status (after header-style folding), shared with the
# KPM register (services/register_import.py).
SEX_WORDS = {
    "l": "L",
    "lk": "L",
    "laki_laki": "L",
    "lakilaki": "L",
    "pria": "L",
    "p": "P",
    "pr": "P",
    "perempuan": "P",
    "wanita": "P",
}
MARITAL_WORDS = {s: s for s in MARITAL_STATUSES} | {
    "belum_menikah": "belum_kawin",
    "menikah": "kawin",
    "janda": "cerai_mati",
    "duda": "cerai_mati",
}
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SCIENTIFIC = re.compile(r"^\d[.,]\d+[eE]\+?\d+$")
_LIST_SEPARATORS = re.compile(r"[|,;\s]+")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    key: str
    message: str
    message_en: str

    @classmethod
    def of(cls, row: int, column: str, key: str, /, **params: Any) -> RowError:
        return cls(
            row,
            column,
            key,
            messages.render(key, "id", **params),
            messages.render(key, "en", **params),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "error": self.key,
            "message": self.message,
            "message_en": self.message_en,
        }


@dataclass
class ImportResult:
    imported: int = 0
    numbers: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Table:
    rows: list[tuple[int, dict[str, str]]]  # (spreadsheet row number, cells by column)
    errors: list[RowError]


def _header_name(raw: str) -> str:
    return re.sub(r"[\s\-]+", "_", raw.strip().lower())


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def read_table(data: bytes, *, known: tuple[str, ...], required: tuple[str, ...]) -> Table:
    """Decode and split a CSV; file-level problems raise, row-level ones are collected."""
    if len(data) > MAX_BYTES:
        raise InvalidInput("api.csv.too_large", max_kb=MAX_BYTES // 1024, max_rows=MAX_ROWS)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("error.csv_encoding") from None
    if not text.strip():
        raise InvalidInput("error.csv_empty")
    if "\x00" in text:
        # NUL bytes mean a binary file (often an .xlsx renamed), and no database stores them.
        raise InvalidInput("error.csv_encoding")

    delimiter = _delimiter(text.lstrip().splitlines()[0])
    reader = csv.reader(io.StringIO(text.lstrip("\r\n")), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise InvalidInput("api.csv.malformed", problem=str(exc)) from None

    header = [_header_name(h) for h in records[0]]
    named = [h for h in header if h]
    duplicated = sorted({h for h in named if named.count(h) > 1})
    if duplicated:
        raise InvalidInput("api.csv.duplicate_columns", columns=", ".join(duplicated))
    unknown = [h for h in named if h not in known and h not in IGNORED_COLUMNS]
    if unknown:
        raise InvalidInput(
            "api.csv.unknown_columns", columns=", ".join(unknown), known=", ".join(known)
        )
    missing = [c for c in required if c not in header]
    if missing:
        raise InvalidInput("error.csv_header", columns=", ".join(missing))

    rows: list[tuple[int, dict[str, str]]] = []
    errors: list[RowError] = []
    for number, cells in enumerate(records[1:], start=2):
        if not any(c.strip() for c in cells):
            continue  # blank lines spreadsheets leave at the end, still counted as rows
        if any(c.strip() for c in cells[len(header) :]):
            errors.append(RowError.of(number, "", "api.csv.too_many_cells"))
            continue
        values = {h: c.strip() for h, c in zip(header, cells, strict=False) if h in known}
        rows.append((number, {c: values.get(c, "") for c in known}))
    if not rows and not errors:
        raise InvalidInput("error.csv_empty")
    if len(rows) > MAX_ROWS:
        raise InvalidInput("api.csv.too_large", max_kb=MAX_BYTES // 1024, max_rows=MAX_ROWS)
    return Table(rows, errors)


def parse_date(value: str) -> date | None:
    """dd-mm-yyyy, dd/mm/yyyy, dd.mm.yyyy (day first, as Indonesians write) or yyyy-mm-dd."""
    if match := _ISO.match(value):
        year, month, day = (int(p) for p in match.groups())
    elif match := _DAY_FIRST.match(value):
        day, month, year = (int(p) for p in match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _identity_number(row: int, column: str, value: str, errors: list[RowError]) -> str:
    # Spreadsheets keep long numbers as text behind a leading apostrophe.
    value = value.removeprefix("'")
    if _SCIENTIFIC.match(value):
        errors.append(
            RowError.of(row, column, "api.csv.nik_scientific", column=column, value=value)
        )
    return value


def _validation_errors(
    row: int, exc: ValidationError, columns: dict[str, str]
) -> Iterator[RowError]:
    for item in exc.errors(include_url=False):
        field_name = str(item["loc"][0]) if item["loc"] else ""
        column = columns.get(field_name, field_name)
        yield RowError.of(row, column, "api.csv.invalid_value", column=column, problem=item["msg"])


def _person_from_row(row: int, cells: dict[str, str]) -> tuple[PersonIn | None, list[RowError]]:
    errors: list[RowError] = []
    for column in PERSON_REQUIRED:
        if not cells[column]:
            errors.append(RowError.of(row, column, "api.csv.required", column=column))
    if errors:
        return None, errors
    nik = _identity_number(row, "nik", cells["nik"], errors)
    kk = _identity_number(row, "no_kk", cells["no_kk"], errors)
    birth_date = parse_date(cells["tanggal_lahir"])
    if birth_date is None:
        errors.append(
            RowError.of(row, "tanggal_lahir", "api.csv.date", value=cells["tanggal_lahir"])
        )
    sex = SEX_WORDS.get(_header_name(cells["jenis_kelamin"]))
    if sex is None:
        errors.append(
            RowError.of(row, "jenis_kelamin", "api.csv.sex", value=cells["jenis_kelamin"])
        )
    marital = MARITAL_WORDS.get(_header_name(cells["status_perkawinan"]))
    if marital is None:
        errors.append(
            RowError.of(
                row,
                "status_perkawinan",
                "api.csv.marital_status",
                value=cells["status_perkawinan"],
                allowed=", ".join(MARITAL_STATUSES),
            )
        )
    if errors:
        return None, errors
    data: dict[str, Any] = {PERSON_COLUMNS[c]: v for c, v in cells.items() if v}
    data |= {
        "nik": nik,
        "kk_number": kk,
        "birth_date": birth_date,
        "sex": sex,
        "marital_status": marital,
        "registries": [r for r in _LIST_SEPARATORS.split(cells["terdaftar"]) if r],
    }
    try:
        return PersonIn.model_validate(data), []
    except ValidationError as exc:
        fields = {v: k for k, v in PERSON_COLUMNS.items()}
        return None, list(_validation_errors(row, exc, fields))


def _person_error_column(key: str) -> str:
    if key == "identity.nik.birth_mismatch":
        return "tanggal_lahir"
    if key == "identity.nik.sex_mismatch":
        return "jenis_kelamin"
    if key.startswith("identity.kk."):
        return "no_kk"
    if key.startswith("identity.nik.") or key == "error.duplicate_nik":
        return "nik"
    return ""


def _from_domain(row: int, exc: DomainError, column: Callable[[str], str]) -> RowError:
    body = exc.as_dict()
    return RowError(row, column(exc.key), exc.key, body["message"], body["message_en"])


def _all_or_nothing(session: Session, errors: list[RowError], write: Callable[[], None]) -> None:
    """Run ``write`` in a savepoint; any row error rolls all of it back and raises the report."""
    outer = session.begin_nested()
    try:
        write()
    except BaseException:
        outer.rollback()
        raise
    if errors:
        outer.rollback()
        errors.sort(key=lambda e: (e.row, e.column))
        raise InvalidInput(
            "api.csv.invalid",
            count=len(errors),
            rows=len({e.row for e in errors}),
            details=[e.as_dict() for e in errors],
        )
    outer.commit()


def _in_savepoint(session: Session, action: Callable[[], None]) -> None:
    # One row's failure must not abort the transaction the other rows are checked in
    # (PostgreSQL refuses every statement after an error until a rollback).
    savepoint = session.begin_nested()
    try:
        action()
    except BaseException:
        savepoint.rollback()
        raise
    savepoint.commit()


def import_persons(
    *, session: Session, staff: StaffUser, data: bytes, now: datetime
) -> ImportResult:
    require_role(staff, CASE_WRITERS)
    table = read_table(data, known=tuple(PERSON_COLUMNS), required=PERSON_REQUIRED)
    errors = list(table.errors)
    parsed: list[tuple[int, PersonIn]] = []
    seen: dict[str, int] = {}
    for row, cells in table.rows:
        person, row_errors = _person_from_row(row, cells)
        errors.extend(row_errors)
        if person is None:
            continue
        nik = normalise(person.nik)
        if nik in seen:
            errors.append(
                RowError.of(row, "nik", "api.csv.duplicate_in_file", nik=nik, other=seen[nik])
            )
            continue
        seen[nik] = row
        parsed.append((row, person))

    result = ImportResult()

    def write() -> None:
        for row, person_in in parsed:

            def one(row: int = row, person_in: PersonIn = person_in) -> None:
                person = register_person(
                    session=session, office_id=staff.office_id, data=person_in, now=now
                )
                audit.record(
                    session=session,
                    action="import",
                    entity="person",
                    entity_id=person.id,
                    now=now,
                    staff=staff,
                    detail=f"CSV row {row}",
                )

            try:
                _in_savepoint(session, one)
                result.imported += 1
            except DomainError as exc:
                errors.append(_from_domain(row, exc, _person_error_column))

    _all_or_nothing(session, errors, write)
    return result


def _proposal_error_column(applicant_column: str) -> Callable[[str], str]:
    def column(key: str) -> str:
        if key in {
            "error.not_found",
            "error.programme_inactive",
            "error.applicant_kind",
        }:
            return "program"
        if key in {"error.group_member_missing", "error.ineligible"}:
            return applicant_column
        return ""

    return column


def _proposal_row(
    session: Session,
    staff: StaffUser,
    catalogue: Catalogue,
    row: int,
    cells: dict[str, str],
    now: datetime,
) -> tuple[str | None, list[RowError]]:
    """File one row's proposal; its number, or the row's errors."""
    code = cells["program"]
    if not code:
        return None, [RowError.of(row, "program", "api.csv.required", column="program")]
    spec = catalogue.programme(code)
    if spec is None:
        return None, [RowError.of(row, "program", "error.not_found", what=f"Program {code}")]
    is_person = bool(cells["nik_pemohon"])
    is_group = bool(cells["nama_kelompok"] or cells["nik_anggota"])
    if is_person == is_group or (
        is_group and not (cells["nama_kelompok"] and cells["nik_anggota"])
    ):
        return None, [RowError.of(row, "nik_pemohon", "api.csv.applicant")]
    if len(cells["catatan"]) > 500:
        return None, [
            RowError.of(row, "catatan", "api.csv.invalid_value", column="catatan", problem="> 500")
        ]
    applicant_column = "nik_pemohon" if is_person else "nik_anggota"
    column_of = _proposal_error_column(applicant_column)
    errors: list[RowError] = []
    person_id: int | None = None
    group_id: int | None = None

    if is_person:
        nik = normalise(_identity_number(row, "nik_pemohon", cells["nik_pemohon"], errors))
        person = person_by_nik(session=session, nik=nik)
        # Another office's person reads as unknown: an import must not reveal who is where.
        if person is None or person.office_id != staff.office_id:
            errors.append(RowError.of(row, "nik_pemohon", "api.csv.person_missing", nik=nik))
            return None, errors
        person_id = person.id
    else:
        niks = [
            normalise(n)
            for n in _LIST_SEPARATORS.split(
                _identity_number(row, "nik_anggota", cells["nik_anggota"], errors)
            )
            if n
        ]
        if errors:
            return None, errors
        chair = person_by_nik(session=session, nik=niks[0]) if niks else None
        try:
            group_in = GroupIn(
                name=cells["nama_kelompok"],
                kind=spec.kind,
                desa=chair.desa if chair else "",
                kecamatan=chair.kecamatan if chair else "",
                member_niks=niks,
            )
        except ValidationError as exc:
            columns = {"name": "nama_kelompok", "member_niks": "nik_anggota"}
            return None, list(_validation_errors(row, exc, columns))
        try:
            group = register_group(
                session=session, office_id=staff.office_id, data=group_in, now=now
            )
        except DomainError as exc:
            if exc.key == "error.group_member_missing":
                return None, [
                    RowError.of(row, "nik_anggota", "api.csv.person_missing", nik=d["nik"])
                    for d in exc.details
                ]
            raise
        group_id = group.id

    try:
        proposal = create_proposal(
            session=session,
            staff=staff,
            catalogue=catalogue,
            programme_code=code,
            now=now,
            person_id=person_id,
            group_id=group_id,
            note=cells["catatan"],
        )
    except DomainError as exc:
        if exc.key == "error.ineligible":
            return None, [
                RowError(row, applicant_column, d["error"], d["message"], d["message_en"])
                for d in exc.details
            ]
        return None, [_from_domain(row, exc, column_of)]
    audit.record(
        session=session,
        action="import",
        entity="proposal",
        entity_id=proposal.id,
        now=now,
        staff=staff,
        detail=f"{proposal.number} from CSV row {row}",
    )
    return proposal.number, []


def import_proposals(
    *, session: Session, staff: StaffUser, catalogue: Catalogue, data: bytes, now: datetime
) -> ImportResult:
    require_role(staff, CASE_WRITERS)
    table = read_table(data, known=PROPOSAL_COLUMNS, required=PROPOSAL_REQUIRED)
    errors = list(table.errors)
    result = ImportResult()

    def write() -> None:
        for row, cells in table.rows:
            outcome: list[tuple[str | None, list[RowError]]] = []

            def one(
                row: int = row,
                cells: dict[str, str] = cells,
                outcome: list[tuple[str | None, list[RowError]]] = outcome,
            ) -> None:
                number, row_errors = _proposal_row(session, staff, catalogue, row, cells, now)
                outcome.append((number, row_errors))
                if row_errors:
                    # Undo this row's half-made group, so later rows see the database as
                    # if the row had never been read.
                    raise _RowFailed

            try:
                _in_savepoint(session, one)
            except _RowFailed:
                pass  # the row's errors are already in `outcome`; only its writes are undone
            except DomainError as exc:
                errors.append(_from_domain(row, exc, lambda _key: ""))
                continue
            number, row_errors = outcome[0]
            errors.extend(row_errors)
            if number:
                result.imported += 1
                result.numbers.append(number)

    _all_or_nothing(session, errors, write)
    return result


class _RowFailed(Exception):
    """Internal: roll back one row's savepoint after its errors are collected."""


__all__ = ["ImportResult", "RowError", "import_persons", "import_proposals", "parse_date"]
