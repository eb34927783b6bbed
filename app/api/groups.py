"""Groups (KUBE, weavers) that apply as one; members are registered people of the office."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, status
from sqlmodel import Session

from app.api.deps import CaseReader, CaseWriter, NowDep, RecordId, SessionDep
from app.api.schemas import ERRORS, GroupPublic, MemberPublic
from models import BeneficiaryGroup, StaffUser
from services import audit
from services.persons import GroupIn, get_group, group_members, register_group
from services.staff import require_office

router = APIRouter(prefix="/groups", tags=["groups"])


def group_public(
    session: Session, group: BeneficiaryGroup, staff: StaffUser, now: datetime
) -> GroupPublic:
    members = group_members(session=session, group_id=group.id or 0)
    for person in members:
        audit.record(
            session=session,
            action="read",
            entity="person",
            entity_id=person.id,
            now=now,
            staff=staff,
            detail=f"member of group {group.id}",
        )
    return GroupPublic(
        id=group.id or 0,
        name=group.name,
        kind=group.kind,
        business_type=group.business_type,
        desa=group.desa,
        kecamatan=group.kecamatan,
        created_at=group.created_at,
        members=[MemberPublic.model_validate(p) for p in members],
    )


@router.post(
    "",
    summary="Register a group; members by NIK, the first is the chair (ketua)",
    status_code=status.HTTP_201_CREATED,
    responses=ERRORS,
)
def create_group(body: GroupIn, session: SessionDep, staff: CaseWriter, now: NowDep) -> GroupPublic:
    group = register_group(session=session, office_id=staff.office_id, data=body, now=now)
    audit.record(
        session=session, action="create", entity="group", entity_id=group.id, now=now, staff=staff
    )
    return group_public(session, group, staff, now)


@router.get("/{group_id}", summary="One group with its members", responses=ERRORS)
def read_group(
    group_id: RecordId, session: SessionDep, staff: CaseReader, now: NowDep
) -> GroupPublic:
    group = get_group(session=session, group_id=group_id)
    require_office(staff, group.office_id, what="Group")
    return group_public(session, group, staff, now)
