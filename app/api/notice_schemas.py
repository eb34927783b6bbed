"""What the notices API accepts and returns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

KIND_DOC = (
    "registration (and account opening), socialisation, distribution, mentoring, handover, other"
)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AudienceIn(_In):
    """Each a list; values in one list are alternatives, lists narrow each other; all empty
    is every person on the office's register."""

    programme: list[str] = Field(default=[], description="Programme codes", max_length=200)
    kecamatan: list[str] = Field(default=[], max_length=200)
    desa: list[str] = Field(default=[], max_length=200)
    step: list[str] = Field(
        default=[],
        description="`<programme code>:<step position>`: people whose proposal is open there",
        max_length=200,
    )
    groups: list[int] = Field(default=[], description="Group ids", max_length=200)
    niks: list[str] = Field(default=[], max_length=200_000)


class ReminderIn(_In):
    """Either ``hours_before``, or ``days_before`` with ``at`` (office's clock)."""

    hours_before: int | None = Field(default=None, ge=1, le=168)
    days_before: int | None = Field(default=None, ge=1, le=7)
    at: str | None = Field(default=None, pattern=r"^([01]?\d|2[0-3])[:.][0-5]\d$")

    def as_dict(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class NoticeIn(_In):
    kind: str = Field(description=KIND_DOC, max_length=20)
    title: str = Field(max_length=120)
    place: str = Field(max_length=200)
    starts_at: AwareDatetime
    details: str = Field(default="", max_length=2000, description="What to bring, who comes")
    send_at: AwareDatetime | None = Field(default=None, description="Absent: now")
    reminders: list[ReminderIn] | None = Field(
        default=None,
        max_length=3,
        description="Absent: the day before at 08:00 and 2 hours before; [] for none",
    )
    audience: AudienceIn = AudienceIn()


class NoticePatch(_In):
    title: str | None = Field(default=None, max_length=120)
    place: str | None = Field(default=None, max_length=200)
    starts_at: AwareDatetime | None = None
    details: str | None = Field(default=None, max_length=2000)
    send_at: AwareDatetime | None = None
    reminders: list[ReminderIn] | None = Field(default=None, max_length=3)
    audience: AudienceIn | None = None


class RoundPublic(BaseModel):
    kind: str
    status: str
    due_at: datetime
    finished_at: datetime | None
    recipients: int
    counts: dict[str, int]


class NoticePublic(BaseModel):
    id: int
    kind: str
    title: str
    place: str
    starts_at: datetime
    details: str
    send_at: datetime
    status: str = Field(description="scheduled, sending, sent, cancelled")
    paused: bool
    revision: int
    audience: dict[str, list[Any]]
    reminders: list[dict[str, Any]]
    reminders_at: list[datetime]
    sent_at: datetime | None
    cancelled_at: datetime | None
    created_at: datetime


class NoticeDetail(NoticePublic):
    rounds: list[RoundPublic]


class ReachOut(BaseModel):
    recipients: int
    by_chat: int = Field(description="On a chat linked to the person (free-form message)")
    by_phone: int = Field(description="On the phone channel at the phone on file (template)")
    unreachable: int = Field(description="No chat and no phone")
    opted_out: int


class TemplateOut(BaseModel):
    name: str
    params: list[str]
    language: str


class PreviewOut(BaseModel):
    reach: ReachOut
    texts: dict[str, str] = Field(description="What a chat reads, per language")
    template: TemplateOut = Field(description="What the phone channel sends outside its window")
    send_at: datetime
    reminders_at: list[datetime]


class NiksOut(BaseModel):
    niks: list[str]
    count: int


class DesaOut(BaseModel):
    desa: str
    recipients: int
    reached: int
    not_reached: int
    attending: int
    not_attending: int


class NotReachedOut(BaseModel):
    name: str
    desa: str
    kecamatan: str
    phone: str
    nik_masked: str
    status: str
    reason: str


class ReportOut(BaseModel):
    notice: NoticeDetail
    recipients: int
    counts: dict[str, int] = Field(
        description="queued, sent, delivered, read, failed, unreachable, opted_out, cancelled"
    )
    attending: int
    not_attending: int
    unanswered: int
    per_desa: list[DesaOut]
    not_reached: list[NotReachedOut]
