"""Telegram Update JSON -> one neutral InboundEvent, using PTB's own types to read it.

Neither function raises for any JSON object: a shape Telegram would never send (``"message":
"x"``, a chat whose type is an object, an id of a hundred digits) belongs to no chat, and
what the bot cannot answer meaningfully (edits, reactions, members joining, a pinned message)
is ignored rather than told "I can only read text".
"""

from __future__ import annotations

import logging
from typing import Any, TypeGuard

from telegram import Message, Update

from bot.inbound import InboundEvent
from bot.telegram import CHANNEL

log = logging.getLogger(__name__)
GROUP_TYPES = frozenset({"group", "supergroup"})
CHAT_TYPES = GROUP_TYPES | {"private"}
# Telegram's ids are 64-bit integers at most; a larger number names no chat of Telegram's.
MAX_TELEGRAM_ID = 2**63


class MalformedUpdate(ValueError):
    """The JSON is not a Telegram Update at all (no update_id)."""


def platform_id(payload: dict[str, Any]) -> str:
    update_id = payload.get("update_id")
    if not _telegram_id(update_id) or update_id < 0:
        raise MalformedUpdate("update_id missing or not a 64-bit integer")
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
        if _chat_type(chat.get("type")) is not None:
            return _routed(chat.get("id"), _dict(message.get("from")))
    # Edits, reactions, channel posts, polls, membership changes: nobody asked us anything.
    return _IGNORED


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _telegram_id(value: object) -> TypeGuard[int]:
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and -MAX_TELEGRAM_ID <= value < MAX_TELEGRAM_ID
    )


def _chat_type(value: object) -> str | None:
    """The chat's type when it is one we answer; a type of the wrong shape is none of them."""
    return str(value) if isinstance(value, str) and value in CHAT_TYPES else None


def _routed(chat_id: object, sender: dict[str, Any]) -> InboundEvent:
    if not _telegram_id(chat_id):
        return _IGNORED
    name = " ".join(str(sender.get(k)) for k in ("first_name", "last_name") if sender.get(k))
    return InboundEvent(channel=CHANNEL, chat_id=str(chat_id), kind="text", display_name=name)


_IGNORED = InboundEvent(channel=CHANNEL, chat_id=None, kind="ignored")


def parse(payload: dict[str, Any]) -> InboundEvent:
    """Never raises: a well-formed update of a kind we do not handle becomes 'unsupported'
    (someone is waiting, tell them what we can read) or 'ignored'; anything else, 'ignored'."""
    plain = _plain_text(payload)
    if plain is not None:
        return plain
    return _parse_with_ptb(payload)


def _parse_with_ptb(payload: dict[str, Any]) -> InboundEvent:
    try:
        return _read(Update.de_json(payload, None))
    except Exception as exc:
        # PTB's types take what the JSON holds: a date out of range fails in its constructor,
        # a list where the text should be fails in whatever reads it. Nobody sent us that.
        log.info("telegram update unreadable, ignored: %s", type(exc).__name__)
        return _IGNORED


def _read(update: Update) -> InboundEvent:
    query = update.callback_query
    if query is not None:
        chat = query.message.chat if query.message is not None else None
        chat_id = chat.id if chat is not None else query.from_user.id
        if not _telegram_id(chat_id):
            return _IGNORED
        return InboundEvent(
            channel=CHANNEL,
            chat_id=str(chat_id),
            kind="choice",
            display_name=query.from_user.full_name,
            choice=(query.data or "").strip(),
            reply_context={"callback_query_id": query.id},
            sender_id=str(query.from_user.id),
            group=chat is not None and _chat_type(chat.type) in GROUP_TYPES,
        )

    message = update.message
    if message is None or _chat_type(message.chat.type) is None:
        return _IGNORED
    if not _telegram_id(message.chat.id):
        return _IGNORED
    group = _chat_type(message.chat.type) in GROUP_TYPES
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
        return InboundEvent(
            kind="photo", text=message.caption or "", photo_ref=message.photo[-1].file_id, **common
        )
    if message.document is not None:
        document = message.document
        return InboundEvent(
            kind="document",
            text=message.caption or "",
            file_ref=document.file_id,
            file_name=document.file_name or "",
            mime_type=document.mime_type or "",
            **common,
        )
    if message.voice is not None or message.audio is not None:
        # A voice note, or an audio file sent as music: both are someone speaking to us.
        audio = message.voice or message.audio
        assert audio is not None
        return InboundEvent(
            kind="voice",
            text=message.caption or "",
            file_ref=audio.file_id,
            file_name=getattr(audio, "file_name", None) or "",
            mime_type=audio.mime_type or "",
            **common,
        )
    if message.location is not None:
        location = (message.location.latitude, message.location.longitude)
        return InboundEvent(kind="location", location=location, **common)
    if message.contact is not None:
        # A contact carries whichever number the sender chose: only their own (the "share my
        # number" button sends that, with their user id) vouches for who is writing.
        contact = message.contact
        own = (
            contact.user_id is not None
            and message.from_user is not None
            and contact.user_id == message.from_user.id
            and not group
        )
        digits = "".join(ch for ch in contact.phone_number or "" if ch in "0123456789")
        phone = f"+{digits}" if own and digits else None
        return InboundEvent(kind="contact", phone=phone, **common)
    if _service(message):
        # The same chat as route() names, so the update waits its turn there, then nothing.
        return InboundEvent(kind="ignored", **common)
    return InboundEvent(kind="unsupported", **common)


