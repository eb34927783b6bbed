"""An operator composes a notice for one desa in a real browser: the preview says how many and
how, the notice reaches the demo KPM in the simulator, the page follows its progress and lists
who could not be reached; pausing and cancelling ask first; a bad date is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from models import Conversation, NoticeRecipient, OutboxMessage, Person
from services.notice_fanout import run_due
from tests.web.conftest import LiveSigap, log_in

ZONE = ZoneInfo("Asia/Makassar")


def _fan_out(live: LiveSigap) -> int:
    """The notice job's next turn, as the worker runs it (the simulator is the phone here)."""
    return run_due(
        engine=live.engine, now=datetime.now(UTC), worker_id="web-test", phone_channel="sim"
    )


def _compose(page: Page, title: str, desa: str, days: int = 5) -> None:
    day = (datetime.now(UTC) + timedelta(days=days)).astimezone(ZONE).date()
    page.goto("/staff/notices/new")
    page.get_by_label("Jenis").select_option("socialisation")
    page.get_by_label("Judul").fill(title)
    page.get_by_label("Tempat").fill("Balai Desa Boneoge")
    page.get_by_label("Tanggal acara").fill(day.isoformat())
    page.get_by_label("Jam acara (WITA)").fill("09:00")
    page.get_by_label("Desa").select_option(desa)


class TestComposing:
    def test_a_notice_to_one_desa_reaches_its_kpm_and_lists_who_has_no_phone(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        _fan_out(live_sigap)  # the demo's own notice goes first
        log_in(page, "buton-tengah.operator", then="/staff/notices")
        _compose(page, "Sosialisasi BPNT Boneoge", "Boneoge")
        page.get_by_role("button", name="Pratinjau").click()
        preview = page.get_by_role("region", name="Pratinjau")
        # Five KPM live in Boneoge; La Ode Hamzah has no phone.
        expect(preview.locator("#recipients")).to_have_text("5")
        expect(preview.locator("#reach-phone")).to_have_text("4")
        expect(preview.locator("#reach-unreachable")).to_have_text("1")
        expect(page.locator("#preview-text")).to_contain_text("Sosialisasi BPNT Boneoge")
        expect(page.locator("#preview-template")).to_contain_text("Balai Desa Boneoge")
        # What was typed stays, to be scheduled as it is.
        expect(page.get_by_label("Judul")).to_have_value("Sosialisasi BPNT Boneoge")

        page.get_by_role("button", name="Jadwalkan").click()
        expect(page.get_by_role("status")).to_have_text("Pengumuman dijadwalkan.")
        assert _fan_out(live_sigap) == 4
        page.reload()
        expect(page.locator("#counts")).to_contain_text("4")
        not_reached = page.locator("#not-reached")
        expect(not_reached).to_contain_text("La Ode Hamzah")
        expect(not_reached).to_contain_text("tidak ada nomor HP")

        with Session(live_sigap.engine) as session:
            wa_ode = session.exec(
                select(Person).where(Person.name == "Wa Ode Sitti", Person.desa == "Boneoge")
            ).one()
            chat = session.exec(
                select(Conversation).where(
                    Conversation.channel == "sim",
                    Conversation.chat_id == wa_ode.phone_e164.removeprefix("+"),
                )
            ).one()
            texts = session.exec(
                select(OutboxMessage.text).where(OutboxMessage.conversation_id == chat.id)
            ).all()
        assert any("Sosialisasi BPNT Boneoge" in t for t in texts)

        with page.expect_download() as download:
            page.get_by_role("link", name="Unduh CSV").click()
        path = download.value.path()
        assert path is not None
        rows = path.read_text(encoding="utf-8").splitlines()
        assert rows[0].startswith("nama,nik,desa") and "La Ode Hamzah" in rows[1]

    def test_pausing_and_cancelling_ask_first_and_those_told_hear_it_is_off(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        _fan_out(live_sigap)  # whatever an earlier story left due
        log_in(page, "buton-tengah.operator", then="/staff/notices")
        _compose(page, "Penyaluran Lakudo", "Lakudo", days=6)
        page.get_by_role("button", name="Jadwalkan").click()
        expect(page.get_by_role("status")).to_have_text("Pengumuman dijadwalkan.")
        notice_page = page.url.split("?")[0]

        page.get_by_role("link", name="Jeda").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Jeda pengumuman")
        page.get_by_role("button", name="Ya, jeda").click()
        expect(page.locator("#status")).to_contain_text("dijeda")
        assert _fan_out(live_sigap) == 0  # held while paused
        page.get_by_role("link", name="Lanjutkan").click()
        page.get_by_role("button", name="Ya, lanjutkan").click()
        assert _fan_out(live_sigap) == 2  # Hadijah and Yusran; Marlina has no phone

        with Session(live_sigap.engine) as session:
            ids = select(NoticeRecipient.outbox_id).where(
                col(NoticeRecipient.outbox_id).is_not(None)
            )
            for row in session.exec(select(OutboxMessage).where(col(OutboxMessage.id).in_(ids))):
                if "Penyaluran Lakudo" in row.text:
                    row.status = "sent"  # the simulator's sender at work
                    session.add(row)
            session.commit()

        page.goto(notice_page)
        page.get_by_role("link", name="Batalkan").click()
        expect(page.locator("main")).to_contain_text("2 orang yang sudah menerimanya")
        page.get_by_role("link", name="Kembali").click()
        expect(page.locator("#status")).not_to_contain_text("dibatalkan")
        page.get_by_role("link", name="Batalkan").click()
        page.get_by_role("button", name="Ya, batalkan").click()
        expect(page.get_by_role("status")).to_contain_text("dibatalkan")
        assert _fan_out(live_sigap) == 2
        with Session(live_sigap.engine) as session:
            texts = session.exec(select(OutboxMessage.text)).all()
        assert sum(t.startswith("❌ Dibatalkan") and "Penyaluran Lakudo" in t for t in texts) == 2

    def test_an_event_in_the_past_is_refused_with_the_reason(self, page: Page) -> None:
        log_in(page, "buton-tengah.operator", then="/staff/notices/new")
        _compose(page, "Sosialisasi yang terlambat", "Boneoge", days=-1)
        page.get_by_role("button", name="Jadwalkan").click()
        expect(page.get_by_role("alert")).to_contain_text("Periksa isian yang ditandai")
        expect(page.locator("#e-date")).to_contain_text("masa depan")  # beside the date
        expect(page.get_by_label("Judul")).to_have_value("Sosialisasi yang terlambat")
        page.goto("/staff/notices")
        expect(page.locator("main")).not_to_contain_text("Sosialisasi yang terlambat")
