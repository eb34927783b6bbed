"""Complaints (pengaduan) and the 2×24-hour clock that runs on each."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


class Complaint(SQLModel, table=True):
    __table_args__ = (Index("ix_complaint_clock", "status", "next_check_at"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True, index=True)  # "ADU-2026-00012"
    office_id: int = Field(foreign_key="office.id", index=True)
    programme_id: int | None = Field(default=None, foreign_key="programme.id")
    category: str = Field(max_length=40)
    # How it arrived: telegram, whatsapp, sim (chat) or book, walk_in, phone, email, lapor.
    channel: str = Field(max_length=20)
    lapor_tracking: str | None = Field(default=None, max_length=40)
    description: str = Field(sa_type=Text)
    photo_ref: str | None = Field(default=None, max_length=200)
    latitude: float | None = None
    longitude: float | None = None
    confidential: bool = False
    complainant_name: str = Field(default="", max_length=120)
    complainant_contact: str = Field(default="", max_length=120)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    # The chat the complainant used: answers go back there.
    conversation_id: int | None = Field(default=None, foreign_key="conversation.id", index=True)
    status: str = Field(default="open", max_length=12)  # open, answered, closed
    # A reopen starts a new clock; milestones are counted per cycle.
    cycle: int = 1
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    clock_started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    due_at: datetime = Field(sa_type=UTCDateTime)
    first_response_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # When the sweep must next look at this complaint (a reminder or an escalation is due).
    next_check_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    claimed_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    recorded_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
    rating: int | None = None  # IKM scale 1–4
    rating_comment: str | None = Field(default=None, max_length=500)


class ComplaintEvent(SQLModel, table=True):
    """The complaint's thread and history: messages, claims, answers, reminders, escalations."""

    __tablename__ = "complaint_event"

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: int = Field(foreign_key="complaint.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    kind: str = Field(max_length=30)
    staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    text: str = Field(default="", sa_type=Text)
    # Reminders and escalations happen once per clock cycle: "12:1:remind-24".
    milestone: str | None = Field(default=None, max_length=60, unique=True)
