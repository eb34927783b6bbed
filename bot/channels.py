"""What a channel is, and the one place channels are registered.

A channel is one package under ``bot/`` that exports one :class:`Channel`: its webhook routes,
its adapter (stored payload -> :class:`InboundEvent`), a factory for its sender (outbox row ->
platform call) and what it can do. The router, the workers and the CLI only ever see these
objects; adding a channel is a package and one line in :func:`registered`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from sqlalchemy import Engine

from bot.inbound import Button, InboundEvent
from core.settings import Settings

Adapter = Callable[[dict[str, Any]], InboundEvent]

# Some platforms (WhatsApp) let a business send free-form messages only within a window after
# the person last wrote, and approved templates otherwise. Any outbox row may name its
# template as ``extra[TEMPLATE] = {"name": ..., "params": [...]}``; channels without a window
# ignore it. A row that could not go for want of one is unreachable for this reason; a row
# the platform refused as outside its window carries ``extra[WINDOW_CLOSED]``, so that only
# its template is tried again.
TEMPLATE = "template"
WINDOW_CLOSED = "window_closed"
OUTSIDE_WINDOW = "outside 24-hour window"


@dataclass(frozen=True)
class Outgoing:
    """One outbox row as a sender sees it."""

    id: int
    chat_id: str
    text: str
    buttons: tuple[tuple[Button, ...], ...]
    extra: dict[str, Any]
    # When the person last wrote in this chat (None: never), and the time the send is for: a
    # channel with a window for free-form messages (WhatsApp) decides by them.
    last_inbound_at: datetime | None = None
    now: datetime | None = None


@dataclass(frozen=True)
class SendResult:
    outcome: Literal["sent", "retry", "unreachable", "failed"]
    platform_message_id: str | None = None
    # Seconds the platform asked us to wait (rate limit); None means "use our own backoff".
    retry_after: float | None = None
    error: str = ""
    # Progress to remember even when the send did not finish, e.g. parts already delivered.
    extra: dict[str, Any] = field(default_factory=dict)
    # The platform refused because we sent too fast: every worker of the channel slows down.
    throttled: bool = False
    # Why it did not go, for the operators' counts (/metrics): the platform's own error code
    # ("429", "403", "131026"), or "network", "timeout"; empty for a send.
    code: str = ""
    # For "unreachable": the chat itself cannot be reached (the bot is blocked, no account),
    # so its other queued rows are given up too until the person writes. False when only this
    # message cannot go (WhatsApp's window is closed and it has no template), while the rows
    # behind it may.
    whole_chat: bool = True


@dataclass(frozen=True)
class DeliveryStatus:
    """What a platform reports about a message it accepted (WhatsApp's status webhooks):
    ``sent``, ``delivered``, ``read``, or ``failed`` with why. ``window_closed``: it failed
    because the person's window for free-form messages had closed (WhatsApp's 131047)."""

    platform_message_id: str
    status: str
    error: str = ""
    window_closed: bool = False


class Sender(Protocol):
    channel: str

    async def send(self, message: Outgoing) -> SendResult: ...

    async def aclose(self) -> None: ...


@dataclass(frozen=True)
class Pacing:
    """At most ``burst`` messages at once to one chat, then one per ``interval`` seconds."""

    interval: float
    burst: int = 1


@dataclass(frozen=True)
class Capabilities:
    buttons: bool = False
    lists: bool = False
    templates: bool = False
    groups: bool = False


class PollRefused(Exception):
    """A channel cannot poll as set up (no token, a webhook in the way): one line saying why."""


Poller = Callable[[Settings, Engine, asyncio.Event], Awaitable[None]]


@dataclass(frozen=True)
class Media:
    """A file a person sent, as the platform handed it back."""

    data: bytes
    mime_type: str = ""
    file_name: str = ""


class MediaError(Exception):
    """The platform did not hand the file over. ``permanent``: asking again will not help (an
    unknown or expired reference, a file over the size limit)."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.permanent = permanent


# (settings, the platform's reference, the most bytes to accept) -> the file.
FetchMedia = Callable[[Settings, str, int], Awaitable[Media]]


def _no_commands(_cli: Any) -> None:
    return None


def _no_deep_link(_settings: Settings, _code: str, _group: bool) -> str | None:
    return None


@dataclass(frozen=True)
class Channel:
    name: str
    parse: Adapter
    # Adds the channel's webhook routes to the web application.
    routes: Callable[[Any], None]
    # The sender when the channel is configured, else None (the channel is then off).
    open_sender: Callable[[Settings], Awaitable[Sender | None]]
    # Messages per second over all chats, shared by every worker; None for no limit.
    send_rate: Callable[[Settings], float | None]
    capabilities: Capabilities = Capabilities()
    chat_pacing: Pacing = Pacing(interval=0.0, burst=1)
    group_pacing: Pacing = Pacing(interval=0.0, burst=1)
    is_group: Callable[[str], bool] = lambda _chat_id: False
    # Adds channel commands (e.g. registering a webhook) to the `sigap` command line.
    commands: Callable[[Any], None] = _no_commands
    # A link that opens a chat with the bot with ``code`` ready to send, printed beside a link
    # code (a QR code of it goes on receipts); None when the channel has none or is not set
    # up for it. The flag: the code is for an officers' chat, opened in a group where the
    # channel has groups.
    deep_link: Callable[[Settings, str, bool], str | None] = _no_deep_link
    # Fetches updates from the platform into the inbound path until the event is set, for a
    # server the platform cannot reach (`sigap poll`); None where the platform only pushes.
    # Raises PollRefused when it cannot start.
    poll: Poller | None = None
    # Fetches a file people sent (a photo, a document, a voice note) by the platform's
    # reference; None when the channel carries no files.
    fetch_media: FetchMedia | None = None

    def pacing(self, chat_id: str) -> Pacing:
        return self.group_pacing if self.is_group(chat_id) else self.chat_pacing


def registered() -> Sequence[Channel]:
    """Every channel Sigap speaks. Imported here so that importing the neutral modules never
    drags a platform SDK in."""
    from bot.sim.channel import CHANNEL as SIM
    from bot.telegram.channel import CHANNEL as TELEGRAM
    from bot.whatsapp.channel import CHANNEL as WHATSAPP

    return (TELEGRAM, WHATSAPP, SIM)


def adapters(channels: Sequence[Channel] | None = None) -> dict[str, Adapter]:
    return {channel.name: channel.parse for channel in channels or registered()}
