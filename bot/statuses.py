"""Delivery statuses that come before their message is recorded as sent.

WhatsApp may say a message was delivered, read or failed before the sender has recorded its
outbox row as sent with the platform's message id: the sender records what it sent in
batches, after the API answered, and a phone on a good network reads a message within a
second. Such a status names no row yet. It is **held** (``held_status``, one row per message
and status) and applied by a job every few seconds once a row carries the id; one held longer
than ``HOLD`` (a message of another app on the number, a row blanked since) is dropped.

Holding happens before the status is applied (bot/outbox.record_statuses), each in its own
transaction, so none falls between: a status whose row appears between the two is both
applied and held, and applying it again later changes nothing (statuses only move a row
forward, and a window-closed failure requeues a row once).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, exists, func, select

from bot.channels import DeliveryStatus
from bot.outbox import record_statuses
from core.db import read_only
from models import HeldStatus, OutboxMessage
from services.outbox import insert_ignoring_conflicts

HOLD = timedelta(minutes=10)
BATCH = 500
# "sent" only confirms what the row says once recorded: nothing to hold.
HELD = ("delivered", "read", "failed")

_HELD = HeldStatus.__table__  # type: ignore[attr-defined]
_OUTBOX = OutboxMessage.__table__  # type: ignore[attr-defined]


def hold_unmatched(engine: Engine, statuses: Sequence[DeliveryStatus], *, now: datetime) -> int:
    """Keep the statuses about messages no outbox row names yet; returns how many. Call it
    before applying them (see the module's docstring)."""
    wanted = [s for s in statuses if s.status in HELD]
    if not wanted:
        return 0
    ids = {s.platform_message_id for s in wanted}
    with read_only(engine).connect() as conn:
        known = set(
            conn.execute(
                select(_OUTBOX.c.platform_message_id).where(_OUTBOX.c.platform_message_id.in_(ids))
            ).scalars()
        )
        conn.rollback()
    missing = [s for s in wanted if s.platform_message_id not in known]
    if not missing:
        return 0
    with engine.begin() as conn:
        conn.execute(
            insert_ignoring_conflicts(engine.dialect.name, _HELD),
            [
                {
                    "platform_message_id": s.platform_message_id[:80],
                    "status": s.status,
                    "error": s.error[:500],
                    "window_closed": s.window_closed,
                    "received_at": now,
                }
                for s in missing
            ],
        )
    return len(missing)


def apply_held(engine: Engine, *, now: datetime) -> int:
    """Apply the held statuses whose message a row now names, and drop them and those held
    past ``HOLD``; returns how many were applied. Safe to run in any number of workers at
    once (applying twice changes nothing)."""
    # Read first, without the write lock: most of the time nothing is held.
    with read_only(engine).connect() as conn:
        oldest = conn.execute(select(func.min(_HELD.c.received_at))).scalar()
        conn.rollback()
    if oldest is None:
        return 0
    if oldest < now - HOLD:
        with engine.begin() as conn:
            conn.execute(delete(_HELD).where(_HELD.c.received_at < now - HOLD))
    applied = 0
    while True:
        with read_only(engine).connect() as conn:
            rows = conn.execute(
                select(
                    _HELD.c.id,
                    _HELD.c.platform_message_id,
                    _HELD.c.status,
                    _HELD.c.error,
                    _HELD.c.window_closed,
                )
                .where(exists().where(_OUTBOX.c.platform_message_id == _HELD.c.platform_message_id))
                .order_by(_HELD.c.id)
                .limit(BATCH)
            ).all()
            conn.rollback()
        if not rows:
            return applied
        record_statuses(
            engine,
            [
                DeliveryStatus(
                    platform_message_id=r.platform_message_id,
                    status=r.status,
                    error=r.error,
                    window_closed=r.window_closed,
                )
                for r in rows
            ],
        )
        with engine.begin() as conn:
            conn.execute(delete(_HELD).where(_HELD.c.id.in_([r.id for r in rows])))
        applied += len(rows)
        if len(rows) < BATCH:
            return applied
