from __future__ import annotations

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class Programme(SQLModel, table=True):
    """A mirror of one catalogue file, so proposals can reference it."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=60, unique=True, index=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    kind: str = Field(max_length=40)
    name: str = Field(max_length=200)
    applicant_kind: str = Field(max_length=10)  # "person" or "group"
    active: bool = True


class ProgrammeStep(SQLModel, table=True):
    __tablename__ = "programme_step"
    __table_args__ = (
        UniqueConstraint("programme_id", "position"),
        UniqueConstraint("programme_id", "code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    position: int  # 1-based order in the SOP
    code: str = Field(max_length=60)
    name: str = Field(max_length=300)
    actor: str = Field(default="", max_length=200)
    allowed_roles: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    standard_minutes: int | None = None
    standard_working_days: int | None = None
