"""The KPM register: Buton Tengah's list of BPNT families (the SOP's data of a KPM: head of
the family, spouse, members, address, NIK, DTKS id, KKS card, phone) imported in CSV and XLSX,
on both databases. Good rows go in, bad rows are named by number and reason, a list imported
again updates the same people, and chunks commit one at a time."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from core.db import unit_of_work
from models import AuditLog, Office, Person, RegisterImport, RegisterImportFile, StaffUser
from services import register_import as register
from services.errors import Conflict, Forbidden, InvalidInput
from services.nik import make_nik
from tests import privacy_world as build

NOW = build.NOW
KK = "7414010101200001"
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
    "Desa/Kelurahan",
    "Kecamatan",
    "No. HP",
]


def nik(serial: int, *, sex: str = "P", born: date = date(1985, 3, 4)) -> str:
    return make_nik("74.14", 1, born, sex, serial)


def family(serial: int, **changes: Any) -> dict[str, Any]:
    row = {
        "No": str(serial),
        "NIK": nik(serial),
        "No. KK": KK,
        "Nama Kepala Keluarga": f"Wa Ode Sitti {serial}",
        "Nama Pasangan": "La Ode Ali",
        "Anggota Keluarga": "Ani; Budi",
        "ID DTKS": f"7414-{serial:06d}",
        "No. KKS": "6013 0112 3456 7890",
        "Alamat": "Jl. Poros Lakudo",
        "Desa/Kelurahan": "Lakudo",
        "Kecamatan": "Lakudo",
        "No. HP": f"0812-7000-{serial:04d}",
    }
    return row | changes


def as_csv(rows: list[dict[str, Any]], *, delimiter: str = ";", title: bool = True) -> bytes:
    """As a spreadsheet program saves it: a title row above the headers, quotes where needed."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    if title:
        writer.writerow(["DAFTAR KPM BPNT KABUPATEN BUTON TENGAH", "", "", ""])
    header = list(rows[0]) if rows else HEADER
    writer.writerow(header)
    writer.writerows([str(r.get(h, "")) for h in header] for r in rows)
    return out.getvalue().encode()


@pytest.fixture
def office(engine: Engine) -> Iterator[Office]:
    with unit_of_work(engine) as session:
        offices = build.offices(session)
    yield offices["buton-tengah"]


def run(
    engine: Engine, office: Office, data: bytes, *, write: bool = True, **kwargs: Any
) -> register.Outcome:
    return register.import_register(
        engine=engine, source=io.BytesIO(data), office_id=office.id or 0, now=NOW,
        write=write, actor="cli", name="daftar.csv", **kwargs,
    )  # fmt: skip


def persons(engine: Engine) -> dict[str, Person]:
    with Session(engine) as session:
        return {p.nik: p for p in session.exec(select(Person)).all()}


