"""Imports of an office's KPM register from the staff pages: checked first, imported on
confirmation, in the background, each step's progress kept here so a reload (or a restart,
which resumes it) finds it where it is."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


class RegisterImport(SQLModel, table=True):
    """One uploaded list: ``checking`` → ``checked`` → ``importing`` → ``done``; or ``failed``
    (the file cannot be read as a list) or ``cancelled`` (checked, then not imported)."""

    __tablename__ = "register_import"

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    staff_id: int = Field(foreign_key="staff_user.id")
    filename: str = Field(max_length=200)
    size: int = 0
    status: str = Field(default="checking", max_length=20)
    # A file-level problem (no NIK column, not a spreadsheet), in the staff's language.
    problem: str = Field(default="", max_length=500)
    ignored_columns: str = Field(default="", max_length=500)
    # The check: data rows read, and what importing them would do.
    rows_read: int = 0
    will_create: int = 0
    will_update: int = 0
    will_keep: int = 0
    # The import: the last spreadsheet row of the last committed chunk (where a resumed import
    # goes on), and what was done.
    last_row: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    # The first rows' errors ({"row", "column", "message"}), and how many there were in all.
    errors: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    error_count: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Set by the worker after each chunk: a long silence means the worker was interrupted.
    heartbeat_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class RegisterImportFile(SQLModel, table=True):
    """The uploaded bytes, apart from the row the pages read often; deleted once imported or
    cancelled (the list holds every family's NIK)."""

    __tablename__ = "register_import_file"

    import_id: int = Field(foreign_key="register_import.id", primary_key=True)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
