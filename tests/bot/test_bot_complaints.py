"""Complaints in the chat: a beneficiary files and follows one, officers handle it in their group.

Everything goes through the webhook, the processor, the outbox and python-telegram-bot to the
fake Telegram server, on a real database; time moves only by setting ``harness.now``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from models import Complaint, ComplaintEvent, Office, Person
from services.link_codes import Kind
from services.roles import Role
from services.staff import create_staff
from tests.bot.chat_harness import (
    Harness,
    People,
    contact_update,
    issue,
    location_update,
    photo_update,
    sticker_update,
)

BUTON = "74.14"
LAMANDAU = "62.09"
GROUP = -1007770001
LAMANDAU_GROUP = -1007770002
OFFICER, OFFICER2, STRANGER = 501, 502, 999
SITI, OTHER = 9101, 9102
FIRST = "ADU-BTG-2026-00001"
LAMANDAU_FIRST = "ADU-LMD-2026-00001"
# A ticket given before numbers were counted per office.
OLD = "ADU-2026-00012"


@pytest.fixture
def buton(harness: Harness) -> str:
    """Buton Tengah with its officers' group and two complaint officers; its list digit."""
    with Session(harness.engine) as session:
        offices = {o.code: o for o in session.exec(select(Office)).all()}
        offices[BUTON].officers_chat = f"telegram:{GROUP}"
        offices[LAMANDAU].officers_chat = f"telegram:{LAMANDAU_GROUP}"
        for username, name, chat in (
            ("buteng.officer", "Ibu Wa Ode", OFFICER),
            ("buteng.officer2", "Pak La Ode", OFFICER2),
        ):
            create_staff(
                session=session,
                office_id=offices[BUTON].id or 0,
                username=username,
                full_name=name,
                role=Role.COMPLAINT_OFFICER,
                password="password-123",
                chat=f"telegram:{chat}",
            )
        session.commit()
    codes = [o.code for o in harness.catalogue.offices]
    return str(codes.index(BUTON) + 1)


def _complaint(harness: Harness, number: str = FIRST) -> Complaint:
    with Session(harness.engine) as session:
        return session.exec(select(Complaint).where(Complaint.number == number)).one()


async def _file(
    harness: Harness, chat: int, office_digit: str, *, confidential: bool = False
) -> list[str]:
    """File 'bantuan terlambat' about BPNT by typed digits; returns the final replies."""
    await harness.says(chat, "3")
    await harness.says(chat, office_digit)
    await harness.says(chat, "1")  # bantuan terlambat
    await harness.says(chat, "1")  # BPNT Buton Tengah
    await harness.says(chat, "Beras bulan Februari belum diterima di e-warong Lakudo.")
    await harness.says(chat, "1" if confidential else "2")
    return await harness.says(chat, "1")


