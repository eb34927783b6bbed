"""What steps produced (a decree and its number, a Berita Acara) and the reports an aided group
owes, with their due dates and lateness. Rules in services/proposal_records.py."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, status

from app.api.deps import CaseReader, CaseWriter, CatalogueDep, NowDep, RecordId, SessionDep
from app.api.record_schemas import OutputIn, OutputPublic, ReportDuePublic, ReportIn
from app.api.schemas import ERRORS
from app.presenters.proposals import output_public, programme_spec
from models import Office
from services.proposal_records import (
    NewGroupReport,
    NewOutput,
    outputs_of,
    record_group_report,
    record_output,
    report_schedule,
)
from services.proposals import get_proposal

router = APIRouter(tags=["proposals"])


@router.get(
    "/proposals/{proposal_id}/outputs",
    summary="What the proposal's steps produced, step by step",
    responses=ERRORS,
)
def list_outputs(
    proposal_id: RecordId, session: SessionDep, staff: CaseReader, catalogue: CatalogueDep
) -> list[OutputPublic]:
    proposal = get_proposal(session=session, staff=staff, proposal_id=proposal_id)
    _, spec = programme_spec(session, catalogue, proposal)
    return [
        output_public(spec, o) for o in outputs_of(session=session, proposal_id=proposal.id or 0)
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
    _, spec = programme_spec(session, catalogue, proposal)
    return output_public(spec, output)


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
