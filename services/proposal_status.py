"""Proposal status for the person a chat is linked to: where each proposal stands.

Free of any web framework and chat platform: the bot calls these with a session and ``now`` and
renders the message keys it gets back. Who the chat belongs to is settled before (see
:mod:`services.chat_links`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, or_, select

import messages
from models import (
    BeneficiaryGroup,
    GroupMember,
    Office,
    Person,
    Programme,
    ProgrammeStep,
    Proposal,
    ProposalEvent,
)
from services import audit
from services.catalogue import Catalogue, TimeStandard
from services.catalogue import Programme as ProgrammeSpec
from services.dates import parse_date
from services.nik import mask_nik
from services.proposal_records import output_name, outputs_of
from services.step_time import late_span, standard_span
from services.timefmt import format_date, format_moment
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


def standard_words(
    standard: TimeStandard | None, lang: str, *, reading: TimeStandard | None = None
) -> str | None:
    """A time standard in words ("1 hari kerja", "5 menit"); None when there is none. With
    ``reading``, the catalogue's standard of the step: a unit that is Sigap's reading (the
    SOP's "2 Hari" counted as working days) is said to be one."""
    span = standard_span(standard)
    if span is None:
        return None
    words = span.words(lang)
    if reading is not None and reading.assumption is not None and standard is not None:
        days = standard.working_days or reading.working_days
        return messages.render("step.standard.reading", lang, standard=words, days=days)
    return words


def _local_date(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%d-%m-%Y")


def describe(
    *, session: Session, proposal: Proposal, catalogue: Catalogue, lang: str, now: datetime
) -> list[Line]:
    """Where the proposal stands, in plain words, as message lines (NIK masked).

    Steps are numbered as the SOP numbers them; lateness is said in the unit of the step's
    standard, with the due moment's time; a returned proposal says why; the outputs recorded
    so far (a decree and its number) close the list.
    """
    programme = session.get(Programme, proposal.programme_id)
    # proposal.office_id is a foreign key: the office is there, and its zone is the one to use.
    tz = session.get_one(Office, proposal.office_id).timezone
    zone = ZoneInfo(tz)
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

    def words(step: ProgrammeStep) -> str | None:
        spec_step = spec.step(step.code) if spec else None
        reading = spec_step.time_standard if spec_step else None
        return standard_words(_standard(step), lang, reading=reading)

    programme_name = spec.name.get(lang) if spec else (programme.name if programme else "")
    lines = [
        Line("bot.status.header", {"number": proposal.number, "programme": programme_name}),
        Line("bot.status.applicant", {"applicant": _applicant(session, proposal)}),
    ]
    outputs = _outputs(session, proposal, spec, lang, tz)
    if proposal.status == "completed":
        when = proposal.closed_at or proposal.step_entered_at
        return [*lines, Line("bot.status.completed", {"date": _local_date(when, zone)}), *outputs]
    if proposal.status == "rejected":
        when = proposal.closed_at or proposal.step_entered_at
        reason = proposal.rejection_reason or "-"
        return [
            *lines,
            Line("bot.status.rejected", {"date": _local_date(when, zone), "reason": reason}),
            *outputs,
        ]

    current = next((s for s in steps if s.position == proposal.step_position), None)
    if current is None:
        return [*lines, Line("bot.status.in_progress", {})]
    number, total = (
        spec.sop_place(current.position)
        if spec and len(spec.steps) == len(steps)
        else (current.position, len(steps))
    )
    lines.append(
        Line(
            "proposal.status.step",
            {
                "position": number,
                "total": total,
                "step": step_name(current),
                "since": format_moment(proposal.step_entered_at, tz, lang),
            },
        )
    )
    returned = _returned(session, proposal)
    if returned is not None:
        lines.append(
            Line(
                "proposal.status.returned",
                {"date": format_date(returned.at, tz, lang), "reason": returned.note or "-"},
            )
        )
    standard = _standard(current)
    late = lateness(proposal.step_entered_at, standard, now, zone)
    if late is not None:
        lines.append(Line("proposal.status.standard", {"standard": words(current)}))
        due = format_moment(late.due_at, tz, lang)
        span = late_span(late, standard)
        if span is not None:
            lines.append(Line("proposal.status.late", {"due": due, "late": span.words(lang)}))
        else:
            lines.append(Line("proposal.status.on_time", {"due": due}))
    following = next((s for s in steps if s.position == proposal.step_position + 1), None)
    if following is None:
        lines.append(Line("bot.status.last_step", {}))
    else:
        following_words = words(following)
        if following_words is None:
            lines.append(Line("proposal.status.next_plain", {"step": step_name(following)}))
        else:
            lines.append(
                Line(
                    "proposal.status.next",
                    {"step": step_name(following), "standard": following_words},
                )
            )
    return [*lines, *outputs]


def _returned(session: Session, proposal: Proposal) -> ProposalEvent | None:
    """The return that brought the proposal to its current step, if that is how it got there."""
    last = session.exec(
        select(ProposalEvent)
        .where(ProposalEvent.proposal_id == proposal.id)
        .order_by(col(ProposalEvent.id).desc())
        .limit(1)
    ).first()
    return last if last is not None and last.action == "returned" else None


def _outputs(
    session: Session, proposal: Proposal, spec: ProgrammeSpec | None, lang: str, tz: str
) -> list[Line]:
    recorded = outputs_of(session=session, proposal_id=proposal.id or 0)
    if not recorded:
        return []
    lines = [Line("proposal.status.outputs", {})]
    for output in recorded:
        number = (
            messages.render("proposal.output.number", lang, number=output.number)
            if output.number
            else ""
        )
        issued = (
            messages.render(
                "proposal.output.date",
                lang,
                date=format_date(
                    datetime.combine(output.issued_on, time(12), tzinfo=ZoneInfo(tz)), tz, lang
                ),
            )
            if output.issued_on
            else ""
        )
        lines.append(
            Line(
                "proposal.status.output",
                {"name": output_name(spec, output, lang), "number": number, "date": issued},
            )
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
