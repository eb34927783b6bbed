"""Complaints (pengaduan) and the 2×24-hour clock that runs on each."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from models.base import BigId, UTCDateTime, utcnow


class Complaint(SQLModel, table=True):
    __table_args__ = (Index("ix_complaint_clock", "status", "next_check_at"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True, index=True)  # "ADU-2026-00012"
    office_id: int = Field(foreign_key="office.id", index=True)
    programme_id: int | None = Field(default=None, foreign_key="programme.id")
    category: str = Field(max_length=40)
    # How it arrived: a chat channel (telegram, whatsapp, sim), or one staff record: book,
    # walk_in, phone, sms, email, website, facebook, instagram, whatsapp_admin, lapor, box.
    channel: str = Field(max_length=20)
    lapor_tracking: str | None = Field(default=None, max_length=40)
    # Where exactly it was received: the admin number, the page, the mailbox.
    source_detail: str = Field(default="", max_length=120, sa_column_kwargs={"server_default": ""})
    # The clock rule that set due_at: "hours:48" or "working_days:2".
    clock_rule: str = Field(default="", max_length=40, sa_column_kwargs={"server_default": ""})
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

    id: int | None = Field(default=None, primary_key=True, sa_type=BigId)
    complaint_id: int = Field(foreign_key="complaint.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    kind: str = Field(max_length=30)
    staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    text: str = Field(default="", sa_type=Text)
    # Reminders and escalations happen once per clock cycle: "12:1:remind-24".
    milestone: str | None = Field(default=None, max_length=60, unique=True)
    # An answer: how it reached the complainant (chat, phone_call, letter, in_person, or
    # linked_chat: a chat the person linked later). A message: the channel it came by.
    via: str | None = Field(default=None, max_length=20)


class ComplaintAttachment(SQLModel, table=True):
    """A photo, document, voice note or location the complainant sent.

    Files are fetched once from the platform by a worker (``status`` pending -> stored, or
    failed after a few attempts) into storage under ``storage_key``; staff see them only
    through a page that checks their office and role first. A location has no file."""

    __tablename__ = "complaint_attachment"
    __table_args__ = (Index("ix_complaint_attachment_fetch", "status", "id"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=BigId)
    complaint_id: int = Field(foreign_key="complaint.id", index=True)
    event_id: int | None = Field(default=None, foreign_key="complaint_event.id", sa_type=BigId)
    kind: str = Field(max_length=12)  # photo, document, voice, location
    channel: str = Field(max_length=20)
    # The platform's reference: Telegram's file_id, WhatsApp's media id.
    platform_ref: str | None = Field(default=None, max_length=200)
    file_name: str = Field(default="", max_length=200)
    mime_type: str = Field(default="", max_length=100)
    size: int | None = None
    storage_key: str | None = Field(default=None, max_length=200)
    status: str = Field(default="pending", max_length=12)  # pending, stored, failed, none
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=200)
    latitude: float | None = None
    longitude: float | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    fetched_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ComplaintDraft(SQLModel, table=True):
    """A complaint being written in a chat, kept when the chat pauses or leaves the intake,
    so "lanjutkan" picks it up where it stopped."""

    __tablename__ = "complaint_draft"

    conversation_id: int = Field(foreign_key="conversation.id", primary_key=True)
    state: str = Field(max_length=40)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
