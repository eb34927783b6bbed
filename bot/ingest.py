"""Group commit for webhooks: many concurrent updates, one transaction, then every 2xx.

A webhook may answer 2xx only once its update is committed. Committing each update alone
costs a transaction per request; here requests queue their update and wait, and one writer
stores whatever has gathered in a single transaction. Under load that is one commit for
dozens of updates; when idle it is one commit for one, with no added wait.

On PostgreSQL the writer talks to the database from the event loop (``bot.ingest_postgres``);
SQLite has no asynchronous driver, so there it writes from a thread of its own
(``bot.ingest_sqlite``). Both send a batch as one JSON document in a statement whose text
never changes.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

import psycopg
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DataError, DBAPIError, OperationalError

from bot import ingest_postgres, ingest_sqlite
from bot.inbound import ChatKey, InboundEvent, InboundRow
from bot.waiting import WebhooksWaiting
from models import utcnow

log = logging.getLogger(__name__)
MAX_BATCH = 500
MAX_KNOWN_CHATS = 200_000
# SQLite: how long a batch waits for another writer, looking again this often.
WAIT_SECONDS = 30.0
RETRY_SECONDS = 0.0005


@dataclass(frozen=True)
class Arrival:
    channel: str
    platform_id: str
    payload: dict[str, Any]
    event: InboundEvent


class IngestWriter:
    def __init__(self, engine: Engine, waiting: WebhooksWaiting | None = None) -> None:
        self.engine = engine
        # SQLite: told to the worker while a batch waits for the write lock (bot/waiting.py).
        self._waiting = waiting
        self._queue: asyncio.Queue[tuple[Arrival, asyncio.Future[int | None]]] | None = None
        self._task: asyncio.Task[None] | None = None
        # Conversation ids seen before: a conversation row is never deleted, so a chat
        # seen once needs no look-up again.
        self._known_chats: dict[ChatKey, int] = {}
        # SQLite: a connection for writing on the loop, and one for a thread of its own
        # that waits when another writer holds the database.
        self._now_line = SqliteLine(engine)
        self._waiting_line = SqliteLine(engine)
        self._executor: ThreadPoolExecutor | None = None
        # PostgreSQL: one asynchronous connection, bound to the event loop that opened it.
        self._pg: psycopg.AsyncConnection[Any] | None = None

    async def store(self, arrival: Arrival) -> int | None:
        """The new row's id once committed, or None when this update was stored before."""
        if self._queue is None or self._task is None or self._task.done():
            # A new event loop (tests start one per app) cannot use the old loop's socket.
            self._pg = None
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
        if self._pg is not None:
            pg, self._pg = self._pg, None
            await pg.close()
        self._now_line.close()
        if self._executor is not None:
            executor, self._executor = self._executor, None
            # That connection belongs to the writer thread: close it there, then stop it.
            await asyncio.get_running_loop().run_in_executor(executor, self._waiting_line.close)
            executor.shutdown(wait=False)
        # Anyone still waiting gets an error (a 5xx), so the platform sends the update again.
        while self._queue is not None and not self._queue.empty():
            _, future = self._queue.get_nowait()
            if not future.done():
                future.set_exception(RuntimeError("shutting down"))

    async def _run(self, queue: asyncio.Queue[tuple[Arrival, asyncio.Future[int | None]]]) -> None:
        while True:
            batch = [await queue.get()]
            # One turn of the loop lets requests that arrived together join this batch.
            await asyncio.sleep(0)
            while len(batch) < MAX_BATCH and not queue.empty():
                batch.append(queue.get_nowait())
            arrivals = [arrival for arrival, _ in batch]
            if len(self._known_chats) > MAX_KNOWN_CHATS:
                self._known_chats = {}
            try:
                ids = await self._write(arrivals)
            except Exception as exc:
                log.error("storing %d inbound updates failed: %s", len(batch), type(exc).__name__)
                if len(batch) == 1:
                    _settle(batch[0][1], exc)
                else:
                    await self._write_one_by_one(batch)
                continue
            for (_, future), row_id in zip(batch, ids, strict=True):
                if not future.done():
                    future.set_result(row_id)

    async def _write(self, arrivals: list[Arrival]) -> list[int | None]:
        if self.engine.dialect.name == "postgresql":
            return await self._write_postgres(arrivals)
        return await self._write_sqlite(arrivals)

    async def _write_one_by_one(
        self, batch: list[tuple[Arrival, asyncio.Future[int | None]]]
    ) -> None:
        """After a failed batch: one bad update must not cost its neighbours their 2xx.

        Each is stored alone, so only the one the database refuses fails. When the database
        itself is gone, the first failure says so for all, rather than trying every row."""
        for index, (arrival, future) in enumerate(batch):
            try:
                [row_id] = await self._write([arrival])
            except Exception as exc:
                log.error(
                    "storing inbound %s %s alone failed: %s",
                    arrival.channel,
                    arrival.platform_id[:80],
                    type(exc).__name__,
                )
                if _unreachable(exc):
                    for _, waiting in batch[index:]:
                        _settle(waiting, exc)
                    return
                _settle(future, exc)
                continue
            if not future.done():
                future.set_result(row_id)

    async def _write_postgres(self, arrivals: list[Arrival]) -> list[int | None]:
        if self._pg is None or self._pg.closed:
            self._pg = await ingest_postgres.connect(self.engine)
        now = utcnow()
        try:
            chats = unknown_chats(arrivals, self._known_chats)
            if chats:
                self._known_chats.update(
                    await ingest_postgres.store_chats(self._pg, chats, now=now)
                )
            keys, rows = inbound_rows(arrivals, self._known_chats)
            inserted = await ingest_postgres.store_inbound(self._pg, rows, now=now)
        except Exception:
            # A broken connection is dropped; the next batch opens a fresh one.
            pg, self._pg = self._pg, None
            await pg.close()
            raise
        return ids_in_order(keys, inserted)

    async def _write_sqlite(self, arrivals: list[Arrival]) -> list[int | None]:
        # A batch commits in well under a millisecond, so it is written on the loop, which
        # spares the hand-over to a thread; only when another writer holds the database
        # does the batch wait for it, in a thread, so the loop never waits.
        with suppress(DatabaseBusy):
            return self._write_sqlite_on(self._now_line, arrivals)
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="sigap-ingest")
        if self._waiting is not None:
            self._waiting.begin()
        try:
            return await asyncio.get_running_loop().run_in_executor(
                self._executor, self._write_sqlite_waiting, arrivals
            )
        finally:
            if self._waiting is not None:
                self._waiting.end()

    def _write_sqlite_waiting(self, arrivals: list[Arrival]) -> list[int | None]:
        # Looking again every half millisecond, not in SQLite's own steps (which grow to
        # 100 ms): a worker's passes leave the lock free only briefly, and a webhook must not
        # wait for a gap it slept through.
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            try:
                return self._write_sqlite_on(self._waiting_line, arrivals)
            except DatabaseBusy:
                if time.monotonic() > deadline:
                    raise
                time.sleep(RETRY_SECONDS)

    def _write_sqlite_on(self, line: SqliteLine, arrivals: list[Arrival]) -> list[int | None]:
        learned = dict(self._known_chats)
        connection = line.connection()
        now = utcnow()
        try:
            with connection.begin():
                chats = unknown_chats(arrivals, learned)
                if chats:
                    learned.update(ingest_sqlite.store_chats(connection, chats, now=now))
                keys, rows = inbound_rows(arrivals, learned)
                inserted = ingest_sqlite.store_inbound(connection, rows, now=now)
        except OperationalError as exc:
            if ingest_sqlite.is_busy(exc):
                raise DatabaseBusy from exc
            line.close()
            raise
        except Exception:
            line.close()
            raise
        # Remembered only once committed: a rolled-back chat row must be looked up again.
        self._known_chats = learned
        return ids_in_order(keys, inserted)