class TestACsvList:
    def test_each_family_is_registered_with_its_household(
        self, engine: Engine, office: Office
    ) -> None:
        outcome = run(engine, office, as_csv([family(1), family(2, **{"Nama Pasangan": ""})]))

        assert (outcome.totals.created, outcome.totals.rejected, outcome.error_count) == (2, 0, 0)
        on_file = persons(engine)
        sitti = on_file[nik(1)]
        assert sitti.office_id == office.id
        assert sitti.name == sitti.head_of_family == "Wa Ode Sitti 1"
        assert (sitti.spouse_name, sitti.household_members) == ("La Ode Ali", "Ani; Budi")
        assert (sitti.dtks_id, sitti.kks_number) == ("7414-000001", "6013011234567890")
        assert (sitti.address, sitti.desa, sitti.kecamatan) == (
            "Jl. Poros Lakudo",
            "Lakudo",
            "Lakudo",
        )
        assert (sitti.phone, sitti.phone_e164) == ("0812-7000-0001", "+6281270000001")
        # What the NIK says, and what a named spouse says.
        assert (sitti.birth_date, sitti.sex, sitti.kecamatan_code) == (
            date(1985, 3, 4), "P", "74.14.01",
        )  # fmt: skip
        assert sitti.marital_status == "kawin"
        assert sitti.registries == "DTKS"
        assert on_file[nik(2)].marital_status == ""  # the list does not say

    def test_phones_are_read_as_indonesian_numbers_in_e164(
        self, engine: Engine, office: Office
    ) -> None:
        written = ["+62 812-7000-0001", "6281270000002", "(0401) 312 3456", "81270000004"]
        rows = [family(i + 1, **{"No. HP": phone}) for i, phone in enumerate(written)]
        run(engine, office, as_csv(rows))
        on_file = persons(engine)
        assert [on_file[nik(i + 1)].phone_e164 for i in range(4)] == [
            "+6281270000001", "+6281270000002", "+624013123456", "+6281270000004",
        ]  # fmt: skip
        assert on_file[nik(1)].phone == "+62 812-7000-0001"  # as written

    def test_bad_rows_are_named_and_the_good_ones_go_in(
        self, engine: Engine, office: Office
    ) -> None:
        with unit_of_work(engine) as session:
            bone = build.offices(session)["bone"]
            elsewhere = build.person(session, bone, 77)
            elsewhere_nik = elsewhere.nik
        rows = [
            family(1),
            family(2, **{"No. HP": "bukan nomor"}),  # row 4: the title is row 1
            family(3, NIK="12345"),
            family(4, NIK=nik(1)),  # the same family twice
            family(5, **{"Nama Kepala Keluarga": ""}),
            family(6, NIK=elsewhere_nik),
            family(7, **{"No. KKS": "KKS-1"}),
            family(8, **{"No. KK": "7,41401E+15"}),
            family(9),
        ]
        outcome = run(engine, office, as_csv(rows))

        assert (outcome.totals.read, outcome.totals.created, outcome.totals.rejected) == (9, 2, 7)
        found = {(e.row, e.column, e.key) for e in outcome.errors}
        assert found == {
            (4, "telepon", "register.row.phone"),
            (5, "nik", "identity.nik.length"),
            (6, "nik", "register.row.duplicate_in_file"),
            (7, "nama", "register.row.required"),
            (8, "nik", "register.row.other_office"),
            (9, "no_kks", "register.row.kks"),
            (10, "no_kk", "register.row.number_cell"),
        }
        duplicate = next(e for e in outcome.errors if e.row == 6)
        assert "baris 3" in duplicate.message
        # A report names rows, never a NIK.
        for error in outcome.errors:
            assert not any(n in error.message for n in (nik(1), elsewhere_nik))
        assert set(persons(engine)) == {nik(1), nik(9), elsewhere_nik}
        with Session(engine) as session:
            untouched = session.exec(select(Person).where(Person.nik == elsewhere_nik)).one()
        assert untouched.office_id == bone.id and untouched.name == "Wa Ode Sitti"

    def test_a_birth_date_or_sex_given_must_match_the_nik(
        self, engine: Engine, office: Office
    ) -> None:
        rows = [
            family(1, **{"Tanggal Lahir": "04-03-1985", "L/P": "P"}),
            family(2, **{"Tanggal Lahir": "05-03-1985", "L/P": "P"}),
            family(3, **{"Tanggal Lahir": "04-03-1985", "L/P": "L"}),
            family(4, **{"Tanggal Lahir": "kemarin", "L/P": "P"}),
        ]
        outcome = run(engine, office, as_csv(rows))
        assert {(e.row, e.key) for e in outcome.errors} == {
            (4, "identity.nik.birth_mismatch"),
            (5, "identity.nik.sex_mismatch"),
            (6, "register.row.date"),
        }

    def test_windows_1252_lines_and_comma_separated_files_are_read(
        self, engine: Engine, office: Office
    ) -> None:
        data = as_csv([family(1, **{"Nama Kepala Keluarga": "Ma’ruf"})], delimiter=",")
        outcome = run(engine, office, data.decode().encode("cp1252"))
        assert outcome.totals.created == 1
        assert persons(engine)[nik(1)].name == "Ma’ruf"

    def test_unknown_columns_are_ignored_and_named(self, engine: Engine, office: Office) -> None:
        outcome = run(engine, office, as_csv([family(1, Provinsi="Sultra", RT="002")]))
        assert outcome.totals.created == 1
        assert outcome.ignored == ("Provinsi", "RT")


