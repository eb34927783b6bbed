"""The audit trail of who read or changed a person's data."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from models import AuditLog, StaffUser


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
