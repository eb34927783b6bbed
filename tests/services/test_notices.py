"""Notices reach the people they are for, once; a reminder comes once; a cancellation is told."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from core.db import make_engine
from models import Conversation, Office, OutboxMessage, Person, Programme, Proposal
from services.catalogue import load_catalogue
from services.catalogue_sync import apply_catalogue
from services.errors import InvalidInput, NotFound
from services.nik import make_nik
from services.notices import NewNotice, cancel_notice, create_notice, sweep, upcoming
from services.roles import Role
from services.staff import create_staff

# Monday 23 November 2026, 09:00 WITA; the socialisation is on Thursday at 09:00 WITA.
NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
THURSDAY = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)


class Town:
    """Buton Tengah's people and their chats; one person of Bekasi for contrast."""

    def __init__(self, session: Session) -> None:
        apply_catalogue(session=session, catalogue=load_catalogue())
        offices = {o.code: o for o in session.exec(select(Office)).all()}
        self.buteng, bekasi = offices["74.14"], offices["32.75"]
        self.bpnt = session.exec(
            select(Programme).where(Programme.code == "bpnt-buton-tengah")
        ).one()
        self.operator = create_staff(
            session=session,
            office_id=self.buteng.id or 0,
            username="buteng.operator",
            full_name="Pak Operator",
            role=Role.OPERATOR,
            password="password-123",
        )
        rosmini = self._person(session, self.buteng, "Rosmini", 1)
        hamzah = self._person(session, self.buteng, "La Ode Hamzah", 2)
        marlina = self._person(session, bekasi, "Marlina", 3)
        session.add(
            Proposal(
                number="BPNT-2026-0100",
                programme_id=self.bpnt.id or 0,
                office_id=self.buteng.id or 0,
                applicant_person_id=rosmini.id,
            )
        )
        self.rosmini = self._chat(session, "1", rosmini)
        self.hamzah = self._chat(session, "2", hamzah, language="en")
        self.marlina = self._chat(session, "3", marlina)
        self.stranger = self._chat(session, "4", None)  # picked the office, never proved
        self.blocked = self._chat(session, "5", rosmini, unreachable=True)
        session.commit()

    @staticmethod
    def _person(session: Session, office: Office, name: str, serial: int) -> Person:
        birth = date(1980, 1, serial)
        person = Person(
            office_id=office.id or 0,
            nik=make_nik(office.code, 1, birth, "P", serial),
            kk_number=f"{office.code.replace('.', '')}0101260{serial:03d}",
            name=name,
            birth_date=birth,
            sex="P",
            marital_status="kawin",
        )
        session.add(person)
        session.flush()
        return person

    def _chat(
        self,
        session: Session,
        chat_id: str,
        person: Person | None,
        *,
        language: str = "id",
        unreachable: bool = False,
    ) -> int:
        chat = Conversation(
            channel="telegram",
            chat_id=chat_id,
            language=language,
            person_id=person.id if person else None,
            office_id=person.office_id if person else self.buteng.id,
            unreachable_at=NOW if unreachable else None,
        )
        session.add(chat)
        session.flush()
        return chat.id or 0


@pytest.fixture
def town(session: Session) -> Town:
    return Town(session)


def _socialisation(session: Session, town: Town, **changes: object) -> int:
    fields: dict[str, object] = {
        "kind": "socialisation",
        "title": "Sosialisasi BPNT",
        "place": "Aula Kantor Camat Lakudo",
        "starts_at": THURSDAY,
        "send_at": NOW,
        "remind_hours": 24,
        **changes,
    }
    notice = create_notice(session=session, staff=town.operator, data=NewNotice(**fields), now=NOW)  # type: ignore[arg-type]
    session.commit()
    return notice.id or 0


def _inbox(engine: Engine, chat: int) -> list[str]:
    with Session(engine) as session:
        rows = session.exec(
            select(OutboxMessage.text)
            .where(OutboxMessage.conversation_id == chat)
            .order_by(col(OutboxMessage.id))
        ).all()
    return list(rows)


