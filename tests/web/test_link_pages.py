"""Staff issue link codes in a real browser: for an applicant at the desk (a printable receipt
with each deep link as a QR code), for their own chat, for the office's officers' chat; and
unlink an applicant's chat."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from app.web.qr import qr_code
from bot.processor import process_pending
from core.settings import Settings
from models import AuditLog, Conversation, Office, Proposal, StaffUser
from services.catalogue import load_catalogue
from tests.web.conftest import LiveSigap, log_in


def _chat_sends(live: LiveSigap, chat_id: str, text: str, *, sender: str | None = None) -> None:
    """A simulator chat sends ``text``; the processor handles it, as a worker would."""
    body = {"chat_id": chat_id, "text": text, **({"sender_id": sender} if sender else {})}
    response = httpx.post(f"{live.url}/webhooks/sim", json=body)
    assert response.status_code == 200, response.text
    settings = Settings(database_url=live.engine.url.render_as_string(), demo_mode=True)
    process_pending(
        live.engine, load_catalogue(), settings, now=datetime.now(UTC), worker_id="web-test"
    )


def _conversation(live: LiveSigap, chat_id: str) -> Conversation:
    with Session(live.engine) as session:
        return session.exec(select(Conversation).where(Conversation.chat_id == chat_id)).one()


class TestAnApplicantsChat:
    def test_a_code_from_the_desk_links_the_chat_and_unlinking_ends_it(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        with Session(live_sigap.engine) as session:
            proposal = session.exec(
                select(Proposal)
                .where(Proposal.number.startswith("UEP-"))  # type: ignore[attr-defined]
                .order_by(col(Proposal.id))
            ).first()
        assert proposal is not None
        log_in(page, "lamandau.operator", then=f"/staff/proposals/{proposal.id}")
        expect(page.locator("#chats")).to_contain_text("Belum ada chat")
        page.get_by_role("button", name="Buat kode tautan untuk pemohon").click()
        expect(page.get_by_role("status")).to_contain_text("hanya tampil sekali")
        code = page.locator("#code").inner_text()
        assert len(code.replace(" ", "")) == 15

        _chat_sends(live_sigap, "web-link-1", code)
        assert _conversation(live_sigap, "web-link-1").person_id == proposal.applicant_person_id

        page.get_by_role("link", name="Kembali").click()
        expect(page.locator("#chats")).to_contain_text("sim")
        page.get_by_role("button", name="Putuskan").click()
        expect(page.get_by_role("status")).to_contain_text("tidak lagi terhubung")
        assert _conversation(live_sigap, "web-link-1").person_id is None
        with Session(live_sigap.engine) as session:
            operator = session.exec(
                select(StaffUser).where(StaffUser.username == "lamandau.operator")
            ).one()
            actions = session.exec(
                select(AuditLog.action).where(
                    AuditLog.staff_id == operator.id,
                    AuditLog.entity_id == proposal.applicant_person_id,
                    AuditLog.entity == "person",
                )
            ).all()
        assert {"link_code", "unlink"} <= set(actions)


class TestOfficeChats:
    def test_a_kabid_links_the_officers_group_from_the_pages(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        log_in(page, "bone.kabid", then="/staff/chats")
        page.get_by_role("button", name="Buat kode untuk chat petugas").click()
        code = page.locator("#code").inner_text()
        _chat_sends(live_sigap, "web-officers-bone", f"/link {code}", sender="bone-kabid-phone")
        with Session(live_sigap.engine) as session:
            office = session.exec(select(Office).where(Office.slug == "bone")).one()
        assert office.officers_chat == "sim:web-officers-bone"

    def test_an_operator_links_only_their_own_chat(self, page: Page, live_sigap: LiveSigap) -> None:
        log_in(page, "manggarai.operator", then="/staff/chats")
        expect(page.get_by_role("button", name="Buat kode untuk chat petugas")).to_have_count(0)
        page.get_by_role("button", name="Buat kode untuk chat pribadi saya").click()
        code = page.locator("#code").inner_text()
        _chat_sends(live_sigap, "web-own-chat", code)
        with Session(live_sigap.engine) as session:
            staff = session.exec(
                select(StaffUser).where(StaffUser.username == "manggarai.operator")
            ).one()
        assert staff.chat == "sim:web-own-chat"
        page.goto("/staff/chats")
        expect(page.locator("#my-chat")).to_contain_text("Terhubung di Simulator")


def _dark_modules(path_d: str, border: int) -> set[tuple[int, int]]:
    """The dark modules segno's SVG path draws: "M x y" starts a row's run, "h n" draws n
    modules along it, "m dx dy" moves; each row is drawn at its middle (y + 0.5)."""
    tokens = re.findall(r"[Mmh]|-?[0-9.]+", path_d)
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    at = 0
    while at < len(tokens):
        command = tokens[at]
        if command in ("M", "m"):
            dx, dy = float(tokens[at + 1]), float(tokens[at + 2])
            x, y = (dx, dy) if command == "M" else (x + dx, y + dy)
            at += 3
        else:
            run = int(float(tokens[at + 1]))
            dark |= {(int(y) - border, int(x) + n - border) for n in range(run)}
            x += run
            at += 2
    return dark


class TestTheReceipt:
    def test_each_deep_link_is_a_qr_code_on_a_printable_receipt(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        with Session(live_sigap.engine) as session:
            proposal = session.exec(
                select(Proposal)
                .where(Proposal.number.startswith("BPNT-"))  # type: ignore[attr-defined]
                .order_by(col(Proposal.id))
            ).first()
        assert proposal is not None
        log_in(page, "buton-tengah.operator", then=f"/staff/proposals/{proposal.id}")
        page.get_by_role("button", name="Buat kode tautan untuk pemohon").click()
        code = page.locator("#code").inner_text().replace(" ", "")
        figures = page.locator("#links figure")
        expect(figures).to_have_count(2)
        links = page.locator("#links a").all_inner_texts()
        assert set(links) == {
            f"https://t.me/sigap_demo_bot?start={code}",
            f"https://wa.me/6281100000000?text={code}",
        }
        for n, link in enumerate(links):
            svg = figures.nth(n).locator("svg")
            expect(svg.locator("title")).to_have_text(re.compile(re.escape(link) + "$"))
            drawn = _dark_modules(svg.locator("path").get_attribute("d") or "", border=4)
            matrix = qr_code(link).matrix
            expected = {(r, c) for r, row in enumerate(matrix) for c, v in enumerate(row) if v}
            assert drawn == expected, link
        # Nothing is fetched from elsewhere: the QR codes are in the page itself, and the one
        # script (the print button's) comes from this server.
        assert page.locator("img, link[rel=stylesheet]").count() == 0
        scripts = page.locator("script[src]").evaluate_all("all => all.map(s => s.src)")
        assert scripts == [f"{live_sigap.url}/staff/static/print.js"]

        expect(page.locator("#receipt-office")).to_be_hidden()
        page.emulate_media(media="print")
        expect(page.locator("header")).to_be_hidden()
        expect(page.get_by_role("button", name="Cetak tanda terima")).to_be_hidden()
        expect(page.locator("#receipt-office")).to_contain_text("Buton Tengah")
        expect(page.locator("#receipt-how")).to_be_visible()
        expect(page.locator("#code")).to_be_visible()
        expect(figures.first).to_be_visible()
