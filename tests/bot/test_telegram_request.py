"""PTB's Bot over the aiohttp client: the Bot API sees the calls httpx made, and what goes
wrong on the way arrives as PTB's own errors, which the sender maps to outcomes."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.telegram.request import AiohttpRequest
from tests.fakes.loopback import free_port
from tests.fakes.telegram_server import FakeTelegram, running_fake_telegram


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with running_fake_telegram() as fake:
        yield fake


def _bot(url: str, token: str, **timeouts: float) -> Bot:
    return Bot(token, base_url=f"{url}/bot", request=AiohttpRequest(**timeouts))


async def test_a_message_with_buttons_arrives_as_json(fake: FakeTelegram) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Ya", callback_data="yes")]])
    async with _bot(fake.url, fake.token) as bot:
        sent = await bot.send_message(chat_id=42, text="Halo & selamat 100%", reply_markup=markup)
        answer = await bot.do_api_request(
            "sendMessage", api_kwargs={"chat_id": 42, "text": "kedua"}
        )
    [first, second] = fake.sent(42)
    assert first["text"] == "Halo & selamat 100%"
    assert first["reply_markup"] == {"inline_keyboard": [[{"text": "Ya", "callback_data": "yes"}]]}
    assert sent.message_id == 1001
    assert isinstance(answer, dict) and answer["message_id"] == 1002 and second["text"] == "kedua"
    assert fake.methods() == ["getMe", "sendMessage", "sendMessage"]


async def test_refusals_are_ptbs_errors(fake: FakeTelegram) -> None:
    async with _bot(fake.url, fake.token) as bot:
        fake.fail_next(1, 429, retry_after=3)
        with pytest.raises(RetryAfter) as too_many:
            await bot.send_message(chat_id=42, text="a")
        assert too_many.value.retry_after in (3, timedelta(seconds=3))
        fake.fail_next(1, 403)
        with pytest.raises(Forbidden):
            await bot.send_message(chat_id=42, text="b")
        fake.fail_next(1, 400)
        with pytest.raises(BadRequest):
            await bot.send_message(chat_id=42, text="c")
        fake.fail_next(1, 502)
        with pytest.raises(NetworkError):
            await bot.send_message(chat_id=42, text="d")
    assert fake.sent(42) == []


async def test_a_platform_slower_than_the_read_timeout_is_a_timeout(fake: FakeTelegram) -> None:
    async with _bot(fake.url, fake.token) as bot:
        fake.limit(None, delay=1.0)
        with pytest.raises(TimedOut):
            await bot.send_message(chat_id=42, text="lambat", read_timeout=0.2)


async def test_nobody_listening_is_a_network_error() -> None:
    bot = _bot(f"http://127.0.0.1:{free_port()}", "123:abc")
    try:
        with pytest.raises(NetworkError) as failed:
            await bot.send_message(chat_id=42, text="halo")
        assert not isinstance(failed.value, TimedOut)
    finally:
        await bot.shutdown()


async def test_the_client_opens_again_in_a_later_event_loop(fake: FakeTelegram) -> None:
    """A Bot made once and used from another loop (tests, a restarted worker) still works."""
    bot = _bot(fake.url, fake.token)
    await bot.send_message(chat_id=1, text="di sini")

    def elsewhere() -> None:
        async def send() -> None:
            await bot.send_message(chat_id=2, text="di sana")
            await bot.shutdown()

        asyncio.run(send())

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join(10)
    assert fake.texts(1) == ["di sini"] and fake.texts(2) == ["di sana"]
