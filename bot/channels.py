"""What the workers need from a channel, and the one place channels are wired in.

A channel is an adapter (stored payload -> :class:`InboundEvent`) plus a sender (outbox row ->
platform call). Each channel's package adds one line to the mapping below, and its sender is
opened in ``bot.runtime``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from bot.inbound import Button, InboundEvent

Adapter = Callable[[dict[str, Any]], InboundEvent]


@dataclass(frozen=True)
class Outgoing:
    """One outbox row as a sender sees it."""

    id: int
    chat_id: str
    text: str
    buttons: tuple[tuple[Button, ...], ...]
    extra: dict[str, Any]


@dataclass(frozen=True)
class SendResult:
    outcome: Literal["sent", "retry", "unreachable", "failed"]
    platform_message_id: str | None = None
    # Seconds the platform asked us to wait (rate limit); None means "use our own backoff".
    retry_after: float | None = None
    error: str = ""
    # Progress to remember even when the send did not finish, e.g. parts already delivered.
    extra: dict[str, Any] = field(default_factory=dict)


class Sender(Protocol):
    channel: str

    async def send(self, message: Outgoing) -> SendResult: ...


def adapters() -> dict[str, Adapter]:
    # Imported here so that importing the neutral modules never drags a platform SDK in.
    from bot.sim.adapter import parse as sim_parse
    from bot.telegram.adapter import parse as telegram_parse
    from bot.whatsapp.adapter import parse as whatsapp_parse

    return {"telegram": telegram_parse, "whatsapp": whatsapp_parse, "sim": sim_parse}
