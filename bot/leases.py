"""Compare-and-set leases on a conversation: one worker at a time per chat and direction.

A lease is taken with one UPDATE that only matches when nobody holds it (or the holder's
time ran out, e.g. it crashed); rowcount 1 means it is ours. This works the same on
PostgreSQL and on SQLite (where BEGIN IMMEDIATE serialises writers).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import Engine, or_, update
from sqlmodel import col

from models import Conversation

Direction = Literal["inbound", "outbound"]


def _columns(direction: Direction):  # type: ignore[no-untyped-def]
    if direction == "inbound":
        return col(Conversation.inbound_lease_owner), col(Conversation.inbound_lease_until)
    return col(Conversation.outbound_lease_owner), col(Conversation.outbound_lease_until)


def claim(
    engine: Engine,
    conversation_id: int,
    direction: Direction,
    *,
    worker_id: str,
    now: datetime,
    duration: timedelta,
) -> bool:
    owner, until = _columns(direction)
    with engine.begin() as conn:
        result = conn.execute(
            update(Conversation)
            .where(
                col(Conversation.id) == conversation_id,
                or_(until.is_(None), until < now),
            )
            .values({owner: worker_id, until: now + duration})
        )
        return result.rowcount == 1


def release(engine: Engine, conversation_id: int, direction: Direction, *, worker_id: str) -> None:
    owner, until = _columns(direction)
    with engine.begin() as conn:
        conn.execute(
            update(Conversation)
            .where(col(Conversation.id) == conversation_id, owner == worker_id)
            .values({owner: None, until: None})
        )
