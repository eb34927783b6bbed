"""A proposal's walk through its SOP, step by step, as its history records it.

Each step of the programme, in the SOP's order and numbered as the SOP numbers it, with who
acts on it (the SOP's actor), its time standard, every time the proposal was at it (a return
brings it back, so a step may have several visits: when it came, when it left, who moved it,
how late it was against the standard at that moment, in the standard's own unit) and the
outputs recorded for it (a decree and its number).

Read only: nothing here changes a proposal; the read is audited by the caller's service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from models import Office, Programme, ProgrammeStep, Proposal, ProposalOutput, StaffUser
from services.catalogue import Catalogue, LocalizedText, TimeStandard
from services.proposal_records import outputs_of
from services.proposals import Status, history, standard_of, steps_of
from services.workdays import Lateness, lateness

# What ended a visit of a step, as the history records it.
LEFT_BY = frozenset({"advanced", "returned", "rejected", "completed"})


@dataclass(frozen=True)
class Visit:
    """One stay of the proposal at a step."""

    entered_at: datetime
    entered_how: str  # submitted, advanced, returned
    entered_by: str | None  # the staff member's name
    left_at: datetime | None  # None: it is still there
    left_how: str | None  # advanced, returned, rejected, completed
    left_by: str | None
    note: str  # the reason given when it left (a return, a rejection)
    # Against the standard when it left, or now while it is still there; None: no standard.
    lateness: Lateness | None


@dataclass(frozen=True)
class TimelineStep:
    position: int  # Sigap's position (1..n)
    sop_label: str  # "5", or "5a" and "5b" for one SOP step Sigap records in two
    sop_total: int  # how many steps the SOP has
    step: ProgrammeStep
    actor: LocalizedText | None  # who acts, as the SOP says it
    standard: TimeStandard | None
    state: str  # done, current, waiting, closed_here (rejected or completed at this step)
    visits: list[Visit]
    outputs: list[ProposalOutput]


def timeline(
    *, session: Session, catalogue: Catalogue, proposal: Proposal, now: datetime
) -> list[TimelineStep]:
    programme = session.get_one(Programme, proposal.programme_id)
    office = session.get_one(Office, proposal.office_id)
    spec = catalogue.programme(programme.code)
    steps = steps_of(session=session, programme_id=proposal.programme_id)
    if spec is not None and len(spec.steps) != len(steps):
        spec = None  # the stored steps are no longer the catalogue's: number them as stored
    events = history(session=session, proposal_id=proposal.id or 0)
    names = _staff_names(session, [e.staff_id for e in events])
    visits: dict[int, list[Visit]] = {}
    open_at: tuple[int, datetime, str, str | None] | None = None
    for event in events:
        who = names.get(event.staff_id) if event.staff_id else None
        if open_at is not None and event.action in LEFT_BY:
            position, entered_at, how, by = open_at
            standard = standard_of(steps[position - 1])
            visits.setdefault(position, []).append(
                Visit(
                    entered_at=entered_at,
                    entered_how=how,
                    entered_by=by,
                    left_at=event.at,
                    left_how=event.action,
                    left_by=who,
                    note=event.note if event.action in ("returned", "rejected") else "",
                    lateness=lateness(entered_at, standard, event.at, office.timezone),
                )
            )
            open_at = None
        if event.action in ("submitted", "advanced", "returned") and event.to_position:
            open_at = (event.to_position, event.at, event.action, who)
    if open_at is not None and proposal.status == Status.IN_PROGRESS:
        position, entered_at, how, by = open_at
        standard = standard_of(steps[position - 1])
        visits.setdefault(position, []).append(
            Visit(
                entered_at=entered_at,
                entered_how=how,
                entered_by=by,
                left_at=None,
                left_how=None,
                left_by=None,
                note="",
                lateness=lateness(entered_at, standard, now, office.timezone),
            )
        )
    outputs: dict[int, list[ProposalOutput]] = {}
    for output in outputs_of(session=session, proposal_id=proposal.id or 0):
        outputs.setdefault(output.step_position, []).append(output)
    total = spec.sop_numbers()[-1] if spec else len(steps)
    found = []
    for step in steps:
        spec_step = spec.steps[step.position - 1] if spec else None
        found.append(
            TimelineStep(
                position=step.position,
                sop_label=spec.sop_label(step.position) if spec else str(step.position),
                sop_total=total,
                step=step,
                actor=spec_step.actor if spec_step else None,
                standard=standard_of(step),
                state=_state(proposal, step.position),
                visits=visits.get(step.position, []),
                outputs=outputs.get(step.position, []),
            )
        )
    return found


def _state(proposal: Proposal, position: int) -> str:
    if position < proposal.step_position:
        return "done"
    if position > proposal.step_position:
        return "waiting"
    return "current" if proposal.status == Status.IN_PROGRESS else "closed_here"


def _staff_names(session: Session, ids: list[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(select(StaffUser).where(col(StaffUser.id).in_(wanted))).all()
    return {s.id or 0: s.full_name for s in rows}
