"""The WhatsApp Cloud API channel as the rest of Sigap sees it."""

from __future__ import annotations

from typing import Any

from bot.channels import Capabilities, Channel, Media, Pacing, Sender
from bot.whatsapp import CHANNEL as NAME
from bot.whatsapp.adapter import parse
from core.settings import Settings


async def _fetch_media(settings: Settings, ref: str, max_bytes: int) -> Media:
    from bot.whatsapp.media import fetch_media

    return await fetch_media(settings, ref, max_bytes)


def _routes(app: Any) -> None:
    from bot.whatsapp.webhook import whatsapp_verify, whatsapp_webhook

    app.add_route("/webhooks/whatsapp", whatsapp_webhook, methods=["POST"], include_in_schema=False)
    app.add_route("/webhooks/whatsapp", whatsapp_verify, methods=["GET"], include_in_schema=False)


async def _open_sender(settings: Settings) -> Sender | None:
    from bot.whatsapp.sender import make_sender

    return make_sender(settings)


def _deep_link(settings: Settings, code: str, _group: bool) -> str | None:
    # The chat opens with the code typed in; the person only presses send. WhatsApp has no
    # groups for the Cloud API: an officers' chat is one number.
    if settings.whatsapp_display_number is None:
        return None
    return f"https://wa.me/{settings.whatsapp_display_number}?text={code}"


CHANNEL = Channel(
    name=NAME,
    parse=parse,
    routes=_routes,
    open_sender=_open_sender,
    send_rate=lambda settings: float(settings.whatsapp_send_rate),
    capabilities=Capabilities(buttons=True, lists=True, templates=True),
    # Meta's pair rate limit: about one message every 6 seconds to one number, with bursts
    # allowed; a reply of a few parts must still arrive at once.
    chat_pacing=Pacing(interval=1.0, burst=5),
    deep_link=_deep_link,
    fetch_media=_fetch_media,
)
