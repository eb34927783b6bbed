from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.base import BigId, UTCDateTime, utcnow


class Office(SQLModel, table=True):
    """A Dinas Sosial of one kabupaten/kota."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=8, unique=True, index=True)  # Kemendagri region code, "73.08"
    # Three letters in its complaint and proposal numbers ("BTG": ADU-BTG-2026-00123), from the
    # catalogue.
    short_code: str | None = Field(default=None, max_length=8, unique=True, index=True)
    slug: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=200)
    address: str = Field(default="", max_length=300)
    phone: str = Field(default="", max_length=60)
    email: str = Field(default="", max_length=120)
    website: str = Field(default="", max_length=200)
    hours: str = Field(default="", max_length=120)
    timezone: str = Field(default="Asia/Makassar", max_length=40)
    # Where new complaints are announced to officers: "telegram:-100123" style.
    officers_chat: str | None = Field(default=None, max_length=80)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class NumberCounter(SQLModel, table=True):
    """The last number given for one prefix ("ADU", "UEP"), office and year (see
    ``services/numbering.py``)."""

    __tablename__ = "number_counter"

    prefix: str = Field(primary_key=True, max_length=20)
    office_id: int = Field(primary_key=True, foreign_key="office.id")
    year: int = Field(primary_key=True)
    value: int = Field(sa_type=BigId)


class OfficeSetting(SQLModel, table=True):
    """What an office sets for itself over its catalogue entry: the opening hours and contacts
    the bot gives (no SOP states them), and its complaint clock where its SOP states none.
    An empty value (or None) keeps the catalogue's. One row per office, written only through
    services/office_settings.py, which audits each change."""

    __tablename__ = "office_setting"

    office_id: int = Field(foreign_key="office.id", primary_key=True)
    hours_id: str = Field(default="", max_length=120)
    hours_en: str = Field(default="", max_length=120)
    address: str = Field(default="", max_length=300)
    phone: str = Field(default="", max_length=60)
    email: str = Field(default="", max_length=120)
    website: str = Field(default="", max_length=200)
    # The complaint clock: "hours" or "working_days" and how many; "" keeps the catalogue's.
    clock_kind: str = Field(default="", max_length=12)
    clock_amount: int | None = None
    # "08:00-16:00": when working days are counted from.
    clock_office_hours: str = Field(default="", max_length=11)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
