"""WhatsApp Cloud API webhook JSON -> one stored payload per message -> one InboundEvent.

A Cloud API webhook may carry several messages (and status updates about our own messages).
The webhook stores each message on its own, as ``{"contact": {...}, "message": {...}}``, so
that every stored payload can be read later without the envelope it came in.

Nothing here raises for any JSON object: what is not a message from a person to our number is
left out, and what the bot cannot answer meaningfully (a reaction, a deletion, an edit, a
system notice) is ignored rather than told "I can only read text".
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any, TypeGuard

from bot.channels import DeliveryStatus
from bot.inbound import InboundEvent
from bot.whatsapp import CHANNEL

log = logging.getLogger(__name__)
MAX_PLATFORM_ID = 80  # inbound_message.platform_id; a longer message id is stored as its hash
# Not a message anyone typed: a reaction (or its removal), "customer changed number".
IGNORED_TYPES = frozenset({"reaction", "system", "deleted", "revoked"})
# What WhatsApp itself cannot pass on arrives as "unsupported"; these of them are no question.
IGNORED_UNSUPPORTED = frozenset({"edit", "revoke", "deleted", "reaction"})
REPLIES = frozenset({"button_reply", "list_reply"})  # a row of a list, a reply button
STATUSES = frozenset({"sent", "delivered", "read", "failed"})
RE_ENGAGEMENT = 131047  # failed: the person's 24-hour window had closed


def messages(payload: dict[str, Any], *, phone_number_id: str | None) -> list[dict[str, Any]]:
    """Each message to ``phone_number_id`` in a webhook, self-contained.

    Status updates (sent, delivered, read) and other fields yield nothing, as there is nobody
    waiting for an answer; nor does a message without a sender. Messages to another number
    (another app's, or a test number left subscribed) are not ours to answer: they are left
    out, and so is everything when no number is configured."""
    found: list[dict[str, Any]] = []
    for entry in _list(payload.get("entry")):
        for change in _list(_dict(entry).get("changes")):
            change = _dict(change)
            if change.get("field") != "messages":
                continue
            value = _dict(change.get("value"))
            received = [_dict(m) for m in _list(value.get("messages"))]
            to = _dict(value.get("metadata")).get("phone_number_id")
            if received and (not phone_number_id or to != phone_number_id):
                log.warning(
                    "whatsapp webhook for phone number id %r, not ours: %d messages dropped",
                    str(to)[:40],
                    len(received),
                )
                continue
            contacts = [_dict(c) for c in _list(value.get("contacts"))]
            for message in received:
                sender = _chat_id(message)
                if not isinstance(message.get("id"), str) or not message["id"] or not sender:
                    continue
                contact = next(
                    (c for c in contacts if c.get("wa_id") == sender),
                    contacts[0] if len(contacts) == 1 else {},
                )
                found.append({"contact": contact, "message": message})
    return found


def statuses(payload: dict[str, Any], *, phone_number_id: str | None) -> list[DeliveryStatus]:
    """What WhatsApp says of messages we sent to people: ``sent``, ``delivered``, ``read``, or
    ``failed`` with its error (code, title, details), for the outbox rows they name."""
    found: list[DeliveryStatus] = []
    for entry in _list(payload.get("entry")):
        for change in _list(_dict(entry).get("changes")):
            change = _dict(change)
            value = _dict(change.get("value"))
            to = _dict(value.get("metadata")).get("phone_number_id")
            if change.get("field") != "messages" or not phone_number_id or to != phone_number_id:
                continue
            for status in map(_dict, _list(value.get("statuses"))):
                message_id, kind = status.get("id"), status.get("status")
                if not (isinstance(message_id, str) and message_id and isinstance(kind, str)):
                    continue
                if len(message_id) > MAX_PLATFORM_ID:
                    continue  # no message of ours has such an id; cut, it would name another
                if kind not in STATUSES:  # "deleted", "warning": nothing for the outbox
                    continue
                errors = [_dict(e) for e in _list(status.get("errors"))]
                found.append(
                    DeliveryStatus(
                        platform_message_id=message_id,
                        status=kind,
                        error="; ".join(_error_text(e) for e in errors),
                        window_closed=any(e.get("code") == RE_ENGAGEMENT for e in errors),
                    )
                )
    return found


def _error_text(error: dict[str, Any]) -> str:
    details = error.get("error_data")
    words = [str(error.get("code", "")), str(error.get("title") or error.get("message") or "")]
    if isinstance(details, dict) and details.get("details"):
        words.append(f"({details['details']})")
    return " ".join(w for w in words if w)[:300]


def platform_id(stored: dict[str, Any]) -> str:
    """The message id (wamid), so that a webhook WhatsApp sends again is stored once."""
    message_id = str(stored["message"]["id"])
    if len(message_id) <= MAX_PLATFORM_ID:
        return message_id
    return "sha256:" + hashlib.sha256(message_id.encode()).hexdigest()


def route(stored: dict[str, Any]) -> InboundEvent:
    """Which chat a stored message belongs to and who wrote it: all the ingest needs."""
    message = _dict(stored.get("message"))
    return InboundEvent(
        channel=CHANNEL,
        chat_id=_chat_id(message),
        kind="text",
        display_name=_name(stored),
    )


def parse(stored: dict[str, Any]) -> InboundEvent:
    """Never raises: a message of a kind we do not read becomes 'unsupported' (someone is
    waiting, tell them what we can read); something that is no message at all, 'ignored'."""
    message = _dict(stored.get("message"))
    chat_id = _chat_id(message)
    if chat_id is None:
        return InboundEvent(channel=CHANNEL, chat_id=None, kind="ignored")
    # The Cloud API has no group chats: the chat is always the person.
    common: dict[str, Any] = {
        "channel": CHANNEL,
        "chat_id": chat_id,
        "display_name": _name(stored),
        "sender_id": chat_id,
        # WhatsApp verified the number when the account was made: it is the sender's own.
        "phone": f"+{chat_id}",
        "reply_to_platform_message_id": _str_or_none(_dict(message.get("context")).get("id")),
    }
    kind = message.get("type")
    if _ignored(message):
        return InboundEvent(kind="ignored", **common)
    if kind == "text":
        body = _dict(message.get("text")).get("body")
        if isinstance(body, str):
            return InboundEvent(kind="text", text=body, **common)
    elif kind == "interactive":
        interactive = _dict(message.get("interactive"))
        which = _str_or_none(interactive.get("type"))
        reply = _dict(interactive.get(which)) if which in REPLIES else {}
        if isinstance(reply.get("id"), str):
            return InboundEvent(kind="choice", choice=reply["id"].strip(), **common)
    elif kind == "button":  # a quick-reply button of a template message
        button = _dict(message.get("button"))
        value = button.get("payload") or button.get("text")
        if isinstance(value, str):
            return InboundEvent(kind="choice", choice=value.strip(), **common)
    elif kind == "image":
        image = _dict(message.get("image"))
        media_id = image.get("id")
        caption = image.get("caption")
        return InboundEvent(
            kind="photo",
            text=caption if isinstance(caption, str) else "",
            photo_ref=media_id if isinstance(media_id, str) else None,
            **common,
        )
    elif kind in ("document", "audio"):
        media = _dict(message.get(kind))
        media_id = media.get("id")
        if isinstance(media_id, str) and media_id:
            caption, name = media.get("caption"), media.get("filename")
            mime = media.get("mime_type")
            return InboundEvent(
                # WhatsApp marks a recorded voice note with "voice": true; any audio is speech.
                kind="document" if kind == "document" else "voice",
                text=caption if isinstance(caption, str) else "",
                file_ref=media_id,
                file_name=name if isinstance(name, str) else "",
                mime_type=mime if isinstance(mime, str) else "",
                **common,
            )
    elif kind == "location":
        location = _dict(message.get("location"))
        latitude, longitude = location.get("latitude"), location.get("longitude")
        if _number(latitude) and _number(longitude):
            # Checked and made floats by the event: JSON allows a latitude of 400 digits.
            return InboundEvent(kind="location", location=(latitude, longitude), **common)
    # Stickers, videos, contacts, media without an id, "unsupported" from WhatsApp itself.
    return InboundEvent(kind="unsupported", **common)


def _ignored(message: dict[str, Any]) -> bool:
    kind = message.get("type")
    if not isinstance(kind, str):
        return False
    if kind in IGNORED_TYPES:
        return True
    if kind not in {"unsupported", "unknown"}:
        return False
    what = _dict(message.get("unsupported")).get("type")
    if isinstance(what, str) and what in IGNORED_UNSUPPORTED:
        return True
    # Older API versions say a message was deleted only in the error's words.
    errors = " ".join(
        str(words)
        for error in map(_dict, _list(message.get("errors")))
        for words in (
            *(error.get(k) for k in ("title", "message", "details")),
            _dict(error.get("error_data")).get("details"),
        )
        if words
    )
    return "delet" in errors.lower()


def _chat_id(message: dict[str, Any]) -> str | None:
    sender = message.get("from")
    # A wa_id is the phone number in ASCII digits ("²" is a digit to str.isdigit, not to us).
    if isinstance(sender, str) and sender.isascii() and sender.isdigit() and len(sender) <= 80:
        return sender
    return None


def _name(stored: dict[str, Any]) -> str:
    name = _dict(_dict(stored.get("contact")).get("profile")).get("name")
    return name if isinstance(name, str) else ""


def _number(value: object) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []
