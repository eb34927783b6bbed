"""The durable path of a chat message: inbound rows, conversations, and the outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from models.base import BigId, UTCDateTime, utcnow


class InboundMessage(SQLModel, table=True):
    """A platform update, stored raw and committed before the webhook answers 2xx."""

    __tablename__ = "inbound_message"
    __table_args__ = (
        UniqueConstraint("channel", "platform_id"),
        Index("ix_inbound_pending", "status", "conversation_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=BigId)
    channel: str = Field(max_length=20)
    platform_id: str = Field(max_length=80)
    conversation_id: int | None = Field(default=None, foreign_key="conversation.id")
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # pending, done, or quarantined: failed MAX_ATTEMPTS times (the error and count kept);
    # an admin sends a quarantined one back to pending or discards it (services/quarantine.py).
    status: str = Field(default="pending", max_length=12)
    attempts: int = 0
    processed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    error: str | None = Field(default=None, max_length=500)


class Conversation(SQLModel, table=True):
    """One chat on one channel: its language, menu state and proven identity."""

    __table_args__ = (
        UniqueConstraint("channel", "chat_id"),
        # Only linked chats: a notice's fan-out creates a chat for every phone it reaches, linked
        # to nobody, and a chat is looked up by its person only with a person in hand.
        Index(
            "ix_conversation_person_id",
            "person_id",
            sqlite_where=text("person_id IS NOT NULL"),
            postgresql_where=text("person_id IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=20)
    chat_id: str = Field(max_length=80)
    display_name: str = Field(default="", max_length=120)
    language: str = Field(default="id", max_length=2)
    state: str = Field(default="menu", max_length=40)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    person_id: int | None = Field(default=None, foreign_key="person.id")
    office_id: int | None = Field(default=None, foreign_key="office.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    unreachable_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # BERHENTI typed in a chat linked to nobody: no broadcast to this chat until MULAI.
    broadcasts_stopped_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # One worker at a time sends this chat's outbox: the lease runs until this time of the
    # database's clock (seconds since the epoch), so workers' own clocks never matter.
    outbound_lease_owner: str | None = Field(default=None, max_length=60)
    outbound_lease_expires: float | None = None
    # The chat's own pace (Telegram: about one message a second): the earliest time, on the
    # database's clock, its next message may go.
    outbound_next_at: float | None = None
    # When the person last wrote in this chat (as the processor handled it): WhatsApp lets a
    # business send free-form messages only within 24 hours of it, templates otherwise.
    last_inbound_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ProofAttempt(SQLModel, table=True):
    """A try at proving identity from a chat; failures are rate-limited."""

    __tablename__ = "proof_attempt"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigId)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    succeeded: bool = False
    # The person the attempt was about, when it named one (a used or expired code of theirs):
    # failures are limited per person too, so many chats cannot share the work of guessing.
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    # How: "code" (a link code), "phone" (a verified number), "birth" (the old NIK + birth
    # date proof, no longer offered).
    method: str = Field(default="code", max_length=12, sa_column_kwargs={"server_default": "birth"})


# Who goes first when the channel's rate is the limit: someone talking to the bot now goes
# ahead of a broadcast; within a priority, oldest first.
REPLY = 0
BULK = 1


class OutboxMessage(SQLModel, table=True):
    """A reply waiting to be delivered, committed with the change that caused it."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_pending", "status", "conversation_id", "id"),
        # The senders' queue: only queued rows, in the order they are taken.
        Index(
            "ix_outbox_queued",
            "priority",
            "id",
            sqlite_where=text("status = 'queued'"),
            postgresql_where=text("status = 'queued'"),
        ),
        # A platform's delivery status (delivered, read, failed) names the message by its id;
        # a message has one only once sent (a notice queues 100,000 without, issue 12).
        Index(
            "ix_outbox_platform_message",
            "platform_message_id",
            sqlite_where=text("platform_message_id IS NOT NULL"),
            postgresql_where=text("platform_message_id IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=BigId)
    conversation_id: int = Field(foreign_key="conversation.id")
    inbound_id: int | None = Field(default=None, foreign_key="inbound_message.id", sa_type=BigId)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    text: str
    # Menu choices as [[{"label": "1. Info", "value": "1"}], ...]; each adapter renders them.
    buttons: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Channel-specific extras an adapter asked for, e.g. a callback query to answer.
    extra: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # queued, sent, failed, unreachable; delivered and read (a platform's receipts); for a
    # broadcast also paused, cancelled and opted_out (services/notice_fanout.py).
    status: str = Field(default="queued", max_length=12)
    priority: int = Field(default=REPLY, sa_column_kwargs={"server_default": "0"})
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    platform_message_id: str | None = Field(default=None, max_length=80)
    last_error: str | None = Field(default=None, max_length=500)


class HeldStatus(SQLModel, table=True):
    """A platform's delivery status about a message no outbox row names yet: WhatsApp may say
    "delivered" before the sender has recorded the row as sent with its id. Applied once a row
    carries the id, dropped after a while (bot/statuses.py)."""

    __tablename__ = "held_status"
    __table_args__ = (UniqueConstraint("platform_message_id", "status"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=BigId)
    platform_message_id: str = Field(max_length=80)
    status: str = Field(max_length=12)  # delivered, read, failed
    error: str = Field(default="", max_length=500)
    window_closed: bool = False
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class SendRate(SQLModel, table=True):
    """A channel's rate budget, shared by every worker: the theoretical arrival time of the
    next message (generic cell rate algorithm) on the database's clock."""

    __tablename__ = "send_rate"

    channel: str = Field(primary_key=True, max_length=20)
    tat: float = 0.0