class TestImportingAgain:
    def test_updates_the_same_people_and_keeps_what_an_empty_cell_says_nothing_of(
        self, engine: Engine, office: Office
    ) -> None:
        run(engine, office, as_csv([family(1), family(2)]))
        first = persons(engine)

        again = [
            family(1, **{"No. HP": "0813-1111-2222", "Anggota Keluarga": "", "Alamat": ""}),
            family(2),
            family(3),
        ]
        outcome = run(engine, office, as_csv(again))

        totals = outcome.totals
        assert (totals.created, totals.updated, totals.unchanged) == (1, 1, 1)
        on_file = persons(engine)
        assert len(on_file) == 3
        sitti = on_file[nik(1)]
        assert sitti.id == first[nik(1)].id
        assert (sitti.phone, sitti.phone_e164) == ("0813-1111-2222", "+6281311112222")
        assert sitti.household_members == "Ani; Budi"
        assert sitti.address == "Jl. Poros Lakudo"
        with Session(engine) as session:
            trail = session.exec(
                select(AuditLog.detail).where(
                    AuditLog.entity == "person", AuditLog.entity_id == sitti.id
                )
            ).all()
        assert trail == [
            "KPM register daftar.csv row 3: created",
            "KPM register daftar.csv row 3: updated",
        ]

    def test_registries_and_a_known_marital_status_are_kept(
        self, engine: Engine, office: Office
    ) -> None:
        with unit_of_work(engine) as session:
            widow = build.person(session, office, 5)
            widow.registries, widow.marital_status = "PMKS", "cerai_mati"
            session.add(widow)
            widow_nik = widow.nik
        row = family(5, NIK=widow_nik, **{"No. KK": widow.kk_number})
        run(engine, office, as_csv([row]))
        after = persons(engine)[widow_nik]
        assert after.registries == "DTKS,PMKS"
        assert after.marital_status == "cerai_mati"
        assert after.name == "Wa Ode Sitti 5"

    def test_the_audit_trail_has_the_import_in_counts_without_a_nik(
        self, engine: Engine, office: Office
    ) -> None:
        run(engine, office, as_csv([family(1), family(2, NIK="1")]))
        with Session(engine) as session:
            summary = session.exec(
                select(AuditLog).where(AuditLog.entity == "office", AuditLog.action == "import")
            ).one()
            details = session.exec(select(AuditLog.detail)).all()
        assert summary.actor == "cli" and summary.entity_id == office.id
        assert summary.detail == (
            "KPM register daftar.csv: 2 rows, 1 created, 0 updated, 0 unchanged, 1 rejected"
        )
        assert not any(nik(1) in d for d in details)


class TestChecking:
    def test_a_check_writes_nothing_and_says_what_an_import_would_do(
        self, engine: Engine, office: Office
    ) -> None:
        run(engine, office, as_csv([family(1)]))
        outcome = run(
            engine, office,
            as_csv([family(1), family(2), family(3, **{"No. HP": "x"})]), write=False,
        )  # fmt: skip
        assert (outcome.totals.created, outcome.totals.unchanged, outcome.totals.rejected) == (
            1, 1, 1,
        )  # fmt: skip
        assert set(persons(engine)) == {nik(1)}


class TestChunks:
    def test_each_chunk_commits_alone_and_an_interrupted_import_goes_on_after_its_last(
        self, engine: Engine, office: Office
    ) -> None:
        rows = [family(i) for i in range(1, 8)]  # rows 3..9 of the file
        data = as_csv(rows)
        seen: list[int] = []

        def stop_at_the_third(session: Session, done: Any, totals: Any) -> None:
            seen.append(totals.last_row)
            if len(seen) == 3:
                raise RuntimeError("the server stops here")

        with pytest.raises(RuntimeError):
            run(engine, office, data, chunk_size=2, on_chunk=stop_at_the_third)
        # Two chunks of two rows committed; the third rolled back.
        assert seen == [4, 6, 8]
        assert set(persons(engine)) == {nik(1), nik(2), nik(3), nik(4)}

        outcome = run(engine, office, data, chunk_size=2, after=6)
        assert (outcome.totals.read, outcome.totals.created) == (3, 3)
        assert len(persons(engine)) == 7

    def test_a_duplicate_of_a_row_before_the_resumption_is_still_found(
        self, engine: Engine, office: Office
    ) -> None:
        data = as_csv([family(1), family(2), family(3, NIK=nik(1))])
        outcome = run(engine, office, data, chunk_size=1, after=4)
        assert [(e.row, e.key) for e in outcome.errors] == [(5, "register.row.duplicate_in_file")]


