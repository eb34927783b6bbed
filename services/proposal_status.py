"""Proposal status for a person in a chat: prove who you are, then see where things stand.

Free of any web framework and chat platform: the bot calls these with a session and ``now`` and
renders the message keys it gets back. The proof is a pair (proposal number or NIK, birth date);
a wrong pair gets the same answer whether or not the first half exists, and failures are
limited per chat so nobody can walk through birth dates.
"""

from __future__ import annotations

import re
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
from services import attempts, audit
from services.catalogue import Catalogue, TimeStandard
from services.nik import mask_nik
from services.workdays import lateness

_NUMBER = re.compile(r"^([A-Z]{2,10})-?(\d{4})-?(\d{1,6})$")
_DATE_SEPARATED = re.compile(r"^(\d{1,2})[\s./-]+(\d{1,2})[\s./-]+(\d{4})$")
_DATE_COMPACT = re.compile(r"^(\d{2})(\d{2})(\d{4})$")


@dataclass(frozen=True)
class Identifier:
    kind: str  # "number" or "nik"
    value: str


@dataclass(frozen=True)
class Line:
    """One sentence to show: a message key and its parameters."""

    key: str
    params: dict[str, Any]


def parse_identifier(text: str) -> Identifier | None:
    """A proposal number (any case, spaces ignored) or a 16-digit NIK; None if neither."""
    compact = re.sub(r"\s+", "", text).upper()
    digits = re.sub(r"[.\-]", "", compact)
    if re.fullmatch(r"[0-9]{16}", digits):
        return Identifier("nik", digits)
    match = _NUMBER.match(compact)
    if match:
        prefix, year, serial = match.groups()
        return Identifier("number", f"{prefix}-{year}-{int(serial):04d}")
    return None


def parse_birth_date(text: str) -> date | None:
    """Day first, as Indonesians write it: 17-08-1980, 17/08/1980, 17081980, 17 8 1980."""
    cleaned = text.strip()
    match = _DATE_SEPARATED.match(cleaned) or _DATE_COMPACT.match(cleaned)
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _candidates(session: Session, identifier: Identifier) -> list[Person]:
    if identifier.kind == "nik":
        return list(session.exec(select(Person).where(Person.nik == identifier.value)).all())
    proposal = session.exec(select(Proposal).where(Proposal.number == identifier.value)).first()
    if proposal is None:
        return []
    if proposal.applicant_person_id is not None:
        person = session.get(Person, proposal.applicant_person_id)
        return [person] if person else []
    # A group's proposal: any member may ask about it with their own birth date.
    return list(
        session.exec(
            select(Person)
            .join(GroupMember, col(GroupMember.person_id) == col(Person.id))
            .where(GroupMember.group_id == proposal.applicant_group_id)
        ).all()
    )


def prove(
    *,
    session: Session,
    conversation_id: int,
    identifier: Identifier,
    birth_date: date,
    now: datetime,
) -> Person | None:
    """The person this pair proves, or None; records the attempt either way.

    The caller checks :func:`services.attempts.chat_locked_until` first. Both outcomes take
    the same queries, so the answer (and roughly its time) does not tell whether the NIK or
    number exists.
    """
    person = next((p for p in _candidates(session, identifier) if p.birth_date == birth_date), None)
    attempts.record(
        session=session,
        conversation_id=conversation_id,
        now=now,
        succeeded=person is not None,
        method="birth",
    )
    return person


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
