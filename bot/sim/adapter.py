"""Simulator JSON -> InboundEvent. The payload is our own: {chat_id, text | choice, name}."""

from __future__ import annotations

from typing import Any

from bot.inbound import InboundEvent
from bot.sim import CHANNEL


def parse(payload: dict[str, Any]) -> InboundEvent:
    chat_id = str(payload.get("chat_id") or "").strip()
    if not chat_id:
        return InboundEvent(channel=CHANNEL, chat_id=None, kind="ignored")
    name = str(payload.get("display_name") or "")
    choice = payload.get("choice")
    if isinstance(choice, str) and choice.strip():
        return InboundEvent(
            channel=CHANNEL, chat_id=chat_id, kind="choice", display_name=name, choice=choice
        )
    text = payload.get("text")
    if isinstance(text, str):
        return InboundEvent(
            channel=CHANNEL, chat_id=chat_id, kind="text", display_name=name, text=text
        )
    return InboundEvent(channel=CHANNEL, chat_id=chat_id, kind="unsupported", display_name=name)
