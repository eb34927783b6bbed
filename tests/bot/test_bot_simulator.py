"""A newcomer without Telegram talks to the bot through the simulator, same path as Telegram."""

from __future__ import annotations

import pytest
import typer
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.config import get_settings
from bot.cli import register
from models import InboundMessage
from tests.bot.chat_harness import SECRET, Harness


async def _sim_says(harness: Harness, chat_id: str, **body: str) -> list[dict[str, object]]:
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
