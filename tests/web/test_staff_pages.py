"""Staff at work in a real browser: log in, see the office, move a proposal, answer a complaint."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from core.db import unit_of_work
from models import Office, OutboxMessage, Proposal
from services.complaints import ClockPolicy, NewComplaint, file_complaint
from services.outbox import ensure_conversation
from tests.web.conftest import PASSWORD, LiveSigap, log_in


def _proposal(live: LiveSigap, number: str) -> Proposal:
    with Session(live.engine) as session:
        return session.exec(select(Proposal).where(Proposal.number == number)).one()


def _open_proposal(page: Page, number: str) -> None:
    page.goto("/staff/proposals")
    page.get_by_label("Cari").fill(number)
    page.get_by_role("button", name="Tampilkan").click()
    page.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Usulan {number}")


class TestLoggingIn:
    def test_a_page_asks_for_a_log_in_first_and_comes_back_after_it(self, page: Page) -> None:
        page.goto("/staff/complaints")
        expect(page.get_by_role("heading", name="Masuk sebagai petugas")).to_be_visible()
        log_in(page, "buton-tengah.pengaduan", then="/staff/complaints")
        expect(page.get_by_role("heading", level=1)).to_have_text("Pengaduan")

    def test_a_wrong_password_is_refused_and_nothing_opens(self, page: Page) -> None:
        page.goto("/staff")
        page.get_by_label("Nama pengguna").fill("lamandau.operator")
        page.get_by_label("Kata sandi").fill("not-the-password")
        page.get_by_role("button", name="Masuk").click()
        expect(page.get_by_role("alert")).to_contain_text("salah")
        page.goto("/staff/proposals")
        expect(page.get_by_role("heading", name="Masuk sebagai petugas")).to_be_visible()

    def test_after_logging_in_it_never_leaves_for_another_site(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        page.goto("/staff/login?next=//evil.example/steal")
        page.get_by_label("Nama pengguna").fill("lamandau.operator")
        page.get_by_label("Kata sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Ringkasan")
        assert page.url == f"{live_sigap.url}/staff"

    def test_logging_out_ends_the_session(self, page: Page) -> None:
        log_in(page, "lamandau.operator")
        page.get_by_role("button", name="Keluar").click()
        expect(page.get_by_role("heading", name="Masuk sebagai petugas")).to_be_visible()
        page.goto("/staff")
        expect(page.get_by_role("heading", name="Masuk sebagai petugas")).to_be_visible()


class TestTheOfficeAtAGlance:
    def test_the_head_sees_complaints_on_time_and_proposals_per_step(self, page: Page) -> None:
        log_in(page, "buton-tengah.kadis")
        figures = page.locator("#complaint-figures")
        # The demo's three complaints: one answered in 20 hours, two still open, one overdue.
        expect(figures.locator("[data-figure=received]")).to_have_text("3")
        expect(figures.locator("[data-figure=on-time]")).to_have_text("1")
        expect(figures.locator("[data-figure=open]")).to_have_text("2")
        expect(figures.locator("[data-figure=breached]")).to_have_text("1")
        # No one has rated yet: no index, and n says so.
        expect(figures.locator("[data-figure=ikm]")).to_have_text("—")
        expect(figures.locator("[data-figure=ikm-n]")).to_have_text("n = 0 penilaian")
        rows = page.locator("#per-step tbody tr")
        expect(rows).to_have_count(3)
        expect(rows.first).to_contain_text("Bantuan Pangan Non Tunai")  # its name, not its code


class TestMovingProposals:
    def test_an_operator_advances_a_proposal_and_its_history_shows_it(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        before = _proposal(live_sigap, "UEP-LMD-2026-0001")
        log_in(page, "lamandau.operator")
        _open_proposal(page, "UEP-LMD-2026-0001")
        expect(page.locator("#current-step")).to_contain_text("Tahap 1 dari 6")
        page.get_by_label("Tindakan").select_option("advance")
        page.get_by_role("button", name="Simpan").click()
        expect(page.get_by_role("status")).to_contain_text("kini di tahap 2")
        expect(page.locator("#current-step")).to_contain_text("Tahap 2 dari 6")
        expect(page.locator("#history")).to_contain_text("lamandau.operator")
        after = _proposal(live_sigap, "UEP-LMD-2026-0001")
        assert (after.step_position, after.version) == (2, before.version + 1)

    def test_a_step_that_is_not_the_operators_to_record_is_not_offered_and_refused_if_forged(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        # Step 3 of UEP Lamandau is the Kepala Dinas's decision.
        proposal = _proposal(live_sigap, "UEP-LMD-2026-0003")
        log_in(page, "lamandau.operator")
        _open_proposal(page, "UEP-LMD-2026-0003")
        expect(page.locator("#move")).to_have_count(0)
        expect(page.locator("#no-actions")).to_contain_text("Kepala Dinas")
        token = page.locator("input[name=form_token]").first.get_attribute("value")
        response = page.request.post(
            f"/staff/proposals/{proposal.id}/move",
            form={"action": "advance", "version": str(proposal.version), "form_token": token or ""},
        )
        assert response.status == 403
        assert "hanya boleh dicatat oleh" in response.text()
        assert _proposal(live_sigap, "UEP-LMD-2026-0003").step_position == 3

    def test_sending_a_proposal_back_needs_a_reason(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        log_in(page, "lamandau.kabid")
        _open_proposal(page, "UEP-LMD-2026-0002")
        page.get_by_label("Tindakan").select_option("return")
        page.get_by_role("button", name="Simpan").click()
        expect(page.get_by_role("alert")).to_be_visible()
        assert _proposal(live_sigap, "UEP-LMD-2026-0002").step_position == 2
        page.get_by_label("Tindakan").select_option("return")
        page.get_by_label("Catatan").fill("Foto usaha belum ada.")
        page.get_by_role("button", name="Simpan").click()
        expect(page.get_by_role("status")).to_contain_text("kini di tahap 1")
        expect(page.locator("#history")).to_contain_text("Foto usaha belum ada.")

    def test_another_offices_proposal_does_not_open(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        bone = _proposal(live_sigap, "KUBE-BON-2026-0001")
        log_in(page, "lamandau.kadis")
        response = page.goto(f"/staff/proposals/{bone.id}")
        assert response is not None and response.status == 404
        expect(page.get_by_role("alert")).to_be_visible()
        expect(page.locator("body")).not_to_contain_text("Hasnah")


class TestAnsweringComplaints:
    def test_the_officers_answer_goes_to_the_complainants_chat(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        now = datetime.now(UTC)
        with unit_of_work(live_sigap.engine) as session:
            office = session.exec(select(Office).where(Office.slug == "buton-tengah")).one()
            chat = ensure_conversation(session, channel="sim", chat_id="web-story", now=now)
            complaint = file_complaint(
                session=session,
                data=NewComplaint(
                    office_id=office.id or 0,
                    category="bantuan-terlambat",
                    description="Bantuan bulan ini belum cair.",
                    channel="sim",
                    complainant_name="Wa Ode Rahma",
                    conversation_id=chat,
                ),
                now=now,
                policy=ClockPolicy(),
            )
            number = complaint.number
        log_in(page, "buton-tengah.pengaduan")
        page.goto("/staff/complaints")
        page.get_by_role("link", name=number).click()
        expect(page.locator("#thread li").first).to_contain_text("Bantuan bulan ini belum cair.")
        page.get_by_role("button", name="Tangani").click()
        expect(page.get_by_role("status")).to_contain_text("Anda tangani")
        page.get_by_label("Jawaban untuk pelapor").fill("Sudah kami cek: cair hari Jumat.")
        page.get_by_role("button", name="Kirim jawaban").click()
        expect(page.get_by_role("status")).to_contain_text("dikirim ke pelapor")
        expect(page.locator("#status")).to_have_text("sudah dijawab")
        # The answer is part of the complaint's conversation, under the officer's name.
        expect(page.locator("#thread li.officer")).to_contain_text("cair hari Jumat")
        with Session(live_sigap.engine) as session:
            texts = session.exec(
                select(OutboxMessage.text).where(OutboxMessage.conversation_id == chat)
            ).all()
        assert any("cair hari Jumat" in text for text in texts)
        # Answered, it leaves the list of complaints waiting for an answer.
        page.goto("/staff/complaints")
        expect(page.get_by_role("link", name=number)).to_have_count(0)

    def test_a_form_from_another_session_is_refused(self, page: Page) -> None:
        log_in(page, "buton-tengah.pengaduan")
        page.goto("/staff/complaints")
        link = page.locator("#complaints a").first
        complaint_path = link.get_attribute("href")
        assert complaint_path is not None and re.fullmatch(r"/staff/complaints/\d+", complaint_path)
        response = page.request.post(
            f"{complaint_path}/answer", form={"text": "x", "form_token": "from-elsewhere"}
        )
        assert response.status == 403
        page.goto(complaint_path)
        expect(page.locator("#events")).not_to_contain_text(": x")
