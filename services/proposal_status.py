"""Proposal status for the person a chat is linked to: where each proposal stands.

Free of any web framework and chat platform: the bot calls these with a session and ``now`` and
renders the message keys it gets back. Who the chat belongs to is settled before (see
:mod:`services.chat_links`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, or_, select

from models import (
    BeneficiaryGroup,
    GroupMember,
    Office,
    Person,
    Programme,
    ProgrammeStep,
    Proposal,
)
from services import audit
from services.catalogue import Catalogue, TimeStandard
from services.dates import parse_date
from services.nik import mask_nik
from services.workdays import lateness


@dataclass(frozen=True)
class Line:
    """One sentence to show: a message key and its parameters."""

    key: str
    params: dict[str, Any]


def parse_birth_date(text: str, *, today: date) -> date | None:
    """Day first, in digits or words: 17-08-1980, 17/08/80, 17081980, 17 Agustus 1980,
    1980-08-17 (see :func:`services.dates.parse_date`); never a date after ``today``."""
    found = parse_date(text, today=today)
    return found if found is not None and found <= today else None


def proposals_of(*, session: Session, person_id: int) -> list[Proposal]:
    """Every proposal the person is on: as applicant, or as a member of an applicant group."""
    groups = select(GroupMember.group_id).where(GroupMember.person_id == person_id)
    return list(
        session.exec(
            select(Proposal)
            .where(
                or_(
                    col(Proposal.applicant_person_id) == person_id,
                    col(Proposal.applicant_group_id).in_(groups),
                )
            )
            .order_by(col(Proposal.submitted_at).desc(), col(Proposal.id).desc())
        ).all()
    )


def _standard(step: ProgrammeStep | None) -> TimeStandard | None:
    if step is None or (step.standard_minutes is None and step.standard_working_days is None):
        return None
    if step.standard_minutes is not None:
        return TimeStandard(minutes=step.standard_minutes)
    return TimeStandard(working_days=step.standard_working_days)


def standard_params(standard: TimeStandard | None) -> tuple[str, dict[str, Any]]:
    """How to say a time standard: ('bot.standard.days', {'n': 2}) and so on."""
    if standard is None:
        return "bot.standard.none", {}
    if standard.working_days is not None:
        return "bot.standard.days", {"n": standard.working_days}
    minutes = standard.minutes or 0
    if minutes % (24 * 60) == 0:
        return "bot.standard.calendar_days", {"n": minutes // (24 * 60)}
    if minutes % 60 == 0:
        return "bot.standard.hours", {"n": minutes // 60}
    return "bot.standard.minutes", {"n": minutes}


def _local_date(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%d-%m-%Y")


def describe(
    *, session: Session, proposal: Proposal, catalogue: Catalogue, lang: str, now: datetime
) -> list[Line]:
    """Where the proposal stands, in plain words, as message lines (NIK masked)."""
    programme = session.get(Programme, proposal.programme_id)
    office = session.get(Office, proposal.office_id)
    zone = ZoneInfo(office.timezone if office else "Asia/Jakarta")
    spec = catalogue.programme(programme.code) if programme else None
    steps = list(
        session.exec(
            select(ProgrammeStep)
            .where(ProgrammeStep.programme_id == proposal.programme_id)
            .order_by(col(ProgrammeStep.position))
        ).all()
    )

    def step_name(step: ProgrammeStep) -> str:
        spec_step = spec.step(step.code) if spec else None
        return spec_step.name.get(lang) if spec_step else step.name

    programme_name = spec.name.get(lang) if spec else (programme.name if programme else "")
    lines = [
        Line("bot.status.header", {"number": proposal.number, "programme": programme_name}),
        Line("bot.status.applicant", {"applicant": _applicant(session, proposal)}),
    ]
    if proposal.status == "completed":
        when = proposal.closed_at or proposal.step_entered_at
        return [*lines, Line("bot.status.completed", {"date": _local_date(when, zone)})]
    if proposal.status == "rejected":
        when = proposal.closed_at or proposal.step_entered_at
        reason = proposal.rejection_reason or "-"
        return [
            *lines,
            Line("bot.status.rejected", {"date": _local_date(when, zone), "reason": reason}),
        ]

    current = next((s for s in steps if s.position == proposal.step_position), None)
    if current is None:
        return [*lines, Line("bot.status.in_progress", {})]
    standard = _standard(current)
    lines.append(
        Line(
            "bot.status.step",
            {
                "position": current.position,
                "total": len(steps),
                "step": step_name(current),
                "since": _local_date(proposal.step_entered_at, zone),
            },
        )
    )
    late = lateness(proposal.step_entered_at, standard, now, zone)
    if late is not None:
        key, params = standard_params(standard)
        lines.append(Line("bot.status.standard", {"standard_key": key, **params}))
        due = _local_date(late.due_at, zone)
        if late.is_late:
            days = late.working_days_late
            if days >= 1:
                lines.append(Line("bot.status.late_days", {"due": due, "n": days}))
            else:
                lines.append(Line("bot.status.late", {"due": due}))
        else:
            lines.append(Line("bot.status.on_time", {"due": due}))
    following = next((s for s in steps if s.position == proposal.step_position + 1), None)
    if following is None:
        lines.append(Line("bot.status.last_step", {}))
    else:
        key, params = standard_params(_standard(following))
        lines.append(
            Line("bot.status.next", {"step": step_name(following), "standard_key": key, **params})
        )
    return lines


def _applicant(session: Session, proposal: Proposal) -> str:
    if proposal.applicant_person_id is not None:
        person = session.get(Person, proposal.applicant_person_id)
        return f"{person.name} (NIK {mask_nik(person.nik)})" if person else "-"
    group = (
        session.get(BeneficiaryGroup, proposal.applicant_group_id)
        if proposal.applicant_group_id is not None
        else None
    )
    return group.name if group else "-"


def record_read(*, session: Session, actor: str, proposal: Proposal, now: datetime) -> None:
    """Every status a chat sees is a read of personal data, and is audited like a staff read."""
    audit.record(
        session=session,
        action="read",
        entity="proposal",
        entity_id=proposal.id,
        now=now,
        actor=actor,
        detail=f"status of {proposal.number} shown in chat",
    )
