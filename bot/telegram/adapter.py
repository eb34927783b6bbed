"""Telegram Update JSON -> one neutral InboundEvent, using PTB's own types to read it."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.inbound import InboundEvent
from bot.telegram import CHANNEL


class MalformedUpdate(ValueError):
    """The JSON is not a Telegram Update at all (no update_id)."""


def platform_id(payload: dict[str, Any]) -> str:
    update_id = payload.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        raise MalformedUpdate("update_id missing or not an integer")
    return str(update_id)


def parse(payload: dict[str, Any]) -> InboundEvent:
    """Never raises for a well-formed update of a kind we do not handle: it becomes
    'unsupported' (someone is waiting, tell them what we can read) or 'ignored'."""
    try:
        update = Update.de_json(payload, None)
    except (KeyError, TypeError, ValueError, AttributeError):
        return InboundEvent(channel=CHANNEL, chat_id=None, kind="ignored")

    query = update.callback_query
    if query is not None:
        chat = query.message.chat if query.message is not None else None
        chat_id = str(chat.id if chat is not None else query.from_user.id)
        return InboundEvent(
            channel=CHANNEL,
            chat_id=chat_id,
            kind="choice",
            display_name=query.from_user.full_name,
            choice=(query.data or "").strip(),
            reply_context={"callback_query_id": query.id},
        )

    message = update.message
    if message is None:
        # Edited messages, channel posts, polls, membership changes: nobody asked us anything.
        # An edit comes from a person, though, so tell them edits are not read.
        edited = update.edited_message
        if edited is not None and edited.chat.type == "private":
            return InboundEvent(
                channel=CHANNEL,
                chat_id=str(edited.chat.id),
                kind="unsupported",
                display_name=edited.from_user.full_name if edited.from_user else "",
            )
        return InboundEvent(channel=CHANNEL, chat_id=None, kind="ignored")

    if message.chat.type != "private":
        # Groups may add the bot; answering every group message would be noise.
        return InboundEvent(channel=CHANNEL, chat_id=None, kind="ignored")

    name = message.from_user.full_name if message.from_user else ""
    chat_id = str(message.chat.id)
    if message.text is not None:
        return InboundEvent(
            channel=CHANNEL, chat_id=chat_id, kind="text", display_name=name, text=message.text
        )
    return InboundEvent(channel=CHANNEL, chat_id=chat_id, kind="unsupported", display_name=name)
