"""A complaint is a conversation (issue 13): what the complainant sends joins it, officers
answer only when they mean to, and nothing typed during the intake is lost.

Each test is the chat transcript it checks, through the webhook, the processor, the outbox and
python-telegram-bot to the fake Telegram, on both databases. Numbers are read from the rows.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select

from models import (
    Complaint,
    ComplaintAttachment,
    ComplaintDraft,
    ComplaintEvent,
    Office,
    StaffUser,
)
from services.complaint_receipts import issue_receipt_code
from services.complaints import ClockPolicy, NewComplaint, answer, record_offline
from services.roles import Role
from services.staff import create_staff
from tests.bot.chat_harness import (
    MORNING,
    Harness,
    _message,
    _private,
    location_update,
    photo_update,
)

BUTON = "74.14"
GROUP = -1007770001
OFFICER = 501
SITI = 9101
STORY = "Beras bulan Februari belum diterima di e-warong Lakudo."


@pytest.fixture
def buton(harness: Harness) -> str:
    """Buton Tengah with its officers' group and one complaint officer; its list digit."""
    with Session(harness.engine) as session:
        office = session.exec(select(Office).where(Office.code == BUTON)).one()
        office.officers_chat = f"telegram:{GROUP}"
        create_staff(
            session=session,
            office_id=office.id or 0,
            username="buteng.officer",
            full_name="Ibu Wa Ode",
            role=Role.COMPLAINT_OFFICER,
            password="password-123",
            chat=f"telegram:{OFFICER}",
        )
        session.commit()
    codes = [o.code for o in harness.catalogue.offices]
    return str(codes.index(BUTON) + 1)


def _complaints(harness: Harness) -> list[Complaint]:
    with Session(harness.engine) as session:
        return list(session.exec(select(Complaint).order_by(col(Complaint.id))).all())


def _thread(harness: Harness, complaint: Complaint) -> list[tuple[str, str]]:
    with Session(harness.engine) as session:
        rows = session.exec(
            select(ComplaintEvent)
            .where(ComplaintEvent.complaint_id == complaint.id)
            .order_by(col(ComplaintEvent.id))
        ).all()
        return [(e.kind, e.text) for e in rows]


def _reply(harness: Harness, chat: int, text: str, reply_to: int) -> dict[str, Any]:
    chat_json, user = _private(chat, "Siti")
    original = {
        "message_id": reply_to,
        "from": {"id": 123456, "is_bot": True, "first_name": "Sigap"},
        "chat": chat_json,
        "date": int(MORNING.timestamp()),
        "text": "Jawaban",
    }
    return _message(harness.next_update_id(), chat_json, user, text=text, reply_to_message=original)


def _document(harness: Harness, chat: int) -> dict[str, Any]:
    chat_json, user = _private(chat, "Siti")
    document = {
        "file_id": "DOC-KKS",
        "file_unique_id": "doc1",
        "file_name": "kks-istri.pdf",
        "mime_type": "application/pdf",
        "file_size": 2048,
    }
    return _message(harness.next_update_id(), chat_json, user, document=document)


def _voice(harness: Harness, chat: int) -> dict[str, Any]:
    chat_json, user = _private(chat, "Siti")
    voice = {"file_id": "VOICE-1", "file_unique_id": "v1", "duration": 4, "mime_type": "audio/ogg"}
    return _message(harness.next_update_id(), chat_json, user, voice=voice)


async def _start(harness: Harness, chat: int, office_digit: str) -> None:
    """Up to the description: Bantuan terlambat, BPNT Buton Tengah."""
    await harness.says(chat, "3")
    await harness.says(chat, office_digit)
    await harness.says(chat, "1")
    await harness.says(chat, "1")


async def _file(harness: Harness, chat: int, office_digit: str, story: str = STORY) -> Complaint:
    await _start(harness, chat, office_digit)
    await harness.says(chat, story)
    await harness.says(chat, "2")
    [filed] = await harness.says(chat, "1")
    complaint = _complaints(harness)[-1]
    assert complaint.number in filed
    return complaint


