"""The office's report for a period: complaints month by month and how fast they were answered,
by category, channel and desa, the IKM; proposals step by step and how many were late at each;
how far the notices reached.

Months are the office's own (a complaint received at 23.30 WITA on the last day of June is
June's). The complaint figures use the same rule as services/complaint_reports.py (answered on
time: the first answer by the deadline of its first clock); the IKM is that module's.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from models import (
    Complaint,
    Notice,
    NoticeRecipient,
    Person,
    Programme,
    ProgrammeStep,
    Proposal,
    ProposalEvent,
)
from services.complaint_reports import ComplaintReport, complaint_report
from services.proposals import standard_of
from services.workdays import step_due_at

# Steps a proposal enters by these moves; "completed" and "rejected" end the one it is in.
ENTERS = ("submitted", "advanced", "returned")
PERCENTILES = (0.5, 0.75, 0.9)
# A report longer than this is a different question (and a slow page).
MAX_DAYS = 2 * 366


@dataclass(frozen=True)
class Month:
    month: str  # "2026-07"
    received: int
    answered_on_time: int
    answered_late: int
    unanswered: int


@dataclass(frozen=True)
class StepRow:
    programme_code: str
    position: int
    name: str
    entered: int  # proposals that entered the step in the period
    late: int  # of those, how many left it late or are still in it past its standard
    open_now: int  # in the step now, whenever they entered it
    timed: bool  # the SOP gives the step a time standard (else "late" cannot be said)


@dataclass(frozen=True)
class NoticeReach:
    sent: int  # notices broadcast in the period
    chats: int  # persons each reached (a person two notices reached counts twice)
    reminders: int
    cancelled: int


@dataclass(frozen=True)
class OfficeReport:
    start: datetime
    end: datetime
    complaints: ComplaintReport
    months: list[Month]
    percentiles: dict[float, float | None]  # hours to the first answer
    answered: int  # n of the percentiles
    by_desa: dict[str, int]
    steps: list[StepRow]
    notices: NoticeReach


def period(first: date, last: date, timezone: str) -> tuple[datetime, datetime]:
    """The instants a period of whole local days starts and ends (the end exclusive)."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(first, datetime.min.time(), zone)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), zone)
    return start, end


def percentile(ordered: Sequence[float], fraction: float) -> float | None:
    """Nearest rank: a value that really occurred."""
    if not ordered:
        return None
    return round(ordered[max(1, math.ceil(fraction * len(ordered))) - 1], 1)


def _months(start: datetime, end: datetime, zone: ZoneInfo) -> list[str]:
    first, last = start.astimezone(zone).date(), (end - timedelta(seconds=1)).astimezone(zone)
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _first_deadline(complaint: Complaint, response_hours: int) -> datetime:
    # As complaint_reports: a reopened complaint's first clock is the default's hours.
    if complaint.cycle == 1:
        return complaint.due_at
    return complaint.received_at + timedelta(hours=response_hours)


def _complaint_months(
    rows: Sequence[Complaint], start: datetime, end: datetime, zone: ZoneInfo, hours: int
) -> list[Month]:
    counts: dict[str, Counter[str]] = {m: Counter() for m in _months(start, end, zone)}
    for c in rows:
        month = c.received_at.astimezone(zone).strftime("%Y-%m")
        tally = counts.setdefault(month, Counter())
        tally["received"] += 1
        if c.first_response_at is None:
            tally["unanswered"] += 1
        elif c.first_response_at <= _first_deadline(c, hours):
            tally["on_time"] += 1
        else:
            tally["late"] += 1
    return [
        Month(m, t["received"], t["on_time"], t["late"], t["unanswered"])
        for m, t in sorted(counts.items())
    ]


def _by_desa(session: Session, rows: Sequence[Complaint]) -> dict[str, int]:
    """The complainant's desa as the office holds it; "" for a complaint from nobody on file."""
    ids = {c.person_id for c in rows if c.person_id is not None}
    desa = {}
    if ids:
        found = session.exec(select(Person.id, Person.desa).where(col(Person.id).in_(ids)))
        desa = {person_id: name for person_id, name in found.all()}
    counted = Counter(desa.get(c.person_id, "") if c.person_id else "" for c in rows)
    return dict(sorted(counted.items(), key=lambda item: (-item[1], item[0])))