class TestFiling:
    async def test_by_digits_the_person_gets_a_ticket_and_the_deadline_in_wita_words(
        self, harness: Harness, buton: str
    ) -> None:
        [first] = await harness.says(SITI, "3")
        assert "Pilih kabupaten/kota" in first
        [categories] = await harness.says(SITI, buton)
        assert "1. Bantuan terlambat atau tidak diterima" in categories
        assert "7. Cek pengaduan saya" in categories
        # The office's published channels close the first message.
        assert categories.rstrip().endswith("Pengaduan ditanggapi paling lama 2×24 jam.")
        assert "082271391906" in categories
        [programme] = await harness.says(SITI, "1")
        assert "Lewati: ketik -" in programme
        [describe] = await harness.says(SITI, "1")
        assert "Ceritakan masalahnya" in describe
        [secret] = await harness.says(SITI, "Beras bulan Februari belum diterima.")
        assert "Rahasiakan nama Anda?" in secret and "hanya pimpinan" in secret
        [summary] = await harness.says(SITI, "2")
        assert "Beras bulan Februari belum diterima." in summary
        assert "1. Kirim" in summary and "0. Batal" in summary
        [filed] = await harness.says(SITI, "1")
        # Filed Tuesday 10.00 WITA; 2×24 hours later is Thursday 10.00 WITA.
        assert f"Nomor tiket: {FIRST}" in filed
        assert "paling lambat Kamis, 12 Maret 2026 pukul 10.00 WITA" in filed

        complaint = _complaint(harness)
        assert complaint.channel == "telegram"
        assert complaint.category == "bantuan-terlambat"
        assert complaint.programme_id is not None
        assert complaint.complainant_name == "Siti"
        assert complaint.person_id is None and complaint.conversation_id is not None

        # The officers' group got the announcement with the "Tangani" button.
        [announcement] = harness.fake.sent(GROUP)
        assert f"PENGADUAN BARU {FIRST}" in announcement["text"]
        assert "Pelapor: Siti" in announcement["text"]
        button = announcement["reply_markup"]["inline_keyboard"][0][0]
        assert button == {"text": "Tangani", "callback_data": f"klaim {FIRST}"}

    async def test_by_buttons_with_a_photo_and_a_location(
        self, harness: Harness, buton: str
    ) -> None:
        await harness.presses(SITI, "3")
        await harness.presses(SITI, buton)
        await harness.presses(SITI, "3")  # pungutan liar
        [describe] = await harness.presses(SITI, "-")  # skip the programme
        assert "Ceritakan masalahnya" in describe
        [located] = await harness.sends(
            SITI, location_update(harness.next_update_id(), SITI, -5.25, 122.51)
        )
        assert "Lokasi diterima." in located and "Ceritakan masalahnya" in located
        [photo] = await harness.sends(
            SITI, photo_update(harness.next_update_id(), SITI, "Potongan Rp50.000 di agen")
        )
        assert "Foto diterima." in photo and "Rahasiakan nama Anda?" in photo
        await harness.presses(SITI, "2")
        [filed] = await harness.presses(SITI, "1")
        assert FIRST in filed and "WITA" in filed

        complaint = _complaint(harness)
        assert complaint.category == "pungli" and complaint.programme_id is None
        assert complaint.description == "Potongan Rp50.000 di agen"
        assert complaint.photo_ref and complaint.photo_ref.startswith("PHOTO-")
        assert (complaint.latitude, complaint.longitude) == (-5.25, 122.51)

    async def test_empty_and_sticker_get_a_reply_and_the_flow_goes_on(
        self, harness: Harness, buton: str
    ) -> None:
        await harness.says(SITI, "3")
        await harness.says(SITI, buton)
        await harness.says(SITI, "1")
        await harness.says(SITI, "1")
        [sticker] = await harness.sends(SITI, sticker_update(harness.next_update_id(), SITI))
        assert "stiker" in sticker and "Ceritakan masalahnya" in sticker
        [empty] = await harness.says(SITI, "   ")
        assert "Keterangan belum ada." in empty and "Ceritakan masalahnya" in empty
        [photo_only] = await harness.sends(SITI, photo_update(harness.next_update_id(), SITI))
        assert "Foto diterima." in photo_only and "Keterangan belum ada." in photo_only
        [secret] = await harness.says(SITI, "Nama saya salah tulis di kartu.")
        assert "Rahasiakan nama Anda?" in secret
        [again] = await harness.says(SITI, "mungkin")
        assert "Balas 1 atau 2." in again
        await harness.says(SITI, "2")
        await harness.says(SITI, "1")
        complaint = _complaint(harness)
        assert complaint.description == "Nama saya salah tulis di kartu."
        assert complaint.photo_ref is not None  # the photo sent before the words is kept

    async def test_a_confidential_complaint_hides_the_name_from_the_officers(
        self, harness: Harness, buton: str
    ) -> None:
        await _file(harness, SITI, buton, confidential=True)
        [announcement] = harness.fake.texts(GROUP)
        assert "Pelapor: (dirahasiakan)" in announcement
        assert "Siti" not in announcement
        assert _complaint(harness).confidential is True

    async def test_batal_and_menu_still_lead_out_of_the_programme_step(
        self, harness: Harness, buton: str
    ) -> None:
        await harness.says(SITI, "3")
        await harness.says(SITI, buton)
        await harness.says(SITI, "1")
        [menu] = await harness.says(SITI, "batal")
        assert "Balas dengan angka" in menu
        with Session(harness.engine) as session:
            assert session.exec(select(Complaint)).all() == []