def _service(message: Message) -> bool:
    """A message nobody typed: someone joined or left, a title changed, a message was pinned.

    What a person sends always has text, a caption or an attachment (a sticker, a voice note,
    a document...); a service message has none of these."""
    return message.caption is None and message.effective_attachment is None


# The plain text message, most of what a bot is sent, read straight from the JSON: PTB's
# ``Update.de_json`` builds five objects for it and was a quarter of the processor's time.
# Only a message of exactly this shape is read here, each field of the type Telegram sends,
# so that PTB would read it the same and fail on none of it; anything else (a reply, a caption,
# a field more or of another type) goes through PTB as before.
_MESSAGE_KEYS = frozenset({"message_id", "date", "chat", "from", "text", "entities"})
_CHAT_TEXT = frozenset({"first_name", "last_name", "username", "title"})
_USER_TEXT = frozenset({"first_name", "last_name", "username", "language_code"})
_USER_FLAGS = frozenset({"is_bot", "is_premium"})
_ENTITY = {"type": str, "offset": int, "length": int}
_LATEST_DATE = 2**33  # seconds since 1970: the year 2242, well within what PTB can read


def _plain_text(payload: dict[str, Any]) -> InboundEvent | None:
    """The event of a plain text message, or None when PTB must read the update."""
    message = payload.get("message")
    if len(payload) != 2 or not isinstance(message, dict) or not message.keys() <= _MESSAGE_KEYS:
        return None
    chat, sender, text = message.get("chat"), message.get("from"), message.get("text")
    if not (
        isinstance(text, str)
        and _telegram_id(message.get("message_id"))
        and _telegram_id(date := message.get("date"))
        and 0 <= date < _LATEST_DATE
        and isinstance(chat, dict)
        and _telegram_id(chat.get("id"))
        and _chat_type(chat.get("type")) is not None
        and _only(chat, _CHAT_TEXT, frozenset())
        and (sender is None or _user(sender))
        and _entities(message.get("entities", []))
    ):
        return None
    first = sender.get("first_name") if sender else None
    last = sender.get("last_name") if sender else None
    name = (f"{first} {last}" if last else first) if first else ""
    return InboundEvent(
        channel=CHANNEL,
        chat_id=str(chat["id"]),
        kind="text",
        text=text,
        display_name=name,
        sender_id=str(sender["id"]) if sender else None,
        group=chat["type"] in GROUP_TYPES,
        reply_to_platform_message_id=None,
    )


def _only(value: dict[str, Any], texts: frozenset[str], flags: frozenset[str]) -> bool:
    """Besides "id" and "type", only these keys, of these types."""
    for key, item in value.items():
        if key in texts:
            if not isinstance(item, str):
                return False
        elif key in flags:
            if not isinstance(item, bool):
                return False
        elif key not in ("id", "type"):
            return False
    return True


def _user(value: object) -> bool:
    """A sender as Telegram describes one: PTB's ``User`` needs an id, a name and the bot flag."""
    return (
        isinstance(value, dict)
        and "type" not in value
        and _telegram_id(value.get("id"))
        and isinstance(value.get("first_name"), str)
        and isinstance(value.get("is_bot"), bool)
        and _only(value, _USER_TEXT, _USER_FLAGS)
    )


def _entities(value: object) -> bool:
    """Commands and links marked in the text (``/start``), which the bot does not read."""
    return isinstance(value, list) and all(
        isinstance(entity, dict)
        and entity.keys() == _ENTITY.keys()
        and all(
            isinstance(entity[key], kind) and not isinstance(entity[key], bool)
            for key, kind in _ENTITY.items()
        )
        for entity in value
    )
