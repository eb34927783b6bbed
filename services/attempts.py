"""Failed attempts at proving who is behind a chat, and the locks they bring.

Failures are counted per chat, and also per person when an attempt named one (a used or
expired code of theirs): a new chat costs nothing to make, so a limit per chat alone would
let many chats share the guessing. Both are counted in the database, so no restart or second
worker forgets them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, func, select

from models import ProofAttempt

WINDOW = timedelta(hours=1)


def record(
    *,
    session: Session,
    conversation_id: int,
    now: datetime,
    succeeded: bool,
    method: str,
    person_id: int | None = None,
) -> None:
    session.add(
        ProofAttempt(
            conversation_id=conversation_id,
            at=now,
            succeeded=succeeded,
            method=method,
            person_id=person_id,
        )
    )
    session.flush()


def _failures(where: Any, now: datetime) -> Any:
    return (
        col(ProofAttempt.succeeded).is_(False),
        ProofAttempt.at > now - WINDOW,
        where,
    )


def _locked(session: Session, where: Any, *, now: datetime, limit: int) -> datetime | None:
    failures = session.exec(
        select(ProofAttempt.at)
        .where(*_failures(where, now))
        .order_by(col(ProofAttempt.at).desc())
        .limit(limit)
    ).all()
    if len(failures) < limit:
        return None
    # Free again once the oldest of the last `limit` failures leaves the window.
    return failures[-1] + WINDOW


def chat_locked_until(
    *, session: Session, conversation_id: int, now: datetime, limit: int
) -> datetime | None:
    """When this chat may try again, if its failures in the last hour reached the limit."""
    return _locked(session, ProofAttempt.conversation_id == conversation_id, now=now, limit=limit)


def person_locked_until(
    *, session: Session, person_id: int, now: datetime, limit: int
) -> datetime | None:
    """When any chat may again be linked to this person, if failures naming them in the last
    hour (from whichever chats) reached the limit."""
    return _locked(session, ProofAttempt.person_id == person_id, now=now, limit=limit)


def chat_attempts_left(*, session: Session, conversation_id: int, now: datetime, limit: int) -> int:
    used = session.exec(
        select(func.count())
        .select_from(ProofAttempt)
        .where(*_failures(ProofAttempt.conversation_id == conversation_id, now))
    ).one()
    return max(limit - int(used), 0)


def fail(
    *,
    session: Session,
    conversation_id: int,
    now: datetime,
    limit: int,
    method: str,
    person_id: int | None = None,
) -> tuple[datetime | None, int]:
    """Record a failure; then (when the chat may try again if it is now locked, tries left)."""
    record(
        session=session,
        conversation_id=conversation_id,
        now=now,
        succeeded=False,
        method=method,
        person_id=person_id,
    )
    until = chat_locked_until(
        session=session, conversation_id=conversation_id, now=now, limit=limit
    )
    left = chat_attempts_left(
        session=session, conversation_id=conversation_id, now=now, limit=limit
    )
    return until, left
