"""People an office serves. Every read of a person's data leaves an audit row."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.api.deps import CaseReader, CaseWriter, NowDep, RecordId, SessionDep
from app.api.schemas import ERRORS, PersonPublic
from models import Person
from services import audit
from services.errors import InvalidInput
from services.persons import PersonIn, get_person, register_person, search_persons
from services.staff import require_office

router = APIRouter(prefix="/persons", tags=["persons"])


def person_public(person: Person) -> PersonPublic:
    data = person.model_dump()
    data["registries"] = [r for r in person.registries.split(",") if r]
    return PersonPublic.model_validate(data)


@router.post(
    "",
    summary="Register a person (NIK, KK and birth data are checked against each other)",
    status_code=status.HTTP_201_CREATED,
    responses=ERRORS,
)
def create_person(
    body: PersonIn, session: SessionDep, staff: CaseWriter, now: NowDep
) -> PersonPublic:
    person = register_person(session=session, office_id=staff.office_id, data=body, now=now)
    audit.record(
        session=session, action="create", entity="person", entity_id=person.id, now=now, staff=staff
    )
    return person_public(person)


@router.get(
    "",
    summary="Find people of my office by exact NIK, name or desa",
    description=(
        "A NIK matches only in full (never by prefix, so it cannot be guessed digit by digit); "
        "name and desa match any part. At least one criterion is required. At most 50 results."
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
) -> list[PersonPublic]:
    if not (nik or name or desa):
        # An empty search would list the whole office: a bulk read nobody needs.
        raise InvalidInput("api.search.criteria", fields="nik, name, desa")
    found = search_persons(
        session=session, office_id=staff.office_id, nik=nik, name=name, desa=desa
    )
    for person in found:
        audit.record(
            session=session,
            action="read",
            entity="person",
            entity_id=person.id,
            now=now,
            staff=staff,
            detail="search result",
        )
    return [person_public(p) for p in found]


@router.get("/{person_id}", summary="One person", responses=ERRORS)
def read_person(
    person_id: RecordId, session: SessionDep, staff: CaseReader, now: NowDep
) -> PersonPublic:
    person = get_person(session=session, person_id=person_id)
    require_office(staff, person.office_id, what="Person")
    audit.record(
        session=session, action="read", entity="person", entity_id=person.id, now=now, staff=staff
    )
    return person_public(person)
