"""Proposals and their walk through the SOP. Every move goes through services.proposals.transition.

A proposal, person or group of another office answers 404, in the same words as one that
does not exist: a 403 would say it exists. Proposal reads show the applicant, so each is audited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, status
from sqlmodel import Session

from app.api.deps import CaseReader, CaseWriter, CatalogueDep, NowDep, RecordId, SessionDep
from app.api.schemas import (
    ERRORS,
    ApplicantPublic,
    CurrentStep,
    EventPublic,
    ProposalIn,
    ProposalPublic,
    ProposalSummary,
    StepRef,
    TimeStandardPublic,
    TransitionIn,
)
from models import Programme, ProgrammeStep, Proposal, StaffUser
from services import audit
from services.errors import InvalidInput
from services.persons import get_group, get_person
from services.proposals import (
    Status,
    create_proposal,
    get_proposal,
    history,
    search_proposals,
    standard_of,
    step_view,
    steps_of,
    transition,
)

router = APIRouter(prefix="/proposals", tags=["proposals"])


def _applicant(session: Session, proposal: Proposal) -> ApplicantPublic:
    if proposal.applicant_person_id is not None:
        person = get_person(session=session, person_id=proposal.applicant_person_id)
        return ApplicantPublic(kind="person", id=person.id or 0, name=person.name, nik=person.nik)
    group = get_group(session=session, group_id=proposal.applicant_group_id or 0)
    return ApplicantPublic(kind="group", id=group.id or 0, name=group.name)


def _step_ref(step: ProgrammeStep) -> StepRef:
    standard = standard_of(step)
    return StepRef(
        position=step.position,
        code=step.code,
        name=step.name,
        allowed_roles=step.allowed_roles,
        time_standard=TimeStandardPublic(**standard.model_dump()) if standard else None,
    )


def _audit_read(
    session: Session, staff: StaffUser, proposal: Proposal, now: datetime, detail: str
) -> None:
    audit.record(
        session=session,
        action="read",
        entity="proposal",
        entity_id=proposal.id,
        now=now,
        staff=staff,
        detail=f"{proposal.number}: {detail}",
    )


def proposal_public(
    session: Session, staff: StaffUser, proposal: Proposal, now: datetime
) -> ProposalPublic:
    view = step_view(session=session, proposal=proposal, now=now)
    programme = session.get(Programme, proposal.programme_id)
    late = view.lateness
    _audit_read(session, staff, proposal, now, "details")
    return ProposalPublic(
        id=proposal.id or 0,
        number=proposal.number,
        programme_code=programme.code if programme else "",
        programme_name=programme.name if programme else "",
        status=proposal.status,
        version=proposal.version,
        applicant=_applicant(session, proposal),
        total_steps=view.total,
        current_step=CurrentStep(
            **_step_ref(view.step).model_dump(),
            entered_at=proposal.step_entered_at,
            due_at=late.due_at if late else None,
            is_late=late.is_late if late else False,
            working_days_late=late.working_days_late if late else 0,
        ),
        next_step=_step_ref(view.next_step) if view.next_step else None,
        submitted_at=proposal.submitted_at,
        closed_at=proposal.closed_at,
        rejection_reason=proposal.rejection_reason,
    )


@router.post(
    "",
    summary="File a proposal for a person or a group",
    description=(
        "Give `person_id` or `group_id`, as the programme takes. A proposal that fails the "
        "programme's rules answers 422 `error.ineligible` with every failed rule in `details` "
        "(rule, error key, message in Indonesian, message_en)."
    ),
    status_code=status.HTTP_201_CREATED,
    responses=ERRORS,
)
def file_proposal(
    body: ProposalIn,
    session: SessionDep,
    staff: CaseWriter,
    catalogue: CatalogueDep,
    now: NowDep,
) -> ProposalPublic:
    proposal = create_proposal(
        session=session,
        staff=staff,
        catalogue=catalogue,
        programme_code=body.programme_code,
        now=now,
        person_id=body.person_id,
        group_id=body.group_id,
        note=body.note,
    )
    return proposal_public(session, staff, proposal, now)


@router.get(
    "",
    summary="Find proposals of my office",
    description=(
        "By number, the applicant's exact NIK (also a group member's), applicant name or desa "
        "(any part), status and programme code. At least one criterion; at most 50 results."
    ),
    responses=ERRORS,
)
def find_proposals(
    session: SessionDep,
    staff: CaseReader,
    now: NowDep,
    number: Annotated[str | None, Query(max_length=30)] = None,
    nik: Annotated[str | None, Query(max_length=40)] = None,
    name: Annotated[str | None, Query(max_length=120)] = None,
    desa: Annotated[str | None, Query(max_length=80)] = None,
    status: Annotated[Status | None, Query()] = None,
    programme: Annotated[str | None, Query(max_length=60)] = None,
) -> list[ProposalSummary]:
    if not (number or nik or name or desa or status or programme):
        raise InvalidInput(
            "api.search.criteria", fields="number, nik, name, desa, status, programme"
        )
    found = search_proposals(
        session=session,
        office_id=staff.office_id,
        number=number,
        nik=nik,
        name=name,
        desa=desa,
        status=status,
        programme_code=programme,
    )
    results = []
    for proposal in found:
        programme_row = session.get(Programme, proposal.programme_id)
        _audit_read(session, staff, proposal, now, "search result")
        results.append(
            ProposalSummary(
                id=proposal.id or 0,
                number=proposal.number,
                programme_code=programme_row.code if programme_row else "",
                status=proposal.status,
                step_position=proposal.step_position,
                applicant=_applicant(session, proposal),
                submitted_at=proposal.submitted_at,
            )
        )
    return results


@router.get("/{proposal_id}", summary="One proposal: where it stands and what is next")
def read_proposal(
    proposal_id: RecordId, session: SessionDep, staff: CaseReader, now: NowDep
) -> ProposalPublic:
    proposal = get_proposal(session=session, staff=staff, proposal_id=proposal_id)
    return proposal_public(session, staff, proposal, now)


@router.post(
    "/{proposal_id}/transitions",
    summary="Advance, return, reject or complete a proposal",
    description=(
        "Send the `version` you saw. A stale version answers 409 `error.stale_version`; a step "
        "out of order (complete before the last step) 409; a role the step does not allow 403; "
        "return and reject need a `note` with the reason (422 otherwise)."
    ),
    responses=ERRORS,
)
def move_proposal(
    proposal_id: RecordId,
    body: TransitionIn,
    session: SessionDep,
    staff: CaseReader,
    now: NowDep,
) -> ProposalPublic:
    # CaseReader only: who may record a step is the step's own rule, checked by transition.
    proposal = transition(
        session=session,
        staff=staff,
        proposal_id=proposal_id,
        action=body.action,
        expected_version=body.version,
        now=now,
        note=body.note,
    )
    return proposal_public(session, staff, proposal, now)


@router.get("/{proposal_id}/history", summary="Every step change, oldest first")
def proposal_history(
    proposal_id: RecordId, session: SessionDep, staff: CaseReader
) -> list[EventPublic]:
    proposal = get_proposal(session=session, staff=staff, proposal_id=proposal_id)
    return history_public(session, proposal)


def history_public(session: Session, proposal: Proposal) -> list[EventPublic]:
    """Every step change of a proposal, oldest first, with step names and who made it."""
    names = {
        s.position: s.name for s in steps_of(session=session, programme_id=proposal.programme_id)
    }
    events = []
    for event in history(session=session, proposal_id=proposal.id or 0):
        actor = session.get(StaffUser, event.staff_id) if event.staff_id else None
        events.append(
            EventPublic(
                at=event.at,
                action=event.action,
                from_position=event.from_position,
                to_position=event.to_position,
                to_step=names.get(event.to_position) if event.to_position else None,
                staff_id=event.staff_id,
                staff_username=actor.username if actor else None,
                note=event.note,
            )
        )
    return events
