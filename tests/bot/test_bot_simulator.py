"""A newcomer without Telegram talks to the bot through the simulator, same path as Telegram."""

from __future__ import annotations

import pytest
import typer
from sqlmodel import Session, select
from typer.testing import CliRunner

from bot.cli import register
from core.settings import get_settings
from models import Complaint, InboundMessage, Office
from services.roles import Role
from services.staff import create_staff
from tests.bot.chat_harness import SECRET, SITI_PHONE, Harness, People


async def _sim_says(harness: Harness, chat_id: str, **body: object) -> list[dict[str, object]]:
    before = await harness.client.get(f"/webhooks/sim/{chat_id}/messages")
    after = max([m["id"] for m in before.json()["messages"]], default=0)
    response = await harness.client.post("/webhooks/sim", json={"chat_id": chat_id, **body})
    assert response.status_code == 200, response.text
    harness.process()
    await harness.deliver()
    response = await harness.client.get(f"/webhooks/sim/{chat_id}/messages?after={after}")
    return list(response.json()["messages"])


class TestSimulator:
    async def test_a_simulated_person_gets_the_menu_and_presses_a_button(
        self, harness: Harness
    ) -> None:
        [menu] = await _sim_says(harness, "1001", text="/start")
        assert "1. Informasi program" in str(menu["text"])
        assert menu["buttons"][0] == [{"label": "1. Informasi program", "value": "1"}]  # type: ignore[index]
        [office] = await _sim_says(harness, "1001", choice="1")
        assert "Pilih kabupaten/kota Anda" in str(office["text"])
        with Session(harness.engine) as session:
            channels = {m.channel for m in session.exec(select(InboundMessage)).all()}
        assert channels == {"sim"}
        assert harness.fake.sent() == []  # nothing went to Telegram

    async def test_the_simulator_shares_a_number_like_the_telegram_button(
        self, harness: Harness, people: People
    ) -> None:
        await _sim_says(harness, "1002", text="2")
        [how] = await _sim_says(harness, "1002", text="4")  # Lamandau
        share = how["buttons"][0][0]  # type: ignore[index]
        assert share["kind"] == "share_phone" and "Bagikan nomor saya" in share["label"]
        linked, pick = await _sim_says(harness, "1002", contact={"phone_number": SITI_PHONE})
        assert "Siti Aminah" in str(linked["text"]) and "Ada 2 usulan" in str(pick["text"])

    async def test_the_page_is_served_in_demo_mode(self, harness: Harness) -> None:
        page = await harness.client.get("/simulator")
        assert page.status_code == 200 and "/webhooks/sim" in page.text

    async def test_outside_demo_mode_the_simulator_does_not_exist(self, harness: Harness) -> None:
        harness.client._transport.app.state.settings = harness.settings.model_copy(  # type: ignore[attr-defined]
            update={"demo_mode": False}
        )
        assert (await harness.client.get("/simulator")).status_code == 404
        posted = await harness.client.post("/webhooks/sim", json={"chat_id": "1", "text": "hi"})
        assert posted.status_code == 404
        with Session(harness.engine) as session:
            assert session.exec(select(InboundMessage)).all() == []


class TestOfficersPane:
    """The demo's second pane: file as a beneficiary, then claim and answer as an officer."""

    async def test_a_newcomer_files_and_answers_a_complaint_in_two_panes(
        self, harness: Harness
    ) -> None:
        with Session(harness.engine) as session:
            office = session.exec(select(Office).where(Office.code == "74.14")).one()
            office.officers_chat = f"sim:officers-{office.slug}"
            create_staff(
                session=session,
                office_id=office.id or 0,
                username="buton-tengah.officer",
                full_name="Petugas Pengaduan Buton Tengah",
                role=Role.COMPLAINT_OFFICER,
                password="password-123",
                chat=f"sim:officer-{office.slug}",
            )
            session.commit()
        listed = (await harness.client.get("/webhooks/sim-officers")).json()["chats"]
        [pane] = [c for c in listed if c["chat_id"] == "officers-buton-tengah"]
        assert pane["sender_id"] == "officer-buton-tengah"

        buton = str([o.code for o in harness.catalogue.offices].index("74.14") + 1)
        for step in ("3", buton, "1", "1", "Beras belum diterima.", "2"):
            await _sim_says(harness, "2001", text=step)
        [filed] = await _sim_says(harness, "2001", text="1")
        assert "ADU-BTG-2026-00001" in str(filed["text"]) and "WITA" in str(filed["text"])

        group = pane["chat_id"]
        seen = (await harness.client.get(f"/webhooks/sim/{group}/messages")).json()["messages"]
        [announcement] = seen
        assert announcement["buttons"] == [
            [{"label": "Tangani", "value": "klaim ADU-BTG-2026-00001"}]
        ]
        # Someone in the group who is not an officer is turned away.
        [stranger] = await _sim_says(
            harness, group, choice="klaim ADU-BTG-2026-00001", sender_id="someone-else"
        )
        assert "belum terdaftar" in str(stranger["text"])
        [claimed] = await _sim_says(
            harness, group, choice="klaim ADU-BTG-2026-00001", sender_id=pane["sender_id"]
        )
        assert "ditangani oleh Petugas Pengaduan Buton Tengah" in str(claimed["text"])
        [answered] = await _sim_says(
            harness,
            group,
            text="Disalurkan ulang hari Senin.",
            sender_id=pane["sender_id"],
            reply_to_message_id=str(announcement["message_id"]),
        )
        assert "sudah dikirim ke pelapor" in str(answered["text"])
        after = await harness.client.get(f"/webhooks/sim/2001/messages?after={filed['id']}")
        [answer] = after.json()["messages"]
        assert "Disalurkan ulang hari Senin." in answer["text"]
        with Session(harness.engine) as session:
            assert session.exec(select(Complaint)).one().status == "answered"


class TestSetWebhook:
    def test_set_webhook_registers_the_url_with_the_secret_and_updates(
        self, harness: Harness, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", harness.fake.token)
        monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", SECRET)
        monkeypatch.setenv("TELEGRAM_API_BASE_URL", harness.fake.url)
        get_settings.cache_clear()
        cli = typer.Typer()
        register(cli)
        try:
            result = CliRunner().invoke(
                cli, ["set-webhook", "https://sigap.example/webhooks/telegram"]
            )
        finally:
            get_settings.cache_clear()
        assert result.exit_code == 0, result.output
        [call] = [c for c in harness.fake.calls if c.method == "setWebhook"]
        assert call.params["url"] == "https://sigap.example/webhooks/telegram"
        assert call.params["secret_token"] == SECRET
        assert call.params["allowed_updates"] == ["message", "edited_message", "callback_query"]
