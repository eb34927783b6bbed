"""The neutral shapes every channel speaks: one inbound event in, replies out.

Adapters turn a platform payload into an :class:`InboundEvent`; the conversation answers with
:class:`OutboundReply` values; senders turn those into platform calls. Nothing here knows which
platform a message came from beyond the channel's name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

# "photo" carries an optional caption in ``text``; "location" carries only ``location``.
EventKind = Literal["text", "choice", "photo", "location", "unsupported", "ignored"]
# How the ingest stores a chat and an update: (channel, chat id) and
# (channel, platform id, conversation id, raw payload).
ChatKey = tuple[str, str]
InboundRow = tuple[str, str, int | None, dict[str, Any]]


@dataclass(frozen=True)
class Button:
    label: str
    value: str


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
    location: tuple[float, float] | None = None  # (latitude, longitude)
    # Who wrote: in a group chat the chat is the group, and the person is told apart by this.
    sender_id: str | None = None
    # A group chat (several people, e.g. an office's officers): never the beneficiary menu.
    group: bool = False
    # The platform message id this message answers, when the person used "reply".
    reply_to_platform_message_id: str | None = None

    @property
    def input(self) -> str:
        """What the person said: a pressed button counts the same as typing its value."""
        return ((self.choice if self.kind == "choice" else self.text) or "").strip()


@dataclass(frozen=True)
class OutboundReply:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()

    def buttons_json(self) -> list[list[dict[str, str]]]:
        return [[{"label": b.label, "value": b.value} for b in row] for row in self.buttons]


def buttons_from_json(rows: list[Any]) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(Button(str(b["label"]), str(b["value"])) for b in row) for row in rows)
