"""The inbound worker: stored updates -> conversation -> outbox rows, many chats a transaction.

A pass takes the chats with the oldest pending updates, handles each chat's updates in order,
queues the replies and marks the updates done, all in one transaction: a crash at any point
leaves every update either handled with its replies queued, or still pending. A chat is
handled by one worker at a time: on PostgreSQL the pass holds its conversation row locked
(others skip it), on SQLite the pass holds the one write lock.

No single update can stop the bot. When one raises, its pass is rolled back, its failure is
counted in a transaction of its own, and the next pass handles the others again (savepoints
would spare that, at two round trips an update, for a case that should never happen). After
``MAX_ATTEMPTS`` an update is quarantined (status, error and count kept) and its chat gets one
apology; the chat's later updates, and every other chat, go on. Should a whole pass fail at
its commit (the database refusing what a handler wrote), the next passes take one update each,
so the one that breaks is found and counted.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Engine,
    Integer,
    Select,
    Update,
    bindparam,
    event,
    insert,
    select,
    update,
)
from sqlmodel import Session, col

import messages
from bot.channels import Adapter, Channel, adapters
from bot.conversation import Turn, respond
from bot.inbound import OutboundReply
from bot.waiting import WebhooksWaiting
from core.settings import Settings
from models import REPLY, Conversation, InboundMessage, OutboxMessage
from models.base import UTCDateTime
from services.catalogue import Catalogue

log = logging.getLogger(__name__)

# A bug that fails the same update every time must not block the chat behind it forever.
MAX_ATTEMPTS = 3
# How long one pass may hold its transaction; the number of updates a pass takes follows. A
# pass costs about 3 ms of CPU besides its updates (reading them, marking them done, the
# commit), so larger passes cost less an update. On SQLite a pass holds the one write lock,
# which the webhooks wait for: a pass told that they wait (bot/waiting.py) ends early, once
# it has held the lock for YIELD_AFTER, and leaves it to them.
PASS_SECONDS = {"sqlite": 0.05, "postgresql": 0.05}
YIELD_AFTER = 0.005
MAX_UPDATES = 500
FIRST_GUESS = 0.003  # seconds an update takes, until measured

_INBOUND = InboundMessage.__table__  # type: ignore[attr-defined]
_CONVERSATION = Conversation.__table__  # type: ignore[attr-defined]
_OUTBOX = OutboxMessage.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class _Pending:
    id: int
    conversation_id: int
    channel: str
    payload: dict[str, Any]
    attempts: int


@dataclass(frozen=True)
class PassResult:
    handled: int  # updates done (answered, or with nobody to answer)
    touched: int  # updates handled, failed or quarantined: 0 means nothing was left
    full: bool = False  # the pass took as many as it could: more may be waiting right now


class _AlreadyDone(Exception):
    """Another worker marked an update done first: roll back our copy of the answers."""


class Processor:
    def __init__(
        self,
        engine: Engine,
        catalogue: Catalogue,
        settings: Settings,
        *,
        worker_id: str,
        channels: Sequence[Channel] | None = None,
        webhooks: WebhooksWaiting | None = None,
    ) -> None:
        self.engine = engine
        self.webhooks = webhooks
        self.yield_after = YIELD_AFTER
        self.catalogue = catalogue
        self.settings = settings
        self.worker_id = worker_id
        self.parse: dict[str, Adapter] = adapters(channels)
        self._seconds = PASS_SECONDS.get(engine.dialect.name, 0.02)
        self._per_update = FIRST_GUESS
        self._single = 0  # passes left that take one update each, after a failed pass
        self._current: _Pending | None = None  # the update in hand, for a pass that fails

    def run(self, *, now: datetime) -> int:
        """Passes until nothing this worker may take is pending; returns updates answered."""
        handled = 0
        while True:
            result = self.run_pass(now=now)
            handled += result.handled
            if not result.touched:
                return handled

    def run_pass(self, *, now: datetime) -> PassResult:
        limit = 1 if self._single else self._limit()
        started = time.perf_counter()
        self._current = None
        try:
            result = self._pass(limit, now, started)
        except Exception as exc:
            if not self._single:
                # Find the update that breaks the whole transaction, one update a pass.
                log.error("a pass of %d updates failed (%s); one by one", limit, _name(exc))
                self._single = limit
                return PassResult(0, 1)
            if self._current is None:
                raise  # nothing was taken: the database itself is the trouble
            self._fail_alone(self._current, exc, now)
            self._single -= 1
            return PassResult(0, 1)
        if self._single:
            self._single -= 1
        if result.touched:
            spent = (time.perf_counter() - started) / result.touched
            self._per_update = 0.8 * self._per_update + 0.2 * spent
        return result

    def _limit(self) -> int:
        return max(1, min(MAX_UPDATES, int(self._seconds / max(self._per_update, 1e-5))))

    def _webhooks_wait(self, started: float) -> bool:
        """Webhooks wait for the write lock this pass has held long enough (SQLite)."""
        return (
            self.webhooks is not None
            and self.webhooks.waiting()
            and time.perf_counter() - started >= self.yield_after
        )

    def _pass(self, limit: int, now: datetime, started: float) -> PassResult:
        statements = _statements(self.engine.dialect.name)
        with _PassSession(self.engine, expire_on_commit=False) as session:
            pending = self._take(session, statements, limit)
            if not pending:
                # Updates with no chat to answer (channel posts, polls) are done once stored;
                # they wait for a pass with nothing else to do.
                chatless = self._close_chatless(session, statements, now)
                session.commit()
                return PassResult(chatless, chatless)
            chat_ids = list(dict.fromkeys(row.conversation_id for row in pending))
            found = session.scalars(statements.conversations, {"ids": chat_ids})
            conversations = {int(c.id or 0): c for c in found}
            shared: dict[str, Any] = {}
            taken = len(pending)
            for index, row in enumerate(pending):
                if index and self._webhooks_wait(started):
                    # The rest stay pending, in order, for the next pass: a chat's later
                    # updates come after the ones handled here.
                    pending = pending[:index]
                    break
                self._current = row
                error = self._handle(session, conversations[row.conversation_id], row, now, shared)
                if error is not None:
                    # What this pass did is undone with it; the update that raised is counted
                    # alone, and the others are handled again by the next pass.
                    session.rollback()
                    self._fail_alone(row, error, now)
                    return PassResult(0, 1)
            _write_replies(session)
            self._mark_done(session, statements, [row.id for row in pending], now)
            session.commit()
        full = len(pending) >= limit or len(pending) < taken
        return PassResult(len(pending), len(pending), full=full)

    def _close_chatless(self, session: Session, statements: _Statements, now: datetime) -> int:
        result = session.execute(statements.close_chatless, {"now": now})
        return int(result.rowcount)  # type: ignore[attr-defined]

    def _take(self, session: Session, statements: _Statements, limit: int) -> list[_Pending]:
        """The oldest pending updates of chats no other worker is handling, oldest first.

        Every pending update of a chat older than one taken is taken too (they come first in
        the order), so a chat's updates are handled in order. On SQLite the pass holds the
        write lock from its first statement, so one read is all. On PostgreSQL the chats'
        rows are locked first (others skip them), and the updates read again after the lock:
        one another worker finished meanwhile is not ours."""
        if statements.lock is None:
            rows = session.execute(statements.pending, {"limit": limit}).all()
        else:
            ids = session.execute(statements.lock, {"limit": limit}).scalars().all()
            chat_ids = list(dict.fromkeys(int(i) for i in ids))
            if not chat_ids:
                return []
            rows = session.execute(statements.pending_of, {"chats": chat_ids, "limit": limit}).all()
        return [_Pending(int(r[0]), int(r[1]), str(r[2]), r[3], int(r[4])) for r in rows]

    def _handle(
        self,
        session: Session,
        conversation: Conversation,
        row: _Pending,
        now: datetime,
        shared: dict[str, Any],
    ) -> Exception | None:
        try:
            parse = self.parse.get(row.channel)
            if parse is None:
                raise LookupError(f"no channel {row.channel!r} is registered")
            event = parse(row.payload)
            turn = Turn(
                session=session,
                conversation=conversation,
                catalogue=self.catalogue,
                settings=self.settings,
                now=now,
                shared=shared,
            )
            respond(turn, event)
            if event.kind != "ignored":
                # Someone who writes to us has unblocked the bot; try delivering again.
                if conversation.unreachable_at is not None:
                    conversation.unreachable_at = None
                # And opened WhatsApp's 24-hour window for free-form messages (kept for every
                # channel: it is when the person last spoke, wherever).
                conversation.last_inbound_at = now
            _queue(session, row.conversation_id, row.id, turn.replies, now, event.reply_context)
        except Exception as exc:
            # Only the kind of error: its text may hold what the person typed.
            log.warning("inbound %s failed: %s", row.id, _name(exc))
            return exc
        return None

    def _mark_done(
        self, session: Session, statements: _Statements, done: list[int], now: datetime
    ) -> None:
        if not done:
            return
        result = session.execute(statements.mark_done, {"ids": done, "now": now})
        if result.rowcount != len(done):  # type: ignore[attr-defined]
            raise _AlreadyDone

    def _record_failure(
        self,
        session: Session,
        conversation: Conversation,
        row: _Pending,
        exc: Exception,
        now: datetime,
    ) -> None:
        attempts = row.attempts + 1
        values: dict[str, Any] = {"attempts": attempts, "error": _kind(exc)[:500]}
        if attempts >= MAX_ATTEMPTS:
            values.update(status="quarantined", processed_at=now)
            log.error("inbound %s quarantined after %d attempts", row.id, attempts)
            apology = messages.render("bot.error", conversation.language)
            _queue(session, row.conversation_id, row.id, [OutboundReply(apology)], now, {})
        session.execute(
            update(_INBOUND)
            .where(_INBOUND.c.id == row.id, _INBOUND.c.status == "pending")
            .values(values)
        )

    def _fail_alone(self, row: _Pending, exc: Exception, now: datetime) -> None:
        """Count a failure of an update that broke its whole transaction, in one of its own."""
        with _PassSession(self.engine, expire_on_commit=False) as session:
            conversation = session.get(Conversation, row.conversation_id)
            if conversation is not None:
                self._record_failure(session, conversation, row, exc, now)
                _write_replies(session)
                session.commit()


@dataclass(frozen=True)
class _Statements:
    close_chatless: Update
    lock: Select[Any] | None  # PostgreSQL: the chats to lock
    pending: Select[Any]  # SQLite: the oldest pending updates
    pending_of: Select[Any]  # PostgreSQL: the pending updates of the locked chats
    conversations: Select[Any]
    mark_done: Update


@functools.cache
def _statements(dialect: str) -> _Statements:
    """A pass's statements, built once per dialect: built anew for every pass, SQLAlchemy
    spent more time making and keying them than the database spent running them."""
    pending = _INBOUND.c.status == "pending"
    columns = (
        _INBOUND.c.id,
        _INBOUND.c.conversation_id,
        _INBOUND.c.channel,
        _INBOUND.c.payload,
        _INBOUND.c.attempts,
    )
    limit = bindparam("limit", type_=Integer)
    close_chatless = (
        update(_INBOUND)
        .where(pending, _INBOUND.c.conversation_id.is_(None))
        .values(status="done", processed_at=bindparam("now", type_=UTCDateTime))
    )
    lock = None
    if dialect == "postgresql":
        lock = (
            select(_CONVERSATION.c.id)
            .join(_INBOUND, _INBOUND.c.conversation_id == _CONVERSATION.c.id)
            .where(pending)
            .order_by(_INBOUND.c.id)
            .limit(limit)
            # FOR NO KEY UPDATE: still one worker a chat (it conflicts with itself and with a
            # sender's claim), but not with the key-share lock that storing an update
            # takes on its conversation (the foreign key): a webhook for a chat in a pass is
            # stored at once rather than after the pass commits.
            .with_for_update(of=_CONVERSATION, skip_locked=True, key_share=True)
        )
    oldest = (
        select(*columns)
        .where(pending, _INBOUND.c.conversation_id.is_not(None))
        .order_by(_INBOUND.c.id)
        .limit(limit)
    )
    pending_of = (
        select(*columns)
        .where(_INBOUND.c.conversation_id.in_(bindparam("chats", expanding=True)), pending)
        .order_by(_INBOUND.c.id)
        .limit(limit)
    )
    conversations = select(Conversation).where(
        col(Conversation.id).in_(bindparam("ids", expanding=True))
    )
    mark_done = (
        update(_INBOUND)
        .where(_INBOUND.c.id.in_(bindparam("ids", expanding=True)), pending)
        .values(status="done", processed_at=bindparam("now", type_=UTCDateTime))
    )
    return _Statements(close_chatless, lock, oldest, pending_of, conversations, mark_done)


class _PassSession(Session):
    """A pass's session. The replies the processor queues wait in ``info["replies"]`` and
    are written with one statement before anything else the session writes next (see
    :func:`_queue`), so a pass of many updates writes its replies and its conversations'
    changes in a few statements rather than a few for every update."""


@event.listens_for(_PassSession, "before_flush")
def _replies_first(session: Session, _context: Any, _instances: Any) -> None:
    rows = session.info.pop("replies", None)
    if rows:
        session.connection().execute(_INSERT_REPLY, rows)


def _queue(
    session: Session,
    conversation_id: int,
    inbound_id: int,
    replies: list[OutboundReply],
    now: datetime,
    context: dict[str, Any],
) -> None:
    """Queue ``replies`` behind whatever was queued before, in this pass or by a service.

    A chat must read its rows in the order they were queued, and rows get their ids in the
    order they are written. Replies wait to be written, and go in first at the next flush;
    so a row a service queued through the session and still unwritten is flushed before
    these replies join the wait, as it was queued before them."""
    if not replies:
        return
    if any(isinstance(row, OutboxMessage) for row in session.new):
        session.flush()
    session.info.setdefault("replies", []).extend(
        {
            "conversation_id": conversation_id,
            "inbound_id": inbound_id,
            "created_at": now,
            "text": reply.text,
            "buttons": reply.buttons_json(),
            # A pressed button's spinner is stopped with the first reply.
            "extra": dict(context) if index == 0 else {},
            "priority": REPLY,
            "next_attempt_at": now,
        }
        for index, reply in enumerate(replies)
    )


def _write_replies(session: Session) -> None:
    """Before the commit: the replies still waiting, after what the session holds."""
    session.flush()
    rows = session.info.pop("replies", None)
    if rows:
        session.execute(_INSERT_REPLY, rows)


_INSERT_REPLY = insert(_OUTBOX)


def _kind(exc: BaseException) -> str:
    """For the update's row, for staff: the error's type and the first line of its text."""
    text = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _name(exc: BaseException) -> str:
    """For the log: only the type, as the text may quote what a person typed."""
    return type(exc).__name__


def process_pending(
    engine: Engine,
    catalogue: Catalogue,
    settings: Settings,
    *,
    now: datetime,
    worker_id: str = "",
    channels: Sequence[Channel] | None = None,
) -> int:
    """Handle every pending update this worker can take; returns how many were answered."""
    processor = Processor(engine, catalogue, settings, worker_id=worker_id, channels=channels)
    return processor.run(now=now)
