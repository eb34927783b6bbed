"""Group commit for webhooks: many concurrent updates, one transaction, then every 2xx.

A webhook may answer 2xx only once its update is committed. Committing each update alone
costs a transaction per request; here requests queue their update and wait, and one writer
stores whatever has gathered in a single transaction. Under load that is one commit for
dozens of updates; when idle it is one commit for one, with no added wait.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Table, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool

from app.db import unit_of_work
from bot.inbound import InboundEvent
from models import Conversation, InboundMessage, utcnow

log = logging.getLogger(__name__)
MAX_BATCH = 500


@dataclass(frozen=True)
class Arrival:
    channel: str
    platform_id: str
    payload: dict[str, Any]
    event: InboundEvent


class IngestWriter:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._queue: asyncio.Queue[tuple[Arrival, asyncio.Future[int | None]]] | None = None
        self._task: asyncio.Task[None] | None = None

    async def store(self, arrival: Arrival) -> int | None:
        """The new row's id once committed, or None when this update was stored before."""
        if self._queue is None or self._task is None or self._task.done():
            self._queue = asyncio.Queue()
            self._task = asyncio.create_task(self._run(self._queue))
        future: asyncio.Future[int | None] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait((arrival, future))
        return await future

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        # Anyone still waiting gets an error (a 5xx), so the platform sends the update again.
        while self._queue is not None and not self._queue.empty():
            _, future = self._queue.get_nowait()
            if not future.done():
                future.set_exception(RuntimeError("shutting down"))

    async def _run(self, queue: asyncio.Queue[tuple[Arrival, asyncio.Future[int | None]]]) -> None:
        while True:
            batch = [await queue.get()]
            while len(batch) < MAX_BATCH and not queue.empty():
                batch.append(queue.get_nowait())
            try:
                ids = await run_in_threadpool(self._write, [arrival for arrival, _ in batch])
            except Exception as exc:
                log.error("storing %d inbound updates failed: %s", len(batch), type(exc).__name__)
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, future), row_id in zip(batch, ids, strict=True):
                if not future.done():
                    future.set_result(row_id)

    def _write(self, arrivals: list[Arrival]) -> list[int | None]:
        with unit_of_work(self.engine) as session:
            return store_batch(session, arrivals, now=utcnow())


def _insert(session: Session, table: Table) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def store_batch(session: Session, arrivals: list[Arrival], *, now: datetime) -> list[int | None]:
    """Store new updates (ignoring ones seen before) and their chats; returns ids or None."""
    chats = {
        (a.channel, a.event.chat_id): a.event.display_name[:120]
        for a in arrivals
        if a.event.chat_id is not None
    }
    conversation_ids: dict[tuple[str, str], int] = {}
    if chats:
        session.execute(
            _insert(session, Conversation.__table__).on_conflict_do_nothing(),  # type: ignore[attr-defined]
            [
                {
                    "channel": channel,
                    "chat_id": chat_id,
                    "display_name": name,
                    "language": "id",
                    "state": "menu",
                    "data": {},
                    "updated_at": now,
                }
                for (channel, chat_id), name in chats.items()
            ],
        )
        rows = session.exec(
            select(Conversation.id, Conversation.channel, Conversation.chat_id).where(
                tuple_(col(Conversation.channel), col(Conversation.chat_id)).in_(list(chats))
            )
        ).all()
        conversation_ids = {(channel, chat_id): int(cid or 0) for cid, channel, chat_id in rows}

    keys = [(a.channel, a.platform_id) for a in arrivals]
    existing = _stored_ids(session, keys)
    new: dict[tuple[str, str], Arrival] = {}
    for arrival, key in zip(arrivals, keys, strict=True):
        if key not in existing and key not in new:
            new[key] = arrival
    if new:
        session.execute(
            _insert(session, InboundMessage.__table__).on_conflict_do_nothing(),  # type: ignore[attr-defined]
            [
                {
                    "channel": a.channel,
                    "platform_id": a.platform_id,
                    "conversation_id": conversation_ids.get((a.channel, a.event.chat_id or "")),
                    "received_at": now,
                    "payload": a.payload,
                    "status": "pending",
                    "attempts": 0,
                }
                for a in new.values()
            ],
        )
    stored = _stored_ids(session, list(new))
    # The first arrival of a key gets its id; a repeat, in this batch or before it, gets None.
    result: list[int | None] = []
    claimed: set[tuple[str, str]] = set()
    for key in keys:
        if key in stored and key not in claimed:
            result.append(stored[key])
            claimed.add(key)
        else:
            result.append(None)
    return result


def _stored_ids(session: Session, keys: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    if not keys:
        return {}
    rows = session.exec(
        select(InboundMessage.id, InboundMessage.channel, InboundMessage.platform_id).where(
            tuple_(col(InboundMessage.channel), col(InboundMessage.platform_id)).in_(keys)
        )
    ).all()
    return {(channel, platform_id): int(row_id or 0) for row_id, channel, platform_id in rows}