def _steps(
    session: Session, office_id: int, start: datetime, end: datetime, now: datetime, tz: str
) -> list[StepRow]:
    programmes = {
        p.id: p
        for p in session.exec(select(Programme).where(Programme.office_id == office_id)).all()
    }
    if not programmes:
        return []
    steps = session.exec(
        select(ProgrammeStep)
        .where(col(ProgrammeStep.programme_id).in_(programmes))
        .order_by(col(ProgrammeStep.programme_id), col(ProgrammeStep.position))
    ).all()
    by_key = {(s.programme_id, s.position): s for s in steps}
    proposals = {
        p.id: p for p in session.exec(select(Proposal).where(Proposal.office_id == office_id)).all()
    }
    events = session.exec(
        select(ProposalEvent)
        .where(col(ProposalEvent.proposal_id).in_(proposals))
        .order_by(col(ProposalEvent.proposal_id), col(ProposalEvent.id))
    ).all()
    per_proposal: dict[int, list[ProposalEvent]] = defaultdict(list)
    for event in events:
        per_proposal[event.proposal_id].append(event)

    entered: Counter[tuple[int, int]] = Counter()
    late: Counter[tuple[int, int]] = Counter()
    for proposal_id, history in per_proposal.items():
        proposal = proposals[proposal_id]
        for index, event in enumerate(history):
            if event.action not in ENTERS or event.to_position is None:
                continue
            if not start <= event.at < end:
                continue
            key = (proposal.programme_id, event.to_position)
            step = by_key.get(key)
            if step is None:
                continue
            entered[key] += 1
            due = step_due_at(event.at, standard_of(step), tz)
            following = history[index + 1] if index + 1 < len(history) else None
            left = following.at if following else (proposal.closed_at or now)
            if due is not None and left > due:
                late[key] += 1
    open_now: Counter[tuple[int, int]] = Counter(
        (p.programme_id, p.step_position) for p in proposals.values() if p.status == "in_progress"
    )
    return [
        StepRow(
            programme_code=programmes[s.programme_id].code,
            position=s.position,
            name=s.name,
            entered=entered[(s.programme_id, s.position)],
            late=late[(s.programme_id, s.position)],
            open_now=open_now[(s.programme_id, s.position)],
            timed=standard_of(s) is not None,
        )
        for s in steps
    ]


def _notices(session: Session, office_id: int, start: datetime, end: datetime) -> NoticeReach:
    """Counted from the notice and recipient rows alone (their id, kind and times), so the
    report keeps working as the notices grow new columns."""
    in_period = (
        Notice.office_id == office_id,
        col(Notice.sent_at) >= start,
        col(Notice.sent_at) < end,
    )
    sent = session.exec(select(func.count()).select_from(Notice).where(*in_period)).one()
    # A recipient row with a chat (its own or the phone's) is a person reached; one without
    # is a person the notice could not reach (no phone), counted in the notice's own report.
    kind = case(
        (col(NoticeRecipient.kind).startswith("reminder"), "reminder"), else_=NoticeRecipient.kind
    )
    reached = dict(
        session.exec(
            select(kind, func.count())
            .join(Notice, col(Notice.id) == NoticeRecipient.notice_id)
            .where(*in_period, col(NoticeRecipient.conversation_id).is_not(None))
            .group_by(kind)
        ).all()
    )
    cancelled = session.exec(
        select(func.count()).select_from(Notice).where(*in_period, Notice.status == "cancelled")
    ).one()
    return NoticeReach(
        sent=int(sent),
        chats=int(reached.get("notice", 0)),
        reminders=int(reached.get("reminder", 0)),
        cancelled=int(cancelled),
    )


def office_report(
    *,
    session: Session,
    office_id: int,
    timezone: str,
    start: datetime,
    end: datetime,
    now: datetime,
    response_hours: int,
) -> OfficeReport:
    zone = ZoneInfo(timezone)
    rows = session.exec(
        select(Complaint).where(
            Complaint.office_id == office_id,
            col(Complaint.received_at) >= start,
            col(Complaint.received_at) < end,
        )
    ).all()
    answered = sorted(
        (c.first_response_at - c.received_at).total_seconds() / 3600
        for c in rows
        if c.first_response_at is not None
    )
    return OfficeReport(
        start=start,
        end=end,
        complaints=complaint_report(
            session=session,
            office_id=office_id,
            start=start,
            end=end,
            now=now,
            response_hours=response_hours,
        ),
        months=_complaint_months(rows, start, end, zone, response_hours),
        percentiles={p: percentile(answered, p) for p in PERCENTILES},
        answered=len(answered),
        by_desa=_by_desa(session, rows),
        steps=_steps(session, office_id, start, end, now, timezone),
        notices=_notices(session, office_id, start, end),
    )