class TestIntakeKeepsEverything:
    async def test_a_second_message_a_document_and_a_voice_note_join_the_description(
        self, harness: Harness, buton: str
    ) -> None:
        await _start(harness, SITI, buton)
        [secret] = await harness.says(SITI, STORY)
        assert "Rahasiakan nama Anda?" in secret
        # She goes on with her story where the bot asked something else: kept, not refused.
        [added] = await harness.says(SITI, "sudah 3 bulan, KKS atas nama istri saya")
        assert "Ditambahkan ke keterangan" in added and "Rahasiakan nama Anda?" in added
        [short] = await harness.says(SITI, "mungkin")
        assert "Balas 1 atau 2." in short
        [doc] = await harness.sends(SITI, _document(harness, SITI))
        assert "Dokumen diterima." in doc and "Rahasiakan nama Anda?" in doc
        [summary] = await harness.says(SITI, "2")
        assert "sudah 3 bulan, KKS atas nama istri saya" in summary
        assert "Berkas (dokumen/pesan suara): 1" in summary
        [voice] = await harness.sends(SITI, _voice(harness, SITI))
        assert "Pesan suara diterima." in voice and "1. Kirim" in voice
        await harness.says(SITI, "1")

        [complaint] = _complaints(harness)
        assert complaint.description == f"{STORY}\nsudah 3 bulan, KKS atas nama istri saya"
        with Session(harness.engine) as session:
            files = session.exec(
                select(ComplaintAttachment).where(ComplaintAttachment.complaint_id == complaint.id)
            ).all()
        assert sorted((f.kind, f.platform_ref, f.status) for f in files) == [
            ("document", "DOC-KKS", "pending"),
            ("voice", "VOICE-1", "pending"),
        ]

    async def test_a_description_over_the_limit_is_kept_in_parts(
        self, harness: Harness, buton: str
    ) -> None:
        await _start(harness, SITI, buton)
        long = " ".join(["Beras tidak sampai ke rumah kami di desa Lakudo."] * 60)
        assert len(long) > 2000
        [secret] = await harness.says(SITI, long)
        assert "disimpan dalam 2 bagian" in secret and "Rahasiakan nama Anda?" in secret
        await harness.says(SITI, "2")
        await harness.says(SITI, "1")
        [complaint] = _complaints(harness)
        thread = _thread(harness, complaint)
        assert [kind for kind, _ in thread] == ["received", "message"]
        assert " ".join(text for _, text in thread) == long

    async def test_back_goes_one_step_and_keeps_what_was_sent(
        self, harness: Harness, buton: str
    ) -> None:
        await _start(harness, SITI, buton)
        await harness.sends(SITI, location_update(harness.next_update_id(), SITI, -5.25, 122.51))
        await harness.says(SITI, "Agen minta Rp20.000")
        [described] = await harness.says(SITI, "kembali")
        assert "Agen minta Rp20.000" in described and "Ceritakan masalahnya" in described
        await harness.says(SITI, "Agen minta Rp50.000 setiap pencairan.")
        [programme] = await harness.says(SITI, "9")
        assert "Rahasiakan" not in programme
        [back_to_describe] = await harness.says(SITI, "9")
        assert "Terkait program apa?" in back_to_describe
        await harness.says(SITI, "-")  # skip the programme this time
        await harness.says(SITI, "Agen minta Rp50.000 setiap pencairan.")
        await harness.says(SITI, "2")
        [summary] = await harness.says(SITI, "9")
        assert "Rahasiakan nama Anda?" in summary
        await harness.says(SITI, "2")
        await harness.says(SITI, "1")
        [complaint] = _complaints(harness)
        assert complaint.description == "Agen minta Rp50.000 setiap pencairan."
        assert complaint.programme_id is None
        assert (complaint.latitude, complaint.longitude) == (-5.25, 122.51)

    async def test_a_draft_survives_a_pause_and_leaving_and_lanjutkan_resumes_it(
        self, harness: Harness, buton: str
    ) -> None:
        await _start(harness, SITI, buton)
        await harness.says(SITI, STORY)
        harness.now += timedelta(hours=2)
        [later] = await harness.says(SITI, "1")
        assert "Sesi sebelumnya sudah berakhir" in later and "disimpan sebagai draf" in later
        with Session(harness.engine) as session:
            assert session.exec(select(ComplaintDraft)).one().data["description"] == STORY
        [resumed] = await harness.says(SITI, "lanjutkan")
        assert "Melanjutkan draf" in resumed and "Rahasiakan nama Anda?" in resumed
        [summary] = await harness.says(SITI, "2")
        assert STORY in summary
        [warning] = await harness.says(SITI, "0")  # the menu from the summary: warned first
        assert "disimpan sebagai draf" in warning
        [menu] = await harness.says(SITI, "0")  # ...and the draft is kept
        assert "disimpan sebagai draf" in menu
        await harness.says(SITI, "lanjutkan")
        [filed] = await harness.says(SITI, "1")
        [complaint] = _complaints(harness)
        assert complaint.number in filed and complaint.description == STORY
        with Session(harness.engine) as session:
            assert session.exec(select(ComplaintDraft)).all() == []


