"""Every form of the staff pages answers a refused value beside its field (issue 14, "Bad
input"), in a real browser: the reason sits under the field, the field is marked invalid and
points at the reason (aria-describedby, so a screen reader reads them together), and the top
of the page only says to look below. A refusal about no field (a stale version, a wrong role)
stays on top, as tests/web/test_proposal_pages.py shows.

The values are the ones the server refuses, not the browser: a reason left empty, a path that
climbs out of the scans' folder, an answer of blanks, a date in the past, a password too short.
"""

from __future__ import annotations

from datetime import UTC, datetime

from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from models import Complaint, Notice, Office, Proposal
from tests.web.conftest import LiveSigap, log_in


def expect_beside(page: Page, field: str, reason: str) -> None:
    """``reason`` is shown beside the field ``field`` (a CSS selector), not on top."""
    control = page.locator(field)
    expect(control).to_have_attribute("aria-invalid", "true")
    said = control.get_attribute("aria-describedby")
    assert said, f"{field} names no description"
    expect(page.locator(f"#{said}")).to_contain_text(reason)
    # Under the field, in the same form.
    assert page.evaluate(
        """([field, said]) => {
            const control = document.querySelector(field), note = document.getElementById(said);
            return control.form === note.closest("form")
                && Boolean(control.compareDocumentPosition(note)
                           & Node.DOCUMENT_POSITION_FOLLOWING);
        }""",
        [field, said],
    ), f"{said} is not under {field}"
    top = page.get_by_role("alert")
    expect(top).to_have_count(1)
    expect(top).to_contain_text("Periksa isian yang ditandai")
    expect(top).not_to_contain_text(reason)


def _office_id(session: Session, slug: str) -> int:
    return session.exec(select(Office.id).where(Office.slug == slug)).one() or 0


