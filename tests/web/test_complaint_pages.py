"""Complaints from outside the bot, in a real browser (issue 13): a walk-in is recorded with
the complainant's contact and gets a printed receipt whose code lets them follow it in the
chat; an answer says how it was given, and the page never claims it was sent when it was not."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from bot.processor import process_pending
from core.settings import Settings
from models import Complaint, Conversation, OutboxMessage
from services.catalogue import load_catalogue
from tests.web.conftest import LiveSigap, log_in


def _chat_sends(live: LiveSigap, chat_id: str, text: str) -> None:
    response = httpx.post(f"{live.url}/webhooks/sim", json={"chat_id": chat_id, "text": text})
    assert response.status_code == 200, response.text
    settings = Settings(database_url=live.engine.url.render_as_string(), demo_mode=True)
    process_pending(
        live.engine, load_catalogue(), settings, now=datetime.now(UTC), worker_id="web-test"
    )


def _record(page: Page, channel: str, contact: str, text: str) -> str:
    page.goto("/staff/complaints/new")
    page.get_by_label("Diterima lewat").select_option(channel)
    page.get_by_label("Isi pengaduan").fill(text)
    page.get_by_label("Nama pelapor", exact=True).fill("Wa Ode Nurlina")
    page.get_by_label("Kontak pelapor (telepon, email atau alamat)").fill(contact)
    page.get_by_role("button", name="Catat dan cetak tanda terima").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tanda terima pengaduan")
    return page.locator("#number").inner_text()


def _complaint(live: LiveSigap, number: str) -> Complaint:
    with Session(live.engine) as session:
        return session.exec(select(Complaint).where(Complaint.number == number)).one()


class TestAWalkIn:
    def test_the_receipts_code_lets_the_person_follow_it_and_the_answer_reaches_their_chat(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        log_in(page, "buton-tengah.operator", then="/staff/complaints/new")
        number = _record(page, "walk_in", "0812-7000-0950", "KKS saya tertahan di agen Lakudo.")
        code = page.locator("#code").inner_text()
        assert len(code.replace(" ", "")) == 15
        # Each channel's deep link is on the receipt as a QR code too.
        assert page.locator("#links svg.qr").count() >= 1
        expect(page.get_by_role("status")).to_contain_text("hanya ditampilkan sekali")
        complaint = _complaint(live_sigap, number)
        assert (complaint.channel, complaint.complainant_contact) == ("walk_in", "0812-7000-0950")
        assert complaint.conversation_id is None

        _chat_sends(live_sigap, "web-walk-in", code)
        with Session(live_sigap.engine) as session:
            chat = session.exec(
                select(Conversation).where(Conversation.chat_id == "web-walk-in")
            ).one()
            replies = session.exec(
                select(OutboxMessage.text).where(OutboxMessage.conversation_id == chat.id)
            ).all()
        assert any(f"mengikuti pengaduan {number}" in text for text in replies)
        assert _complaint(live_sigap, number).conversation_id == chat.id

        page.context.clear_cookies()
        log_in(page, "buton-tengah.pengaduan", then=f"/staff/complaints/{complaint.id}")
        expect(page.locator("#in-chat")).to_have_text("pelapor mengikuti lewat chat")
        page.get_by_label("Jawaban untuk pelapor").fill("KKS sudah kami ambil dari agen.")
        page.get_by_role("button", name="Kirim jawaban").click()
        expect(page.get_by_role("status")).to_contain_text("dikirim ke pelapor")
        with Session(live_sigap.engine) as session:
            last = session.exec(
                select(OutboxMessage.text)
                .where(OutboxMessage.conversation_id == chat.id)
                .order_by(col(OutboxMessage.id).desc())
            ).first()
        assert last is not None and "KKS sudah kami ambil dari agen." in last


class TestAPhoneCall:
    def test_an_answer_given_by_phone_is_recorded_as_such_and_nothing_is_sent(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        log_in(page, "buton-tengah.pengaduan", then="/staff/complaints/new")
        number = _record(page, "phone", "0812-7000-0951", "Nama saya hilang dari daftar BPNT.")
        complaint = _complaint(live_sigap, number)
        page.goto(f"/staff/complaints/{complaint.id}")
        expect(page.locator("#in-chat")).to_have_text("pelapor tidak memakai chat")
        # No chat: "send" is not even offered.
        expect(page.locator("#via option")).not_to_contain_text(["dikirim ke chat pelapor"])
        page.get_by_label("Jawaban untuk pelapor").fill("Nama Ibu masuk usulan bulan depan.")
        page.get_by_label("Cara menyampaikan jawaban").select_option("phone_call")
        page.get_by_role("button", name="Kirim jawaban").click()
        status = page.get_by_role("status")
        expect(status).to_contain_text("disampaikan lewat telepon")
        expect(status).not_to_contain_text("dikirim ke pelapor")
        expect(page.locator("#thread li.officer")).to_contain_text("disampaikan lewat telepon")
