"""The inbound worker: stored updates -> conversation -> outbox rows, one transaction each.

Each update is handled in the transaction that marks it done and queues its replies, so a crash
at any point leaves it either fully handled or still pending; and because "done" is set with a
guarded UPDATE (status must still be 'pending'), two workers can never both answer one update.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, update
from sqlmodel import Session, col, select

import messages
from bot import leases
from bot.channels import Adapter, adapters
from bot.conversation import Turn, respond
from bot.inbound import OutboundReply
from core.db import unit_of_work
from core.settings import Settings
from models import Conversation, InboundMessage, OutboxMessage
from services.catalogue import Catalogue

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=15)
# A bug that fails the same update every time must not block the chat behind it forever.
MAX_ATTEMPTS = 3
# Per chat and call, so one chatty person cannot hold a worker for long.
BATCH = 50


class _AlreadyDone(Exception):
    """Another worker marked the update done first: roll back our copy of the answer."""


def process_pending(
    engine: Engine,
    catalogue: Catalogue,
    settings: Settings,
    *,
    now: datetime,
    worker_id: str,
) -> int:
    """Handle every pending update this worker can claim; returns how many were handled."""
    handled = _close_chatless(engine, now=now)
    parse = adapters()
    for conversation_id in _waiting_conversations(engine, now=now):
        if not leases.claim(
            engine, conversation_id, "inbound", worker_id=worker_id, now=now, duration=LEASE
        ):
            continue
        try:
            for _ in range(BATCH):
                outcome = _handle_next(
                    engine,
                    conversation_id,
                    parse,
                    catalogue,
                    settings,
                    now=now,
                    worker_id=worker_id,
                )
                if outcome is None:
                    break
                handled += outcome
        finally:
            leases.release(engine, conversation_id, "inbound", worker_id=worker_id)
    return handled


def _close_chatless(engine: Engine, *, now: datetime) -> int:
    """Updates with no chat to answer (channel posts, polls) are done once stored."""
    with engine.begin() as conn:
        result = conn.execute(
            update(InboundMessage)
            .where(
                col(InboundMessage.status) == "pending",
                col(InboundMessage.conversation_id).is_(None),
            )
            .values(status="done", processed_at=now)
        )
        return int(result.rowcount)


def _waiting_conversations(engine: Engine, *, now: datetime) -> list[int]:
    with Session(engine) as session:
        rows = session.exec(
            select(InboundMessage.conversation_id, func.min(InboundMessage.id))
            .join(Conversation, col(Conversation.id) == col(InboundMessage.conversation_id))
            .where(
                col(InboundMessage.status) == "pending",
                col(Conversation.inbound_lease_until).is_(None)
                | (col(Conversation.inbound_lease_until) < now),
            )
            .group_by(col(InboundMessage.conversation_id))
            .order_by(func.min(InboundMessage.id))
            .limit(200)
        ).all()
    return [int(conversation_id) for conversation_id, _ in rows if conversation_id is not None]


def _handle_next(
    engine: Engine,
    conversation_id: int,
    parse: dict[str, Adapter],
    catalogue: Catalogue,
    settings: Settings,
    *,
    now: datetime,
    worker_id: str,
) -> int | None:
    """1 when an update was handled, 0 when it failed, None when nothing is left to do."""
    inbound_id: int | None = None
    try:
        with unit_of_work(engine) as session:
            conversation = session.get(Conversation, conversation_id)
            if conversation is None or conversation.inbound_lease_owner != worker_id:
                return None  # our lease ran out and someone else carries on
            inbound = session.exec(
                select(InboundMessage)
                .where(
                    InboundMessage.conversation_id == conversation_id,
                    InboundMessage.status == "pending",
                )
                .order_by(col(InboundMessage.id))
                .limit(1)
            ).first()
            if inbound is None:
                return None
            inbound_id = inbound.id
            event = parse[inbound.channel](inbound.payload)
            turn = Turn(
                session=session,
                conversation=conversation,
                catalogue=catalogue,
                settings=settings,
                now=now,
            )
            respond(turn, event)
            # Someone who writes to us has unblocked the bot; try delivering again.
            if event.kind != "ignored" and conversation.unreachable_at is not None:
                conversation.unreachable_at = None
            _queue(session, conversation_id, inbound_id, turn.replies, event.reply_context, now)
            _mark_done(session, inbound_id, now)
        return 1
    except _AlreadyDone:
        return 0
    except Exception as exc:
        if inbound_id is None:
            raise
        log.exception("inbound %s failed", inbound_id)
        return _record_failure(engine, inbound_id, conversation_id, exc, now=now)


def _queue(
    session: Session,
    conversation_id: int,
    inbound_id: int | None,
    replies: list[OutboundReply],
    reply_context: dict[str, object],
    now: datetime,
) -> None:
    for index, reply in enumerate(replies):
        session.add(
            OutboxMessage(
                conversation_id=conversation_id,
                inbound_id=inbound_id,
                created_at=now,
                text=reply.text,
                buttons=reply.buttons_json(),
                # A pressed button's spinner is stopped with the first reply.
                extra=dict(reply_context) if index == 0 else {},
                next_attempt_at=now,
            )
        )


def _mark_done(session: Session, inbound_id: int | None, now: datetime) -> None:
    session.flush()
    result = session.execute(
        update(InboundMessage)
        .where(col(InboundMessage.id) == inbound_id, col(InboundMessage.status) == "pending")
        .values(status="done", processed_at=now)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise _AlreadyDone


def _record_failure(
    engine: Engine, inbound_id: int, conversation_id: int, exc: Exception, *, now: datetime
) -> int:
    with unit_of_work(engine) as session:
        inbound = session.get(InboundMessage, inbound_id)
        if inbound is None or inbound.status != "pending":
            return 0
        inbound.attempts += 1
        inbound.error = f"{type(exc).__name__}: {exc}"[:500]
        if inbound.attempts < MAX_ATTEMPTS:
            return 0
        conversation = session.get_one(Conversation, conversation_id)
        text = messages.render("bot.error", conversation.language)
        _queue(session, conversation_id, inbound_id, [OutboundReply(text)], {}, now)
        inbound.status = "failed"
        inbound.processed_at = now
    return 0
