from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.base import BigId, UTCDateTime, utcnow


class Proposal(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=30, unique=True, index=True)  # "UEP-2026-0007"
    programme_id: int = Field(foreign_key="programme.id", index=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    applicant_person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    applicant_group_id: int | None = Field(
        default=None, foreign_key="beneficiary_group.id", index=True
    )
    step_position: int = 1
    step_entered_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    status: str = Field(default="in_progress", max_length=20, index=True)
    rejection_reason: str | None = Field(default=None, max_length=500)
    submitted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Optimistic concurrency: every change bumps it; a stale writer gets 409.
    version: int = 1


class ProposalEvent(SQLModel, table=True):
    """Append-only history of every step change."""

    __tablename__ = "proposal_event"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigId)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    action: str = Field(max_length=20)  # submitted, advanced, returned, rejected, completed
    from_position: int | None = None
    to_position: int | None = None
    note: str = Field(default="", max_length=500)
