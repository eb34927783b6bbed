"""The neutral shapes every channel speaks: one inbound event in, replies out.

Adapters turn a platform payload into an :class:`InboundEvent`; the conversation answers with
:class:`OutboundReply` values; senders turn those into platform calls. Nothing here knows which
platform a message came from beyond the channel's name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.text import is_storable, storable, storable_json

# "photo" carries an optional caption in ``text``; "location" carries only ``location``;
# "document" and "voice" (a voice note or an audio file) carry ``file_ref`` and, where the
# platform gives them, ``file_name``, ``mime_type`` and a caption in ``text``; "contact" is a
# phone number the person shared, in ``phone`` only if it is their own.
EventKind = Literal[
    "text",
    "choice",
    "photo",
    "location",
    "document",
    "voice",
    "contact",
    "unsupported",
    "ignored",
]
# The kinds that carry a file the platform keeps for us to fetch.
FILE_KINDS = frozenset({"photo", "document", "voice"})
# The columns' widths (chat and message ids, display_name, a photo's reference), and what a
# person may type: any platform's longest text message is 4,096 characters, its longest
# button value 256.
MAX_ID = 80
MAX_NAME = 120
MAX_TEXT = 4096
MAX_CHOICE = 256
MAX_REF = 200
MAX_FILE_NAME = 200
MAX_MIME = 100
# How the ingest stores a chat and an update: (channel, chat id) and
# (channel, platform id, conversation id, raw payload).
ChatKey = tuple[str, str]
InboundRow = tuple[str, str, int | None, dict[str, Any]]


# "choice" sends its value back; "share_phone" asks the platform to send the person's own
# number (a channel that knows the number anyway, or cannot ask, leaves it out).
ButtonKind = Literal["choice", "share_phone"]


@dataclass(frozen=True)
class Button:
    label: str
    value: str
    kind: ButtonKind = "choice"


@dataclass(frozen=True)
class InboundEvent:
    channel: str
    # None when the update belongs to no private chat (channel posts, polls): nobody to answer.
    chat_id: str | None
    kind: EventKind
    display_name: str = ""
    text: str = ""
    choice: str | None = None
    # What the sender needs to close the loop on the platform, e.g. a callback query id.
    reply_context: dict[str, Any] = field(default_factory=dict)
    # The platform's own reference to an attached picture, kept so officers can fetch it later.
    photo_ref: str | None = None
    # The same for a document or a voice note, with what the platform says about the file.
    file_ref: str | None = None
    file_name: str = ""
    mime_type: str = ""
    location: tuple[float, float] | None = None  # (latitude, longitude)
    # Who wrote: in a group chat the chat is the group, and the person is told apart by this.
    sender_id: str | None = None
    # A group chat (several people, e.g. an office's officers): never the beneficiary menu.
    group: bool = False
    # The platform message id this message answers, when the person used "reply".
    reply_to_platform_message_id: str | None = None
    # A phone number the platform vouches is the sender's own, in international form:
    # WhatsApp's sender number on every message; on Telegram a contact the sender shared of
    # themselves. Never a number someone typed, or a contact of somebody else.
    phone: str | None = None

    def __post_init__(self) -> None:
        chat_id = self.chat_id
        # Whatever an adapter read, and from whichever row (one stored before payloads were
        # cleaned included), an event carries only text the database can store, at lengths
        # its columns hold. An id is never cut, which would make it another id: too long, it
        # names nothing. A platform's JSON may hold anything where text is due (PTB's types
        # do not check): what is no string counts as nothing said.
        # Every webhook and every update a pass handles builds one, so a field already clean
        # (None, "", plain text: the usual case) is left as it is rather than cleaned into a
        # copy; that halved the event's cost (7 -> 3.6 µs, timeit).
        for name, clean, limit in _CLEANED:
            value = getattr(self, name)
            cleaned = clean(value, limit)
            if cleaned is not value:
                object.__setattr__(self, name, cleaned)
        context = self.reply_context
        if type(context) is not dict or context:
            object.__setattr__(self, "reply_context", storable_json(_dict(context)))
        if self.location is not None:
            location = _on_the_globe(self.location)
            object.__setattr__(self, "location", location)
            if location is None and self.kind == "location":
                object.__setattr__(self, "kind", "unsupported")  # a place that is nowhere
        if self.chat_id is None and chat_id is not None:
            object.__setattr__(self, "kind", "ignored")  # nobody we could answer

    @property
    def media_ref(self) -> str | None:
        """The platform's reference to the file this event carries, if any."""
        return self.photo_ref if self.kind == "photo" else self.file_ref

    @property
    def input(self) -> str:
        """What the person said: a pressed button counts the same as typing its value."""
        return ((self.choice if self.kind == "choice" else self.text) or "").strip()


def _on_the_globe(location: tuple[Any, Any]) -> tuple[float, float] | None:
    """(latitude, longitude) as floats when both are real angles; JSON allows any number."""
    latitude, longitude = location
    for value, limit in ((latitude, 90), (longitude, 180)):
        if not isinstance(value, int | float) or isinstance(value, bool):
            return None
        if not -limit <= value <= limit:  # also false for NaN
            return None
    return float(latitude), float(longitude)


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: object, limit: int) -> str:
    if type(value) is str and len(value) <= limit and is_storable(value):
        return value
    return storable(value if isinstance(value, str) else "", limit)


def _storable_or_none(value: object, limit: int) -> str | None:
    if value is None:
        return None
    return _text(value, limit) if isinstance(value, str) else None


def _id_or_none(value: object, limit: int) -> str | None:
    if value is None:
        return None
    if type(value) is str and len(value) <= limit and is_storable(value):
        return value
    if not isinstance(value, str):
        return None
    cleaned = storable(value)
    return cleaned if len(cleaned) <= limit else None


# Each field of text, how it is cleaned, and its longest.
_CLEANED: tuple[tuple[str, Callable[[object, int], str | None], int], ...] = (
    ("display_name", _text, MAX_NAME),
    ("text", _text, MAX_TEXT),
    ("choice", _storable_or_none, MAX_CHOICE),
    ("chat_id", _id_or_none, MAX_ID),
    ("sender_id", _id_or_none, MAX_ID),
    ("reply_to_platform_message_id", _id_or_none, MAX_ID),
    ("phone", _id_or_none, MAX_ID),
    ("photo_ref", _id_or_none, MAX_REF),
    ("file_ref", _id_or_none, MAX_REF),
    ("file_name", _text, MAX_FILE_NAME),
    ("mime_type", _text, MAX_MIME),
)


@dataclass(frozen=True)
class OutboundReply:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()

    def buttons_json(self) -> list[list[dict[str, str]]]:
        return [[_button_json(b) for b in row] for row in self.buttons]


def _button_json(button: Button) -> dict[str, str]:
    found = {"label": button.label, "value": button.value}
    if button.kind != "choice":
        found["kind"] = button.kind
    return found


def buttons_from_json(rows: list[Any]) -> tuple[tuple[Button, ...], ...]:
    return tuple(
        tuple(
            Button(
                str(b["label"]),
                str(b["value"]),
                "share_phone" if b.get("kind") == "share_phone" else "choice",
            )
            for b in row
        )
        for row in rows
    )
