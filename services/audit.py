"""The audit trail of who read or changed a person's data, and the office's view of it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_
from sqlmodel import Session, col, select

from models import AuditLog, BeneficiaryGroup, Complaint, Person, Proposal, StaffUser
from services.roles import PRIVACY_OFFICERS, require_role

# Every action written to the trail; the viewer names each in words (messages/privacy.py).
ACTIONS = (
    "read",
    "create",
    "update",
    "import",
    "link",
    "unlink",
    "link_code",
    "view_audit",
    "export_audit",
    "export",
    "erase",
    # Staff accounts (services/staff.py).
    "enable",
    "disable",
    "reset_password",
    "set_role",
    "password",
)
# What a row can be about, each a table whose office decides who may see the row.
ENTITIES = (
    "person",
    "proposal",
    "complaint",
    "group",
    "staff_user",
    "office",
    "audit_log",
    "inbound_message",
)


def record(
    *,
    session: Session,
    action: str,
    entity: str,
    entity_id: int | None,
    now: datetime,
    staff: StaffUser | None = None,
    actor: str = "",
    detail: str = "",
) -> None:
    session.add(
        AuditLog(
            at=now,
            staff_id=staff.id if staff else None,
            actor=actor or (f"staff:{staff.id}" if staff else "system"),
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail[:300],
        )
    )


@dataclass(frozen=True)
class Filters:
    """What the viewer narrows the trail to; None is "any". ``end`` is exclusive."""

    staff_id: int | None = None
    person_id: int | None = None
    action: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    # Rows written after the first page was read stay out of the later pages (reading a page
    # writes a row itself, which would push every row one place down).
    upto_id: int | None = None

    def describe(self) -> str:
        """For the audit row of the viewing itself: which filters, never a NIK."""
        parts = [
            f"{name}={value.isoformat() if isinstance(value, datetime) else value}"
            for name, value in (
                ("staff", self.staff_id),
                ("person", self.person_id),
                ("action", self.action),
                ("from", self.start),
                ("until", self.end),
            )
            if value is not None
        ]
        return ", ".join(parts) or "no filter"


def _about(entity: str, ids: Any) -> ColumnElement[bool]:
    return and_(col(AuditLog.entity) == entity, col(AuditLog.entity_id).in_(ids))


def _of_office(office_id: int) -> ColumnElement[bool]:
    """The rows an office's head or admin may read: written by its staff, or about one of its
    persons, proposals, complaints, groups, staff members, or the office itself."""
    staff_ids = select(StaffUser.id).where(StaffUser.office_id == office_id)
    return or_(
        col(AuditLog.staff_id).in_(staff_ids),
        _about("person", select(Person.id).where(Person.office_id == office_id)),
        _about("proposal", select(Proposal.id).where(Proposal.office_id == office_id)),
        _about("complaint", select(Complaint.id).where(Complaint.office_id == office_id)),
        _about("group", select(BeneficiaryGroup.id).where(BeneficiaryGroup.office_id == office_id)),
        _about("staff_user", staff_ids),
        and_(col(AuditLog.entity) == "office", col(AuditLog.entity_id) == office_id),
    )


def _of_person(person_id: int) -> ColumnElement[bool]:
    """Rows about the person, their own proposals and their complaints."""
    return or_(
        and_(col(AuditLog.entity) == "person", col(AuditLog.entity_id) == person_id),
        _about("proposal", select(Proposal.id).where(Proposal.applicant_person_id == person_id)),
        _about("complaint", select(Complaint.id).where(Complaint.person_id == person_id)),
    )


def _where(office_id: int, filters: Filters) -> list[ColumnElement[bool]]:
    clauses = [_of_office(office_id)]
    if filters.staff_id is not None:
        clauses.append(col(AuditLog.staff_id) == filters.staff_id)
    if filters.person_id is not None:
        clauses.append(_of_person(filters.person_id))
    if filters.action is not None:
        clauses.append(
            col(AuditLog.action) == filters.action if filters.action in ACTIONS else false()
        )
    if filters.start is not None:
        clauses.append(col(AuditLog.at) >= filters.start)
    if filters.end is not None:
        clauses.append(col(AuditLog.at) < filters.end)
    if filters.upto_id is not None:
        clauses.append(col(AuditLog.id) <= filters.upto_id)
    return clauses


def search(
    *, session: Session, office_id: int, filters: Filters, offset: int = 0, limit: int = 50
) -> list[AuditLog]:
    """The office's rows that pass the filters, newest first."""
    query = (
        select(AuditLog)
        .where(*_where(office_id, filters))
        .order_by(col(AuditLog.at).desc(), col(AuditLog.id).desc())
        .offset(offset)
        .limit(limit)
    )
    return list(session.exec(query).all())


def count(*, session: Session, office_id: int, filters: Filters) -> int:
    query = select(func.count()).select_from(AuditLog).where(*_where(office_id, filters))
    return int(session.exec(query).one())


def staff_names(*, session: Session, office_id: int) -> dict[int, StaffUser]:
    """The office's staff, by id: whom a row names, and the choices of the staff filter."""
    query = select(StaffUser).where(StaffUser.office_id == office_id).order_by(StaffUser.username)
    return {s.id or 0: s for s in session.exec(query).all()}


@dataclass(frozen=True)
class Trail:
    rows: list[AuditLog]
    total: int
    # The newest row the pages show: the later pages are read up to it.
    upto_id: int | None


def _may_read(staff: StaffUser) -> None:
    require_role(staff, PRIVACY_OFFICERS)


def _record_reading(
    session: Session, staff: StaffUser, filters: Filters, action: str, detail: str, now: datetime
) -> None:
    """Reading the trail is itself on the trail: about the person when it was narrowed to one
    (so their own trail shows who looked at it), else about the trail."""
    about_person = filters.person_id is not None
    record(
        session=session,
        action=action,
        entity="person" if about_person else "audit_log",
        entity_id=filters.person_id if about_person else None,
        now=now,
        staff=staff,
        detail=f"{detail}; {filters.describe()}",
    )


def read_trail(
    *,
    session: Session,
    staff: StaffUser,
    filters: Filters,
    now: datetime,
    page: int = 1,
    page_size: int = 50,
) -> Trail:
    """One page of the staff member's office's trail, newest first (heads and admins only)."""
    _may_read(staff)
    office_id = staff.office_id
    if filters.upto_id is None:
        newest = session.exec(select(func.max(AuditLog.id))).one()
        filters = replace(filters, upto_id=newest or 0)
    total = count(session=session, office_id=office_id, filters=filters)
    rows = search(
        session=session,
        office_id=office_id,
        filters=filters,
        offset=(max(page, 1) - 1) * page_size,
        limit=page_size,
    )
    _record_reading(session, staff, filters, "view_audit", f"page {page}", now)
    return Trail(rows=rows, total=total, upto_id=filters.upto_id)


def export_trail(
    *, session: Session, staff: StaffUser, filters: Filters, now: datetime, limit: int
) -> list[AuditLog]:
    """Every row that passes the filters, newest first, up to ``limit`` (for a CSV file)."""
    _may_read(staff)
    rows = search(session=session, office_id=staff.office_id, filters=filters, limit=limit)
    _record_reading(session, staff, filters, "export_audit", f"{len(rows)} rows as CSV", now)
    return rows
