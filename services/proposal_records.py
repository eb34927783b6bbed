"""What a proposal's steps produced, and the reports an aided group owes.

A step's outputs are recorded as its catalogue step lists them (``Step.output_kinds``): a
decree with its number and date, a Berita Acara, the disposition sheet, each with an optional
path to its scan. Any step up to the current one may get its record (a decree is often typed in
after the proposal has moved on); a kind the step does not list is refused.

Group reports (KUBE Bekasi: three kinds, per quarter and at the end of the year) are owed from
the quarter in which the group's proposal passed the step named in the programme's
``group_reports.from_step``; each period's report is due on the period's last day plus
``due_days_after_period``. A report handed in after that day is late by the difference; one
not handed in is late from the day after it was due.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

import messages
from models import (
    BeneficiaryGroup,
    GroupReport,
    Office,
    Programme,
    Proposal,
    ProposalEvent,
    ProposalOutput,
    StaffUser,
)
from services import audit
from services.catalogue import Catalogue, GroupReports, OutputKind
from services.catalogue import Programme as ProgrammeSpec
from services.errors import Conflict, InvalidInput, NotFound
from services.roles import CASE_WRITERS
from services.staff import require_office, require_role

MAX_PATH = 300
_PERIOD = re.compile(r"^(?P<year>\d{4})(?:-Q(?P<quarter>[1-4]))?$")


@dataclass(frozen=True)
class NewOutput:
    kind: str
    step_position: int | None = None  # None: the current step
    number: str = ""
    issued_on: date | None = None
    file_path: str | None = None
    note: str = ""


def _clean_path(path: str | None) -> str | None:
    """A scan's path in the office's storage: relative, without ``..``, printable."""
    cleaned = (path or "").strip()
    if not cleaned:
        return None
    if (
        len(cleaned) > MAX_PATH
        or cleaned.startswith(("/", "\\"))
        or ".." in re.split(r"[/\\]", cleaned)
        or any(ord(c) < 32 for c in cleaned)
    ):
        raise InvalidInput("proposal.output.file_path", most=MAX_PATH)
    return cleaned


def _programme_spec(session: Session, catalogue: Catalogue, programme_id: int) -> ProgrammeSpec:
    row = session.get(Programme, programme_id)
    spec = catalogue.programme(row.code) if row else None
    if spec is None:
        raise NotFound("error.not_found", what="Programme")
    return spec


def record_output(
    *,
    session: Session,
    staff: StaffUser,
    catalogue: Catalogue,
    proposal_id: int,
    data: NewOutput,
    now: datetime,
) -> ProposalOutput:
    require_role(staff, CASE_WRITERS)
    proposal = session.get(Proposal, proposal_id)
    if proposal is None:
        raise NotFound("error.not_found", what="Proposal")
    require_office(staff, proposal.office_id, what="Proposal")
    spec = _programme_spec(session, catalogue, proposal.programme_id)
    position = data.step_position or proposal.step_position
    if not 1 <= position <= proposal.step_position:
        raise InvalidInput(
            "proposal.output.step", position=position, current=proposal.step_position
        )
    step = spec.steps[position - 1]
    kinds = step.output_kinds()
    kind = next((k for k in kinds if k.kind == data.kind), None)
    if kind is None:
        raise InvalidInput(
            "proposal.output.kind",
            kind=data.kind,
            position=position,
            kinds=", ".join(k.kind for k in kinds) or "-",
        )
    number = data.number.strip()
    if kind.numbered and not number:
        raise InvalidInput(
            "proposal.output.number_required",
            name=messages.ByLanguage(id=kind.name.id, en=kind.name.en),
        )
    if len(number) > 120 or len(data.note) > 500:
        raise InvalidInput("proposal.output.too_long")
    output = ProposalOutput(
        proposal_id=proposal.id or 0,
        step_position=position,
        kind=kind.kind,
        number=number,
        issued_on=data.issued_on,
        file_path=_clean_path(data.file_path),
        note=data.note.strip(),
        recorded_by_id=staff.id,
        recorded_at=now,
    )
    session.add(output)
    session.flush()
    audit.record(
        session=session,
        action="create",
        entity="proposal_output",
        entity_id=output.id,
        now=now,
        staff=staff,
        detail=f"{proposal.number}: {kind.kind} at step {position}",
    )
    return output


def outputs_of(*, session: Session, proposal_id: int) -> list[ProposalOutput]:
    query = (
        select(ProposalOutput)
        .where(ProposalOutput.proposal_id == proposal_id)
        .order_by(col(ProposalOutput.step_position), col(ProposalOutput.id))
    )
    return list(session.exec(query).all())


def output_name(spec: ProgrammeSpec | None, output: ProposalOutput, lang: str) -> str:
    """The kind's name as the SOP gives it, in ``lang``; the kind's code when unknown."""
    if spec is None or not 1 <= output.step_position <= len(spec.steps):
        return output.kind
    found = next(
        (k for k in spec.steps[output.step_position - 1].output_kinds() if k.kind == output.kind),
        None,
    )
    return found.name.get(lang) if found else output.kind


# --- group reports ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportDue:
    kind: OutputKind
    period: str  # "2026-Q1", or "2026" for the year-end report
    due_on: date
    report: GroupReport | None
    days_late: int  # handed in late by, or overdue by; 0 when neither


def period_end(period: str) -> date:
    found = _PERIOD.match(period)
    if found is None:
        raise InvalidInput("group_report.period", period=period)
    year = int(found["year"])
    quarter = int(found["quarter"]) if found["quarter"] else 4
    return (date(year + 1, 1, 1) if quarter == 4 else date(year, quarter * 3 + 1, 1)) - timedelta(
        days=1
    )


def _periods(rules: GroupReports, start: date, today: date) -> list[str]:
    periods: list[str] = []
    for year in range(start.year, today.year + 1):
        if rules.quarterly:
            for quarter in range(1, 5):
                first = date(year, quarter * 3 - 2, 1)
                last = period_end(f"{year}-Q{quarter}")
                if last >= start and first <= today:
                    periods.append(f"{year}-Q{quarter}")
        if rules.year_end:
            periods.append(str(year))
    return periods


def _reporting_programme(
    session: Session, staff: StaffUser, catalogue: Catalogue, group_id: int, programme_code: str
) -> tuple[BeneficiaryGroup, Programme, ProgrammeSpec, GroupReports]:
    group = session.get(BeneficiaryGroup, group_id)
    if group is None:
        raise NotFound("error.not_found", what="Group")
    require_office(staff, group.office_id, what="Group")
    row = session.exec(select(Programme).where(Programme.code == programme_code)).first()
    spec = catalogue.programme(programme_code)
    if row is None or spec is None or row.office_id != group.office_id:
        raise NotFound("error.not_found", what=f"Programme {programme_code}")
    if spec.group_reports is None:
        raise InvalidInput("group_report.none", programme=programme_code)
    return group, row, spec, spec.group_reports


def reports_owed_since(
    *, session: Session, spec: ProgrammeSpec, programme_id: int, group_id: int, zone: str
) -> date | None:
    """The local day the group's proposal passed the step reports are owed from (None: not
    yet, or no proposal)."""
    rules = spec.group_reports
    if rules is None:
        return None
    position = spec.step_position(rules.from_step) if rules.from_step else len(spec.steps)
    if position is None:
        return None
    query = (
        select(ProposalEvent.at)
        .join(Proposal, col(Proposal.id) == ProposalEvent.proposal_id)
        .where(
            Proposal.applicant_group_id == group_id,
            Proposal.programme_id == programme_id,
            ProposalEvent.from_position == position,
            col(ProposalEvent.action).in_(("advanced", "completed")),
        )
        .order_by(col(ProposalEvent.at))
        .limit(1)
    )
    passed = session.exec(query).first()
    return passed.astimezone(ZoneInfo(zone)).date() if passed else None


def report_schedule(
    *,
    session: Session,
    staff: StaffUser,
    catalogue: Catalogue,
    group_id: int,
    programme_code: str,
    today: date,
) -> list[ReportDue]:
    """Every report the group owes up to ``today``'s period, handed in or not, oldest first."""
    group, row, spec, rules = _reporting_programme(
        session, staff, catalogue, group_id, programme_code
    )
    office = session.get_one(Office, group.office_id)
    start = reports_owed_since(
        session=session,
        spec=spec,
        programme_id=row.id or 0,
        group_id=group_id,
        zone=office.timezone,
    )
    if start is None:
        return []
    handed_in = {
        (r.kind, r.period): r
        for r in session.exec(
            select(GroupReport).where(
                GroupReport.group_id == group_id, GroupReport.programme_id == row.id
            )
        ).all()
    }
    schedule = []
    for period in _periods(rules, start, today):
        due_on = period_end(period) + timedelta(days=rules.due_days_after_period)
        for kind in rules.kinds:
            report = handed_in.get((kind.kind, period))
            until = report.submitted_on if report else today
            schedule.append(ReportDue(kind, period, due_on, report, max(0, (until - due_on).days)))
    return schedule


