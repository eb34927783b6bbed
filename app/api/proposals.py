"""Proposals and their walk through the SOP. Every move goes through services.proposals.transition.

A proposal, person or group of another office answers 404, in the same words as one that
does not exist: a 403 would say it exists. Proposal reads show the applicant, so each is audited.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.api.deps import CaseReader, CaseWriter, CatalogueDep, NowDep, RecordId, SessionDep
from app.api.schemas import (
    ERRORS,
    EventPublic,
    ProposalIn,
    ProposalPublic,
    ProposalSummary,
    TransitionIn,
)
from app.presenters.proposals import history_public, proposal_public, proposal_summary
from services.errors import InvalidInput
from services.proposals import (
    Status,
    create_proposal,
    get_proposal,
    record_reads,
    search_proposals,
    transition,
)

router = APIRouter(prefix="/proposals", tags=["proposals"])


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
    record_reads(session=session, staff=staff, proposals=[proposal], now=now, how="details")
    return proposal_public(session, catalogue, staff, proposal, now)


@router.get(
    "",
    summary="Find proposals of my office",
    description=(
        "By number (any part: `0002`), the applicant's exact NIK (also a group member's), "
        "applicant name or desa (any part), status and programme code. At least one "
        "criterion; at most 50 results."
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
    record_reads(session=session, staff=staff, proposals=found, now=now, how="search result")
    return [proposal_summary(session, staff, p) for p in found]


@router.get("/{proposal_id}", summary="One proposal: where it stands and what is next")
def read_proposal(
    proposal_id: RecordId,
    session: SessionDep,
    staff: CaseReader,
    catalogue: CatalogueDep,
    now: NowDep,
) -> ProposalPublic:
    proposal = get_proposal(session=session, staff=staff, proposal_id=proposal_id)
    record_reads(session=session, staff=staff, proposals=[proposal], now=now, how="details")
    return proposal_public(session, catalogue, staff, proposal, now)


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
    catalogue: CatalogueDep,
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
        catalogue=catalogue,
    )
    record_reads(session=session, staff=staff, proposals=[proposal], now=now, how="details")
    return proposal_public(session, catalogue, staff, proposal, now)


@router.get("/{proposal_id}/history", summary="Every step change, oldest first")
def proposal_history(
    proposal_id: RecordId, session: SessionDep, staff: CaseReader, catalogue: CatalogueDep
) -> list[EventPublic]:
    proposal = get_proposal(session=session, staff=staff, proposal_id=proposal_id)
    return history_public(session, catalogue, proposal)
