"""The outbound worker: deliver queued replies per chat, in order, exactly once per row.

Per chat, only the oldest queued row may be sent; while it waits (rate limit, backoff) the
rows behind it wait too, so a person never reads message n+1 before n. A worker first takes the
chat's outbound lease (compare-and-set), so two processes never send the same row.

The one gap no Bot API call can close: if the process dies after Telegram accepted a message
but before the row is marked sent, the row is sent again after restart. Marking it sent first
would instead lose it; a duplicate "menu" is the lesser harm for a person waiting for an answer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from bot import leases
from bot.channels import Outgoing, Sender, SendResult
from bot.inbound import buttons_from_json
from core.db import unit_of_work
from models import Conversation, OutboxMessage

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=30)
BATCH = 10  # rows per chat per claim: keeps a claim far shorter than its lease
BACKOFF_BASE = timedelta(seconds=1)
BACKOFF_MAX = timedelta(minutes=10)
MAX_ATTEMPTS = 12  # about an hour of backoff for network trouble, then the row is given up


@dataclass(frozen=True)
class _Due:
    conversation_id: int
    channel: str
    chat_id: str


async def send_pending(
    engine: Engine, senders: Mapping[str, Sender], *, now: datetime, worker_id: str
) -> int:
    """Deliver what is due at ``now`` on every chat this worker can claim; returns rows sent."""
    due = await asyncio.to_thread(_due_conversations, engine, list(senders), now)
    sent = 0
    for chat in due:
        claimed = await asyncio.to_thread(
            leases.claim,
            engine,
            chat.conversation_id,
            "outbound",
            worker_id=worker_id,
            now=now,
            duration=LEASE,
        )
        if not claimed:
            continue
        try:
            sent += await _drain(engine, senders[chat.channel], chat, now=now)
        finally:
            await asyncio.to_thread(
                leases.release, engine, chat.conversation_id, "outbound", worker_id=worker_id
            )
    return sent


def _due_conversations(engine: Engine, channels: list[str], now: datetime) -> list[_Due]:
    with Session(engine) as session:
        rows = session.exec(
            select(Conversation.id, Conversation.channel, Conversation.chat_id)
            .where(
                col(Conversation.channel).in_(channels),
                col(Conversation.id).in_(
                    select(OutboxMessage.conversation_id).where(
                        OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= now
                    )
                ),
                col(Conversation.outbound_lease_until).is_(None)
                | (col(Conversation.outbound_lease_until) < now),
            )
            .order_by(col(Conversation.id))
            .limit(200)
        ).all()
    return [_Due(int(i or 0), channel, chat_id) for i, channel, chat_id in rows]


def _head(engine: Engine, conversation_id: int) -> OutboxMessage | None:
    with Session(engine, expire_on_commit=False) as session:
        return session.exec(
            select(OutboxMessage)
            .where(
                OutboxMessage.conversation_id == conversation_id, OutboxMessage.status == "queued"
            )
            .order_by(col(OutboxMessage.id))
            .limit(1)
        ).first()


async def _drain(engine: Engine, sender: Sender, chat: _Due, *, now: datetime) -> int:
    sent = 0
    for _ in range(BATCH):
        row = await asyncio.to_thread(_head, engine, chat.conversation_id)
        if row is None or row.next_attempt_at > now:
            break
        result = await sender.send(
            Outgoing(
                id=row.id or 0,
                chat_id=chat.chat_id,
                text=row.text,
                buttons=buttons_from_json(row.buttons),
                extra=dict(row.extra),
            )
        )
        await asyncio.to_thread(_record, engine, row, result, now)
        if result.outcome != "sent":
            break
        sent += 1
    return sent


def backoff(attempts: int) -> timedelta:
    """1 s, 2 s, 4 s ... up to 10 minutes."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def _record(engine: Engine, row: OutboxMessage, result: SendResult, now: datetime) -> None:
    attempts = row.attempts + 1
    guard = (col(OutboxMessage.id) == row.id, col(OutboxMessage.status) == "queued")
    values: dict[str, object] = {"attempts": attempts, "extra": {**row.extra, **result.extra}}
    if result.error:
        values["last_error"] = result.error[:500]
    with unit_of_work(engine) as session:
        if result.outcome == "sent":
            values.update(
                status="sent", sent_at=now, platform_message_id=result.platform_message_id
            )
        elif result.outcome == "retry":
            if result.retry_after is not None:
                # The platform said exactly when; earlier would only be refused again.
                values["next_attempt_at"] = now + timedelta(seconds=result.retry_after)
            elif attempts >= MAX_ATTEMPTS:
                values["status"] = "failed"
            else:
                values["next_attempt_at"] = now + backoff(attempts)
        elif result.outcome == "unreachable":
            values["status"] = "unreachable"
        else:
            values["status"] = "failed"
        session.execute(update(OutboxMessage).where(*guard).values(values))
        if result.outcome == "unreachable":
            _mark_unreachable(session, row.conversation_id, now)
    if result.outcome != "sent":
        log.warning("outbox %s: %s (%s)", row.id, result.outcome, result.error)


def _mark_unreachable(session: Session, conversation_id: int, now: datetime) -> None:
    """The person blocked the bot: stop trying until they write to us again."""
    session.execute(
        update(Conversation)
        .where(col(Conversation.id) == conversation_id)
        .values(unreachable_at=now)
    )
    session.execute(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.conversation_id) == conversation_id,
            col(OutboxMessage.status) == "queued",
        )
        .values(status="unreachable", last_error="chat unreachable (bot blocked)")
    )