def xlsx(rows: list[list[Any]], *, merges: tuple[str, ...] = ()) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class TestAnXlsxList:
    def test_values_are_read_as_shown_with_title_rows_numbers_and_dates(
        self, engine: Engine, office: Office
    ) -> None:
        data = xlsx(
            [
                ["DAFTAR KPM BPNT"],
                ["NIK KPM", "Nomor KK", "Nama", "Tgl Lahir", "HP", "Desa", "Kecamatan"],
                [nik(1), KK, "Wa Ode Sitti", date(1985, 3, 4), 81270000001, "Lakudo", "Lakudo"],
                [int(nik(2)), int(KK) + 1, "Wa Ina", None, None, "Lakudo", "Lakudo"],
            ],
            merges=("A1:G1",),
        )
        outcome = run(engine, office, data)
        assert outcome.kind == "XLSX"
        assert (outcome.totals.created, outcome.error_count) == (2, 0)
        on_file = persons(engine)
        assert on_file[nik(1)].phone_e164 == "+6281270000001"
        assert on_file[nik(2)].kk_number == str(int(KK) + 1)

    def test_a_merged_desa_counts_for_every_row_it_spans_but_a_merge_across_columns_is_an_error(
        self, engine: Engine, office: Office
    ) -> None:
        data = xlsx(
            [
                ["NIK", "No KK", "Nama", "Desa", "Kecamatan"],
                [nik(1), KK, "Satu", "Lakudo", "Lakudo"],
                [nik(2), KK, "Dua", None, "Lakudo"],
                [nik(3), KK, "Tiga", None, "Lakudo"],
                [nik(4), KK, "Empat", "Mawasangka", None],
                [nik(5), KK, "Lima", "Wambuloli", "Mawasangka"],
            ],
            merges=("D2:D4", "D5:E5"),
        )
        outcome = run(engine, office, data)
        assert [(e.row, e.key) for e in outcome.errors] == [(5, "register.row.merged")]
        assert "desa, kecamatan" in outcome.errors[0].message
        on_file = persons(engine)
        assert [on_file[nik(i)].desa for i in (1, 2, 3)] == ["Lakudo"] * 3
        assert on_file[nik(5)].desa == "Wambuloli"
        assert nik(4) not in on_file

    def test_formulas_count_by_value_and_an_error_value_rejects_its_row(
        self, engine: Engine, office: Office
    ) -> None:
        data = xlsx(
            [
                ["NIK", "No KK", "Nama", "Kecamatan", "Telepon"],
                [nik(1), KK, "Satu", '=UPPER("lakudo")', "#N/A"],
                [nik(2), KK, "Dua", '=UPPER("lakudo")', None],
            ]
        )
        outcome = run(engine, office, data)
        assert [(e.row, e.column, e.key) for e in outcome.errors] == [
            (2, "telepon", "register.row.formula_error")
        ]
        # Written by a program that never computed it, the formula has no value to read.
        assert persons(engine)[nik(2)].kecamatan == ""

    def test_a_nik_stored_as_a_number_that_lost_its_last_digit_is_refused(
        self, engine: Engine, office: Office
    ) -> None:
        # Excel keeps 15 significant digits: the NIK's last digit comes back as 0.
        mangled = int(nik(1)) // 10 * 10
        data = xlsx([["NIK", "No KK", "Nama"], [mangled, KK, "Satu"], [int(nik(2)), KK, "Dua"]])
        outcome = run(engine, office, data)
        assert [(e.row, e.key) for e in outcome.errors] == [(2, "register.row.number_cell")]
        assert "Teks" in outcome.errors[0].message
        assert set(persons(engine)) == {nik(2)}


class TestFilesThatAreNoList:
    @pytest.mark.parametrize(
        ("data", "key"),
        [
            (b"", "register.file.empty"),
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "register.file.xls"),
            (b"PK\x03\x04not really a zip", "register.file.unreadable"),
            (b"nama;alamat\r\nSitti;Lakudo\r\n", "register.file.no_header"),
            (b"nik;nama\r\n7414014403850001;Sitti\r\n", "register.file.missing_columns"),
            (b"nik;nik kpm;no kk;nama\r\n", "register.file.duplicate_columns"),
            (b"\x89PNG\r\n\x1a\n\x00\x00", "register.file.not_a_list"),
        ],
    )
    def test_are_refused_before_anything_is_written(
        self, engine: Engine, office: Office, data: bytes, key: str
    ) -> None:
        with pytest.raises(InvalidInput) as refused:
            run(engine, office, data)
        assert refused.value.key == key
        assert persons(engine) == {}


