"""The Telegram channel as the rest of Sigap sees it."""

from __future__ import annotations

from typing import Any

from bot.channels import Capabilities, Channel, Media, Pacing, Sender
from bot.telegram import CHANNEL as NAME
from bot.telegram.adapter import parse
from core.settings import Settings


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
    from bot.telegram.commands import set_webhook

    cli.command("set-webhook")(set_webhook)


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
    fetch_media=_fetch_media,
)
