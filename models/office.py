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
