"""A notice in a person's Telegram: with *Hadir* / *Tidak bisa hadir* buttons, answered by a
press or in words; BERHENTI stops broadcasts (one already queued included) but never a reply,
MULAI brings them back; "Jadwal saya" lists what the person is expected at."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot import notice_buttons
from bot.conversation.words import NoticeReply, notice_reply
from models import Conversation, NoticeRecipient, Office, OutboxMessage, Person, StaffUser
from services.notice_fanout import run_due
from services.notices import NewNotice, create_notice
from services.roles import Role
from services.staff import create_staff
from tests.bot.chat_harness import Harness, People

CHAT = 9701


def _linked(harness: Harness, people: People) -> None:
    """Siti proved who she is in this chat earlier."""
    with Session(harness.engine) as session:
        session.add(
            Conversation(
                channel="telegram",
                chat_id=str(CHAT),
                person_id=people.siti.id,
                office_id=people.siti.office_id,
                updated_at=harness.now - timedelta(days=1),
            )
        )
        session.commit()


def _notice(harness: Harness, people: People, title: str = "Sosialisasi UEP") -> int:
    with Session(harness.engine, expire_on_commit=False) as session:
        office = session.exec(select(Office).where(Office.code == "62.09")).one()
        operator = session.exec(
            select(StaffUser).where(StaffUser.username == "lamandau.operator")
        ).first() or create_staff(
            session=session,
            office_id=office.id or 0,
            username="lamandau.operator",
            full_name="Operator",
            role=Role.OPERATOR,
            password="password-123",
        )
        notice = create_notice(
            session=session,
            staff=operator,
            data=NewNotice(
                kind="socialisation",
                title=title,
                place="Aula Dinas Sosial Lamandau",
                starts_at=harness.now + timedelta(days=2),
                audience={"niks": [people.siti.nik]},
            ),
            now=harness.now,
        )
        session.commit()
    run_due(engine=harness.engine, now=harness.now, worker_id="w", phone_channel="whatsapp")
    return notice.id or 0


def _attendance(harness: Harness, notice_id: int) -> str | None:
    with Session(harness.engine) as session:
        row = session.exec(
            select(NoticeRecipient).where(
                NoticeRecipient.notice_id == notice_id, NoticeRecipient.kind == "notice"
            )
        ).one()
        return row.attendance


class TestAttendance:
    async def test_the_notice_comes_with_buttons_and_a_press_is_counted(
        self, harness: Harness, people: People
    ) -> None:
        _linked(harness, people)
        notice_id = _notice(harness, people)
        assert await harness.deliver() == 1
        [message] = harness.fake.sent(CHAT)
        assert "Sosialisasi UEP" in message["text"] and "BERHENTI" in message["text"]
        buttons = [row[0] for row in message["reply_markup"]["inline_keyboard"]]
        assert [(b["text"], b["callback_data"]) for b in buttons] == [
            ("Hadir", f"hadir {notice_id}"),
            ("Tidak bisa hadir", f"tidak bisa hadir {notice_id}"),
        ]
        [reply] = await harness.presses(CHAT, f"hadir {notice_id}")
        assert reply.startswith("Terima kasih. Kehadiran Anda di Sosialisasi UEP")
        assert _attendance(harness, notice_id) == "yes"
        # Changed her mind, in words.
        [reply] = await harness.says(CHAT, "Tidak bisa hadir")
        assert "tidak bisa hadir di Sosialisasi UEP" in reply
        assert _attendance(harness, notice_id) == "no"

    async def test_jadwal_saya_lists_her_events_with_time_place_and_answer(
        self, harness: Harness, people: People
    ) -> None:
        _linked(harness, people)
        _notice(harness, people)
        await harness.deliver()
        await harness.says(CHAT, "hadir")
        [schedule] = await harness.says(CHAT, "jadwal saya")
        assert schedule.startswith("Jadwal Anda:")
        assert "Sosialisasi UEP" in schedule and "Aula Dinas Sosial Lamandau" in schedule
        assert "Kamis, 12 Maret 2026 pukul 09.00 WIB" in schedule
        assert "Anda akan hadir." in schedule

    async def test_hadir_with_nothing_to_answer_says_so(self, harness: Harness) -> None:
        [reply] = await harness.says(CHAT, "hadir")
        assert reply == "Tidak ada acara yang menunggu jawaban Anda."


class TestOptOut:
    async def test_berhenti_then_mulai(self, harness: Harness, people: People) -> None:
        _linked(harness, people)
        assert await harness.says(CHAT, "BERHENTI") == [
            "Baik, Anda tidak akan menerima pengumuman lagi. Ketik MULAI untuk menerimanya kembali."
        ]
        _notice(harness, people)
        assert await harness.deliver() == 0
        [again] = await harness.says(CHAT, "stop")
        assert again.startswith("Pengumuman untuk Anda sudah dihentikan")
        [back] = await harness.says(CHAT, "Mulai")
        assert back.startswith("Baik, Anda akan menerima pengumuman lagi")
        _notice(harness, people, title="Registrasi ulang")
        assert await harness.deliver() == 1
        # Once broadcasts are on, "start" is the menu, as ever.
        [menu] = await harness.says(CHAT, "start")
        assert "1. Informasi program" in menu

    async def test_a_broadcast_queued_before_berhenti_is_not_sent_but_replies_are(
        self, harness: Harness, people: People
    ) -> None:
        _linked(harness, people)
        notice_id = _notice(harness, people)
        # She stopped broadcasts in the very moment the fan-out queued hers (another worker).
        with Session(harness.engine) as session:
            session.execute(
                update(Person)
                .where(col(Person.id) == people.siti.id)
                .values(broadcasts_stopped_at=harness.now)
            )
            session.commit()
        [reply] = await harness.says(CHAT, "halo")
        assert "Informasi program" in reply  # her own message is answered
        assert all("Sosialisasi UEP" not in t for t in harness.fake.texts(CHAT))
        with Session(harness.engine) as session:
            row = session.exec(
                select(OutboxMessage).where(
                    col(OutboxMessage.id).in_(
                        select(NoticeRecipient.outbox_id).where(
                            NoticeRecipient.notice_id == notice_id
                        )
                    )
                )
            ).one()
        assert row.status == "opted_out"


class TestWords:
    def test_a_buttons_value_reads_as_the_same_answer_typed(self) -> None:
        expected = {"attend": NoticeReply.ATTEND, "decline": NoticeReply.DECLINE}
        for action, verb in notice_buttons.VERBS.items():
            assert notice_reply(f"{verb} 12") == (expected[action], 12)
            assert notice_reply(verb.upper() + "!") == (expected[action], None)

    def test_stop_and_start_name_no_notice_and_other_words_are_no_answer(self) -> None:
        assert notice_reply("BERHENTI") == (NoticeReply.STOP, None)
        assert notice_reply("berhenti 12") is None
        assert notice_reply("saya mau berhenti jadi KPM") is None
        assert notice_reply("hadir kemarin") is None


class TestTheDemoPath:
    async def test_a_kpm_who_never_wrote_sees_it_in_the_simulator_and_answers(
        self, harness: Harness, people: People
    ) -> None:
        """As in `make run` (PHONE_CHANNEL=sim): Siti never wrote; the notice goes to the
        simulator's chat of her phone, with its buttons, and a press is her answer."""
        with Session(harness.engine, expire_on_commit=False) as session:
            office = session.exec(select(Office).where(Office.code == "62.09")).one()
            operator = create_staff(
                session=session,
                office_id=office.id or 0,
                username="lamandau.operator",
                full_name="Operator",
                role=Role.OPERATOR,
                password="password-123",
            )
            notice = create_notice(
                session=session,
                staff=operator,
                data=NewNotice(
                    kind="mentoring",
                    title="Pendampingan usaha UEP",
                    place="Balai Desa Nanga Bulik",
                    starts_at=harness.now + timedelta(days=2),
                    audience={"programme": ["uep-lamandau"]},
                ),
                now=harness.now,
                phone_channel="sim",
            )
            session.commit()
        run_due(engine=harness.engine, now=harness.now, worker_id="w", phone_channel="sim")
        await harness.deliver()
        chat = "6281234567001"  # her phone on file, 0812-3456-7001
        shown = (await harness.client.get(f"/webhooks/sim/{chat}/messages")).json()["messages"]
        [message] = shown
        assert "Pendampingan usaha UEP" in message["text"]
        assert [row[0]["value"] for row in message["buttons"]] == [
            f"hadir {notice.id}",
            f"tidak bisa hadir {notice.id}",
        ]
        posted = await harness.client.post(
            "/webhooks/sim", json={"chat_id": chat, "choice": f"hadir {notice.id}"}
        )
        assert posted.status_code == 200
        harness.process()
        await harness.deliver()
        after = message["id"]
        answers = await harness.client.get(f"/webhooks/sim/{chat}/messages?after={after}")
        [reply] = answers.json()["messages"]
        assert reply["text"].startswith("Terima kasih. Kehadiran Anda di Pendampingan usaha UEP")
        assert _attendance(harness, notice.id or 0) == "yes"
