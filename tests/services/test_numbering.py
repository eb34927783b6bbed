"""Numbers that do not run out: per office, per year, past any width, and never twice."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from models import Complaint, NumberCounter, Office
from services.catalogue import load_catalogue
from services.catalogue_sync import apply_catalogue
from services.complaints import ClockPolicy, NewComplaint, complaint_by_number, file_complaint
from services.numbering import (
    COMPLAINT_PREFIX,
    complaint_number,
    next_number,
    parse_number,
    proposal_number,
)

# Monday 23 November 2026, 09:00 WITA.
RECEIVED = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
BUTON_TENGAH, BONE, BEKASI = "74.14", "73.08", "32.75"


@pytest.fixture
def offices(session: Session) -> dict[str, Office]:
    apply_catalogue(session=session, catalogue=load_catalogue())
    found = {o.code: o for o in session.exec(select(Office)).all()}
    session.commit()  # and holds no transaction (on SQLite, the write lock) for the writers
    return found


def _walk_in(session: Session, office: Office, now: datetime = RECEIVED) -> Complaint:
    complaint = file_complaint(
        session=session,
        data=NewComplaint(
            office_id=office.id or 0,
            category="lainnya",
            description="Nama saya belum masuk daftar penerima.",
            channel="walk_in",
            complainant_contact="0812-3456-7002",
        ),
        now=now,
        policy=ClockPolicy(),
    )
    session.commit()
    return complaint


class TestReadingANumber:
    def test_new_and_old_complaint_numbers_as_people_type_them(self) -> None:
        typed = {
            "ADU-BTG-2026-00123": "ADU-BTG-2026-00123",
            "adu-btg-2026-00123": "ADU-BTG-2026-00123",
            "ADU BTG 2026 123": "ADU-BTG-2026-00123",
            " adu / btg / 2026 / 00123 ": "ADU-BTG-2026-00123",
            "ADU\u2013BTG\u20132026\u2013100000": "ADU-BTG-2026-100000",  # a phone's en dash
            "ADU-2026-00012": "ADU-2026-00012",  # from before per-office numbers
            "adu 2026 12": "ADU-2026-00012",
            "ADU-2026-0000012": "ADU-2026-00012",
        }
        for typed_text, stored in typed.items():
            assert complaint_number(typed_text) == stored, typed_text

    def test_proposal_numbers_old_and_new(self) -> None:
        assert proposal_number("uep lmd 2026 7") == "UEP-LMD-2026-0007"
        assert proposal_number("KUBE-2026-0004") == "KUBE-2026-0004"
        assert proposal_number("benang-mgr-2026-12345") == "BENANG-MGR-2026-12345"

    def test_what_is_no_number(self) -> None:
        for other in ("ADU-2026", "ADU-BTG-26-1", "ADU-BTG-2026-1x", "T-ADU-1", "halo", ""):
            assert complaint_number(other) is None, other
        # Each kind of number is only itself.
        assert complaint_number("UEP-LMD-2026-0007") is None
        assert proposal_number("ADU-BTG-2026-00001") is None
        number = parse_number("ADU-BTG-2026-00001")
        assert number is not None and number.office == "BTG" and number.sequence == 1


class TestCounting:
    def test_each_office_counts_its_own_complaints_from_one(
        self, session: Session, offices: dict[str, Office]
    ) -> None:
        first_buton = _walk_in(session, offices[BUTON_TENGAH])
        first_bone = _walk_in(session, offices[BONE])
        second_buton = _walk_in(session, offices[BUTON_TENGAH])
        assert first_buton.number == "ADU-BTG-2026-00001"
        assert first_bone.number == "ADU-BON-2026-00001"
        assert second_buton.number == "ADU-BTG-2026-00002"

    def test_the_hundred_thousandth_complaint_of_a_year_gets_six_digits(
        self, session: Session, offices: dict[str, Office]
    ) -> None:
        office = offices[BUTON_TENGAH]
        session.add(
            NumberCounter(
                prefix=COMPLAINT_PREFIX, office_id=office.id or 0, year=2026, value=99_999
            )
        )
        session.commit()
        complaint = _walk_in(session, office)
        assert complaint.number == "ADU-BTG-2026-100000"
        assert complaint_by_number(session=session, number="adu btg 2026 100000") == complaint
        assert _walk_in(session, office).number == "ADU-BTG-2026-100001"

    def test_a_new_year_on_the_offices_own_calendar_starts_again_at_one(
        self, session: Session, offices: dict[str, Office]
    ) -> None:
        office = offices[BUTON_TENGAH]
        assert _walk_in(session, office).number == "ADU-BTG-2026-00001"
        # 31 December 17:00 UTC is already 1 January 01:00 in Buton Tengah (WITA).
        new_year = datetime(2026, 12, 31, 17, 0, tzinfo=UTC)
        assert _walk_in(session, office, new_year).number == "ADU-BTG-2027-00001"

    def test_offices_running_the_same_programme_kind_number_apart(
        self, session: Session, offices: dict[str, Office]
    ) -> None:
        numbers = [
            next_number(session, prefix="KUBE", office=offices[code], now=RECEIVED, width=4)
            for code in (BONE, BEKASI, BONE)
        ]
        assert numbers == ["KUBE-BON-2026-0001", "KUBE-BKS-2026-0001", "KUBE-BON-2026-0002"]

    def test_a_filing_rolled_back_gives_its_number_back(
        self, session: Session, offices: dict[str, Office]
    ) -> None:
        office = offices[BUTON_TENGAH]
        next_number(session, prefix=COMPLAINT_PREFIX, office=office, now=RECEIVED, width=5)
        session.rollback()
        assert _walk_in(session, office).number == "ADU-BTG-2026-00001"

    def test_writers_filing_at_once_never_share_a_number(
        self, engine: Engine, session: Session, offices: dict[str, Office]
    ) -> None:
        office = offices[BUTON_TENGAH]
        writers = 8
        barrier = threading.Barrier(writers)
        numbers: list[str] = []
        errors: list[BaseException] = []

        def file_one() -> None:
            try:
                with Session(engine) as own:
                    barrier.wait(timeout=30)
                    numbers.append(_walk_in(own, office).number)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=file_one) for _ in range(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert errors == []
        assert sorted(numbers) == [f"ADU-BTG-2026-{n:05d}" for n in range(1, writers + 1)]

    def test_a_second_session_waits_for_the_first_and_takes_the_next(
        self, engine: Engine, session: Session, offices: dict[str, Office]
    ) -> None:
        office = offices[BUTON_TENGAH]
        first = Session(engine)
        taken = next_number(first, prefix=COMPLAINT_PREFIX, office=office, now=RECEIVED, width=5)
        later: list[str] = []

        def file_second() -> None:
            with Session(engine) as second:
                later.append(_walk_in(second, office).number)

        thread = threading.Thread(target=file_second)
        thread.start()
        if engine.dialect.name == "postgresql":
            _until_waiting_on_the_counter(session)
            assert later == []
        first.commit()
        first.close()
        thread.join(30)
        assert (taken, later) == ("ADU-BTG-2026-00001", ["ADU-BTG-2026-00002"])


def _until_waiting_on_the_counter(session: Session) -> None:
    """Return once another PostgreSQL session waits for a lock in a statement on the counter."""
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        " AND query LIKE '%number_counter%' AND pid <> pg_backend_pid()"
    )
    for _ in range(3000):
        if session.execute(waiting).scalar_one():
            session.rollback()
            return
        session.rollback()
        threading.Event().wait(0.01)
    raise AssertionError("the second writer never waited on the counter")
