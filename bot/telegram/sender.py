"""Outbox rows -> Bot API calls through python-telegram-bot, with errors mapped to outcomes."""

from __future__ import annotations

import itertools
import logging
import math
import warnings
from contextlib import suppress
from datetime import timedelta

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.warnings import PTBUserWarning

from bot.channels import Outgoing, SendResult
from bot.inbound import Button
from bot.telegram import CHANNEL
from bot.telegram.request import AiohttpRequest
from bot.text import split_text
from core.settings import Settings

log = logging.getLogger(__name__)
# _send_part asks for the raw JSON on purpose; PTB would rather we called send_message.
warnings.filterwarnings(
    "ignore", message=r".*do_api_request\(\"sendMessage\"", category=PTBUserWarning
)

MAX_TEXT = 4096  # Bot API limit for sendMessage text, in characters
# Connections to the Bot API: enough for the sender's calls in flight at its rate (a quarter
# of a second's worth, as bot.outbox keeps), within reason.
MIN_CONNECTIONS = 8
MAX_CONNECTIONS = 256


def make_bot(settings: Settings, *, connections: int = 8) -> Bot | None:
    """None when no token is configured: then the channel is off."""
    if settings.telegram_bot_token is None or not settings.telegram_bot_token.get_secret_value():
        return None
    base = settings.telegram_api_base_url.rstrip("/")
    # Short timeouts keep one slow call well inside the sender's lease on the chat.
    request = AiohttpRequest(
        connections=connections,
        connect_timeout=5,
        read_timeout=10,
        write_timeout=10,
        pool_timeout=5,
    )
    return Bot(
        settings.telegram_bot_token.get_secret_value(),
        base_url=f"{base}/bot",
        request=request,
        get_updates_request=AiohttpRequest(connections=1),
    )


def keyboard(
    rows: tuple[tuple[Button, ...], ...],
) -> InlineKeyboardMarkup | ReplyKeyboardMarkup | None:
    """Buttons under the message; a "share my number" button instead replaces the keyboard
    with one that sends the person's own contact (Telegram puts that only on a reply
    keyboard, and a message carries one kind of keyboard: the other choices stay typed)."""
    share = next((b for row in rows for b in row if b.kind == "share_phone"), None)
    if share is not None:
        return ReplyKeyboardMarkup(
            [[KeyboardButton(share.label, request_contact=True)]],
            resize_keyboard=True,
            one_time_keyboard=True,
        )
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.value[:64]) for b in row] for row in rows]
    )


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def open_sender(settings: Settings) -> TelegramSender | None:
    wanted = math.ceil(settings.telegram_send_rate * 0.25)
    bot = make_bot(settings, connections=max(MIN_CONNECTIONS, min(MAX_CONNECTIONS, wanted)))
    if bot is None:
        log.info("no TELEGRAM_BOT_TOKEN: Telegram is off")
        return None
    try:
        await bot.initialize()  # getMe: proves the token early
    except TelegramError as exc:
        # The API may be briefly unreachable at start; sending still works once it is back.
        # Only the type: PTB's InvalidToken message quotes the token itself.
        log.warning("Telegram getMe failed at start: %s", type(exc).__name__)
    return TelegramSender(bot)


class TelegramSender:
    channel = CHANNEL

    def __init__(self, bot: Bot, *more: Bot) -> None:
        """Calls go to ``bot`` and ``more`` in turn: one Bot API client each."""
        self.bot = bot
        self._bots = (bot, *more)
        self._turn = itertools.cycle(self._bots)

    async def aclose(self) -> None:
        for bot in self._bots:
            with suppress(TelegramError):
                await bot.shutdown()

    async def send(self, message: Outgoing) -> SendResult:
        # Progress survives a failed attempt, so a retry never repeats a delivered part.
        extra = dict(message.extra)
        bot = next(self._turn)
        try:
            await self._answer_callback(bot, extra)
            parts = split_text(message.text, MAX_TEXT)
            last_id: int | None = None
            for index in range(int(extra.get("parts_sent", 0)), len(parts)):
                is_last = index == len(parts) - 1
                markup = keyboard(message.buttons) if is_last else None
                last_id = await _send_part(bot, int(message.chat_id), parts[index], markup)
                extra["parts_sent"] = index + 1
            return SendResult(
                "sent", platform_message_id=str(last_id) if last_id else None, extra=extra
            )
        except RetryAfter as exc:
            return SendResult(
                "retry",
                retry_after=_seconds(exc.retry_after),
                error=str(exc),
                extra=extra,
                throttled=True,
                code="429",
            )
        except Forbidden as exc:
            return SendResult("unreachable", error=str(exc), extra=extra, code="403")
        except BadRequest as exc:
            # The request itself is wrong (chat not found, bad markup): retrying cannot help.
            return SendResult("failed", error=str(exc), extra=extra, code="400")
        except NetworkError as exc:  # includes TimedOut and 5xx answers
            code = "timeout" if isinstance(exc, TimedOut) else "network"
            return SendResult("retry", error=str(exc), extra=extra, code=code)
        except TelegramError as exc:
            # PTB names the error, not its HTTP status: InvalidToken, Conflict, ...
            name = type(exc).__name__
            return SendResult("retry", error=f"{name}: {exc}", extra=extra, code=name)

    async def _answer_callback(self, bot: Bot, extra: dict[str, object]) -> None:
        query_id = extra.get("callback_query_id")
        if not query_id or extra.get("callback_answered"):
            return
        try:
            await bot.answer_callback_query(str(query_id))
        except BadRequest as exc:
            # "query is too old": the spinner has stopped by itself; the reply still matters.
            log.info("callback query %s not answered: %s", query_id, exc)
        extra["callback_answered"] = True


async def _send_part(
    bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None
) -> int:
    # Only the message's id is needed, read straight from the JSON: building PTB's Message
    # from the answer cost a third of a send's time. It also spares a failure after the message
    # went out: a Bot API that echoes a reply keyboard back (the fake one in the tests does)
    # would make PTB's Message, which reads any reply_markup as an inline keyboard, fail.
    result = await bot.do_api_request(
        "sendMessage", api_kwargs={"chat_id": chat_id, "text": text, "reply_markup": markup}
    )
    message_id = result.get("message_id") if isinstance(result, dict) else None
    return int(message_id) if isinstance(message_id, int) else 0
