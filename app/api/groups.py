"""Groups (KUBE, weavers) that apply as one; members are registered people of the office."""

from __future__ import annotations

from fastapi import APIRouter, status

from app.api.deps import CaseReader, CaseWriter, NowDep, RecordId, SessionDep
from app.api.schemas import ERRORS, GroupPublic
from app.presenters.persons import group_public
from services.persons import GroupIn, new_group, read_group

router = APIRouter(prefix="/groups", tags=["groups"])


@router.post(
    "",
    summary="Register a group; members by NIK, the first is the chair (ketua)",
    status_code=status.HTTP_201_CREATED,
    responses=ERRORS,
)
def create_group(body: GroupIn, session: SessionDep, staff: CaseWriter, now: NowDep) -> GroupPublic:
    created = new_group(session=session, staff=staff, data=body, now=now)
    # The answer shows the members' data: read (and audited) as any reading of a group.
    group, members = read_group(session=session, staff=staff, group_id=created.id or 0, now=now)
    return group_public(group, members, staff)


@router.get("/{group_id}", summary="One group with its members", responses=ERRORS)
def read_one_group(
    group_id: RecordId, session: SessionDep, staff: CaseReader, now: NowDep
) -> GroupPublic:
    group, members = read_group(session=session, staff=staff, group_id=group_id, now=now)
    return group_public(group, members, staff)