class TestOfficersGroup:
    async def test_an_officer_claims_by_button_and_answers_by_replying(
        self, harness: Harness, buton: str
    ) -> None:
        await _file(harness, SITI, buton)
        announcement_id = harness.fake.message_id(GROUP, f"PENGADUAN BARU {FIRST}")

        [claimed] = await harness.officer_presses(
            GROUP, OFFICER, f"klaim {FIRST}", message_id=announcement_id
        )
        assert f"{FIRST} ditangani oleh Ibu Wa Ode" in claimed
        assert "answerCallbackQuery" in harness.fake.methods()
        complaint = _complaint(harness)
        assert complaint.claimed_by_id is not None and complaint.status == "open"

        harness.now += timedelta(hours=3)
        before = len(harness.fake.texts(SITI))
        [confirmed] = await harness.officer_says(
            GROUP,
            OFFICER,
            "Beras Februari disalurkan ulang Senin depan di e-warong Lakudo.",
            reply_to=announcement_id,
        )
        assert f"Jawaban untuk {FIRST} dari Ibu Wa Ode sudah dikirim" in confirmed
        await harness.deliver()
        [answer] = harness.fake.texts(SITI)[before:]
        assert f"Jawaban untuk pengaduan {FIRST}" in answer
        assert "disalurkan ulang Senin depan" in answer
        assert _complaint(harness).status == "answered"

    async def test_a_stranger_pressing_tangani_is_told_and_nothing_changes(
        self, harness: Harness, buton: str
    ) -> None:
        await _file(harness, SITI, buton)
        [reply] = await harness.officer_presses(GROUP, STRANGER, f"klaim {FIRST}")
        assert "belum terdaftar sebagai petugas" in reply
        assert FIRST not in reply and "Siti" not in reply
        [reply] = await harness.officer_says(GROUP, STRANGER, f"jawab {FIRST} sudah beres")
        assert "belum terdaftar sebagai petugas" in reply
        complaint = _complaint(harness)
        assert complaint.claimed_by_id is None and complaint.status == "open"

    async def test_claimed_by_someone_else_is_refused_with_the_domain_words(
        self, harness: Harness, buton: str
    ) -> None:
        await _file(harness, SITI, buton)
        await harness.officer_presses(GROUP, OFFICER, f"klaim {FIRST}")
        [refused] = await harness.officer_says(GROUP, OFFICER2, f"klaim {FIRST}")
        assert refused == f"Pengaduan {FIRST} sudah ditangani oleh Ibu Wa Ode."

    async def test_group_chatter_gets_no_answer_and_no_menu(
        self, harness: Harness, buton: str
    ) -> None:
        assert await harness.officer_says(GROUP, OFFICER, "Selamat pagi semua") == []
        assert await harness.officer_says(GROUP, STRANGER, "1") == []

    async def test_a_group_that_is_no_officers_chat_is_ignored(
        self, harness: Harness, buton: str
    ) -> None:
        assert await harness.officer_says(-100999, OFFICER, f"klaim {FIRST}") == []

    async def test_an_officer_uses_the_commands_in_a_private_chat(
        self, harness: Harness, buton: str
    ) -> None:
        await _file(harness, SITI, buton)
        [claimed] = await harness.presses(OFFICER, f"klaim {FIRST}")
        assert "ditangani oleh Ibu Wa Ode" in claimed
        [answered] = await harness.says(OFFICER, f"jawab {FIRST} Sudah kami cek, cair besok.")
        assert "sudah dikirim ke pelapor" in answered
        assert "cair besok" in harness.fake.texts(SITI)[-1]

    async def test_answering_a_closed_complaint_is_refused(
        self, harness: Harness, buton: str
    ) -> None:
        await _file(harness, SITI, buton)
        await harness.officer_says(GROUP, OFFICER, f"jawab {FIRST} Sudah disalurkan.")
        await harness.says(SITI, f"selesai {FIRST}")
        [refused] = await harness.officer_says(GROUP, OFFICER, f"jawab {FIRST} Tambahan.")
        assert refused == f"Pengaduan {FIRST} sudah selesai dan ditutup."
        with Session(harness.engine) as session:
            answers = session.exec(
                select(ComplaintEvent).where(ComplaintEvent.kind == "answered")
            ).all()
        assert len(answers) == 1


