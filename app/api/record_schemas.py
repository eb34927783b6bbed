"""What the endpoints for a step's outputs and a group's reports accept and return."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class OutputIn(BaseModel):
    kind: str = Field(max_length=40, description="A kind the step lists (GET the programme)")
    step_position: int | None = Field(
        default=None, ge=1, description="Which step produced it; the current one when left out"
    )
    number: str = Field(default="", max_length=120, description="The decree's or record's number")
    issued_on: date | None = None
    file_path: str | None = Field(
        default=None, max_length=300, description="Where its scan is kept (a relative path)"
    )
    note: str = Field(default="", max_length=500)


class OutputPublic(BaseModel):
    id: int
    step_position: int
    kind: str
    name: str = Field(description="The kind as the SOP names it")
    number: str
    issued_on: date | None
    file_path: str | None
    note: str
    recorded_by_id: int | None
    recorded_at: datetime


class ReportIn(BaseModel):
    programme_code: str = Field(max_length=60)
    kind: str = Field(max_length=40)
    period: str = Field(max_length=10, description="2026-Q1 for a quarter, 2026 for the year end")
    submitted_on: date
    file_path: str | None = Field(default=None, max_length=300)
    note: str = Field(default="", max_length=500)


class ReportDuePublic(BaseModel):
    kind: str
    name: str
    period: str
    due_on: date
    submitted_on: date | None
    days_late: int = Field(description="Handed in late by, or overdue by, in days; 0 if neither")
    report_id: int | None
