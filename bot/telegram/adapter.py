"""Telegram Update JSON -> one neutral InboundEvent, using PTB's own types to read it."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.inbound import InboundEvent
from bot.telegram import CHANNEL

GROUP_TYPES = frozenset({"group", "supergroup"})
MAX_REF = 200  # the column's width; a cut file id would be useless, so a longer one is dropped


class MalformedUpdate(ValueError):
    """The JSON is not a Telegram Update at all (no update_id)."""


def platform_id(payload: dict[str, Any]) -> str:
    update_id = payload.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        raise MalformedUpdate("update_id missing or not an integer")
    return str(update_id)


def route(payload: dict[str, Any]) -> InboundEvent:
    """Only which chat an update belongs to and who sent it, read straight from the JSON.

    The webhook needs no more than this to store an update in its chat's queue, and reading
    the whole Update with PTB's types on every request would cost more than storing it. The
    processor reads the full update with :func:`parse`; both name the same chat.
    """
    query = payload.get("callback_query")
    if isinstance(query, dict):
        sender = _dict(query.get("from"))
        chat = _dict(_dict(query.get("message")).get("chat"))
        chat_id = chat.get("id", sender.get("id"))
        return _routed(chat_id, sender)
    message = payload.get("message")
    if isinstance(message, dict):
        chat = _dict(message.get("chat"))
        if chat.get("type") == "private" or chat.get("type") in GROUP_TYPES:
            return _routed(chat.get("id"), _dict(message.get("from")))
        return InboundEvent(channel=CHANNEL, chat_id=None, kind="ignored")
    edited = payload.get("edited_message")
    if isinstance(edited, dict) and _dict(edited.get("chat")).get("type") == "private":
        return _routed(_dict(edited.get("chat")).get("id"), _dict(edited.get("from")))
    return InboundEvent(channel=CHANNEL, chat_id=None, kind="ignored")


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _routed(chat_id: object, sender: dict[str, Any]) -> InboundEvent:
    if not isinstance(chat_id, int) or isinstance(chat_id, bool):
        return InboundEvent(channel=CHANNEL, chat_id=None, kind="ignored")
    name = " ".join(str(sender.get(k)) for k in ("first_name", "last_name") if sender.get(k))
    return InboundEvent(channel=CHANNEL, chat_id=str(chat_id), kind="text", display_name=name)


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
            sender_id=str(query.from_user.id),
            group=chat is not None and chat.type in GROUP_TYPES,
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

    group = message.chat.type in GROUP_TYPES
    if message.chat.type != "private" and not group:
        return InboundEvent(channel=CHANNEL, chat_id=None, kind="ignored")

    # In a group the conversation decides whether the group is an officers' chat; there,
    # ordinary chatter is left alone, so only the officer's identity and reply target matter.
    common: dict[str, Any] = {
        "channel": CHANNEL,
        "chat_id": str(message.chat.id),
        "display_name": message.from_user.full_name if message.from_user else "",
        "sender_id": str(message.from_user.id) if message.from_user else None,
        "group": group,
        "reply_to_platform_message_id": (
            str(message.reply_to_message.message_id) if message.reply_to_message else None
        ),
    }
    if message.text is not None:
        return InboundEvent(kind="text", text=message.text, **common)
    if message.photo:
        # The largest size is last; its file id lets an officer download it through the API.
        file_id = message.photo[-1].file_id
        return InboundEvent(
            kind="photo",
            text=message.caption or "",
            photo_ref=file_id if len(file_id) <= MAX_REF else None,
            **common,
        )
    if message.location is not None:
        location = (message.location.latitude, message.location.longitude)
        return InboundEvent(kind="location", location=location, **common)
    return InboundEvent(kind="unsupported", **common)
