"""The programmes of the caller's office: SOP steps, who records each, and time standards."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from sqlmodel import Session

from app.api.deps import CaseReader, CatalogueDep, SessionDep
from app.api.schemas import ERRORS, ProgrammePublic, StepPublic, TimeStandardPublic
from models import Programme
from services.catalogue import Catalogue
from services.proposals import get_programme, programmes_of_office, standard_of, steps_of

router = APIRouter(prefix="/programmes", tags=["programmes"])


def programme_public(session: Session, catalogue: Catalogue, row: Programme) -> ProgrammePublic:
    # Names come from the catalogue (both languages); order, roles and standards from the rows
    # the proposals walk, so what staff see is what transitions check.
    spec = catalogue.programme(row.code)
    steps = []
    for step in steps_of(session=session, programme_id=row.id or 0):
        step_spec = spec.step(step.code) if spec else None
        standard = standard_of(step)
        steps.append(
            StepPublic(
                position=step.position,
                code=step.code,
                name=step.name,
                name_en=step_spec.name.en if step_spec else step.name,
                actor=step.actor,
                allowed_roles=step.allowed_roles,
                time_standard=TimeStandardPublic(**standard.model_dump()) if standard else None,
            )
        )
    return ProgrammePublic(
        code=row.code,
        kind=row.kind,
        name=row.name,
        name_en=spec.name.en if spec else row.name,
        summary=spec.summary.id if spec else "",
        applicant=row.applicant_kind,
        active=row.active,
        steps=steps,
    )


@router.get("", summary="Programmes of my office", responses=ERRORS)
def list_programmes(
    session: SessionDep, catalogue: CatalogueDep, staff: CaseReader
) -> list[ProgrammePublic]:
    rows = programmes_of_office(session=session, office_id=staff.office_id)
    return [programme_public(session, catalogue, row) for row in rows]


@router.get("/{code}", summary="One programme with its SOP steps", responses=ERRORS)
def read_programme(
    code: Annotated[str, Path(max_length=60)],
    session: SessionDep,
    catalogue: CatalogueDep,
    staff: CaseReader,
) -> ProgrammePublic:
    row = get_programme(session=session, staff=staff, code=code)
    return programme_public(session, catalogue, row)
