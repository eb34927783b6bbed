"""Human-readable numbers (``UEP-2026-0007``, ``ADU-2026-00012``), unique under concurrency."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from services.errors import Conflict

_Row = TypeVar("_Row", bound=Any)


def normalise_number(text: str) -> str:
    """How people type a number ("uep 2026-0007") to how it is stored ("UEP2026-0007")."""
    return "".join(text.split()).upper()


def insert_numbered(session: Session, row: _Row, *, prefix: str, width: int) -> _Row:
    """Insert ``row`` with the next free number after ``prefix``; retried if another writer wins."""
    model = type(row)
    for _ in range(5):
        last = session.exec(
            select(func.max(model.number)).where(col(model.number).startswith(prefix))
        ).one()
        sequence = int(last.removeprefix(prefix)) + 1 if last else 1
        row.number = f"{prefix}{sequence:0{width}d}"
        savepoint = session.begin_nested()
        try:
            session.add(row)
            session.flush()
            savepoint.commit()
            return row
        except IntegrityError:
            # Another writer took the number between our read and our insert.
            savepoint.rollback()
    raise Conflict("error.number_busy")
