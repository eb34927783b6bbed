"""What a proposal's steps produce, the reports an aided group owes, and the late-step digests
already sent (so a second run of the daily job sends nothing)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


class ProposalOutput(SQLModel, table=True):
    """An output a step produced, of a kind its catalogue step lists: a decree and its number,
    a Berita Acara, the disposition sheet; with an optional path to its scan."""

    __tablename__ = "proposal_output"

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    step_position: int
    kind: str = Field(max_length=40)
    number: str = Field(default="", max_length=120)
    issued_on: date | None = None
    file_path: str | None = Field(default=None, max_length=300)
    note: str = Field(default="", max_length=500)
    recorded_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class GroupReport(SQLModel, table=True):
    """A report an aided group handed in for one period ("2026-Q1", or "2026" for the year)."""

    __tablename__ = "group_report"
    __table_args__ = (UniqueConstraint("group_id", "programme_id", "kind", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="beneficiary_group.id", index=True)
    programme_id: int = Field(foreign_key="programme.id")
    kind: str = Field(max_length=40)
    period: str = Field(max_length=10)
    due_on: date
    submitted_on: date
    file_path: str | None = Field(default=None, max_length=300)
    note: str = Field(default="", max_length=500)
    recorded_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LateDigest(SQLModel, table=True):
    """One staff member's digest of late steps for one day of their office's calendar."""

    __tablename__ = "late_digest"
    __table_args__ = (UniqueConstraint("staff_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff_user.id")
    day: date
    proposals: int = 0
    sent_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
