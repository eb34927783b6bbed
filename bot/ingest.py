"""Group commit for webhooks: many concurrent updates, one transaction, then every 2xx.

A webhook may answer 2xx only once its update is committed. Committing each update alone
costs a transaction per request; here requests queue their update and wait, and one writer
stores whatever has gathered in a single transaction. Under load that is one commit for
dozens of updates; when idle it is one commit for one, with no added wait.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select, tuple_
from sqlmodel import col

from bot.inbound import InboundEvent
from models import Conversation, InboundMessage, utcnow
from services.outbox import insert_ignoring_conflicts

log = logging.getLogger(__name__)
MAX_BATCH = 500
MAX_KNOWN_CHATS = 200_000


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
        self._known_chats: dict[tuple[str, str], int] = {}
        # One thread of its own: batches are written one after another anyway, and the
        # database driver's blocking calls stay off the event loop.
        self._executor: ThreadPoolExecutor | None = None
        self._connection: Connection | None = None

    async def store(self, arrival: Arrival) -> int | None:
        """The new row's id once committed, or None when this update was stored before."""
        if self._queue is None or self._task is None or self._task.done():
            if self._executor is None:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="sigap-ingest")
            self._queue = asyncio.Queue()
            self._task = asyncio.create_task(self._run(self._queue))
        future: asyncio.Future[int | None] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait((arrival, future))
        return await future

    def _close_connection(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        if self._executor is not None:
            executor, self._executor = self._executor, None
            # The connection belongs to the writer thread: close it there, then stop it.
            await asyncio.get_running_loop().run_in_executor(executor, self._close_connection)
            executor.shutdown(wait=False)
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
                ids = await asyncio.get_running_loop().run_in_executor(
                    self._executor, self._write, [arrival for arrival, _ in batch]
                )
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
        learned = {} if len(self._known_chats) > MAX_KNOWN_CHATS else dict(self._known_chats)
        # The writer keeps one connection of its own between batches: checking one out of
        # the pool per batch would cost a ping round trip each time.
        if self._connection is None:
            self._connection = self.engine.connect()
        try:
            with self._connection.begin():
                ids = store_batch(self._connection, arrivals, now=utcnow(), known_chats=learned)
        except Exception:
            # A broken connection is dropped; the next batch opens a fresh one.
            self._connection.close()
            self._connection = None
            raise
        # Remembered only once committed: a rolled-back chat row must be looked up again.
        self._known_chats = learned
        return ids


def store_batch(
    connection: Connection,
    arrivals: list[Arrival],
    *,
    now: datetime,
    known_chats: dict[tuple[str, str], int] | None = None,
) -> list[int | None]:
    """Store new updates (ignoring ones seen before) and their chats; returns ids or None.

    ``known_chats`` remembers conversation ids between batches: a conversation row is never
    deleted, so a chat seen once needs no look-up again.
    """
    known = known_chats if known_chats is not None else {}
    chats = {
        (a.channel, a.event.chat_id): a.event.display_name[:120]
        for a in arrivals
        if a.event.chat_id is not None and (a.channel, a.event.chat_id) not in known
    }
    if chats:
        connection.execute(
            insert_ignoring_conflicts(connection.dialect.name, Conversation.__table__),  # type: ignore[attr-defined]
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
        rows = connection.execute(
            select(Conversation.id, Conversation.channel, Conversation.chat_id).where(
                tuple_(col(Conversation.channel), col(Conversation.chat_id)).in_(list(chats))
            )
        ).all()
        known.update({(channel, chat_id): int(cid or 0) for cid, channel, chat_id in rows})

    keys = [(a.channel, a.platform_id) for a in arrivals]
    first: dict[tuple[str, str], Arrival] = {}
    for arrival, key in zip(arrivals, keys, strict=True):
        first.setdefault(key, arrival)
    table = InboundMessage.__table__  # type: ignore[attr-defined]
    # ON CONFLICT DO NOTHING ... RETURNING gives back exactly the rows that are new: an
    # update stored before (a platform retry) returns nothing and is acknowledged as a repeat.
    inserted = connection.execute(
        insert_ignoring_conflicts(connection.dialect.name, table).returning(
            table.c.id, table.c.channel, table.c.platform_id
        ),
        [
            {
                "channel": a.channel,
                "platform_id": a.platform_id,
                "conversation_id": known.get((a.channel, a.event.chat_id or "")),
                "received_at": now,
                "payload": a.payload,
                "status": "pending",
                "attempts": 0,
            }
            for a in first.values()
        ],
    ).all()
    stored = {(channel, platform_id): int(row_id) for row_id, channel, platform_id in inserted}
    # The first arrival of a key gets its id; a repeat, in this batch or before it, gets None.
    result: list[int | None] = []
    for key in keys:
        result.append(stored.pop(key, None))
    return result
