"""The bot token travels in every Bot API URL; it must never reach the server's log."""

from __future__ import annotations

import logging

import pytest
from telegram import Bot

from app.logs import configure_logging
from tests.fakes.telegram_server import running_fake_telegram


async def test_sending_a_message_logs_nothing_that_carries_the_token(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    # Even with the rest of the server at DEBUG, the HTTP clients stay quiet.
    configure_logging(logging.DEBUG)
    with running_fake_telegram() as fake:
        async with Bot(fake.token, base_url=f"{fake.url}/bot") as bot:
            await bot.send_message(chat_id=42, text="Halo")
        assert [c.method for c in fake.calls][-1] == "sendMessage"
    secret = fake.token.split(":", 1)[1]
    assert secret not in caplog.text


def test_configure_logging_silences_the_http_clients() -> None:
    configure_logging(logging.INFO)
    assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)
    assert not logging.getLogger("telegram").isEnabledFor(logging.INFO)
    assert logging.getLogger("sigap").isEnabledFor(logging.INFO)
