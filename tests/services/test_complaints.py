"""A complaint must be answered within 2×24 hours; the clock reminds, then escalates, once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from core.db import make_engine
from core.settings import Settings
from models import Complaint, ComplaintEvent, Conversation, Office, OutboxMessage, StaffUser
from services.catalogue import load_catalogue
from services.catalogue_sync import apply_catalogue
from services.complaints import (
    Action,
    ClockPolicy,
    NewComplaint,
    add_information,
    answer,
    claim,
    clock_rules,
    file_complaint,
    rate,
    record_offline,
    reopen,
    settle,
    sweep,
)
from services.errors import Conflict, InvalidInput
from services.outbox import ensure_conversation
from services.roles import Role
from services.staff import create_staff

# Monday 23 November 2026, 09:00 WITA.
RECEIVED = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
POLICY = ClockPolicy()
GROUP = "telegram:-1005550001"


@pytest.fixture
def buteng(session: Session) -> dict[str, StaffUser]:
    apply_catalogue(session=session, catalogue=load_catalogue())
    office = session.exec(select(Office).where(Office.code == "74.14")).one()
    office.officers_chat = GROUP
    people = {
        "officer": (Role.COMPLAINT_OFFICER, "telegram:501", False),
        "officer2": (Role.COMPLAINT_OFFICER, "telegram:502", False),
        "kabid": (Role.SUPERVISOR, "telegram:601", False),
        "kadis": (Role.HEAD, "telegram:701", False),
        "ppid": (Role.OPERATOR, "telegram:801", True),
    }
    staff = {}
    for name, (role, chat, ppid) in people.items():
        member = create_staff(
            session=session,
            office_id=office.id or 0,
            username=f"buteng.{name}",
            full_name=f"Ibu {name.title()}",
            role=role,
            password="password-123",
            chat=chat,
        )
        member.ppid = ppid
        staff[name] = member
    session.commit()
    return staff


def _chat(session: Session, chat_id: str = "9001") -> int:
    conversation_id = ensure_conversation(
        session, channel="telegram", chat_id=chat_id, now=RECEIVED
    )
    session.commit()
    return conversation_id


def _file(session: Session, *, confidential: bool = False, chat: int | None = None) -> Complaint:
    office = session.exec(select(Office).where(Office.code == "74.14")).one()
    complaint = file_complaint(
        session=session,
        data=NewComplaint(
            office_id=office.id or 0,
            category="bantuan-terlambat",
            description="Bantuan BPNT bulan ini belum masuk ke kartu saya.",
            channel="telegram",
            complainant_name="Wa Ode Sitti",
            confidential=confidential,
            # A chat complaint always comes from a conversation of its channel.
            conversation_id=chat if chat is not None else _chat(session, "9000"),
        ),
        now=RECEIVED,
        policy=POLICY,
    )
    session.commit()
    return complaint


def _sent_to(session: Session, address: str) -> list[str]:
    channel, chat_id = address.split(":", 1)
    query = (
        select(OutboxMessage.text)
        .join(Conversation, col(Conversation.id) == OutboxMessage.conversation_id)
        .where(Conversation.channel == channel, Conversation.chat_id == chat_id)
        .order_by(col(OutboxMessage.id))
    )
    return list(session.exec(query).all())


def _kinds(session: Session, complaint: Complaint) -> list[str]:
    query = (
        select(ComplaintEvent.kind)
        .where(ComplaintEvent.complaint_id == complaint.id)
        .order_by(col(ComplaintEvent.id))
    )
    return list(session.exec(query).all())


class TestIntake:
    def test_a_new_complaint_gets_a_ticket_a_48_hour_deadline_and_reaches_the_officers(
        self, session: Session, buteng: dict[str, StaffUser]
    ) -> None:
        complaint = _file(session, chat=_chat(session))
        assert complaint.number == "ADU-BTG-2026-00001"
        assert complaint.due_at == RECEIVED + timedelta(hours=48)
        group_messages = _sent_to(session, GROUP)
        assert len(group_messages) == 1
        assert "PENGADUAN BARU ADU-BTG-2026-00001" in group_messages[0]
        assert "Rabu, 25 November 2026 pukul 09.00 WITA" in group_messages[0]
        assert "Wa Ode Sitti" in group_messages[0]
        assert "Saluran: Telegram" in group_messages[0]
        assert len(_sent_to(session, "telegram:501")) == 1
        assert _sent_to(session, "telegram:601") == []  # Kabid hears only at a breach

    def test_a_confidential_complainant_is_hidden_from_officers(
        self, session: Session, buteng: dict[str, StaffUser]
    ) -> None:
        _file(session, confidential=True)
        text = _sent_to(session, GROUP)[0]
        assert "Wa Ode Sitti" not in text
        assert "(dirahasiakan)" in text

    def test_an_empty_description_is_refused_and_a_long_one_kept_in_parts(
        self, session: Session, buteng: dict[str, StaffUser]
    ) -> None:
        office_id = buteng["officer"].office_id

        def data(text: str) -> NewComplaint:
            return NewComplaint(
                office_id=office_id,
                category="lainnya",
                description=text,
                channel="walk_in",
                complainant_contact="0812-3456-7001",
            )

        with pytest.raises(InvalidInput) as info:
            file_complaint(session=session, data=data("   "), now=RECEIVED, policy=POLICY)
        assert info.value.key == "complaint.error.empty"
        long = "x" * 4500
        complaint = file_complaint(session=session, data=data(long), now=RECEIVED, policy=POLICY)
        thread = session.exec(
            select(ComplaintEvent)
            .where(ComplaintEvent.complaint_id == complaint.id)
            .order_by(col(ComplaintEvent.id))
        ).all()
        assert [e.kind for e in thread] == ["received", "message", "message"]
        assert "".join(e.text for e in thread) == long

    def test_an_offline_lapor_complaint_needs_its_tracking_number_and_runs_the_same_clock(
        self, session: Session, engine: Engine, buteng: dict[str, StaffUser]
    ) -> None:
        data = NewComplaint(
            office_id=buteng["officer"].office_id,
            category="pungli",
            description="Ada potongan Rp50.000 saat pencairan di e-warung.",
            channel="lapor",
            complainant_name="La Ode Hamzah",
        )
        with pytest.raises(InvalidInput):
            record_offline(
                session=session, staff=buteng["ppid"], data=data, now=RECEIVED, policy=POLICY
            )
        data.lapor_tracking = "LAPOR-4477821"
        complaint = record_offline(
            session=session, staff=buteng["ppid"], data=data, now=RECEIVED, policy=POLICY
        )
        session.commit()
        assert (complaint.channel, complaint.lapor_tracking) == ("lapor", "LAPOR-4477821")
        sweep(engine=engine, now=RECEIVED + timedelta(hours=48), policy=POLICY)
        session.expire_all()
        assert "escalate-supervisor" in _kinds(session, complaint)


class TestTheClock:
    def test_reminders_and_escalations_come_at_their_times_each_exactly_once_across_a_restart(
        self, session: Session, engine: Engine, database_url: str, buteng: dict[str, StaffUser]
    ) -> None:
        complaint = _file(session)
        assert sweep(engine=engine, now=RECEIVED + timedelta(hours=23), policy=POLICY) == 0
        assert sweep(engine=engine, now=RECEIVED + timedelta(hours=24), policy=POLICY) == 1
        assert sweep(engine=engine, now=RECEIVED + timedelta(hours=24), policy=POLICY) == 0
        # A restart: a new engine (a new process) sees the same deadlines in the database.
        restarted = make_engine(database_url)
        try:
            assert sweep(engine=restarted, now=RECEIVED + timedelta(hours=44), policy=POLICY) == 1
            assert sweep(engine=restarted, now=RECEIVED + timedelta(hours=48), policy=POLICY) == 1
            assert sweep(engine=restarted, now=RECEIVED + timedelta(hours=71), policy=POLICY) == 0
            assert sweep(engine=restarted, now=RECEIVED + timedelta(hours=72), policy=POLICY) == 1
            assert sweep(engine=restarted, now=RECEIVED + timedelta(hours=99), policy=POLICY) == 0
        finally:
            restarted.dispose()
        session.expire_all()
        assert _kinds(session, complaint) == [
            "received",
            "remind-24",
            "remind-4",
            "escalate-supervisor",
            "escalate-head",
        ]
        officer_inbox = _sent_to(session, "telegram:501")
        assert [t.split(":")[0] for t in officer_inbox] == [
            "PENGADUAN BARU ADU-BTG-2026-00001\nKategori",
            "PENGINGAT",
            "PENGINGAT",
        ]
        assert len(_sent_to(session, "telegram:601")) == 1  # Kabid, at 48 h
        assert _sent_to(session, "telegram:601")[0].startswith("ESKALASI ke Kabid")
        assert len(_sent_to(session, "telegram:701")) == 1  # Kadis, at 72 h
        assert len(_sent_to(session, "telegram:801")) == 1  # PPID, at 72 h
        stored = session.get(Complaint, complaint.id)
        assert stored is not None and stored.next_check_at is None

    def test_a_late_first_sweep_catches_up_without_repeating(
        self, session: Session, engine: Engine, buteng: dict[str, StaffUser]
    ) -> None:
        complaint = _file(session)
        assert sweep(engine=engine, now=RECEIVED + timedelta(hours=80), policy=POLICY) == 4
        assert sweep(engine=engine, now=RECEIVED + timedelta(hours=80), policy=POLICY) == 0
        session.expire_all()
        assert _kinds(session, complaint).count("escalate-head") == 1

    def test_a_late_sweep_sends_the_breach_not_time_left_and_a_reminder_says_the_real_hours(
        self, session: Session, engine: Engine, buteng: dict[str, StaffUser]
    ) -> None:
        on_time = _file(session)
        late = _file(session)
        # 30 h in: the 24-hour reminder is 6 h late; it says what is really left.
        rules = clock_rules(Settings(demo_mode=True), load_catalogue())
        assert sweep(engine=engine, now=RECEIVED + timedelta(hours=30), policy=rules) == 2
        reminders = [t for t in _sent_to(session, "telegram:501") if t.startswith("PENGINGAT")]
        assert len(reminders) == 2 and all("Sisa waktu 18 jam" in t for t in reminders)
        # The server was down past the deadline: no reminder claims time is left; the Kabid
        # hears of the breach, with the office's rule.
        answer(
            session=session,
            staff=buteng["officer"],
            complaint_id=on_time.id or 0,
            text="Sudah dicek.",
            now=RECEIVED + timedelta(hours=31),
        )
        session.commit()
        before = len(_sent_to(session, "telegram:501"))
        session.commit()  # SQLite: the read's transaction would hold the sweep's lock
        assert sweep(engine=engine, now=RECEIVED + timedelta(hours=50), policy=rules) == 2
        assert _sent_to(session, "telegram:501")[before:] == []
        [breach] = _sent_to(session, "telegram:601")
        assert breach.startswith(f"ESKALASI ke Kabid: pengaduan {late.number}")
        assert "batas jawab 2×24 jam" in breach
        session.expire_all()
        assert _kinds(session, late)[-2:] == ["remind-4", "escalate-supervisor"]

    def test_an_office_whose_sop_names_only_the_kabid_escalates_to_the_kabid_only(
        self, session: Session, engine: Engine, buteng: dict[str, StaffUser]
    ) -> None:
        bone = session.exec(select(Office).where(Office.code == "73.08")).one()
        kabid = create_staff(
            session=session,
            office_id=bone.id or 0,
            username="bone.kabid",
            full_name="Kabid Linjamsos",
            role=Role.SUPERVISOR,
            password="password-123",
            chat="telegram:611",
        )
        kadis = create_staff(
            session=session,
            office_id=bone.id or 0,
            username="bone.kadis",
            full_name="Kadis",
            role=Role.HEAD,
            password="password-123",
            chat="telegram:711",
        )
        session.commit()
        complaint = file_complaint(
            session=session,
            data=NewComplaint(
                office_id=bone.id or 0,
                category="lainnya",
                description="Kelompok kami belum diverifikasi.",
                channel="walk_in",
                complainant_contact="0812-3456-7002",
            ),
            now=RECEIVED,
            policy=clock_rules(Settings(demo_mode=True), load_catalogue()),
        )
        session.commit()
        rules = clock_rules(Settings(demo_mode=True), load_catalogue())
        sweep(engine=engine, now=RECEIVED + timedelta(hours=200), policy=rules)
        session.expire_all()
        assert "escalate-head" not in _kinds(session, complaint)
        assert len(_sent_to(session, kabid.chat or "")) == 1
        assert _sent_to(session, kadis.chat or "") == []

    def test_two_schedulers_running_at_once_escalate_once(
        self, session: Session, engine: Engine, database_url: str, buteng: dict[str, StaffUser]
    ) -> None:
        for _ in range(5):
            _file(session)
        barrier = threading.Barrier(2)
        counts: list[int] = []

        def scheduler() -> None:
            own = make_engine(database_url)
            try:
                barrier.wait(timeout=30)
                counts.append(sweep(engine=own, now=RECEIVED + timedelta(hours=73), policy=POLICY))
            finally:
                own.dispose()

        threads = [threading.Thread(target=scheduler) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert sum(counts) == 5 * 4
        assert len(_sent_to(session, "telegram:601")) == 5
        escalations = session.exec(
            select(ComplaintEvent).where(ComplaintEvent.kind == "escalate-supervisor")
        ).all()
        assert len(escalations) == 5

    def test_the_first_answer_stops_the_clock_and_reaches_the_complainant(
        self, session: Session, engine: Engine, buteng: dict[str, StaffUser]
    ) -> None:
        chat = _chat(session)
        complaint = _file(session, chat=chat)
        claim(
            session=session, staff=buteng["officer"], complaint_id=complaint.id or 0, now=RECEIVED
        )
        with pytest.raises(Conflict):
            claim(
                session=session,
                staff=buteng["officer2"],
                complaint_id=complaint.id or 0,
                now=RECEIVED,
            )
        answer(
            session=session,
            staff=buteng["officer"],
            complaint_id=complaint.id or 0,
            text="Dana sudah ditransfer hari ini; silakan cek di e-warung besok.",
            now=RECEIVED + timedelta(hours=5),
        )
        session.commit()
        complainant = _sent_to(session, "telegram:9001")
        assert len(complainant) == 1
        assert "Dana sudah ditransfer hari ini" in complainant[0]
        # The service names what the complainant may do; the bot renders its own buttons.
        extra = session.exec(
            select(OutboxMessage.extra).where(OutboxMessage.conversation_id == chat)
        ).one()
        assert extra["complaint"] == complaint.number
        assert extra["actions"] == [Action.SETTLE, Action.REOPEN]
        # A later "terima kasih" adds to the thread but never restarts the clock.
        add_information(
            session=session,
            complaint=complaint,
            text="Terima kasih",
            now=RECEIVED + timedelta(hours=6),
        )
        session.commit()
        assert sweep(engine=engine, now=RECEIVED + timedelta(hours=100), policy=POLICY) == 0
        assert complaint.first_response_at == RECEIVED + timedelta(hours=5)


class TestAfterTheAnswer:
    def _answered(self, session: Session, buteng: dict[str, StaffUser]) -> Complaint:
        complaint = _file(session, chat=_chat(session))
        answer(
            session=session,
            staff=buteng["officer"],
            complaint_id=complaint.id or 0,
            text="Sudah kami perbaiki.",
            now=RECEIVED + timedelta(hours=2),
        )
        session.commit()
        return complaint

    def test_reopening_starts_a_new_clock_that_escalates_again(
        self, session: Session, engine: Engine, buteng: dict[str, StaffUser]
    ) -> None:
        complaint = self._answered(session, buteng)
        reopened_at = RECEIVED + timedelta(days=2)
        reopen(
            session=session,
            complaint=complaint,
            reason="Belum masuk juga.",
            now=reopened_at,
            policy=POLICY,
        )
        session.commit()
        assert (complaint.status, complaint.cycle) == ("open", 2)
        assert complaint.due_at == reopened_at + timedelta(hours=48)
        assert sweep(engine=engine, now=reopened_at + timedelta(hours=48), policy=POLICY) == 3
        session.expire_all()
        assert _kinds(session, complaint).count("escalate-supervisor") == 1

    def test_reopening_is_refused_after_the_window(
        self, session: Session, buteng: dict[str, StaffUser]
    ) -> None:
        complaint = self._answered(session, buteng)
        with pytest.raises(Conflict) as info:
            reopen(
                session=session,
                complaint=complaint,
                reason="Belum.",
                now=RECEIVED + timedelta(days=8),
                policy=POLICY,
            )
        assert info.value.key == "complaint.error.reopen_window"

    def test_a_settled_complaint_is_rated_and_cannot_be_answered_again(
        self, session: Session, buteng: dict[str, StaffUser]
    ) -> None:
        complaint = self._answered(session, buteng)
        with pytest.raises(Conflict):
            rate(session=session, complaint=complaint, score=4, comment="", now=RECEIVED)
        settle(session=session, complaint=complaint, now=RECEIVED + timedelta(hours=3))
        with pytest.raises(InvalidInput):
            rate(session=session, complaint=complaint, score=5, comment="", now=RECEIVED)
        rate(session=session, complaint=complaint, score=4, comment="Cepat", now=RECEIVED)
        assert (complaint.status, complaint.rating) == ("closed", 4)
        with pytest.raises(Conflict) as info:
            answer(
                session=session,
                staff=buteng["officer"],
                complaint_id=complaint.id or 0,
                text="Tambahan",
                now=RECEIVED + timedelta(hours=4),
            )
        assert info.value.key == "complaint.error.closed"


def test_every_channel_answer_route_and_action_has_its_words() -> None:
    import messages
    from services.complaints import OFFLINE_CHANNELS, AnswerVia

    for lang in messages.LANGUAGES:
        for code in OFFLINE_CHANNELS:
            assert messages.render(f"complaint.channel.{code}", lang)
        for via in AnswerVia:
            assert messages.render(f"web.complaint.via.{via}", lang)
        for action in Action:
            assert messages.render(f"complaint.action.{action}", lang)