def _as_numbered_before(harness: Harness) -> str:
    """The first complaint, numbered as it would have been before the migration."""
    with Session(harness.engine) as session:
        complaint = _complaint(harness)
        complaint.number = OLD
        session.add(complaint)
        session.commit()
    return OLD


class TestNumbersFromBefore:
    """A ticket numbered before each office counted its own (``ADU-2026-00012``) is still
    found, however it is typed."""

    async def test_the_complainant_checks_and_settles_an_old_ticket_typed_loosely(
        self, harness: Harness, buton: str
    ) -> None:
        await _file(harness, SITI, buton)
        ticket = _as_numbered_before(harness)
        [shown] = await harness.says(SITI, "adu 2026 12")
        assert f"Pengaduan {ticket}" in shown and "Status: Sedang diproses" in shown
        await harness.officer_says(GROUP, OFFICER, f"jawab {ticket} Sudah disalurkan.")
        await harness.says(SITI, "selesai ADU / 2026 / 00012")
        assert _complaint(harness, ticket).status == "closed"

    async def test_an_officer_claims_an_old_ticket(self, harness: Harness, buton: str) -> None:
        await _file(harness, SITI, buton)
        ticket = _as_numbered_before(harness)
        [claimed] = await harness.officer_says(GROUP, OFFICER, "klaim adu-2026-12")
        assert f"{ticket} ditangani oleh Ibu Wa Ode" in claimed
        assert _complaint(harness, ticket).claimed_by_id is not None


class TestComplainantSide:
    async def test_status_from_the_same_chat_and_not_from_another(
        self, harness: Harness, buton: str
    ) -> None:
        await _file(harness, SITI, buton)
        [shown] = await harness.says(SITI, FIRST.lower())
        assert f"Pengaduan {FIRST}" in shown and "Status: Sedang diproses" in shown
        assert "paling lambat Kamis, 12 Maret 2026 pukul 10.00 WITA" in shown

        [theirs] = await harness.says(OTHER, FIRST)
        [unknown] = await harness.says(OTHER, "ADU-BTG-2026-09999")
        assert theirs == unknown.replace("ADU-BTG-2026-09999", FIRST)
        assert "tidak ditemukan" in theirs and "Beras" not in theirs
        [command] = await harness.says(OTHER, f"selesai {FIRST}")
        assert command == theirs
        assert _complaint(harness).status == "open"

    async def test_check_from_the_menu_lists_the_chats_complaints(
        self, harness: Harness, buton: str
    ) -> None:
        await _file(harness, SITI, buton)
        await harness.says(SITI, "3")
        [listed] = await harness.says(SITI, "7")
        assert f"1. {FIRST} (Sedang diproses)" in listed
        [shown] = await harness.presses(SITI, "1")
        assert "Status: Sedang diproses" in shown and "1. Tambah informasi" in shown

    async def test_adding_information_reaches_the_officers(
        self, harness: Harness, buton: str
    ) -> None:
        await _file(harness, SITI, buton)
        await harness.says(SITI, FIRST)
        [ask] = await harness.presses(SITI, "1")
        assert f"informasi tambahan untuk pengaduan {FIRST}" in ask
        [sent] = await harness.says(SITI, "Kartu KKS saya nomor 1234 hilang juga.")
        assert f"Informasi tambahan untuk {FIRST} sudah diteruskan" in sent
        await harness.deliver()
        assert "Kartu KKS saya nomor 1234" in harness.fake.texts(GROUP)[-1]
        [typed] = await harness.says(SITI, f"tambah {FIRST} Agen tutup hari Sabtu.")
        assert "sudah diteruskan" in typed

    async def test_settle_then_rate_four_with_a_comment(self, harness: Harness, buton: str) -> None:
        await _file(harness, SITI, buton)
        await harness.officer_says(GROUP, OFFICER, f"jawab {FIRST} Sudah disalurkan.")
        # A day later, long after the conversation timed out, the typed command still works.
        harness.now += timedelta(days=1)
        [settled] = await harness.says(SITI, f"selesai {FIRST}")
        assert f"Pengaduan {FIRST} selesai dan ditutup" in settled
        assert "4. Sangat baik" in settled and "1. Tidak baik" in settled
        [comment] = await harness.presses(SITI, "4")
        assert "komentar" in comment
        [thanks] = await harness.says(SITI, "Petugasnya cepat dan ramah.")
        assert "Terima kasih atas penilaian" in thanks
        complaint = _complaint(harness)
        assert complaint.status == "closed" and complaint.rating == 4
        assert complaint.rating_comment == "Petugasnya cepat dan ramah."
        [shown] = await harness.says(SITI, FIRST)
        assert "Penilaian Anda: 4 Sangat baik" in shown and "Sudah disalurkan." in shown

    async def test_buka_within_the_window_reopens_with_a_new_deadline(
        self, harness: Harness, buton: str
    ) -> None:
        await _file(harness, SITI, buton)
        await harness.officer_says(GROUP, OFFICER, f"jawab {FIRST} Sudah disalurkan.")
        first_due = _complaint(harness).due_at
        harness.now += timedelta(days=2)
        [ask] = await harness.says(SITI, f"buka {FIRST}")
        assert "Apa yang belum tuntas" in ask
        [reopened] = await harness.says(SITI, "Beras belum sampai juga.")
        # Reopened Thursday 10.00 WITA: a new 2×24 hours ends Saturday 10.00 WITA.
        assert "dibuka lagi" in reopened
        assert "paling lambat Sabtu, 14 Maret 2026 pukul 10.00 WITA" in reopened
        complaint = _complaint(harness)
        assert complaint.status == "open" and complaint.due_at > first_due
        assert complaint.cycle == 2
        await harness.deliver()
        # The claiming officer is told by the service.
        assert any(f"DIBUKA ULANG {FIRST}" in t for t in harness.fake.texts(OFFICER))

    async def test_buka_after_the_window_is_refused(self, harness: Harness, buton: str) -> None:
        await _file(harness, SITI, buton)
        await harness.officer_says(GROUP, OFFICER, f"jawab {FIRST} Sudah disalurkan.")
        harness.now += timedelta(days=8)
        [refused] = await harness.says(SITI, f"buka {FIRST} belum sampai")
        assert "paling lama 7 hari setelah dijawab" in refused
        assert _complaint(harness).status == "answered"


