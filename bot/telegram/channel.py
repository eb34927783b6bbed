"""The Telegram channel as the rest of Sigap sees it."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy import Engine

from bot.channels import Capabilities, Channel, Media, Pacing, PollRefused, Sender
from bot.telegram import CHANNEL as NAME
from bot.telegram.adapter import parse
from core.settings import Settings

log = logging.getLogger(__name__)


async def _fetch_media(settings: Settings, ref: str, max_bytes: int) -> Media:
    from bot.telegram.media import fetch_media

    return await fetch_media(settings, ref, max_bytes)


def _routes(app: Any) -> None:
    from bot.telegram.webhook import telegram_webhook

    app.add_route("/webhooks/telegram", telegram_webhook, methods=["POST"], include_in_schema=False)


async def _open_sender(settings: Settings) -> Sender | None:
    from bot.telegram.sender import open_sender

    return await open_sender(settings)


def _commands(cli: Any) -> None:
    from bot.telegram.commands import delete_webhook, set_commands, set_webhook, webhook_info

    cli.command("set-webhook")(set_webhook)
    cli.command("set-commands")(set_commands)
    cli.command("webhook-info")(webhook_info)
    cli.command("delete-webhook")(delete_webhook)


async def _poll(settings: Settings, engine: Engine, stop: asyncio.Event) -> None:
    from telegram.error import TelegramError

    from bot.telegram.bot_commands import register_commands
    from bot.telegram.polling import WebhookActive, poll
    from bot.telegram.sender import make_bot

    bot = make_bot(settings)
    if bot is None:
        raise PollRefused("TELEGRAM_BOT_TOKEN is not set")
    async with bot:
        try:
            await register_commands(bot)
        except TelegramError as exc:
            # The menu of commands is a convenience; the updates are what matter.
            log.warning("telegram setMyCommands failed: %s", type(exc).__name__)
        try:
            await poll(bot, engine, stop=stop)
        except WebhookActive as exc:
            raise PollRefused(str(exc)) from None


def _is_group(chat_id: str) -> bool:
    # Group and channel ids are negative on Telegram; a person's chat id is their user id.
    return chat_id.startswith("-")


def _deep_link(settings: Settings, code: str, group: bool) -> str | None:
    # Telegram sends "/start <code>" when the link is opened; "startgroup" first asks which
    # group to add the bot to, then sends it there.
    if settings.telegram_bot_username is None:
        return None
    return (
        f"https://t.me/{settings.telegram_bot_username}?{'startgroup' if group else 'start'}={code}"
    )


CHANNEL = Channel(
    name=NAME,
    parse=parse,
    routes=_routes,
    open_sender=_open_sender,
    send_rate=lambda settings: float(settings.telegram_send_rate),
    capabilities=Capabilities(buttons=True, groups=True),
    # Telegram's FAQ: about one message a second to a chat (short bursts are tolerated) and
    # at most 20 a minute to a group.
    chat_pacing=Pacing(interval=1.0, burst=3),
    group_pacing=Pacing(interval=3.0, burst=5),
    is_group=_is_group,
    commands=_commands,
    deep_link=_deep_link,
    poll=_poll,
    fetch_media=_fetch_media,
)
