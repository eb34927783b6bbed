"""Mirror the catalogue files into the office, programme and programme_step tables."""

from __future__ import annotations

import logging

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models import Office, Programme, ProgrammeStep
from services import office_settings
from services.catalogue import Catalogue, stated
from services.catalogue import Office as OfficeSpec
from services.catalogue import Programme as ProgrammeSpec

log = logging.getLogger(__name__)


def sync_catalogue(engine: Engine, catalogue: Catalogue) -> None:
    """Idempotent; when several workers start together, the loser of a race simply re-reads."""
    for attempt in range(3):
        try:
            with Session(engine) as session:
                apply_catalogue(session=session, catalogue=catalogue)
                session.commit()
            return
        except IntegrityError:
            if attempt == 2:
                raise
            log.info("catalogue sync raced another worker; retrying")


def apply_catalogue(*, session: Session, catalogue: Catalogue) -> None:
    offices = {spec.code: _upsert_office(session, spec) for spec in catalogue.offices}
    for spec in catalogue.programmes:
        _upsert_programme(session, spec, offices[spec.office])
    known = {p.code for p in catalogue.programmes}
    for programme in session.exec(select(Programme)).all():
        # A programme whose file was removed stays for its proposals' history, but closes.
        programme.active = programme.code in known
    session.flush()


def _upsert_office(session: Session, spec: OfficeSpec) -> Office:
    office = session.exec(select(Office).where(Office.code == spec.code)).first()
    if office is None:
        office = Office(code=spec.code, slug=spec.slug, name=spec.name.id)
        session.add(office)
    office.slug = spec.slug
    office.short_code = spec.short_code
    office.name = spec.name.id
    office.address = spec.address or ""
    office.phone = spec.phone or ""
    office.email = spec.email or ""
    office.website = spec.website or ""
    office.hours = stated(spec.opening_hours) or ""
    office.timezone = spec.timezone
    session.flush()
    # What the office set for itself (hours, contacts) stays over the catalogue's.
    office_settings.apply_to_office(session=session, office=office, spec=spec)
    return office


def _upsert_programme(session: Session, spec: ProgrammeSpec, office: Office) -> None:
    programme = session.exec(select(Programme).where(Programme.code == spec.code)).first()
    if programme is None:
        programme = Programme(
            code=spec.code,
            office_id=office.id or 0,
            kind=spec.kind,
            name=spec.name.id,
            applicant_kind=spec.applicant,
        )
        session.add(programme)
    programme.office_id = office.id or 0
    programme.kind = spec.kind
    programme.name = spec.name.id
    programme.applicant_kind = spec.applicant
    programme.active = True
    session.flush()

    existing = {
        s.code: s
        for s in session.exec(
            select(ProgrammeStep).where(ProgrammeStep.programme_id == programme.id)
        ).all()
    }
    # Park positions out of the way first: a reordered SOP would otherwise collide on
    # the (programme, position) unique constraint halfway through.
    for step in existing.values():
        step.position = -(step.id or 0)
    session.flush()
    for position, step_spec in enumerate(spec.steps, start=1):
        step = (
            existing.pop(step_spec.code)
            if step_spec.code in existing
            else ProgrammeStep(
                programme_id=programme.id or 0, position=position, code=step_spec.code, name=""
            )
        )
        step.position = position
        step.name = step_spec.name.id
        step.actor = step_spec.actor.id
        step.allowed_roles = list(step_spec.allowed_roles)
        standard = step_spec.time_standard
        step.standard_minutes = standard.minutes if standard else None
        step.standard_working_days = standard.working_days if standard else None
        session.add(step)
    for leftover in existing.values():
        session.delete(leftover)
    session.flush()