class Refused(Exception):
    """The database refused this one update, stored alone: sending it again will not help."""


def _settle(future: asyncio.Future[int | None], exc: Exception) -> None:
    """Fail a waiting request: :class:`Refused` (a 4xx) when the update's content was refused,
    the error itself (a 5xx, so the platform tries again) when anything else went wrong."""
    if future.done():
        return
    if isinstance(exc, _CONTENT_ERRORS):
        future.set_exception(Refused(f"the database refused this update: {type(exc).__name__}"))
    else:
        future.set_exception(exc)


# What one update's content can cause (a value too long for its column, text the driver
# cannot encode, a payload JSON cannot carry), as opposed to the database being unavailable.
_CONTENT_ERRORS = (DataError, psycopg.DataError, ValueError, TypeError)


def _unreachable(exc: Exception) -> bool:
    """The database is gone (not merely refusing a row): trying the next row would wait too."""
    return isinstance(exc, psycopg.OperationalError | OSError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated
    )


class DatabaseBusy(Exception):
    """Another connection holds SQLite's write lock; nothing of the batch was written."""


class SqliteLine:
    """A SQLite connection the writer keeps between batches (a pool check-out costs a ping).

    It gives up at once when another connection holds the write lock: the caller decides when
    to try again.
    """

    def __init__(self, engine: Engine, waiting: WebhooksWaiting | None = None) -> None:
        self.engine = engine
        # SQLite: told to the worker while a batch waits for the write lock (bot/waiting.py).
        self._waiting = waiting
        self._connection: Connection | None = None

    def connection(self) -> Connection:
        if self._connection is None:
            connection = self.engine.connect()
            # Ours alone from here: a pooled connection must not go back never waiting.
            connection.detach()
            # On the driver's connection: through SQLAlchemy it would open a transaction.
            driver = connection.connection.dbapi_connection
            assert driver is not None  # a connection just opened has its driver's
            driver.execute("PRAGMA busy_timeout=0")
            self._connection = connection
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def unknown_chats(arrivals: Sequence[Arrival], known: dict[ChatKey, int]) -> dict[ChatKey, str]:
    """The chats of these arrivals with no known conversation id, with a display name each."""
    return {
        (a.channel, a.event.chat_id): a.event.display_name[:120]
        for a in arrivals
        if a.event.chat_id is not None and (a.channel, a.event.chat_id) not in known
    }


def inbound_rows(
    arrivals: Sequence[Arrival], known: dict[ChatKey, int]
) -> tuple[list[ChatKey], list[InboundRow]]:
    """Each arrival's key, and one row per distinct key: (channel, id, conversation, payload)."""
    keys = [(a.channel, a.platform_id) for a in arrivals]
    first: dict[ChatKey, Arrival] = {}
    for arrival, key in zip(arrivals, keys, strict=True):
        first.setdefault(key, arrival)
    rows = [
        (a.channel, a.platform_id, known.get((a.channel, a.event.chat_id or "")), a.payload)
        for a in first.values()
    ]
    return keys, rows


def ids_in_order(keys: list[ChatKey], inserted: Sequence[Sequence[Any]]) -> list[int | None]:
    """The first arrival of a key gets its new id; a repeat, in this batch or before, None."""
    stored = {(channel, platform_id): int(row_id) for row_id, channel, platform_id in inserted}
    return [stored.pop(key, None) for key in keys]
