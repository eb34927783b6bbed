"""Notices reach the persons they are for, each once, on their own chat or by phone; the ones
with neither are listed; reminders, corrections and cancellations go once; a crash in the
middle of a fan-out resumes with no one twice and no one left out."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, col, func, select

from core.db import make_engine
from models import (
    Conversation,
    Notice,
    NoticeRecipient,
    NoticeRound,
    Office,
    OutboxMessage,
    Person,
    Programme,
    Proposal,
)
from services.catalogue import load_catalogue
from services.catalogue_sync import apply_catalogue
from services.errors import Conflict, InvalidInput, NotFound
from services.nik import make_nik, mask_nik
from services.notice_audience import niks_from_csv
from services.notice_fanout import LEASE, TEMPLATE_PARAMS, run_due
from services.notice_replies import (
    answer_attendance,
    schedule_of,
    start_broadcasts,
    stop_broadcasts,
)
from services.notice_reports import csv_rows, notice_report
from services.notices import (
    NewNotice,
    NoticeChange,
    cancel_notice,
    create_notice,
    pause_notice,
    preview_notice,
    reminder_times,
    resume_notice,
    upcoming,
    update_notice,
)
from services.roles import Role
from services.staff import create_staff

# Monday 23 November 2026, 09:00 WITA; the socialisation is on Thursday at 09:00 WITA.
NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
THURSDAY = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
PHONE = "whatsapp"


class Town:
    """Buton Tengah's KPM in two desa, their chats; one person of Bekasi for contrast.

    Boneoge: Rosmini (linked Telegram chat), Wa Ode Sitti (phone only, never wrote), La Ode
    Hamzah (no phone), Hasnah and her daughter Nurhayati (one household phone). Lakudo:
    Marlina (phone only, linked chat in English is someone else's). Bekasi: Sri Wahyuni.
    """

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
        self.serial = 0
        self.rosmini = self.person(session, "Rosmini", "Boneoge", "0812-7100-0001")
        self.wa_ode = self.person(session, "Wa Ode Sitti", "Boneoge", "0812-7100-0002")
        self.hamzah = self.person(session, "La Ode Hamzah", "Boneoge", "")
        self.hasnah = self.person(session, "Hasnah", "Boneoge", "0812-7100-0004")
        self.nurhayati = self.person(session, "Nurhayati", "Boneoge", "0812-7100-0004")
        self.marlina = self.person(session, "Marlina", "Lakudo", "0812-7100-0006")
        self.sri = self.person(session, "Sri Wahyuni", "Jatiasih", "0812-7100-0007", bekasi)
        session.add(
            Proposal(
                number="BPNT-2026-0100",
                programme_id=self.bpnt.id or 0,
                office_id=self.buteng.id or 0,
                applicant_person_id=self.rosmini.id,
            )
        )
        self.rosmini_chat = self.chat(session, "telegram", "501", self.rosmini)
        session.commit()

    def person(
        self, session: Session, name: str, desa: str, phone: str, office: Office | None = None
    ) -> Person:
        office = office or self.buteng
        self.serial += 1
        birth = date(1980, 1, self.serial)
        person = Person(
            office_id=office.id or 0,
            nik=make_nik(office.code, 1, birth, "P", self.serial),
            kk_number=f"{office.code.replace('.', '')}0101260{self.serial:03d}",
            name=name,
            birth_date=birth,
            sex="P",
            marital_status="kawin",
            desa=desa,
            kecamatan="Lakudo",
            phone=phone,
            phone_e164=("+62" + phone.replace("-", "")[1:]) if phone else "",
        )
        session.add(person)
        session.flush()
        return person

    def chat(
        self,
        session: Session,
        channel: str,
        chat_id: str,
        person: Person | None,
        *,
        language: str = "id",
        updated_at: datetime = NOW - timedelta(days=1),
    ) -> int:
        chat = Conversation(
            channel=channel,
            chat_id=chat_id,
            language=language,
            person_id=person.id if person else None,
            office_id=self.buteng.id,
            updated_at=updated_at,
        )
        session.add(chat)
        session.flush()
        return chat.id or 0


@pytest.fixture
def town(session: Session) -> Town:
    return Town(session)


def _notice(session: Session, town: Town, **changes: Any) -> int:
    fields: dict[str, Any] = {
        "kind": "socialisation",
        "title": "Sosialisasi BPNT",
        "place": "Aula Kantor Camat Lakudo",
        "starts_at": THURSDAY,
        "audience": {"desa": ["Boneoge"]},
        **changes,
    }
    notice = create_notice(
        session=session, staff=town.operator, data=NewNotice(**fields), now=NOW, phone_channel=PHONE
    )
    session.commit()
    return notice.id or 0


def _run(engine: Engine, now: datetime = NOW, worker: str = "w1", **kw: Any) -> int:
    return run_due(engine=engine, now=now, worker_id=worker, phone_channel=PHONE, **kw)


def _messages(engine: Engine, person: Person, channel: str | None = None) -> list[OutboxMessage]:
    """What reached the chats a person was sent to, oldest first."""
    with Session(engine) as session:
        ids = select(NoticeRecipient.outbox_id).where(NoticeRecipient.person_id == person.id)
        rows = session.exec(
            select(OutboxMessage)
            .where(col(OutboxMessage.id).in_(ids))
            .order_by(col(OutboxMessage.id))
        ).all()
        if channel is not None:
            chats = {
                c.id
                for c in session.exec(select(Conversation).where(Conversation.channel == channel))
            }
            rows = [r for r in rows if r.conversation_id in chats]
        return list(rows)


def _recipients(engine: Engine, notice_id: int, kind: str = "notice") -> dict[int, NoticeRecipient]:
    with Session(engine) as session:
        rows = session.exec(
            select(NoticeRecipient).where(
                NoticeRecipient.notice_id == notice_id, NoticeRecipient.kind == kind
            )
        ).all()
        return {r.person_id: r for r in rows}


def _deliver(engine: Engine, status: str = "sent") -> None:
    """The sender at work: every queued row goes out."""
    with Session(engine) as session:
        session.execute(
            update(OutboxMessage).where(col(OutboxMessage.status) == "queued").values(status=status)
        )
        session.commit()


class TestOneDesa:
    def test_a_socialisation_in_boneoge_reaches_exactly_its_kpm_and_lists_who_has_no_phone(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        notice_id = _notice(session, town)
        assert _run(engine) == 3  # Rosmini, Wa Ode, the household of Hasnah and Nurhayati
        assert _run(engine, NOW + timedelta(minutes=1)) == 0

        # Rosmini wrote to the bot: her linked chat, in free form, with the buttons' actions.
        [rosmini] = _messages(engine, town.rosmini)
        assert rosmini.conversation_id == town.rosmini_chat
        assert "Sosialisasi BPNT" in rosmini.text and "Aula Kantor Camat Lakudo" in rosmini.text
        assert "Kamis, 26 November 2026 pukul 09.00 WITA" in rosmini.text
        assert rosmini.extra["actions"] == ["attend", "decline"]
        assert rosmini.priority == 1  # a broadcast: people chatting are answered first

        # Wa Ode never wrote: the WhatsApp chat of her phone, with the template for it.
        [wa_ode] = _messages(engine, town.wa_ode)
        with Session(engine) as s:
            chat = s.get(Conversation, wa_ode.conversation_id)
            assert chat is not None and (chat.channel, chat.chat_id) == (PHONE, "6281271000002")
        assert wa_ode.extra["template"]["name"] == "sigap_notice"
        assert wa_ode.extra["template"]["params"] == [
            "Sosialisasi",
            "Sosialisasi BPNT",
            "Aula Kantor Camat Lakudo",
            "Kamis, 26 November 2026 pukul 09.00 WITA",
            "-",
        ]
        assert len(wa_ode.extra["template"]["params"]) == len(TEMPLATE_PARAMS["notice"][1])

        # One phone for a household: one message, both of them pointed at it.
        [hasnah] = _messages(engine, town.hasnah)
        [nurhayati] = _messages(engine, town.nurhayati)
        assert hasnah.id == nurhayati.id

        # Nobody outside Boneoge.
        assert _messages(engine, town.marlina) == []
        assert _messages(engine, town.sri) == []

        recipients = _recipients(engine, notice_id)
        assert set(recipients) == {
            p.id for p in (town.rosmini, town.wa_ode, town.hamzah, town.hasnah, town.nurhayati)
        }
        hamzah = recipients[town.hamzah.id or 0]
        assert (hamzah.status, hamzah.reason, hamzah.outbox_id) == ("unreachable", "no phone", None)
        assert recipients[town.rosmini.id or 0].via == "chat"
        assert recipients[town.wa_ode.id or 0].via == "phone"

        report = notice_report(session=session, staff=town.operator, notice_id=notice_id, now=NOW)
        assert report.counts["queued"] == 4 and report.counts["unreachable"] == 1
        [missing] = report.not_reached
        assert (missing.name, missing.desa, missing.reason) == (
            "La Ode Hamzah",
            "Boneoge",
            "no phone",
        )
        assert missing.nik_masked == mask_nik(town.hamzah.nik)

    def test_a_household_split_over_two_chunks_still_hears_it_once(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        _notice(session, town)
        # Hasnah ends the first chunk of four, her daughter Nurhayati starts the second.
        assert _run(engine, chunk=4) == 3
        [hasnah] = _messages(engine, town.hasnah)
        [nurhayati] = _messages(engine, town.nurhayati)
        assert hasnah.id == nurhayati.id

    def test_a_person_on_two_chats_hears_it_once_on_the_one_used_last(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        whatsapp = town.chat(session, "whatsapp", "6281271000001", town.rosmini, updated_at=NOW)
        session.commit()
        _notice(session, town)
        _run(engine)
        [message] = _messages(engine, town.rosmini)
        assert message.conversation_id == whatsapp

    def test_a_chat_that_blocked_the_bot_gives_way_to_the_phone(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        chat = session.get(Conversation, town.rosmini_chat)
        assert chat is not None
        chat.unreachable_at = NOW - timedelta(days=2)
        session.add(chat)
        session.commit()
        _notice(session, town)
        _run(engine)
        [message] = _messages(engine, town.rosmini)
        assert message.conversation_id != town.rosmini_chat
        assert _recipients(engine, 1)[town.rosmini.id or 0].via == "phone"

    def test_without_a_phone_channel_those_who_never_wrote_are_listed_as_no_chat(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        notice_id = _notice(session, town)
        assert run_due(engine=engine, now=NOW, worker_id="w", phone_channel=None) == 1
        recipients = _recipients(engine, notice_id)
        assert recipients[town.wa_ode.id or 0].reason == "no chat"
        assert recipients[town.hamzah.id or 0].reason == "no phone"

    def test_the_preview_counts_how_each_would_be_reached_and_shows_the_text(
        self, session: Session, town: Town
    ) -> None:
        data = NewNotice(
            kind="socialisation",
            title="Sosialisasi BPNT",
            place="Aula Kantor Camat Lakudo",
            starts_at=THURSDAY,
            details="Bawa KTP dan KKS.",
            audience={"desa": ["boneoge"]},  # as typed; the register says "Boneoge"
        )
        shown = preview_notice(
            session=session, staff=town.operator, data=data, now=NOW, phone_channel=PHONE
        )
        assert (shown.reach.total, shown.reach.by_chat, shown.reach.by_phone) == (5, 1, 3)
        assert (shown.reach.unreachable, shown.reach.opted_out) == (1, 0)
        assert "Bawa KTP dan KKS." in shown.texts["id"]
        assert shown.template["params"][-1] == "Bawa KTP dan KKS."
        # Day before at 08.00 WITA, and two hours before.
        assert shown.reminders_at == [THURSDAY - timedelta(hours=25), THURSDAY - timedelta(hours=2)]
        assert session.exec(select(func.count()).select_from(Notice)).one() == 0


class TestAudiences:
    def test_a_programme_a_list_of_niks_and_a_file_of_niks(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        by_programme = _notice(session, town, audience={"programme": ["bpnt-buton-tengah"]})
        by_nik = _notice(session, town, audience={"niks": [town.marlina.nik, town.wa_ode.nik]})
        _run(engine)
        assert set(_recipients(engine, by_programme)) == {town.rosmini.id}
        assert set(_recipients(engine, by_nik)) == {town.marlina.id, town.wa_ode.id}
        niks, lines = niks_from_csv(f"nama;nik\nMarlina;{town.marlina.nik}\n".encode())
        assert niks == [town.marlina.nik] and lines[town.marlina.nik] == 2

    def test_desa_and_programme_together_narrow_each_other(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        both = {"desa": ["Boneoge"], "programme": ["bpnt-buton-tengah"]}
        notice_id = _notice(session, town, audience=both)
        _run(engine)
        assert set(_recipients(engine, notice_id)) == {town.rosmini.id}
        with pytest.raises(InvalidInput) as refused:
            _notice(
                session, town, audience={"desa": ["Lakudo"], "programme": ["bpnt-buton-tengah"]}
            )
        assert refused.value.key == "notice.error.nobody"


class TestBadInput:
    @pytest.mark.parametrize(
        ("changes", "key"),
        [
            ({"title": "  "}, "notice.error.title"),
            ({"place": ""}, "notice.error.place"),
            ({"starts_at": NOW - timedelta(hours=1)}, "notice.error.past"),
            ({"send_at": THURSDAY + timedelta(hours=1)}, "notice.error.send_after_start"),
            ({"kind": "party"}, "notice.error.kind"),
            ({"reminders": [{"hours_before": 24 * 8}]}, "notice.error.remind_hours"),
            ({"reminders": [{"weeks_before": 1}]}, "notice.error.reminder"),
            ({"audience": {"desa": ["Atlantis"]}}, "notice.audience.unknown"),
            ({"audience": {"town": ["Boneoge"]}}, "notice.audience.key"),
            ({"audience": {"niks": ["1234"]}}, "notice.audience.unknown"),
            ({"audience": {"programme": ["kube-bekasi"]}}, "notice.audience.unknown"),
            ({"audience": {"desa": ["Jatiasih"]}}, "notice.audience.unknown"),  # Bekasi's
        ],
    )
    def test_a_notice_that_cannot_work_is_refused_with_the_reason_and_nothing_is_kept(
        self, session: Session, town: Town, changes: dict[str, Any], key: str
    ) -> None:
        with pytest.raises(InvalidInput) as refused:
            _notice(session, town, **changes)
        assert refused.value.key == key
        session.rollback()
        assert session.exec(select(func.count()).select_from(Notice)).one() == 0

    def test_unknown_and_malformed_niks_are_each_named(self, session: Session, town: Town) -> None:
        stranger = make_nik("74.14", 1, date(1990, 1, 1), "L", 999)
        with pytest.raises(InvalidInput) as refused:
            _notice(session, town, audience={"niks": [town.rosmini.nik, stranger, "7414x"]})
        details = {(d["value"], d["error"]) for d in refused.value.details}
        assert details == {(mask_nik(stranger), "unknown"), ("7414…", "malformed")}
        assert mask_nik(stranger) in refused.value.params["what"]


class TestChunks:
    def test_a_crash_after_one_chunk_resumes_with_no_one_twice_and_no_one_left_out(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        for n in range(9):
            town.person(session, f"KPM {n}", "Boneoge", f"0812-7200-{n:04d}")
        session.commit()
        notice_id = _notice(session, town)
        # The first worker does one chunk of three and dies holding the lease.
        assert _run(engine, worker="dies", chunk=3, max_chunks=1) == 2  # La Ode has no phone
        # Another worker finds the round still leased, and leaves it.
        assert _run(engine, NOW + timedelta(seconds=30), worker="second", chunk=3) == 0
        # Once the lease has run out it goes on from the dead worker's cursor.
        later = NOW + LEASE + timedelta(seconds=1)
        assert _run(engine, later, worker="second", chunk=3) == 10
        recipients = _recipients(engine, notice_id)
        assert len(recipients) == 14
        with Session(engine) as s:
            sent = s.exec(select(OutboxMessage.conversation_id)).all()
            round_ = s.exec(select(NoticeRound).where(NoticeRound.kind == "notice")).one()
        assert len(sent) == len(set(sent)) == 12  # each chat once; the household shares one
        assert all(r.outbox_id for r in recipients.values() if r.status == "queued")
        assert round_.status == "done"

    def test_two_workers_at_once_send_each_message_once(
        self, database_url: str, engine: Engine, session: Session, town: Town
    ) -> None:
        for n in range(20):
            town.person(session, f"KPM {n}", "Boneoge", f"0812-7300-{n:04d}")
        session.commit()
        _notice(session, town)
        _notice(session, town, title="Registrasi ulang", kind="registration")
        barrier = threading.Barrier(2)
        results: list[int] = []

        def worker(name: str, now: datetime = NOW) -> None:
            own = make_engine(database_url)
            barrier.wait()
            results.append(
                run_due(engine=own, now=now, worker_id=name, phone_channel=PHONE, chunk=4)
            )
            own.dispose()

        threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert sum(results) == 2 * 23
        with Session(engine) as s:
            rows = s.exec(select(OutboxMessage.conversation_id, OutboxMessage.text)).all()
        assert len(rows) == len(set(rows)) == 46

        # The day before at 08.00 both workers wake at once: each reminder goes once.
        _deliver(engine)
        day_before = datetime(2026, 11, 25, 0, 0, tzinfo=UTC)
        results.clear()
        threads = [threading.Thread(target=worker, args=(f"w{i}", day_before)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert sum(results) == 2 * 23
        with Session(engine) as s:
            kinds = s.exec(
                select(NoticeRecipient.kind, func.count())
                .where(col(NoticeRecipient.outbox_id).is_not(None))
                .group_by(NoticeRecipient.kind)
            ).all()
        assert dict(kinds) == {"notice": 2 * 24, "reminder-1": 2 * 24}


class TestReminders:
    def test_by_default_the_day_before_at_eight_and_two_hours_before(self) -> None:
        assert reminder_times(
            [{"days_before": 1, "at": "08:00"}, {"hours_before": 2}], THURSDAY, "Asia/Makassar"
        ) == [datetime(2026, 11, 25, 0, 0, tzinfo=UTC), datetime(2026, 11, 25, 23, 0, tzinfo=UTC)]

    def test_each_reminder_comes_once_across_runs_and_workers(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        _notice(session, town)
        _run(engine)
        _deliver(engine)
        day_before = datetime(2026, 11, 25, 0, 0, tzinfo=UTC)
        assert _run(engine, day_before - timedelta(minutes=1)) == 0
        assert _run(engine, day_before, worker="w1") == 3
        assert _run(engine, day_before + timedelta(minutes=1), worker="w2") == 0
        assert _run(engine, THURSDAY - timedelta(hours=2), worker="w2") == 3
        assert _run(engine, THURSDAY - timedelta(hours=1), worker="w1") == 0
        texts = [m.text for m in _messages(engine, town.rosmini)]
        assert [t[0] for t in texts] == ["📢", "⏰", "⏰"]
        [_, first, _] = _messages(engine, town.wa_ode)
        assert first.extra["template"]["name"] == "sigap_reminder"

    def test_no_reminder_once_the_event_has_begun_nor_to_who_cannot_come(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        _notice(session, town, reminders=[{"hours_before": 2}])
        _run(engine)
        chat = session.get(Conversation, town.rosmini_chat)
        assert chat is not None
        assert answer_attendance(session=session, conversation=chat, attending=False, now=NOW)
        session.commit()
        assert _run(engine, THURSDAY - timedelta(hours=2)) == 2  # not Rosmini
        # A second notice whose reminder's run came only after the start: none.
        _notice(session, town, reminders=[{"hours_before": 2}], title="Registrasi")
        _run(engine, NOW)
        assert _run(engine, THURSDAY + timedelta(minutes=5)) == 0


class TestCorrectionAndCancellation:
    def test_a_change_of_place_is_told_once_to_everyone_already_told(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        notice_id = _notice(session, town)
        _run(engine)
        update_notice(
            session=session,
            staff=town.operator,
            notice_id=notice_id,
            change=NoticeChange(place="Balai Desa Boneoge"),
            now=NOW + timedelta(hours=1),
        )
        session.commit()
        assert _run(engine, NOW + timedelta(hours=1)) == 3
        assert _run(engine, NOW + timedelta(hours=2)) == 0
        _, correction = _messages(engine, town.wa_ode)
        assert correction.text.startswith("✏️ Ralat") and "Balai Desa Boneoge" in correction.text
        assert correction.extra["template"]["name"] == "sigap_correction"
        assert "Balai Desa Boneoge" in correction.extra["template"]["params"]

    def test_a_change_before_anyone_was_told_sends_no_correction(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        notice_id = _notice(session, town, send_at=NOW + timedelta(hours=3))
        update_notice(
            session=session,
            staff=town.operator,
            notice_id=notice_id,
            change=NoticeChange(place="Balai Desa Boneoge", send_at=NOW + timedelta(hours=4)),
            now=NOW,
        )
        session.commit()
        assert _run(engine, NOW + timedelta(hours=3)) == 0
        assert _run(engine, NOW + timedelta(hours=4)) == 3
        [message] = _messages(engine, town.rosmini)
        assert "Balai Desa Boneoge" in message.text

    def test_cancelling_tells_who_had_it_and_withdraws_what_had_not_gone(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        notice_id = _notice(session, town)
        _run(engine)
        # Only Rosmini's message went out before the cancellation.
        with Session(engine) as s:
            s.execute(
                update(OutboxMessage)
                .where(col(OutboxMessage.conversation_id) == town.rosmini_chat)
                .values(status="sent")
            )
            s.commit()
        cancel_notice(session=session, staff=town.operator, notice_id=notice_id, now=NOW)
        session.commit()
        assert _run(engine, NOW + timedelta(minutes=1)) == 1
        _told, cancelled = _messages(engine, town.rosmini)
        assert cancelled.text.startswith("❌ Dibatalkan")
        assert cancelled.extra["template"]["name"] == "sigap_cancellation"
        [withdrawn] = _messages(engine, town.wa_ode)
        assert withdrawn.status == "cancelled"
        assert _run(engine, THURSDAY - timedelta(hours=2)) == 0  # no reminder
        with pytest.raises(Conflict):
            cancel_notice(session=session, staff=town.operator, notice_id=notice_id, now=NOW)


class TestPause:
    def test_a_paused_notice_holds_its_messages_and_its_fan_out_until_resumed(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        for n in range(6):
            town.person(session, f"KPM {n}", "Boneoge", f"0812-7400-{n:04d}")
        session.commit()
        notice_id = _notice(session, town)
        assert _run(engine, chunk=4, budget_seconds=0) == 3  # one chunk, then the budget
        pause_notice(session=session, staff=town.operator, notice_id=notice_id, now=NOW)
        session.commit()
        with Session(engine) as s:
            assert set(s.exec(select(OutboxMessage.status)).all()) == {"paused"}
        assert _run(engine, NOW + timedelta(minutes=5), chunk=4) == 0
        resume_notice(session=session, staff=town.operator, notice_id=notice_id, now=NOW)
        session.commit()
        assert _run(engine, NOW + timedelta(minutes=6), chunk=4) == 6
        with Session(engine) as s:
            assert set(s.exec(select(OutboxMessage.status)).all()) == {"queued"}


class TestOptOut:
    def test_berhenti_stops_broadcasts_even_queued_ones_and_mulai_brings_them_back(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        first = _notice(session, town)
        _run(engine)
        chat = session.get(Conversation, town.rosmini_chat)
        assert chat is not None
        assert stop_broadcasts(session=session, conversation=chat, now=NOW)
        assert not stop_broadcasts(session=session, conversation=chat, now=NOW)
        session.commit()
        [held] = _messages(engine, town.rosmini)
        assert held.status == "opted_out"
        second = _notice(session, town, title="Registrasi ulang")
        _run(engine)
        assert _recipients(engine, second)[town.rosmini.id or 0].status == "opted_out"
        report = notice_report(session=session, staff=town.operator, notice_id=first, now=NOW)
        assert report.counts["opted_out"] == 1

        assert start_broadcasts(session=session, conversation=chat)
        session.commit()
        third = _notice(session, town, title="Penyaluran", kind="distribution")
        _run(engine)
        assert _recipients(engine, third)[town.rosmini.id or 0].outbox_id is not None

    def test_a_phone_chat_that_says_berhenti_is_stopped_itself(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        _notice(session, town)
        _run(engine)
        [message] = _messages(engine, town.wa_ode)
        chat = session.get(Conversation, message.conversation_id)
        assert chat is not None and chat.person_id is None
        stop_broadcasts(session=session, conversation=chat, now=NOW)
        session.commit()
        later = _notice(session, town, title="Registrasi ulang")
        _run(engine)
        assert _recipients(engine, later)[town.wa_ode.id or 0].status == "opted_out"


class TestAttendanceAndReport:
    def test_answers_are_counted_per_notice_and_per_desa_and_the_report_follows_the_outbox(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        notice_id = _notice(session, town, audience={"desa": ["Boneoge", "Lakudo"]})
        _run(engine)
        _deliver(engine)
        with Session(engine) as s:
            marlina = s.exec(
                select(NoticeRecipient).where(NoticeRecipient.person_id == town.marlina.id)
            ).one()
            s.execute(
                update(OutboxMessage)
                .where(col(OutboxMessage.id) == marlina.outbox_id)
                .values(status="failed", last_error="131026: message undeliverable")
            )
            s.execute(
                update(OutboxMessage)
                .where(col(OutboxMessage.conversation_id) == town.rosmini_chat)
                .values(status="read")
            )
            s.commit()
        [wa_ode] = _messages(engine, town.wa_ode)
        rosmini_chat = session.get(Conversation, town.rosmini_chat)
        assert rosmini_chat is not None
        found = answer_attendance(
            session=session, conversation=rosmini_chat, attending=True, now=NOW
        )
        assert found is not None and found.id == notice_id
        phone_chat = session.get(Conversation, wa_ode.conversation_id)
        assert phone_chat is not None
        answer_attendance(
            session=session, conversation=phone_chat, attending=False, now=NOW, notice_id=notice_id
        )
        session.commit()

        report = notice_report(session=session, staff=town.operator, notice_id=notice_id, now=NOW)
        assert report.counts["read"] == 1 and report.counts["sent"] == 3
        assert report.counts["failed"] == 1 and report.counts["unreachable"] == 1
        assert (report.attending, report.not_attending) == (1, 1)
        desa = {row.desa: row for row in report.per_desa}
        assert (desa["Boneoge"].total, desa["Boneoge"].reached, desa["Boneoge"].attending) == (
            5,
            4,
            1,
        )
        assert (desa["Lakudo"].not_reached, desa["Boneoge"].not_attending) == (1, 1)
        names = [(p.name, p.status, p.reason) for p in report.not_reached]
        assert names == [
            ("La Ode Hamzah", "unreachable", "no phone"),
            ("Marlina", "failed", "131026: message undeliverable"),
        ]
        rows = csv_rows(report)
        assert rows[1][:5] == (
            "Marlina",
            mask_nik(town.marlina.nik),
            "Lakudo",
            "Lakudo",
            "0812-7100-0006",
        )

    def test_jadwal_saya_lists_the_persons_events_ahead(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        _notice(session, town)
        _run(engine)
        [entry] = schedule_of(session=session, person_id=town.rosmini.id or 0, now=NOW)
        assert entry.notice.title == "Sosialisasi BPNT" and entry.attendance is None
        assert schedule_of(session=session, person_id=town.marlina.id or 0, now=NOW) == []

    def test_the_bots_list_shows_area_notices_not_those_for_named_people(
        self, engine: Engine, session: Session, town: Town
    ) -> None:
        area = _notice(session, town)
        _notice(session, town, audience={"niks": [town.rosmini.nik]}, title="Undangan pribadi")
        listed = upcoming(session=session, office_id=town.buteng.id or 0, now=NOW)
        assert [n.id for n in listed] == [area]

    def test_another_offices_notice_is_not_found(self, session: Session, town: Town) -> None:
        notice_id = _notice(session, town)
        bekasi = session.exec(select(Office).where(Office.code == "32.75")).one()
        stranger = create_staff(
            session=session,
            office_id=bekasi.id or 0,
            username="bekasi.operator",
            full_name="Operator",
            role=Role.OPERATOR,
            password="password-123",
        )
        with pytest.raises(NotFound):
            notice_report(session=session, staff=stranger, notice_id=notice_id, now=NOW)
