"""What steps produced (a decree and its number, a Berita Acara) and the reports an aided group
owes, with their due dates and lateness. Rules in services/proposal_records.py."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field
from sqlmodel import Session

from app.api.deps import CaseReader, CaseWriter, CatalogueDep, NowDep, RecordId, SessionDep
from app.api.schemas import ERRORS
from models import Office, Programme, ProposalOutput
from services.catalogue import Catalogue
from services.proposal_records import (
    NewGroupReport,
    NewOutput,
    output_name,
    outputs_of,
    record_group_report,
    record_output,
    report_schedule,
)
from services.proposals import get_proposal

router = APIRouter(tags=["proposals"])


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


def output_public(
    session: Session, catalogue: Catalogue, output: ProposalOutput, programme_id: int
) -> OutputPublic:
    programme = session.get(Programme, programme_id)
    spec = catalogue.programme(programme.code) if programme else None
    return OutputPublic(
        id=output.id or 0,
        step_position=output.step_position,
        kind=output.kind,
        name=output_name(spec, output, "id"),
        number=output.number,
        issued_on=output.issued_on,
        file_path=output.file_path,
        note=output.note,
        recorded_by_id=output.recorded_by_id,
        recorded_at=output.recorded_at,
    )


@router.get(
    "/proposals/{proposal_id}/outputs",
    summary="What the proposal's steps produced, step by step",
    responses=ERRORS,
)
def list_outputs(
    proposal_id: RecordId, session: SessionDep, staff: CaseReader, catalogue: CatalogueDep
) -> list[OutputPublic]:
    proposal = get_proposal(session=session, staff=staff, proposal_id=proposal_id)
    return [
        output_public(session, catalogue, o, proposal.programme_id)
        for o in outputs_of(session=session, proposal_id=proposal.id or 0)
    ]


@router.post(
    "/proposals/{proposal_id}/outputs",
    summary="Record an output of a step: a decree and its number, a Berita Acara, a scan",
    description=(
        "The kind must be one the step lists in the catalogue (422 `proposal.output.kind`); a "
        "numbered kind (a decree, a Berita Acara) needs its `number`; any step up to the "
        "current one may be given."
    ),
    status_code=status.HTTP_201_CREATED,
    responses=ERRORS,
)
def add_output(
    proposal_id: RecordId,
    body: OutputIn,
    session: SessionDep,
    staff: CaseWriter,
    catalogue: CatalogueDep,
    now: NowDep,
) -> OutputPublic:
    output = record_output(
        session=session,
        staff=staff,
        catalogue=catalogue,
        proposal_id=proposal_id,
        data=NewOutput(**body.model_dump()),
        now=now,
    )
    proposal = get_proposal(session=session, staff=staff, proposal_id=proposal_id)
    return output_public(session, catalogue, output, proposal.programme_id)


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


@router.get(
    "/groups/{group_id}/reports",
    summary="The reports an aided group owes, handed in or not, with due dates and lateness",
    responses=ERRORS,
)
def group_reports(
    group_id: RecordId,
    session: SessionDep,
    staff: CaseReader,
    catalogue: CatalogueDep,
    now: NowDep,
    programme: Annotated[str, Query(max_length=60)],
) -> list[ReportDuePublic]:
    office = session.get_one(Office, staff.office_id)
    today = now.astimezone(ZoneInfo(office.timezone)).date()
    return [
        ReportDuePublic(
            kind=due.kind.kind,
            name=due.kind.name.id,
            period=due.period,
            due_on=due.due_on,
            submitted_on=due.report.submitted_on if due.report else None,
            days_late=due.days_late,
            report_id=due.report.id if due.report else None,
        )
        for due in report_schedule(
            session=session,
            staff=staff,
            catalogue=catalogue,
            group_id=group_id,
            programme_code=programme,
            today=today,
        )
    ]


@router.post(
    "/groups/{group_id}/reports",
    summary="Record a report a group handed in for a period",
    status_code=status.HTTP_201_CREATED,
    responses=ERRORS,
)
def add_group_report(
    group_id: RecordId,
    body: ReportIn,
    session: SessionDep,
    staff: CaseWriter,
    catalogue: CatalogueDep,
    now: NowDep,
) -> ReportDuePublic:
    report = record_group_report(
        session=session,
        staff=staff,
        catalogue=catalogue,
        group_id=group_id,
        data=NewGroupReport(**body.model_dump()),
        now=now,
    )
    spec = catalogue.programme(body.programme_code)
    rules = spec.group_reports if spec else None
    names = {k.kind: k.name.id for k in rules.kinds} if rules else {}
    return ReportDuePublic(
        kind=report.kind,
        name=names.get(report.kind, report.kind),
        period=report.period,
        due_on=report.due_on,
        submitted_on=report.submitted_on,
        days_late=max(0, (report.submitted_on - report.due_on).days),
        report_id=report.id,
    )
