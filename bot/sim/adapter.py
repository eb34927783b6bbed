"""Simulator JSON -> InboundEvent. The payload is our own:
{chat_id, text | choice | contact: {phone_number}, display_name, sender_id?,
reply_to_message_id?}.

A contact stands for the person's own number shared with a "share my number" button: the
simulator runs only in demo mode, where nobody's number is real.

A ``sender_id`` other than the chat id makes the chat a group (the officers' chat of the demo),
where several people write and each is told apart by their sender id.
"""

from __future__ import annotations

from typing import Any

from bot.inbound import InboundEvent
from bot.sim import CHANNEL


def _optional(payload: dict[str, Any], key: str) -> str | None:
    value = str(payload.get(key) or "").strip()[:80]
    return value or None


def parse(payload: dict[str, Any]) -> InboundEvent:
    chat_id = str(payload.get("chat_id") or "").strip()
    if not chat_id:
        return InboundEvent(channel=CHANNEL, chat_id=None, kind="ignored")
    sender_id = _optional(payload, "sender_id")
    common: dict[str, Any] = {
        "channel": CHANNEL,
        "chat_id": chat_id,
        "display_name": str(payload.get("display_name") or ""),
        "sender_id": sender_id or chat_id,
        "group": sender_id is not None and sender_id != chat_id,
        "reply_to_platform_message_id": _optional(payload, "reply_to_message_id"),
    }
    contact = payload.get("contact")
    if isinstance(contact, dict) and isinstance(contact.get("phone_number"), str):
        return InboundEvent(kind="contact", phone=contact["phone_number"][:40], **common)
    choice = payload.get("choice")
    if isinstance(choice, str) and choice.strip():
        return InboundEvent(kind="choice", choice=choice, **common)
    text = payload.get("text")
    if isinstance(text, str):
        return InboundEvent(kind="text", text=text, **common)
    return InboundEvent(kind="unsupported", **common)
