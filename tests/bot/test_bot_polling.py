"""Telegram by long polling: updates fetched with getUpdates go into the same durable path as
the webhook's, and are confirmed only once stored, so a poller killed at any moment loses and
doubles nothing. Against the fake Bot API's getUpdates, with Telegram's offset semantics."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from sqlalchemy import Engine
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from bot.cli import register
from bot.telegram.polling import WebhookActive, poll
from bot.telegram.sender import make_bot
from core.settings import Settings, get_settings
from models import InboundMessage
from tests.bot.chat_harness import button_update, text_update
from tests.fakes.telegram_server import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]


def _stored(engine: Engine) -> list[str]:
    with Session(engine) as session:
        rows = session.exec(
            select(InboundMessage.platform_id)
            .where(InboundMessage.channel == "telegram")
            .order_by(col(InboundMessage.id))
        ).all()
    return list(rows)


def _until(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # bounded: a process on the other side has to get there
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting: {what}")
        time.sleep(0.05)


def _poller(database_url: str, fake: FakeTelegram) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEMO_MODE": "true",
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.url,
    }
    return subprocess.Popen(
        [sys.executable, "-c", "from app.cli import main; main()", "poll"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.timeout(180)
def test_a_poller_killed_between_storing_and_confirming_loses_and_doubles_nothing(
    database_url: str, engine: Engine, fake_telegram: FakeTelegram
) -> None:
    fake = fake_telegram
    first = _poller(database_url, fake)
    try:
        _until(lambda: fake.polls_waiting() > 0, "the poller to wait for updates")
        # Telegram goes away just after answering this poll: the batch is stored, but the
        # call that would confirm it fails, and the poller is killed while it waits to retry.
        fake.fail_all(502)
        fake.push_updates(*(text_update(n, 9000 + n, "halo") for n in (1, 2, 3)))
        _until(lambda: len(_stored(engine)) == 3, "the first batch to be stored")
        _until(
            lambda: any(c.method == "getUpdates" and not c.ok for c in fake.calls),
            "the confirming call to fail",
        )
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    assert fake.pending_updates() == [1, 2, 3]  # never confirmed

    fake.fail_all(None)
    fake.push_updates(text_update(4, 9004, "halo"), button_update(5, 9001, "1"))
    second = _poller(database_url, fake)
    try:
        _until(lambda: len(_stored(engine)) == 5, "the second batch to be stored")
        _until(lambda: fake.pending_updates() == [], "the second batch to be confirmed")
    finally:
        second.send_signal(signal.SIGTERM)
        _, err = second.communicate(timeout=30)
    assert second.returncode == 0, err
    # The first batch came again and was recognised; each update is stored once.
    assert _stored(engine) == ["1", "2", "3", "4", "5"]


def _settings(database_url: str, fake: FakeTelegram) -> Settings:
    return Settings(
        database_url=database_url,
        demo_mode=True,
        telegram_bot_token=fake.token,  # type: ignore[arg-type]
        telegram_api_base_url=fake.url,
    )


async def test_updates_are_confirmed_only_after_they_are_stored_and_on_stopping(
    database_url: str, engine: Engine, fake_telegram: FakeTelegram
) -> None:
    fake = fake_telegram
    bot = make_bot(_settings(database_url, fake))
    assert bot is not None
    stop = asyncio.Event()
    fake.push_updates(*(text_update(n, 9100 + n, "halo") for n in range(10, 13)))
    async with bot:
        batches: list[int] = []
        polling = asyncio.create_task(
            poll(bot, engine, stop=stop, timeout=1, stored=lambda s: batches.append(s.stored))
        )
        while not batches:
            await asyncio.sleep(0.02)
        # An update that was not in the batch stays with Telegram until the next poll.
        fake.push_updates(text_update(13, 9113, "halo"))
        while len(_stored(engine)) < 4:
            await asyncio.sleep(0.02)
        stop.set()
        stats = await polling
    assert (stats.stored, stats.repeated) == (4, 0)
    assert _stored(engine) == ["10", "11", "12", "13"]
    assert fake.pending_updates() == []  # the last batch was confirmed on the way out
    offsets = [c.params.get("offset") for c in fake.calls if c.method == "getUpdates"]
    assert offsets[0] is None and all(str(o) in {"13", "14"} for o in offsets[1:]), offsets


async def test_polling_while_a_webhook_is_set_is_refused(
    database_url: str, engine: Engine, fake_telegram: FakeTelegram
) -> None:
    fake_telegram.webhook_url = "https://sigap.example/webhooks/telegram"
    fake_telegram.push_updates(text_update(1, 9201, "halo"))
    bot = make_bot(_settings(database_url, fake_telegram))
    assert bot is not None
    async with bot:
        with pytest.raises(WebhookActive, match="run 'sigap delete-webhook' first"):
            await poll(bot, engine, stop=asyncio.Event(), timeout=1)
    assert _stored(engine) == []
    assert fake_telegram.pending_updates() == [1]


class TestWebhookCommands:
    @pytest.fixture
    def cli(self, fake_telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", fake_telegram.token)
        monkeypatch.setenv("TELEGRAM_API_BASE_URL", fake_telegram.url)
        get_settings.cache_clear()
        cli = typer.Typer()
        register(cli)
        yield cli  # type: ignore[misc]
        get_settings.cache_clear()

    def test_webhook_info_then_delete_webhook_then_info_again(
        self, cli: typer.Typer, fake_telegram: FakeTelegram
    ) -> None:
        fake_telegram.webhook_url = "https://sigap.example/webhooks/telegram"
        fake_telegram.push_updates(text_update(1, 9301, "halo"), text_update(2, 9302, "halo"))
        info = CliRunner().invoke(cli, ["webhook-info"])
        assert info.exit_code == 0, info.output
        assert "url: https://sigap.example/webhooks/telegram" in info.output
        assert "pending updates: 2" in info.output

        deleted = CliRunner().invoke(cli, ["delete-webhook"])
        assert deleted.exit_code == 0 and "webhook deleted" in deleted.output
        # The updates Telegram holds wait for the poller.
        assert fake_telegram.pending_updates() == [1, 2]
        info = CliRunner().invoke(cli, ["webhook-info"])
        assert "url: (none: updates wait for sigap poll)" in info.output

        dropped = CliRunner().invoke(cli, ["delete-webhook", "--drop-pending"])
        assert dropped.exit_code == 0
        assert fake_telegram.pending_updates() == []

    def test_a_wrong_token_is_one_line_without_the_token(
        self, cli: typer.Typer, fake_telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "999:WRONG-SECRET")
        get_settings.cache_clear()
        result = CliRunner().invoke(cli, ["webhook-info"])
        assert result.exit_code == 1
        assert "Telegram refused" in result.output
        assert "WRONG-SECRET" not in result.output and "Traceback" not in result.output


def test_sigap_poll_with_a_webhook_set_says_so_in_one_line(
    database_url: str, fake_telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.cli import cli as sigap

    fake_telegram.webhook_url = "https://sigap.example/webhooks/telegram"
    for name, value in {
        "DATABASE_URL": database_url,
        "TELEGRAM_BOT_TOKEN": fake_telegram.token,
        "TELEGRAM_API_BASE_URL": fake_telegram.url,
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(sigap, ["poll"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        "cannot poll: a webhook is set (https://sigap.example/webhooks/telegram); "
        "run 'sigap delete-webhook' first"
    )
