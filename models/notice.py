"""Notices an office sends its beneficiaries (registration, socialisation, distribution days),
and the record of each chat a notice or its reminder went to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import BigId, UTCDateTime, utcnow


class Notice(SQLModel, table=True):
    """What, where and when; sent at ``send_at``, reminded ``remind_hours`` before it starts.

    ``programme_id`` narrows the audience to people with a proposal in that programme (as
    applicant or group member); without it every linked chat of the office hears it.
    """

    __table_args__ = (
        Index("ix_notice_due", "status", "send_at"),
        Index("ix_notice_reminder_due", "status", "remind_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    programme_id: int | None = Field(default=None, foreign_key="programme.id")
    kind: str = Field(max_length=20)  # registration, socialisation, distribution, other
    title: str = Field(max_length=120)
    place: str = Field(max_length=200)
    starts_at: datetime = Field(sa_type=UTCDateTime)
    details: str = Field(default="", sa_type=Text)
    send_at: datetime = Field(sa_type=UTCDateTime)
    remind_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # scheduled -> sent (broadcast done); cancelled at any time before it starts.
    status: str = Field(default="scheduled", max_length=12)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class NoticeDelivery(SQLModel, table=True):
    """One chat reached by one notice or its reminder; unique, so never twice."""

    __tablename__ = "notice_delivery"
    __table_args__ = (UniqueConstraint("notice_id", "conversation_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=BigId)
    notice_id: int = Field(foreign_key="notice.id", index=True)
    conversation_id: int = Field(foreign_key="conversation.id")
    kind: str = Field(max_length=12)  # notice, reminder
    queued_at: datetime = Field(sa_type=UTCDateTime)
