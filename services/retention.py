"""How long each kind of personal data is kept (UU PDP 27/2022), enforced by a daily job.

- Raw inbound payloads (what a platform sent: names, phone numbers, the words typed) are
  blanked once handled and older than ``inbound_days``; the row stays, because its
  (channel, platform id) is what answers a platform's retry once.
- Outbox bodies (what the bot said, often a person's name and proposal) are blanked once sent,
  failed or undeliverable and older than ``outbox_days``; the row, its status and times stay
  for counts.
- Audit rows older than ``audit_days`` are deleted.

Zero days keeps that kind forever. Proposals, complaints and their histories are records of
the office's work, not kept by these settings. Staff sessions end by their own expiry.

:func:`apply` does one bounded chunk of work and returns where it stopped, so the job commits
after each chunk and never holds a write lock for long. Running it again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import Text, cast, delete, func, update
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from core.settings import Settings
from models import AuditLog, InboundMessage, OutboxMessage
from services.outbox import forget_template_params

CHUNK = 500
# Statuses after which a row is never read again for its body.
HANDLED_INBOUND = ("done", "quarantined", "discarded")
# delivered and read come from a platform's receipts; opted_out and cancelled are broadcasts that
# were withheld (services/notice_fanout.py).
FINISHED_OUTBOX = ("sent", "delivered", "read", "failed", "unreachable", "opted_out", "cancelled")
EMPTY_PAYLOAD = "{}"

# The order in which the kinds are worked through.
INBOUND, OUTBOX, AUDIT, DONE = range(4)


@dataclass(frozen=True)
class Policy:
    inbound_days: int
    outbox_days: int
    audit_days: int

    @classmethod
    def of(cls, settings: Settings) -> Policy:
        return cls(
            inbound_days=settings.retention_inbound_days,
            outbox_days=settings.retention_outbox_days,
            audit_days=settings.retention_audit_days,
        )


@dataclass(frozen=True)
class Progress:
    """Where a run stands: the kind being worked on, the last row id each walk has passed, and
    how many rows were blanked or deleted so far."""

    stage: int = INBOUND
    inbound_after: int = 0
    outbox_after: int = 0
    inbound: int = 0
    outbox: int = 0
    audit: int = 0

    @property
    def done(self) -> bool:
        return self.stage >= DONE

    @property
    def changed(self) -> int:
        return self.inbound + self.outbox + self.audit


def apply(
    *,
    session: Session,
    now: datetime,
    policy: Policy,
    progress: Progress | None = None,
    limit: int = CHUNK,
) -> Progress:
    """One chunk of at most ``limit`` rows of the first kind not yet done; call again with what
    it returns until ``done``, committing in between."""
    progress = progress or Progress()
    match progress.stage:
        case 0:
            return _inbound(session, now, policy.inbound_days, progress, limit)
        case 1:
            return _outbox(session, now, policy.outbox_days, progress, limit)
        case 2:
            return _audit(session, now, policy.audit_days, progress, limit)
        case _:
            return progress


def _next_stage(progress: Progress) -> Progress:
    return replace(progress, stage=progress.stage + 1)


def _ids(session: Session, query: SelectOfScalar[int] | SelectOfScalar[None]) -> list[int]:
    return [row_id for row_id in session.exec(query).all() if row_id is not None]


def _inbound(
    session: Session, now: datetime, days: int, progress: Progress, limit: int
) -> Progress:
    if days <= 0:
        return _next_stage(progress)
    ids = _ids(
        session,
        select(InboundMessage.id)
        .where(
            col(InboundMessage.id) > progress.inbound_after,
            col(InboundMessage.status).in_(HANDLED_INBOUND),
            col(InboundMessage.received_at) < now - timedelta(days=days),
            cast(col(InboundMessage.payload), Text) != EMPTY_PAYLOAD,
        )
        .order_by(col(InboundMessage.id))
        .limit(limit),
    )
    if ids:
        session.execute(
            update(InboundMessage).where(col(InboundMessage.id).in_(ids)).values(payload={})
        )
    after = max(ids, default=progress.inbound_after)
    blanked = replace(progress, inbound_after=after, inbound=progress.inbound + len(ids))
    return _next_stage(blanked) if len(ids) < limit else blanked


def _outbox(session: Session, now: datetime, days: int, progress: Progress, limit: int) -> Progress:
    if days <= 0:
        return _next_stage(progress)
    ids = _ids(
        session,
        select(OutboxMessage.id)
        .where(
            col(OutboxMessage.id) > progress.outbox_after,
            col(OutboxMessage.status).in_(FINISHED_OUTBOX),
            col(OutboxMessage.created_at) < now - timedelta(days=days),
            func.length(OutboxMessage.text) > 0,
        )
        .order_by(col(OutboxMessage.id))
        .limit(limit),
    )
    if ids:
        session.execute(
            update(OutboxMessage).where(col(OutboxMessage.id).in_(ids)).values(text="", buttons=[])
        )
        forget_template_params(session, col(OutboxMessage.id).in_(ids))
    after = max(ids, default=progress.outbox_after)
    blanked = replace(progress, outbox_after=after, outbox=progress.outbox + len(ids))
    return _next_stage(blanked) if len(ids) < limit else blanked


def _audit(session: Session, now: datetime, days: int, progress: Progress, limit: int) -> Progress:
    if days <= 0:
        return _next_stage(progress)
    ids = _ids(
        session,
        select(AuditLog.id)
        .where(col(AuditLog.at) < now - timedelta(days=days))
        .order_by(col(AuditLog.id))
        .limit(limit),
    )
    if ids:
        session.execute(delete(AuditLog).where(col(AuditLog.id).in_(ids)))
    deleted = replace(progress, audit=progress.audit + len(ids))
    return _next_stage(deleted) if len(ids) < limit else deleted
