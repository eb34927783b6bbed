"""A channel that exists only in the tests, registered the way every channel is: one object.

Its platform is this module: the webhook takes ``{"id", "chat_id", "text"}``, and the sender
keeps what it was asked to send. Its adapter has a bug on purpose: a message that says
``boom`` makes it raise, as a real adapter might on a payload nobody foresaw.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from bot.channels import Capabilities, Channel, Outgoing, Sender, SendResult
from bot.inbound import InboundEvent
from bot.webhooks import accept, parse_json_object
from core.settings import Settings

NAME = "echo"
SENT: list[tuple[str, str]] = []  # (chat id, text) in the order the platform took them


def parse(payload: dict[str, Any]) -> InboundEvent:
    if payload.get("text") == "boom":
        raise ValueError("the echo adapter cannot read this")
    return InboundEvent(
        channel=NAME, chat_id=str(payload["chat_id"]), kind="text", text=str(payload["text"])
    )


async def webhook(request: Request) -> JSONResponse:
    payload = parse_json_object(await request.body()) or {}
    event = InboundEvent(channel=NAME, chat_id=str(payload["chat_id"]), kind="text")
    await accept(
        request.app, channel=NAME, platform_id=str(payload["id"]), payload=payload, event=event
    )
    return JSONResponse({"ok": True})


class EchoSender:
    channel = NAME

    async def send(self, message: Outgoing) -> SendResult:
        SENT.append((message.chat_id, message.text))
        return SendResult("sent", platform_message_id=f"echo-{message.id}")

    async def aclose(self) -> None:
        return None


async def _open(_settings: Settings) -> Sender:
    return EchoSender()


ECHO = Channel(
    name=NAME,
    parse=parse,
    routes=lambda app: app.add_route("/webhooks/echo", webhook, methods=["POST"]),
    open_sender=_open,
    send_rate=lambda _settings: 200.0,
    capabilities=Capabilities(),
)
