"""Simulator JSON -> InboundEvent. The payload is our own:
{chat_id, text | choice, display_name, sender_id?, reply_to_message_id?}.

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
    choice = payload.get("choice")
    if isinstance(choice, str) and choice.strip():
        return InboundEvent(kind="choice", choice=choice, **common)
    text = payload.get("text")
    if isinstance(text, str):
        return InboundEvent(kind="text", text=text, **common)
    return InboundEvent(kind="unsupported", **common)
