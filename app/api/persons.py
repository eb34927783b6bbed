"""People an office serves. Every read of a person's data leaves an audit row (written by
services.persons); what is shown is app.presenters.persons's, as on the staff pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.api.deps import CaseReader, CaseWriter, NowDep, RecordId, SessionDep
from app.api.schemas import ERRORS, PersonPublic
from app.presenters.persons import person_public
from services import persons
from services.errors import InvalidInput
from services.persons import PersonIn

router = APIRouter(prefix="/persons", tags=["persons"])


@router.post(
    "",
    summary="Register a person (NIK, KK and birth data are checked against each other)",
    status_code=status.HTTP_201_CREATED,
    responses=ERRORS,
)
def create_person(
    body: PersonIn, session: SessionDep, staff: CaseWriter, now: NowDep
) -> PersonPublic:
    person = persons.new_person(session=session, staff=staff, data=body, now=now)
    return person_public(person, staff)


@router.get(
    "",
    summary="Find people of my office by exact NIK or No. KK, name or desa",
    description=(
        "A NIK or a No. KK matches only in full (never by prefix, so neither can be guessed "
        "digit by digit); name and desa match any part. At least one criterion is required. "
        "At most 50 results. A complaint officer sees the NIK and the No. KK masked."
    ),
    responses=ERRORS,
)
def find_persons(
    session: SessionDep,
    staff: CaseReader,
    now: NowDep,
    nik: Annotated[str | None, Query(max_length=40)] = None,
    name: Annotated[str | None, Query(max_length=120)] = None,
    desa: Annotated[str | None, Query(max_length=80)] = None,
    kk: Annotated[str | None, Query(max_length=40)] = None,
) -> list[PersonPublic]:
    if not (nik or name or desa or kk):
        # An empty search would list the whole office: a bulk read nobody needs.
        raise InvalidInput("api.search.criteria", fields="nik, kk, name, desa")
    found = persons.find_persons(
        session=session, staff=staff, now=now, nik=nik, name=name, desa=desa or "", kk=kk
    )
    return [person_public(p, staff) for p in found]


@router.get("/{person_id}", summary="One person", responses=ERRORS)
def read_person(
    person_id: RecordId, session: SessionDep, staff: CaseReader, now: NowDep
) -> PersonPublic:
    person = persons.read_person(session=session, staff=staff, person_id=person_id, now=now)
    return person_public(person, staff)
