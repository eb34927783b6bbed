"""One-time link codes: what ties a chat to a person, a staff member or an office's officers."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.base import BigId, UTCDateTime, utcnow


class LinkCode(SQLModel, table=True):
    """A code handed out by the office; only its keyed hash is stored, so the table alone
    links nothing. ``kind`` says what the chat that sends it becomes: ``person`` (the person's
    chat), ``staff`` (the staff member's own chat) or ``officers`` (the office's officers'
    chat)."""

    __tablename__ = "link_code"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigId)
    code_hash: str = Field(max_length=64, unique=True, index=True)
    kind: str = Field(max_length=12)
    office_id: int = Field(foreign_key="office.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    staff_id: int | None = Field(default=None, foreign_key="staff_user.id", index=True)
    # Kind "complaint": the chat that sends it follows this complaint (an offline one's receipt).
    complaint_id: int | None = Field(default=None, foreign_key="complaint.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    # Who asked for it: "cli", "staff:3".
    issued_by: str = Field(default="", max_length=80)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The chat that used it, "telegram:12345".
    used_by: str | None = Field(default=None, max_length=101)
    # A newer code for the same person, staff member or office replaced this one.
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