class TestBroadcast:
    def test_every_proven_chat_of_the_office_hears_it_once_and_nobody_else(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        _socialisation(session, town)
        assert sweep(engine=engine, now=NOW) == 2
        assert sweep(engine=engine, now=NOW + timedelta(minutes=1)) == 0
        [rosmini] = _inbox(engine, town.rosmini)
        assert "Sosialisasi BPNT" in rosmini
        assert "Aula Kantor Camat Lakudo" in rosmini
        assert "Kamis, 26 November 2026 pukul 09.00 WITA" in rosmini
        [hamzah] = _inbox(engine, town.hamzah)
        assert "Thursday, 26 November 2026" in hamzah  # in the language the person chose
        for chat in (town.marlina, town.stranger, town.blocked):
            assert _inbox(engine, chat) == []

    def test_a_programmes_notice_goes_only_to_people_with_a_proposal_in_it(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        _socialisation(session, town, programme_code="bpnt-buton-tengah")
        assert sweep(engine=engine, now=NOW) == 1
        assert len(_inbox(engine, town.rosmini)) == 1
        assert _inbox(engine, town.hamzah) == []

    def test_a_notice_for_later_waits_for_its_moment(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        _socialisation(session, town, send_at=NOW + timedelta(hours=2))
        assert sweep(engine=engine, now=NOW + timedelta(hours=1)) == 0
        assert sweep(engine=engine, now=NOW + timedelta(hours=2)) == 2

    def test_two_workers_sweeping_at_once_send_each_message_once(
        self, database_url: str, engine: Engine, session: Session, town: Town
    ) -> None:
        _socialisation(session, town)
        barrier = threading.Barrier(2)
        results: list[int] = []

        def worker() -> None:
            own = make_engine(database_url)
            barrier.wait()
            results.append(sweep(engine=own, now=NOW))
            own.dispose()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(results) == [0, 2]
        assert len(_inbox(engine, town.rosmini)) == 1


class TestReminder:
    def test_the_reminder_comes_once_a_day_before(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        _socialisation(session, town)
        sweep(engine=engine, now=NOW)
        assert sweep(engine=engine, now=THURSDAY - timedelta(hours=25)) == 0
        assert sweep(engine=engine, now=THURSDAY - timedelta(hours=24)) == 2
        assert sweep(engine=engine, now=THURSDAY - timedelta(hours=23)) == 0
        _notice, reminder = _inbox(engine, town.rosmini)
        assert reminder.startswith("⏰ Pengingat")

    def test_no_reminder_once_the_event_has_begun(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        _socialisation(session, town, remind_hours=2)
        sweep(engine=engine, now=NOW)
        # The scheduler was down until after the start: a late reminder would only confuse.
        assert sweep(engine=engine, now=THURSDAY + timedelta(minutes=5)) == 0
        assert len(_inbox(engine, town.rosmini)) == 1


class TestCancelling:
    def test_those_who_were_told_hear_it_is_cancelled_and_get_no_reminder(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        notice_id = _socialisation(session, town)
        sweep(engine=engine, now=NOW)
        cancel_notice(session=session, staff=town.operator, notice_id=notice_id, now=NOW)
        session.commit()
        assert sweep(engine=engine, now=THURSDAY - timedelta(hours=24)) == 0
        _told, cancelled = _inbox(engine, town.rosmini)
        assert cancelled.startswith("❌ Dibatalkan")
        assert _inbox(engine, town.marlina) == []

    def test_a_notice_cancelled_before_it_went_out_is_never_sent(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        notice_id = _socialisation(session, town, send_at=NOW + timedelta(hours=1))
        cancel_notice(session=session, staff=town.operator, notice_id=notice_id, now=NOW)
        session.commit()
        assert sweep(engine=engine, now=NOW + timedelta(hours=2)) == 0
        assert _inbox(engine, town.rosmini) == []


class TestStaffInput:
    @pytest.mark.parametrize(
        ("changes", "key"),
        [
            ({"title": "  "}, "notice.error.title"),
            ({"place": ""}, "notice.error.place"),
            ({"starts_at": NOW - timedelta(hours=1)}, "notice.error.past"),
            ({"send_at": THURSDAY + timedelta(hours=1)}, "notice.error.send_after_start"),
            ({"kind": "party"}, "notice.error.kind"),
            ({"remind_hours": 24 * 8}, "notice.error.remind_hours"),
        ],
    )
    def test_a_notice_that_cannot_work_is_refused_with_the_reason(
        self, session: Session, town: Town, changes: dict[str, object], key: str
    ) -> None:
        with pytest.raises(InvalidInput) as refused:
            _socialisation(session, town, **changes)
        assert refused.value.key == key

    def test_another_offices_programme_is_not_for_this_office(
        self, session: Session, town: Town
    ) -> None:
        with pytest.raises(NotFound):
            _socialisation(session, town, programme_code="kube-bekasi")

    def test_upcoming_lists_announced_notices_soonest_first(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        later = _socialisation(session, town, title="Registrasi ulang", kind="registration")
        sooner = _socialisation(session, town, starts_at=THURSDAY - timedelta(days=1))
        _socialisation(session, town, send_at=NOW + timedelta(hours=5), title="Belum diumumkan")
        listed = upcoming(session=session, office_id=town.buteng.id or 0, now=NOW)
        assert [n.id for n in listed] == [sooner, later]