class TestTheThread:
    async def test_follow_ups_reach_the_officers_and_an_acknowledgement_never_the_complainant(
        self, harness: Harness, buton: str
    ) -> None:
        complaint = await _file(harness, SITI, buton)
        alert = harness.fake.message_id(GROUP, f"PENGADUAN BARU {complaint.number}")

        # Her next words, a photo and her location go to the complaint and the officers.
        [relayed] = await harness.says(SITI, "nama sesuai KKS, desa Lakudo")
        assert f"diteruskan ke petugas dan dicatat pada pengaduan {complaint.number}" in relayed
        await harness.deliver()
        assert "nama sesuai KKS, desa Lakudo" in harness.fake.texts(GROUP)[-1]
        await harness.sends(SITI, photo_update(harness.next_update_id(), SITI, "kartu KKS"))
        await harness.sends(SITI, location_update(harness.next_update_id(), SITI, -5.25, 122.51))
        await harness.deliver()
        assert "Foto terlampir" in harness.fake.texts(GROUP)[-2]
        assert "https://www.google.com/maps?q=-5.250000,122.510000" in harness.fake.texts(GROUP)[-1]

        # "Tangani" in reply to the alert claims it; "ok" is told it went nowhere.
        before = len(harness.fake.texts(SITI))
        [claimed] = await harness.officer_says(GROUP, OFFICER, "Tangani", reply_to=alert)
        assert f"{complaint.number} ditangani oleh Ibu Wa Ode" in claimed
        [ack] = await harness.officer_says(GROUP, OFFICER, "ok siap", reply_to=alert)
        assert "tidak dikirim ke pelapor" in ack
        await harness.deliver()
        assert harness.fake.texts(SITI)[before:] == []
        assert _complaints(harness)[0].first_response_at is None

        # The first real answer reaches her and stops the clock.
        harness.now += timedelta(hours=2)
        await harness.officer_says(
            GROUP, OFFICER, "Mohon kirim foto KTP suami untuk dicocokkan.", reply_to=alert
        )
        await harness.deliver()
        [answer] = harness.fake.texts(SITI)[before:]
        assert "Mohon kirim foto KTP suami" in answer
        assert _complaints(harness)[0].first_response_at == harness.now

        # Her reply to the answer joins the complaint and goes to the officer who claimed it.
        answer_id = harness.fake.message_id(SITI, "Mohon kirim foto KTP suami")
        [kept] = await harness.sends(
            SITI, _reply(harness, SITI, "KTP suami hilang, ada surat desa", answer_id)
        )
        assert complaint.number in kept
        await harness.deliver()
        assert "KTP suami hilang" in harness.fake.texts(OFFICER)[-1]
        kinds = [kind for kind, _ in _thread(harness, complaint)]
        assert kinds == [
            "received", "message", "message", "message", "claimed", "answered", "message"
        ]  # fmt: skip

    async def test_with_two_open_complaints_the_bot_asks_which_one_and_keeps_the_message(
        self, harness: Harness, buton: str
    ) -> None:
        first = await _file(harness, SITI, buton)
        second = await _file(harness, SITI, buton, "Kartu KKS rusak, tidak terbaca di agen.")
        [which] = await harness.says(SITI, "kartu sudah saya bawa ke kantor desa")
        assert "pengaduan yang mana" in which
        assert f"1. {second.number}" in which and f"2. {first.number}" in which
        [again] = await harness.says(SITI, "hari Senin kemarin")
        assert "pengaduan yang mana" in again
        [done] = await harness.says(SITI, "1")
        assert second.number in done
        assert _thread(harness, second)[-2:] == [
            ("message", "kartu sudah saya bawa ke kantor desa"),
            ("message", "hari Senin kemarin"),
        ]
        assert [kind for kind, _ in _thread(harness, first)] == ["received"]

    async def test_after_a_reopen_the_officer_reads_the_reason(
        self, harness: Harness, buton: str
    ) -> None:
        complaint = await _file(harness, SITI, buton)
        await harness.officer_says(GROUP, OFFICER, f"jawab {complaint.number} Sudah disalurkan.")
        await harness.says(SITI, f"buka {complaint.number} Beras belum sampai juga.")
        await harness.deliver()
        reopened = harness.fake.texts(OFFICER)[-1]
        assert f"DIBUKA ULANG {complaint.number}" in reopened
        assert "Alasan pelapor: Beras belum sampai juga." in reopened


class TestAnOfflineComplaintInTheChat:
    async def test_the_receipts_code_makes_the_chat_follow_it_and_the_answer_arrives_there(
        self, harness: Harness, buton: str
    ) -> None:
        with Session(harness.engine, expire_on_commit=False) as session:
            office = session.exec(select(Office).where(Office.code == BUTON)).one()
            officer = session.exec(
                select(StaffUser).where(StaffUser.username == "buteng.officer")
            ).one()
            complaint = record_offline(
                session=session,
                staff=officer,
                data=NewComplaint(
                    office_id=office.id or 0,
                    category="bantuan-terlambat",
                    description="Saldo BPNT belum masuk (datang langsung ke kantor).",
                    channel="walk_in",
                    complainant_name="Wa Ode Nurlina",
                    complainant_contact="0812-7000-0950",
                ),
                now=harness.now,
                policy=ClockPolicy(),
            )
            code = issue_receipt_code(
                session=session,
                staff=officer,
                complaint_id=complaint.id or 0,
                now=harness.now,
                settings=harness.settings,
            ).code
            session.commit()
        [followed] = await harness.says(SITI, code)
        assert f"mengikuti pengaduan {complaint.number}" in followed
        [shown] = await harness.says(SITI, complaint.number)
        assert "Status: Sedang diproses" in shown
        with Session(harness.engine) as session:
            answer(
                session=session,
                staff=session.get_one(StaffUser, officer.id),
                complaint_id=complaint.id or 0,
                text="Saldo masuk tanggal 20.",
                now=harness.now,
            )
            session.commit()
        await harness.deliver()
        assert "Saldo masuk tanggal 20." in harness.fake.texts(SITI)[-1]
        assert _thread(harness, complaint)[-1] == ("answered", "Saldo masuk tanggal 20.")