@dataclass(frozen=True)
class NewGroupReport:
    programme_code: str
    kind: str
    period: str
    submitted_on: date
    file_path: str | None = None
    note: str = ""


def record_group_report(
    *,
    session: Session,
    staff: StaffUser,
    catalogue: Catalogue,
    group_id: int,
    data: NewGroupReport,
    now: datetime,
) -> GroupReport:
    require_role(staff, CASE_WRITERS)
    group, row, _, rules = _reporting_programme(
        session, staff, catalogue, group_id, data.programme_code
    )
    kind = next((k for k in rules.kinds if k.kind == data.kind), None)
    if kind is None:
        raise InvalidInput(
            "group_report.kind", kind=data.kind, kinds=", ".join(k.kind for k in rules.kinds)
        )
    found = _PERIOD.match(data.period)
    if (
        found is None
        or (found["quarter"] and not rules.quarterly)
        or (not found["quarter"] and not rules.year_end)
    ):
        raise InvalidInput("group_report.period", period=data.period)
    if len(data.note) > 500:
        raise InvalidInput("proposal.output.too_long")
    report = GroupReport(
        group_id=group.id or 0,
        programme_id=row.id or 0,
        kind=kind.kind,
        period=data.period,
        due_on=period_end(data.period) + timedelta(days=rules.due_days_after_period),
        submitted_on=data.submitted_on,
        file_path=_clean_path(data.file_path),
        note=data.note.strip(),
        recorded_by_id=staff.id,
        recorded_at=now,
    )
    try:
        with session.begin_nested():
            session.add(report)
            session.flush()
    except IntegrityError:
        raise Conflict(
            "group_report.exists", kind=kind.kind, period=data.period, group=group.name
        ) from None
    audit.record(
        session=session,
        action="create",
        entity="group_report",
        entity_id=report.id,
        now=now,
        staff=staff,
        detail=f"group {group.id}: {kind.kind} {data.period}",
    )
    return report