class TestTheStaffPagesImport:
    def _staff(self, engine: Engine, office: Office, role: str) -> StaffUser:
        with unit_of_work(engine) as session:
            return build.staff(session, office, role, f"bt.{role}")

    def test_checked_in_the_background_then_imported_on_confirmation(
        self, engine: Engine, office: Office
    ) -> None:
        operator = self._staff(engine, office, "operator")
        data = as_csv([family(1), family(2, **{"No. HP": "x"})])
        with unit_of_work(engine) as session:
            job = register.new_import(
                session=session, staff=operator, filename="C:\\Data\\kpm.csv", content=data,
                now=NOW,
            )  # fmt: skip
            job_id = job.id or 0
        assert job.filename == "kpm.csv"

        assert register.claim(engine=engine, import_id=job_id, now=NOW)
        assert not register.claim(engine=engine, import_id=job_id, now=NOW)  # one worker only
        register.work(engine=engine, import_id=job_id, clock=lambda: NOW)
        with Session(engine) as session:
            checked = session.get_one(RegisterImport, job_id)
        assert checked.status == "checked"
        assert (checked.rows_read, checked.will_create, checked.rejected) == (2, 1, 1)
        assert checked.errors == [
            {"row": 4, "column": "telepon", "message": checked.errors[0]["message"]}
        ]
        assert persons(engine) == {}

        with unit_of_work(engine) as session:
            register.confirm(session=session, staff=operator, import_id=job_id, now=NOW)
        assert register.claim(engine=engine, import_id=job_id, now=NOW)
        register.work(engine=engine, import_id=job_id, clock=lambda: NOW)
        with Session(engine) as session:
            done = session.get_one(RegisterImport, job_id)
            kept_file = session.get(RegisterImportFile, job_id)
        assert (done.status, done.created, done.rejected, done.last_row) == ("done", 1, 1, 4)
        assert kept_file is None  # the list holds every family's NIK
        assert set(persons(engine)) == {nik(1)}

        with unit_of_work(engine) as session, pytest.raises(Conflict):
            register.confirm(session=session, staff=operator, import_id=job_id, now=NOW)

    def test_a_stalled_import_is_taken_on_again_and_goes_on_after_its_last_chunk(
        self, engine: Engine, office: Office
    ) -> None:
        operator = self._staff(engine, office, "operator")
        with unit_of_work(engine) as session:
            job = register.new_import(
                session=session, staff=operator, filename="kpm.csv",
                content=as_csv([family(1), family(2)]), now=NOW,
            )  # fmt: skip
            # As a worker leaves it when the server stops after the first row's chunk.
            job.status, job.last_row, job.created, job.heartbeat_at = "importing", 3, 1, NOW
            session.add(job)
            job_id = job.id or 0
        later = NOW + register.STALE_AFTER / 2
        assert not register.claim(engine=engine, import_id=job_id, now=later)
        with Session(engine) as session:
            assert not register.is_stalled(session.get_one(RegisterImport, job_id), later)
        much_later = NOW + register.STALE_AFTER + timedelta(seconds=1)
        with Session(engine) as session:
            assert register.is_stalled(session.get_one(RegisterImport, job_id), much_later)
        assert register.claim(engine=engine, import_id=job_id, now=much_later)
        register.work(engine=engine, import_id=job_id, clock=lambda: much_later)
        with Session(engine) as session:
            done = session.get_one(RegisterImport, job_id)
        assert (done.status, done.created, done.last_row) == ("done", 2, 4)
        # Row 3 was skipped: only row 4's family was written by this worker.
        assert set(persons(engine)) == {nik(2)}

    def test_an_unreadable_file_fails_with_its_reason_and_is_dropped(
        self, engine: Engine, office: Office
    ) -> None:
        operator = self._staff(engine, office, "operator")
        with unit_of_work(engine) as session:
            job = register.new_import(
                session=session, staff=operator, filename="kpm.xls",
                content=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", now=NOW,
            )  # fmt: skip
            job_id = job.id or 0
        register.claim(engine=engine, import_id=job_id, now=NOW)
        register.work(engine=engine, import_id=job_id, clock=lambda: NOW)
        with Session(engine) as session:
            failed = session.get_one(RegisterImport, job_id)
            assert session.get(RegisterImportFile, job_id) is None
        assert failed.status == "failed" and ".xlsx" in failed.problem

    def test_only_case_writers_of_the_office_import(self, engine: Engine, office: Office) -> None:
        officer = self._staff(engine, office, "complaint_officer")
        with unit_of_work(engine) as session, pytest.raises(Forbidden):
            register.new_import(
                session=session, staff=officer, filename="kpm.csv", content=b"x", now=NOW
            )
        with pytest.raises(Forbidden):
            register.import_register(
                engine=engine, source=io.BytesIO(as_csv([family(1)])), office_id=office.id or 0,
                now=NOW, write=True, staff=officer,
            )  # fmt: skip
        with unit_of_work(engine) as session:
            bone_operator = build.staff(session, build.offices(session)["bone"], "operator", "b.op")
        with pytest.raises(Forbidden):
            register.import_register(
                engine=engine, source=io.BytesIO(as_csv([family(1)])), office_id=office.id or 0,
                now=NOW, write=True, staff=bone_operator,
            )  # fmt: skip
        with Session(engine) as session:
            assert session.exec(select(func.count()).select_from(Person)).one() == 0
            assert session.exec(select(col(AuditLog.id))).all() == []