class TestProposalPage:
    def test_a_return_without_a_reason_is_refused_beside_the_reason(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        with Session(live_sigap.engine) as session:
            at_two = session.exec(
                select(Proposal)
                .where(
                    col(Proposal.number).startswith("UEP-LMD-"),
                    Proposal.step_position == 2,
                    Proposal.status == "in_progress",
                )
                .order_by(col(Proposal.id))
            ).first()
        assert at_two is not None
        log_in(page, "lamandau.kabid", then=f"/staff/proposals/{at_two.id}")
        page.locator("#action").select_option("return")
        page.locator("#move").get_by_role("button", name="Simpan").click()
        expect_beside(page, "#note", "Alasan wajib diisi")
        expect(page.locator("#current-step")).to_contain_text("Tahap 2 dari")

    def test_a_scan_path_out_of_the_folder_is_refused_beside_it_and_the_typed_values_kept(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        with Session(live_sigap.engine) as session:
            proposal = session.exec(
                select(Proposal)
                .where(Proposal.office_id == _office_id(session, "buton-tengah"))
                .order_by(col(Proposal.id))
            ).first()
        assert proposal is not None
        log_in(page, "buton-tengah.operator", then=f"/staff/proposals/{proposal.id}")
        page.locator("#output-number").fill("BA/017/2026")
        page.locator("#output-file").fill("../../etc/passwd")
        page.get_by_role("button", name="Catat hasil").click()
        expect_beside(page, "#output-file", "jalur relatif")
        expect(page.locator("#output-number")).to_have_value("BA/017/2026")
        expect(page.locator("#output-file")).to_have_value("../../etc/passwd")


class TestComplaintPage:
    def test_an_answer_of_blanks_and_an_unknown_officer_are_refused_beside_their_fields(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        with Session(live_sigap.engine) as session:
            complaint = session.exec(
                select(Complaint)
                .where(
                    Complaint.office_id == _office_id(session, "buton-tengah"),
                    Complaint.status == "open",
                )
                .order_by(col(Complaint.id))
            ).first()
        assert complaint is not None
        log_in(page, "buton-tengah.kabid", then=f"/staff/complaints/{complaint.id}")
        page.locator("#text").fill("   ")
        page.get_by_role("button", name="Kirim jawaban").click()
        expect_beside(page, "#text", "tidak boleh kosong")

        # A hand-made request naming no officer.
        page.locator("#assignee").evaluate(
            "select => { select.add(new Option('?', 'x')); select.value = 'x'; }"
        )
        page.locator("#reassign").get_by_role("button", name="Alihkan").click()
        expect_beside(page, "#assignee", "Pilih petugas pengaduan")


class TestNotices:
    def test_an_event_in_the_past_is_refused_beside_its_date_in_the_composer_and_the_change(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        log_in(page, "buton-tengah.operator", then="/staff/notices/new")
        page.locator("#title").fill("Pembagian beras")
        page.locator("#place").fill("Balai desa")
        page.locator("#date").fill("2020-01-06")
        page.locator("#time").fill("09:00")
        page.get_by_role("button", name="Jadwalkan").click()
        expect_beside(page, "#date", "masa depan")
        expect(page.locator("#title")).to_have_value("Pembagian beras")

        with Session(live_sigap.engine) as session:
            upcoming = session.exec(
                select(Notice)
                .where(
                    Notice.office_id == _office_id(session, "buton-tengah"),
                    Notice.status != "cancelled",
                    col(Notice.starts_at) > datetime.now(UTC),
                )
                .order_by(col(Notice.id))
            ).first()
        assert upcoming is not None
        page.goto(f"/staff/notices/{upcoming.id}")
        page.locator("#edit-notice #date").fill("2020-01-06")
        page.get_by_role("button", name="Simpan dan kirim ralat").click()
        expect_beside(page, "#edit-notice #date", "masa depan")


class TestAccounts:
    def test_a_new_account_with_a_short_password_is_refused_beside_the_password(
        self, page: Page
    ) -> None:
        log_in(page, "buton-tengah.admin", then="/staff/accounts")
        page.locator("#username").fill("buton-tengah.baru")
        page.locator("#full_name").fill("Petugas Baru")
        page.locator("#password").fill("pendek")
        page.get_by_role("button", name="Buat akun").click()
        expect_beside(page, "#password", "terlalu pendek")
        expect(page.locator("#username")).to_have_value("buton-tengah.baru")

    def test_two_different_new_passwords_are_refused_beside_the_second(self, page: Page) -> None:
        log_in(page, "buton-tengah.operator", then="/staff/password")
        page.locator("#current").fill("sigap-demo")
        page.locator("#new").fill("kata-sandi-baru-yang-panjang")
        page.locator("#again").fill("kata-sandi-lain-yang-panjang")
        page.get_by_role("button", name="Simpan kata sandi").click()
        expect_beside(page, "#again", "tidak sama")


class TestPrivacyPages:
    def test_an_unknown_nik_and_a_wrong_confirmation_word_are_refused_beside_their_fields(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        log_in(page, "buton-tengah.kadis", then="/staff/persons/data")
        page.locator("#p-nik").fill("7414019999990001")
        page.get_by_role("button", name="Cari").click()
        expect_beside(page, "#p-nik", "Tidak ada orang dengan NIK itu")

        page.goto("/staff/audit")
        page.locator("#f-nik").fill("7414019999990001")
        page.get_by_role("button", name="Saring menurut orang").click()
        expect_beside(page, "#f-nik", "Tidak ada orang dengan NIK itu")

        page.goto("/staff/persons/data")
        page.locator("#p-nik").fill("7414014508910031")  # the demo's first BPNT applicant
        page.get_by_role("button", name="Cari").click()
        page.locator("#confirm").fill("tidak")
        page.get_by_role("button", name="Hapus data pribadi").click()
        expect_beside(page, "#confirm", "untuk memastikan penghapusan")
        expect(page.locator("#held")).to_be_visible()
