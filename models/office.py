from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


class Office(SQLModel, table=True):
    """A Dinas Sosial of one kabupaten/kota."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=8, unique=True, index=True)  # Kemendagri region code, "73.08"
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
