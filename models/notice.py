"""Notices an office sends its beneficiaries (registration, socialisation, distribution days,
mentoring, hand-over), each fan-out of one (the notice, a reminder, a correction, the
cancellation), and every person each fan-out was for."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import BigId, UTCDateTime, utcnow


class Notice(SQLModel, table=True):
    """What, where and when, for whom (``audience``), sent at ``send_at``, reminded as
    ``reminders`` say. The work of sending is in its rounds (:class:`NoticeRound`)."""

    __table_args__ = (Index("ix_notice_due", "status", "send_at"),)

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    # registration, socialisation, distribution, mentoring, handover, other
    kind: str = Field(max_length=20)
    title: str = Field(max_length=120)
    place: str = Field(max_length=200)
    starts_at: datetime = Field(sa_type=UTCDateTime)
    details: str = Field(default="", sa_type=Text)
    send_at: datetime = Field(sa_type=UTCDateTime)
    # Who it is for: {"desa": ["Boneoge"], "programme": ["bpnt-buton-tengah"], ...}; {} is the
    # whole office (services/notice_audience.py).
    audience: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # When to remind, as staff said it: [{"days_before": 1, "at": "08:00"}, {"hours_before": 2}].
    reminders: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # scheduled -> sending -> sent; cancelled at any time before it starts.
    status: str = Field(default="scheduled", max_length=12)
    # Each change of what, where or when after people were told: 1, 2, ...
    revision: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    paused_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class NoticeRound(SQLModel, table=True):
    """One fan-out of a notice, done in chunks by whichever worker holds its lease.

    ``cursor`` is the last person id done: a chunk's recipients, its outbox rows and the
    cursor move in one transaction, so a worker that dies leaves the round exactly at a
    chunk's edge and the next one goes on from there.
    """

    __tablename__ = "notice_round"
    __table_args__ = (
        UniqueConstraint("notice_id", "kind"),
        Index("ix_notice_round_due", "status", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notice.id")
    # notice, reminder-1, reminder-2, correction-1, ..., cancellation
    kind: str = Field(max_length=16)
    due_at: datetime = Field(sa_type=UTCDateTime)
    # scheduled -> running -> done; skipped (cancelled, or the event began first)
    status: str = Field(default="scheduled", max_length=12)
    cursor: int = 0
    # A correction is for those told before it: recipients of the notice up to this id.
    upto_recipient_id: int | None = Field(default=None, sa_type=BigId)
    lease_owner: str | None = Field(default=None, max_length=60)
    lease_expires: datetime | None = Field(default=None, sa_type=UTCDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class NoticeRecipient(SQLModel, table=True):
    """One person one round of a notice was for, and what became of it; unique, so a round
    run twice (or by two workers) reaches nobody twice.

    Its ids of the notice, person, chat and message are not foreign keys: a fan-out writes
    100,000 of these rows, and PostgreSQL's four checks a row were 43 % of its time (issue 12).
    Each id is read, in the chunk's own transaction and under the notice's lock, from the row
    it names, and Sigap never deletes notices, persons (they are erased in place), chats or
    outbox rows (migration 0018)."""

    __tablename__ = "notice_recipient"
    __table_args__ = (
        # Person first: it also finds a person's rows (their data, their answers), so no index
        # of its own is written for each of a fan-out's rows (migration 0020).
        UniqueConstraint("person_id", "notice_id", "kind"),
        Index("ix_notice_recipient_chat", "notice_id", "kind", "conversation_id"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=BigId)
    notice_id: int
    person_id: int
    kind: str = Field(max_length=16)
    # The chat it went to: the person's linked chat used last, else the phone channel's chat
    # of the phone on file; None when there is neither.
    conversation_id: int | None = None
    outbox_id: int | None = Field(default=None, sa_type=BigId)
    via: str = Field(default="", max_length=8)  # chat, phone, or "" (not reached)
    # queued (an outbox row says the rest), unreachable, opted_out
    status: str = Field(default="queued", max_length=12)
    reason: str = Field(default="", max_length=40)  # "no phone", "no chat", "opted out"
    # On the notice's own row: the person's answer, yes or no, and when.
    attendance: str | None = Field(default=None, max_length=8)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