class TestProvenPerson:
    async def test_a_proven_person_files_and_no_full_nik_ever_reaches_telegram(
        self, harness: Harness, buton: str, people: People
    ) -> None:
        # Her own number, shared with the button, is the one on file.
        await harness.sends(SITI, contact_update(harness.next_update_id(), SITI, "+6281234567001"))
        # Linked: her own office (Lamandau) is now the chat's office.
        await harness.says(SITI, "0")
        await harness.says(SITI, "3")
        await harness.says(SITI, "2")  # data salah
        await harness.says(SITI, "lewati")  # skip the programme
        await harness.says(SITI, f"NIK saya {people.siti.nik[:6]} salah ketik di DTKS.")
        await harness.says(SITI, "2")
        [filed] = await harness.says(SITI, "1")
        # Lamandau's own first ticket, on Western Indonesian Time.
        assert LAMANDAU_FIRST in filed and "WIB" in filed

        complaint = _complaint(harness, LAMANDAU_FIRST)
        assert complaint.person_id == people.siti.id
        assert complaint.complainant_name == "Siti Aminah"
        [announcement] = harness.fake.texts(LAMANDAU_GROUP)
        assert "Siti Aminah" in announcement and "NIK" in announcement

        # Linked in a second chat by a code from the office, she sees the same ticket there.
        await harness.says(OTHER, issue(harness, Kind.PERSON, person=people.siti))
        [shown] = await harness.says(OTHER, LAMANDAU_FIRST)
        assert "Status: Sedang diproses" in shown

        assert people.siti.nik not in harness.fake.all_params_text()
        with Session(harness.engine) as session:
            person = session.get_one(Person, people.siti.id)
        assert person.nik not in harness.fake.all_params_text()
