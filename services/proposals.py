"""Proposals and their walk through a programme's SOP.

Every change of a proposal's step goes through :func:`transition`, which checks the SOP's
order, the role the step allows, and the version the caller saw, and writes the history row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import update
from sqlmodel import Session, col, func, or_, select

from models import (
    BeneficiaryGroup,
    GroupMember,
    Office,
    Person,
    Programme,
    ProgrammeStep,
    Proposal,
    ProposalEvent,
    StaffUser,
)
from services import proposal_news
from services.catalogue import Catalogue, TimeStandard
from services.eligibility import ApplicantFacts, MemberFacts, RuleFailure, check_eligibility
from services.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.nik import normalise
from services.numbering import PROPOSAL_WIDTH, next_number, proposal_number
from services.persons import group_members, groups_of_person
from services.roles import CASE_READERS, CASE_WRITERS, DECIDERS, Role
from services.staff import require_office, require_role
from services.workdays import Lateness, lateness


class Action(StrEnum):
    ADVANCE = "advance"
    RETURN = "return"
    REJECT = "reject"
    COMPLETE = "complete"


class Status(StrEnum):
    IN_PROGRESS = "in_progress"
    REJECTED = "rejected"
    COMPLETED = "completed"


@dataclass(frozen=True)
class StepView:
    position: int
    total: int
    step: ProgrammeStep
    next_step: ProgrammeStep | None
    lateness: Lateness | None


def create_proposal(
    *,
    session: Session,
    staff: StaffUser,
    catalogue: Catalogue,
    programme_code: str,
    now: datetime,
    person_id: int | None = None,
    group_id: int | None = None,
    note: str = "",
) -> Proposal:
    require_role(staff, CASE_WRITERS)
    programme = session.exec(select(Programme).where(Programme.code == programme_code)).first()
    spec = catalogue.programme(programme_code)
    if programme is None or spec is None:
        raise NotFound("error.not_found", what=f"Programme {programme_code}")
    require_office(staff, programme.office_id, what=f"Programme {programme_code}")
    if not programme.active:
        raise InvalidInput("error.programme_inactive", programme=programme.code)
    office = session.get(Office, programme.office_id)
    assert office is not None

    given = "group" if group_id is not None else "person"
    if (person_id is None) == (group_id is None) or given != programme.applicant_kind:
        raise InvalidInput(
            "error.applicant_kind",
            programme=programme.code,
            expected=programme.applicant_kind,
            given=given,
        )
    facts = _applicant_facts(session=session, staff=staff, person_id=person_id, group_id=group_id)
    failures = check_eligibility(spec, facts, office_code=office.code, today=now.date())
    if failures:
        raise InvalidInput(
            "error.ineligible",
            programme=programme.code,
            details=[
                {
                    "rule": f.rule,
                    "error": f.key,
                    "message": f.text("id"),
                    "message_en": f.text("en"),
                }
                for f in failures
            ],
        )

    # Short enough to read out over the phone: UEP-LMD-2026-0007.
    proposal = Proposal(
        number=next_number(
            session,
            prefix=programme.kind.split("-")[0].upper(),
            office=office,
            now=now,
            width=PROPOSAL_WIDTH,
        ),
        programme_id=programme.id or 0,
        office_id=programme.office_id,
        applicant_person_id=person_id,
        applicant_group_id=group_id,
        step_position=1,
        step_entered_at=now,
        submitted_at=now,
    )
    session.add(proposal)
    session.flush()
    session.add(
        ProposalEvent(
            proposal_id=proposal.id or 0,
            at=now,
            staff_id=staff.id,
            action="submitted",
            from_position=None,
            to_position=1,
            note=note,
        )
    )
    session.flush()
    return proposal


def _applicant_facts(
    *, session: Session, staff: StaffUser, person_id: int | None, group_id: int | None
) -> ApplicantFacts:
    if group_id is not None:
        group = session.get(BeneficiaryGroup, group_id)
        if group is None:
            raise NotFound("error.not_found", what="Group")
        require_office(staff, group.office_id, what="Group")
        people = group_members(session=session, group_id=group_id)
        return ApplicantFacts(
            kind="group", members=tuple(_member_facts(session, p) for p in people)
        )
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("error.not_found", what="Person")
    require_office(staff, person.office_id, what="Person")
    return ApplicantFacts(kind="person", members=(_member_facts(session, person),))


def _member_facts(session: Session, person: Person) -> MemberFacts:
    return MemberFacts(
        nik=person.nik,
        kk_number=person.kk_number,
        birth_date=person.birth_date,
        sex=person.sex,
        marital_status=person.marital_status,
        kecamatan_code=person.kecamatan_code,
        regency_code=person.regency_code,
        registries=frozenset(r for r in person.registries.split(",") if r),
        aided_before=was_aided(session=session, person_id=person.id or 0),
    )


def was_aided(*, session: Session, person_id: int) -> bool:
    """Completed aid, received alone or as a member of a group."""
    groups = groups_of_person(session=session, person_id=person_id)
    query = select(Proposal.id).where(Proposal.status == Status.COMPLETED)
    if groups:
        query = query.where(
            (col(Proposal.applicant_person_id) == person_id)
            | col(Proposal.applicant_group_id).in_(groups)
        )
    else:
        query = query.where(Proposal.applicant_person_id == person_id)
    return session.exec(query.limit(1)).first() is not None


def get_proposal(*, session: Session, staff: StaffUser, proposal_id: int) -> Proposal:
    proposal = session.get(Proposal, proposal_id)
    if proposal is None:
        raise NotFound("error.not_found", what="Proposal")
    require_office(staff, proposal.office_id, what="Proposal")
    return proposal


def proposal_by_number(*, session: Session, number: str) -> Proposal | None:
    """The proposal a number names, typed in either form (see ``services/numbering.py``)."""
    stored = proposal_number(number)
    if stored is None:
        return None
    return session.exec(select(Proposal).where(Proposal.number == stored)).first()


def steps_of(*, session: Session, programme_id: int) -> list[ProgrammeStep]:
    query = (
        select(ProgrammeStep)
        .where(ProgrammeStep.programme_id == programme_id)
        .order_by(col(ProgrammeStep.position))
    )
    return list(session.exec(query).all())


def standard_of(step: ProgrammeStep) -> TimeStandard | None:
    if step.standard_minutes:
        return TimeStandard(minutes=step.standard_minutes)
    if step.standard_working_days:
        return TimeStandard(working_days=step.standard_working_days)
    return None


def step_view(*, session: Session, proposal: Proposal, now: datetime) -> StepView:
    steps = steps_of(session=session, programme_id=proposal.programme_id)
    office = session.get(Office, proposal.office_id)
    assert office is not None
    step = steps[proposal.step_position - 1]
    next_step = steps[proposal.step_position] if proposal.step_position < len(steps) else None
    late = None
    if proposal.status == Status.IN_PROGRESS:
        late = lateness(proposal.step_entered_at, standard_of(step), now, office.timezone)
    return StepView(proposal.step_position, len(steps), step, next_step, late)


def history(*, session: Session, proposal_id: int) -> list[ProposalEvent]:
    query = (
        select(ProposalEvent)
        .where(ProposalEvent.proposal_id == proposal_id)
        .order_by(col(ProposalEvent.id))
    )
    return list(session.exec(query).all())


def transition(
    *,
    session: Session,
    staff: StaffUser,
    proposal_id: int,
    action: Action,
    expected_version: int,
    now: datetime,
    note: str = "",
    catalogue: Catalogue | None = None,
) -> Proposal:
    """The one place a proposal changes step or status; the applicants are told in the same
    transaction (:mod:`services.proposal_news`)."""
    proposal = get_proposal(session=session, staff=staff, proposal_id=proposal_id)
    if proposal.version != expected_version:
        raise Conflict(
            "error.stale_version",
            number=proposal.number,
            current=proposal.version,
            given=expected_version,
        )
    if proposal.status != Status.IN_PROGRESS:
        raise Conflict("error.proposal_closed", number=proposal.number, status=proposal.status)
    steps = steps_of(session=session, programme_id=proposal.programme_id)
    position, total = proposal.step_position, len(steps)
    current = steps[position - 1]

    match action:
        case Action.ADVANCE:
            _require_step_role(staff, current)
            if position == total:
                raise Conflict("error.last_step", number=proposal.number)
            to_position, status = position + 1, Status.IN_PROGRESS
        case Action.COMPLETE:
            _require_step_role(staff, current)
            if position != total:
                raise Conflict(
                    "error.not_last_step", number=proposal.number, position=position, total=total
                )
            to_position, status = position, Status.COMPLETED
        case Action.RETURN:
            require_role(staff, DECIDERS)
            if position == 1:
                raise Conflict("error.first_step", number=proposal.number)
            if not note.strip():
                raise InvalidInput("error.reason_required")
            to_position, status = position - 1, Status.IN_PROGRESS
        case Action.REJECT:
            require_role(staff, DECIDERS)
            if not note.strip():
                raise InvalidInput("error.reason_required")
            to_position, status = position, Status.REJECTED

    closed = status != Status.IN_PROGRESS
    # The version guard makes two simultaneous writers race in the database, not in Python:
    # only one UPDATE matches, the other gets a 409.
    result = session.execute(
        update(Proposal)
        .where(col(Proposal.id) == proposal.id, col(Proposal.version) == expected_version)
        .values(
            step_position=to_position,
            step_entered_at=now if to_position != position else proposal.step_entered_at,
            status=status,
            rejection_reason=note if status == Status.REJECTED else None,
            closed_at=now if closed else None,
            version=expected_version + 1,
        )
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(
            "error.stale_version",
            number=proposal.number,
            current=expected_version + 1,
            given=expected_version,
        )
    done = {
        Action.ADVANCE: "advanced",
        Action.RETURN: "returned",
        Action.REJECT: "rejected",
        Action.COMPLETE: "completed",
    }[action]
    session.add(
        ProposalEvent(
            proposal_id=proposal.id or 0,
            at=now,
            staff_id=staff.id,
            action=done,
            from_position=position,
            to_position=to_position,
            note=note,
        )
    )
    session.flush()
    session.refresh(proposal)
    proposal_news.tell_applicants(
        session=session, proposal=proposal, action=done, note=note, now=now, catalogue=catalogue
    )
    return proposal


def _require_step_role(staff: StaffUser, step: ProgrammeStep) -> None:
    if staff.role != Role.ADMIN and staff.role not in step.allowed_roles:
        raise Forbidden(
            "error.step_role",
            step=step.name,
            roles=", ".join(step.allowed_roles),
            role=staff.role,
        )


def proposals_per_step(*, session: Session, office_id: int) -> list[tuple[str, int, str, int]]:
    """(programme code, step position, step name, count) of open proposals, for reports."""
    query = (
        select(Programme.code, ProgrammeStep.position, ProgrammeStep.name, func.count())
        .select_from(Proposal)
        .join(Programme, col(Programme.id) == Proposal.programme_id)
        .join(
            ProgrammeStep,
            (col(ProgrammeStep.programme_id) == Proposal.programme_id)
            & (col(ProgrammeStep.position) == Proposal.step_position),
        )
        .where(Proposal.office_id == office_id, Proposal.status == Status.IN_PROGRESS)
        .group_by(Programme.code, col(ProgrammeStep.position), ProgrammeStep.name)
        .order_by(Programme.code, col(ProgrammeStep.position))
    )
    return [tuple(row) for row in session.exec(query).all()]  # type: ignore[misc]


def programmes_of_office(*, session: Session, office_id: int) -> list[Programme]:
    query = select(Programme).where(Programme.office_id == office_id).order_by(Programme.code)
    return list(session.exec(query).all())


def get_programme(*, session: Session, staff: StaffUser, code: str) -> Programme:
    programme = session.exec(select(Programme).where(Programme.code == code)).first()
    if programme is None:
        raise NotFound("error.not_found", what=f"Programme {code}")
    require_office(staff, programme.office_id, what=f"Programme {code}")
    return programme


def search_proposals(
    *,
    session: Session,
    office_id: int,
    number: str | None = None,
    nik: str | None = None,
    name: str | None = None,
    desa: str | None = None,
    status: str | None = None,
    programme_code: str | None = None,
    limit: int = 50,
) -> list[Proposal]:
    """Proposals of one office; the applicant is matched as a person or as a group.

    A NIK matches exactly, as the applicant or as a member of the applicant group, never by
    prefix (see :func:`services.persons.search_persons`).
    """
    query = select(Proposal).where(Proposal.office_id == office_id)
    if number:
        # A number that is none matches nothing, rather than being ignored.
        query = query.where(Proposal.number == (proposal_number(number) or ""))
    if status:
        query = query.where(Proposal.status == status)
    if programme_code:
        query = query.join(Programme, col(Programme.id) == Proposal.programme_id).where(
            Programme.code == programme_code
        )
    if nik or name or desa:
        person_filters = []
        group_filters = []
        if nik:
            digits = normalise(nik)
            person_filters.append(col(Person.nik) == digits)
            members = (
                select(GroupMember.group_id)
                .join(Person, col(Person.id) == GroupMember.person_id)
                .where(Person.nik == digits)
            )
            group_filters.append(col(BeneficiaryGroup.id).in_(members))
        if name:
            person_filters.append(col(Person.name).ilike(f"%{name}%"))
            group_filters.append(col(BeneficiaryGroup.name).ilike(f"%{name}%"))
        if desa:
            person_filters.append(col(Person.desa).ilike(f"%{desa}%"))
            group_filters.append(col(BeneficiaryGroup.desa).ilike(f"%{desa}%"))
        persons = select(Person.id).where(Person.office_id == office_id, *person_filters)
        groups = select(BeneficiaryGroup.id).where(
            BeneficiaryGroup.office_id == office_id, *group_filters
        )
        query = query.where(
            or_(
                col(Proposal.applicant_person_id).in_(persons),
                col(Proposal.applicant_group_id).in_(groups),
            )
        )
    query = query.order_by(col(Proposal.submitted_at).desc(), col(Proposal.id).desc())
    return list(session.exec(query.limit(limit)).all())


def applicant_eligibility(
    *,
    session: Session,
    staff: StaffUser,
    catalogue: Catalogue,
    programme_code: str,
    now: datetime,
    person_id: int | None = None,
    group_id: int | None = None,
) -> list[RuleFailure]:
    """Every rule of the programme the person or group fails, as :func:`create_proposal`
    would check them, without filing anything (a preview for staff; empty means eligible)."""
    require_role(staff, CASE_READERS)
    programme = session.exec(select(Programme).where(Programme.code == programme_code)).first()
    spec = catalogue.programme(programme_code)
    if programme is None or spec is None:
        raise NotFound("error.not_found", what=f"Programme {programme_code}")
    require_office(staff, programme.office_id, what=f"Programme {programme_code}")
    office = session.get_one(Office, programme.office_id)
    facts = _applicant_facts(session=session, staff=staff, person_id=person_id, group_id=group_id)
    return check_eligibility(spec, facts, office_code=office.code, today=now.date())
