"""The outbound worker: deliver queued messages, many at once, each chat in order, once.

A worker claims chats, not rows: one UPDATE takes the outbound lease of each chat whose oldest
queued row is due, which no other worker holds, and whose own pace allows a message now. The
lease runs on the database's clock, and before every send the worker checks that its lease
still has more time left than a send may take; so two workers never send the same row, and a
worker that stalls (a long pause, a clock jump) loses its chats instead of sending late. Per
chat, only the oldest queued row is sent; while it waits (rate limit, backoff) the rows behind
it wait too, so a person never reads message n+1 before n.

The one gap no Bot API call can close: if the process dies after the platform accepted a
message but before its row is marked sent, the row is sent again after restart. With one row
in flight per chat, that is at most one message per chat. Marking it sent first would instead
lose it; a duplicate "menu" is the lesser harm for a person waiting for an answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import json
import logging
import math
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    Engine,
    Float,
    Insert,
    Integer,
    Select,
    Update,
    any_,
    bindparam,
    exists,
    func,
    literal_column,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import TextClause
from sqlalchemy.sql.selectable import TextualSelect

from bot import complaint_buttons, notice_buttons
from bot.budget import SendBudget
from bot.channels import (
    OUTSIDE_WINDOW,
    TEMPLATE,
    WINDOW_CLOSED,
    Channel,
    DeliveryStatus,
    Outgoing,
    Pacing,
    Sender,
    SendResult,
    registered,
)
from bot.dbclock import now_sql_for
from bot.dbthread import DatabaseThread
from bot.inbound import buttons_from_json
from models import BULK, REPLY, Conversation, OutboxMessage, Person, SendCount, utcnow
from models.base import UTCDateTime

log = logging.getLogger(__name__)

LEASE = 30.0  # seconds a claim holds its chats
SEND_TIMEOUT = 20.0  # a send still running after this is given up (and may be repeated)
BACKOFF_BASE = timedelta(seconds=1)
BACKOFF_MAX = timedelta(minutes=10)
MAX_ATTEMPTS = 12  # about an hour of backoff for network trouble, then the row is given up

_OUTBOX = OutboxMessage.__table__  # type: ignore[attr-defined]
_CHAT = Conversation.__table__  # type: ignore[attr-defined]
_PERSON = Person.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Claimed:
    """A chat this worker holds, with the row to send to it."""

    conversation_id: int
    chat_id: str
    row_id: int
    text: str
    buttons: list[Any]
    extra: dict[str, Any]
    attempts: int
    priority: int
    # This process's monotonic clock when the lease runs out (taken before the claim, so
    # never later than the database's own).
    deadline: float
    channel: str = ""
    last_inbound_at: datetime | None = None  # when the person last wrote in the chat
    now: datetime | None = None  # the time the claim was made for
    # The chat had more queued rows behind this one when it was claimed.
    more: bool = False
    # The lease's owner as the claim wrote it: the worker and the claim's number. Each claim
    # writes its own, so giving a chat back (or moving its pace on) after its lease ran out
    # can never give back a later claim's lease on it, this worker's own included.
    owner: str = ""

    def outgoing(self) -> Outgoing:
        return Outgoing(
            id=self.row_id,
            chat_id=self.chat_id,
            text=self.text,
            # A row a service queued names actions, not buttons: the bot renders its own.
            buttons=buttons_from_json(self.buttons)
            or complaint_buttons.from_extra(self.extra)
            or notice_buttons.from_extra(self.extra),
            extra=dict(self.extra),
            last_inbound_at=self.last_inbound_at,
            now=self.now,
        )

    def still_ours(self) -> bool:
        return time.monotonic() + SEND_TIMEOUT < self.deadline


def claim(
    engine: Engine,
    channel: str,
    *,
    worker_id: str,
    limit: int,
    now: datetime,
    priority: int | None = None,
    paced: bool = True,
    bulk_limit: int | None = None,
) -> list[Claimed]:
    """Take up to ``limit`` chats of ``channel`` with a message due at ``now``, and of them at
    most ``bulk_limit`` (when given) for broadcast rows."""
    if limit <= 0:
        return []
    started = time.monotonic()
    owner = f"{worker_id}/{next(_CLAIMS)}"
    statements = _claim_statements(engine.dialect.name, paced=paced, replies_only=priority == REPLY)
    with engine.begin() as conn:
        found = conn.execute(
            statements.candidates, {"channel": channel, "now": now, "limit": limit}
        ).all()
        chat_ids = _within(found, bulk_limit)
        if not chat_ids:
            return []
        taken = conn.execute(statements.take, {"chats": chat_ids, "worker": owner}).all()
        if not taken:
            return []
        conn.execute(statements.withhold, {"chats": [int(i) for i, _, _ in taken]})
        # Each chat's head is read here, by a statement of its own after the leases are taken,
        # never from the candidates: on PostgreSQL the candidates' statement sees the queue as
        # it was when that statement began, while a chat it locks is the chat as it is now.
        # A chat another worker claimed, sent to and gave back meanwhile would then come with
        # the row that worker has just sent as its head, and the row would go twice. (A claim
        # that read its heads with the candidates did exactly that, in the two-worker test.)
        heads = conn.execute(statements.heads, {"chats": [int(i) for i, _, _ in taken]}).all()
        chats = {int(i): str(chat_id) for i, chat_id, _ in taken}
        wrote = {int(i): last for i, _, last in taken}
        deadline = started + LEASE
        claimed = [
            Claimed(
                conversation_id=int(row.conversation_id),
                chat_id=chats[int(row.conversation_id)],
                row_id=int(row.id),
                text=str(row.text),
                buttons=list(row.buttons or []),
                extra=dict(row.extra or {}),
                attempts=int(row.attempts),
                priority=int(row.priority),
                deadline=deadline,
                channel=channel,
                last_inbound_at=wrote[int(row.conversation_id)],
                now=now,
                more=bool(row.more),
                owner=owner,
            )
            for row in heads
            if row.next_attempt_at <= now
        ]
        # A chat whose head is waiting for its backoff gives its lease back at once.
        waiting = set(chats) - {c.conversation_id for c in claimed}
        if waiting:
            conn.execute(statements.release, {"chats": sorted(waiting), "owner": owner})
    return claimed


# Numbers this process's claims (see Claimed.owner).
_CLAIMS = itertools.count(1)


def _within(found: Sequence[Any], bulk_limit: int | None) -> list[int]:
    """The chats of a claim's candidates, in their order (replies first), each once, and no
    more broadcast chats than ``bulk_limit``: left out before their leases are taken, rather
    than taken and given back."""
    chats: dict[int, None] = {}
    bulk = 0
    for chat, priority in found:
        if int(chat) in chats:
            continue
        if priority != REPLY:
            if bulk_limit is not None and bulk >= bulk_limit:
                continue
            bulk += 1
        chats[int(chat)] = None
    return list(chats)


def _withhold_statement(dialect: str) -> Update:
    """Broadcast rows of chats whose person (or the chat itself) said BERHENTI after the rows
    were queued: marked opted_out, never sent. Replies and complaint answers are no broadcast."""
    stopped = (
        select(_CHAT.c.id)
        .select_from(_CHAT.outerjoin(_PERSON, _PERSON.c.id == _CHAT.c.person_id))
        .where(
            _among(_CHAT.c.id, dialect),
            or_(
                _CHAT.c.broadcasts_stopped_at.is_not(None),
                _PERSON.c.broadcasts_stopped_at.is_not(None),
            ),
        )
    )
    return (
        update(_OUTBOX)
        .where(
            _OUTBOX.c.status == "queued",
            _OUTBOX.c.priority == BULK,
            _OUTBOX.c.conversation_id.in_(stopped),
            _OUTBOX.c.extra["broadcast"].as_boolean(),
        )
        .values(status="opted_out", last_error="broadcasts stopped (BERHENTI)")
    )


def _among(column: ColumnElement[Any], dialect: str) -> ColumnElement[bool]:
    """``column`` is one of the list bound as ``chats``. On PostgreSQL as ``= ANY`` of one
    array parameter: the statement's text is then the same whatever the list's length, so
    psycopg parses it once and PostgreSQL prepares it, where an IN of hundreds of parameters
    was parsed anew by psycopg for every claim (the tenth of the worker's CPU that the claim's
    UPDATE cost, more than the UPDATE itself)."""
    if dialect == "postgresql":
        return column == any_(bindparam("chats", type_=postgresql.ARRAY(Integer)))
    return column.in_(bindparam("chats", expanding=True))


@dataclass(frozen=True)
class _ClaimStatements:
    candidates: TextualSelect
    take: Update
    withhold: Update
    heads: Select[Any]
    release: Update


@functools.cache
def _claim_statements(dialect: str, *, paced: bool, replies_only: bool) -> _ClaimStatements:
    """A claim's three statements, built once: built anew for every claim, SQLAlchemy spent
    more time making and keying them than the database spent running them."""
    now = now_sql_for(dialect)
    # The queue's rows are read in the order of the partial index of queued rows
    # (ix_outbox_queued), so a claim reads the first rows of the queue, not every queued row
    # and a sort: 'queued' is written out, not a parameter, for the planner to see that the
    # index applies, and SQLite, which keeps no statistics unless asked, is told to use it.
    hint = " INDEXED BY ix_outbox_queued" if dialect == "sqlite" else ""
    conditions = [
        "o.status = 'queued'",
        "o.next_attempt_at <= :now",
        "c.channel = :channel",
        f"(c.outbound_lease_expires IS NULL OR c.outbound_lease_expires < {now})",
        # A reply is taken even when an older broadcast row is its chat's head: the chat then
        # sends that row first, so order holds and the person is not kept waiting behind
        # everybody else's broadcast. A broadcast row is taken only as its chat's head.
        f"""(o.priority = {REPLY} OR NOT EXISTS (
            SELECT 1 FROM outbox_message AS older
            WHERE older.conversation_id = o.conversation_id AND older.status = 'queued'
              AND older.id < o.id))""",
    ]
    if paced:
        conditions.append(f"(c.outbound_next_at IS NULL OR c.outbound_next_at <= {now})")
    if replies_only:
        conditions.append(f"o.priority = {REPLY}")
    # Chats another worker is claiming right now are skipped, not waited for. NO KEY: exclusive
    # of other claims and of a pass (bot/processor.py), but not of the key-share lock that
    # storing an update takes on its chat, so a webhook never waits for a claim.
    lock = " FOR NO KEY UPDATE OF c SKIP LOCKED" if dialect == "postgresql" else ""
    candidates = (
        text(
            f"""SELECT o.conversation_id, o.priority FROM outbox_message AS o{hint}
            JOIN conversation AS c ON c.id = o.conversation_id
            WHERE {" AND ".join(conditions)}
            ORDER BY o.priority, o.id LIMIT :limit{lock}"""
        )
        .bindparams(bindparam("now", type_=UTCDateTime), bindparam("limit", type_=Integer))
        .columns(conversation_id=Integer, priority=Integer)
    )
    db_now = _now(dialect)
    lease_free = or_(
        _CHAT.c.outbound_lease_expires.is_(None), _CHAT.c.outbound_lease_expires < db_now
    )
    take = (
        update(_CHAT)
        .where(_among(_CHAT.c.id, dialect), lease_free)
        .values(outbound_lease_owner=bindparam("worker"), outbound_lease_expires=db_now + LEASE)
        .returning(_CHAT.c.id, _CHAT.c.chat_id, _CHAT.c.last_inbound_at)
    )
    oldest = (
        select(func.min(_OUTBOX.c.id))
        .where(
            _OUTBOX.c.status == literal_column("'queued'"),
            _among(_OUTBOX.c.conversation_id, dialect),
        )
        .group_by(_OUTBOX.c.conversation_id)
    )
    later = _OUTBOX.alias("later")
    more = exists().where(
        later.c.conversation_id == _OUTBOX.c.conversation_id,
        later.c.status == literal_column("'queued'"),
        later.c.id > _OUTBOX.c.id,
    )
    heads = (
        select(
            _OUTBOX.c.id,
            _OUTBOX.c.conversation_id,
            _OUTBOX.c.text,
            _OUTBOX.c.buttons,
            _OUTBOX.c.extra,
            _OUTBOX.c.attempts,
            _OUTBOX.c.priority,
            _OUTBOX.c.next_attempt_at,
            more.label("more"),
        )
        .where(_OUTBOX.c.id.in_(oldest))
        .order_by(_OUTBOX.c.priority, _OUTBOX.c.id)
    )
    withhold = _withhold_statement(dialect)
    return _ClaimStatements(candidates, take, withhold, heads, _release_statement(dialect))


@functools.cache
def _release_statement(dialect: str) -> Update:
    """Chats given back unsent, each only while its lease is still the claim's (``owner``)."""
    return (
        update(_CHAT)
        .where(
            _among(_CHAT.c.id, dialect),
            _CHAT.c.outbound_lease_owner == bindparam("owner"),
        )
        .values(outbound_lease_owner=None, outbound_lease_expires=None)
    )


def _now(dialect: str) -> ColumnElement[float]:
    return literal_column(now_sql_for(dialect), type_=Float)


def release(engine: Engine, claimed: Sequence[Claimed]) -> None:
    """Give these chats back unsent (each only if its lease is still the one claimed)."""
    if not claimed:
        return
    statement = _record_statements(engine.dialect.name).release
    by_owner: dict[str, list[int]] = {}
    for c in claimed:
        by_owner.setdefault(c.owner, []).append(c.conversation_id)
    with engine.begin() as conn:
        for owner, chats in by_owner.items():
            conn.execute(statement, {"chats": chats, "owner": owner})


def backoff(attempts: int) -> timedelta:
    """1 s, 2 s, 4 s ... up to 10 minutes."""
    delay: timedelta = BACKOFF_BASE * (2 ** max(attempts - 1, 0))
    return min(delay, BACKOFF_MAX)


@dataclass(frozen=True)
class Outcome:
    """What became of one claimed row, to be written with others in one transaction."""

    claimed: Claimed
    result: SendResult | None  # None: not sent at all (the lease ran short); just release
    now: datetime
    pacing: Pacing


def record(engine: Engine, outcomes: Sequence[Outcome]) -> None:
    """Write what happened to each row, and give each chat back with its pace moved on (each
    only while its lease is still the one its claim took)."""
    if not outcomes:
        return
    statements = _record_statements(engine.dialect.name)
    sent = [o for o in outcomes if o.result is not None and o.result.outcome == "sent"]
    with engine.begin() as conn:
        if sent:
            rows = [
                {
                    "row_id": o.claimed.row_id,
                    "at": o.now,
                    "message_id": o.result.platform_message_id if o.result else None,
                    "tries": o.claimed.attempts + 1,
                    "row_extra": {**o.claimed.extra, **(o.result.extra if o.result else {})},
                }
                for o in sent
            ]
            if statements.sent_all is not None:
                conn.execute(statements.sent_all, _columns(rows, json_encoded=("row_extra",)))
            else:
                conn.execute(statements.sent, rows)
        for outcome in outcomes:
            if outcome.result is not None and outcome.result.outcome != "sent":
                _record_failure(conn, outcome.claimed, outcome.result, outcome.now)
        # Each chat given back with its pace moved on (see _record_statements).
        paced = [
            {
                "owner": o.claimed.owner,
                "chat": o.claimed.conversation_id,
                "interval": o.pacing.interval,
                "tolerance": o.pacing.interval * max(o.pacing.burst - 1, 0),
            }
            for o in outcomes
            if o.result is not None
        ]
        if paced:
            if statements.pace_all is not None:
                conn.execute(statements.pace_all, _columns(paced))
            else:
                conn.execute(statements.pace, paced)
        _count(conn, outcomes, statements.count)
        unsent: dict[str, list[int]] = {}
        for o in outcomes:
            if o.result is None:
                unsent.setdefault(o.claimed.owner, []).append(o.claimed.conversation_id)
        for owner, chats in unsent.items():
            conn.execute(statements.release, {"chats": chats, "owner": owner})


def _columns(
    rows: Sequence[dict[str, Any]], *, json_encoded: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Rows as one list a column, for a statement that reads them as arrays."""
    return {
        key: [json.dumps(r[key]) if key in json_encoded else r[key] for r in rows]
        for key in rows[0]
    }


# Each process adds to its own rows of send_count (see models/ops.py).
SHARDS = 16
_SHARD = os.getpid() % SHARDS
_COUNTS = SendCount.__table__  # type: ignore[attr-defined]


def _count(conn: Connection, outcomes: Sequence[Outcome], statement: Insert) -> None:
    """Add these results to the send counts, in the transaction that records them."""
    counts = Counter(
        (o.claimed.channel, o.result.outcome, "" if o.result.outcome == "sent" else o.result.code)
        for o in outcomes
        if o.result is not None
    )
    if not counts:
        return
    rows = [
        {"channel": channel, "outcome": outcome, "code": code[:40], "shard": _SHARD, "count": n}
        for (channel, outcome, code), n in sorted(counts.items())
    ]
    conn.execute(statement, rows)


@dataclass(frozen=True)
class _RecordStatements:
    sent: Update
    pace: Update
    release: Update
    count: Insert
    # PostgreSQL: the same two updates as one statement for all the rows, from arrays (run
    # once a row, the statements cost the database more than the updates themselves).
    sent_all: TextClause | None = None
    pace_all: TextClause | None = None


@functools.cache
def _record_statements(dialect: str) -> _RecordStatements:
    """What :func:`record` writes, built once per dialect (as the claim's statements are)."""
    db_now = _now(dialect)
    sent = (
        update(_OUTBOX)
        .where(_OUTBOX.c.id == bindparam("row_id"), _OUTBOX.c.status == "queued")
        .values(
            status="sent",
            sent_at=bindparam("at"),
            platform_message_id=bindparam("message_id"),
            attempts=bindparam("tries"),
            extra=bindparam("row_extra"),
        )
    )
    # GCRA per chat: the stored time is when the next message may go; after a send it
    # moves one interval on from the later of itself (less the burst) and now.
    tolerance: BindParameter[float] = bindparam("tolerance", type_=Float)
    previous = func.coalesce(_CHAT.c.outbound_next_at + tolerance, db_now)
    later = (
        func.greatest(previous, db_now) if dialect == "postgresql" else func.max(previous, db_now)
    )
    pace = (
        update(_CHAT)
        .where(_CHAT.c.id == bindparam("chat"), _CHAT.c.outbound_lease_owner == bindparam("owner"))
        .values(
            outbound_lease_owner=None,
            outbound_lease_expires=None,
            outbound_next_at=later + bindparam("interval") - tolerance,
        )
    )
    release = _release_statement(dialect)
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    count = insert(_COUNTS)
    count = count.on_conflict_do_update(
        index_elements=["channel", "outcome", "code", "shard"],
        set_={"count": _COUNTS.c.count + count.excluded.count},
    )
    if dialect != "postgresql":
        return _RecordStatements(sent, pace, release, count)
    now = now_sql_for(dialect)
    sent_all = text(
        """UPDATE outbox_message AS o
        SET status = 'sent', sent_at = v.at, platform_message_id = v.message_id,
            attempts = v.tries, extra = v.row_extra
        FROM unnest(CAST(:row_id AS bigint[]), CAST(:at AS timestamptz[]),
                    CAST(:message_id AS varchar[]), CAST(:tries AS integer[]),
                    CAST(:row_extra AS json[]))
            AS v(row_id, at, message_id, tries, row_extra)
        WHERE o.id = v.row_id AND o.status = 'queued'"""
    )
    pace_all = text(
        f"""UPDATE conversation AS c
        SET outbound_lease_owner = NULL, outbound_lease_expires = NULL,
            outbound_next_at = greatest(coalesce(c.outbound_next_at + v.tolerance, {now}),
                                        {now}) + v.step - v.tolerance
        FROM unnest(CAST(:owner AS varchar[]), CAST(:chat AS integer[]),
                    CAST(:interval AS float8[]), CAST(:tolerance AS float8[]))
            AS v(owner, chat, step, tolerance)
        WHERE c.id = v.chat AND c.outbound_lease_owner = v.owner"""
    )
    return _RecordStatements(sent, pace, release, count, sent_all, pace_all)


def _record_failure(conn: Connection, claimed: Claimed, result: SendResult, now: datetime) -> None:
    attempts = claimed.attempts + 1
    values: dict[str, object] = {"attempts": attempts, "extra": {**claimed.extra, **result.extra}}
    if result.error:
        values["last_error"] = result.error[:500]
    if result.outcome == "retry":
        if result.retry_after is not None:
            # The platform said exactly when; earlier would only be refused again.
            values["next_attempt_at"] = now + timedelta(seconds=result.retry_after)
        elif attempts >= MAX_ATTEMPTS:
            values["status"] = "failed"
        else:
            values["next_attempt_at"] = now + backoff(attempts)
    else:
        values["status"] = result.outcome  # "unreachable" or "failed"
    conn.execute(
        update(_OUTBOX)
        .where(_OUTBOX.c.id == claimed.row_id, _OUTBOX.c.status == "queued")
        .values(values)
    )
    if result.outcome == "unreachable" and result.whole_chat:
        # The person blocked the bot: stop trying until they write to us again.
        conn.execute(
            update(_CHAT).where(_CHAT.c.id == claimed.conversation_id).values(unreachable_at=now)
        )
        conn.execute(
            update(_OUTBOX)
            .where(
                _OUTBOX.c.conversation_id == claimed.conversation_id,
                _OUTBOX.c.status == "queued",
            )
            .values(status="unreachable", last_error="chat unreachable (bot blocked)")
        )
    log.warning("outbox %s: %s (%s)", claimed.row_id, result.outcome, result.error[:200])


async def send_one(sender: Sender, claimed: Claimed) -> SendResult | None:
    """Send if the lease still covers a whole send; None when it no longer does."""
    if not claimed.still_ours():
        return None
    try:
        async with asyncio.timeout(SEND_TIMEOUT):
            return await sender.send(claimed.outgoing())
    except TimeoutError:
        return SendResult("retry", error=f"no answer within {SEND_TIMEOUT:.0f} s", code="timeout")
    except Exception as exc:
        # A sender bug must cost one row a retry, never the worker.
        log.exception("sending outbox %s failed", claimed.row_id)
        return SendResult("retry", error=type(exc).__name__, code="error")


class Recorder:
    """Gathers outcomes and writes them in batches, so a busy channel costs a transaction
    per batch of messages rather than one per message."""

    def __init__(
        self,
        engine: Engine,
        *,
        flushed: Callable[[Sequence[Outcome]], None] = lambda _: None,
        flush_every: float = 0.01,
        db: DatabaseThread | None = None,
    ) -> None:
        self.engine = engine
        self.db = db or DatabaseThread(engine)
        self.flushed = flushed  # these chats were given back: there may be more to claim
        self.flush_every = flush_every
        self._waiting: list[Outcome] = []
        self._task: asyncio.Task[None] | None = None

    def add(self, outcome: Outcome) -> None:
        self._waiting.append(outcome)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while self._waiting:
            await asyncio.sleep(self.flush_every)
            batch, self._waiting = self._waiting, []
            try:
                await self.db(record, self.engine, batch)
            except Exception:
                # The leases run out by themselves and the rows are sent again: logged, as
                # it may mean one duplicate message per chat.
                log.exception("recording %d sends failed", len(batch))
            self.flushed(batch)

    async def drain(self) -> None:
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)


# Seconds of sends a worker holds at once per channel: claimed and waiting for a slot of the
# budget (up to its horizon), under way on a slow platform, and enough besides for the next
# claims to come in before the slots held run out, on a busy machine too.
WINDOW = 1.0


@dataclass
class ChannelSender:
    """One channel's sending in one worker. The claim loop keeps the worker's places filled
    with chats (replies first, and a quarter of the places kept for them); the dispatcher
    gives the claimed rows the slots of the channel's shared budget as the budget has them,
    replies first, and starts each send at its slot; outcomes are recorded in batches."""

    engine: Engine
    channel: Channel
    sender: Sender
    rate: float | None
    worker_id: str
    concurrency: int = 0
    poll: float = 0.5
    db: DatabaseThread | None = None
    _inflight: dict[int, int] = field(default_factory=dict)  # conversation id -> priority
    _bulk: int = 0  # of those, broadcast rows
    # Claimed rows waiting for a slot: replies, then broadcast rows, each in claim order.
    _replies: deque[Claimed] = field(default_factory=deque)
    _broadcast: deque[Claimed] = field(default_factory=deque)
    _ready: asyncio.Event = field(default_factory=asyncio.Event)
    _wake: asyncio.Event = field(default_factory=asyncio.Event)
    _sending: set[asyncio.Task[None]] = field(default_factory=set)
    _closing: bool = False
    _notified: float = 0.0  # this process's monotonic clock at the last notify()
    # What cut the last claim short: "all" (every place taken), "bulk" (the broadcast share
    # taken), or None (the queue had no more due): then sends finishing make room to claim.
    _bound: str | None = None

    def __post_init__(self) -> None:
        if not self.concurrency:
            # At least 64 places: a slow channel (Telegram's 30/s) would otherwise hold 22
            # broadcast rows, under a second of its sends, which a claim slowed by a busy
            # machine or a fan-out's write lock lets run out.
            self.concurrency = max(64, min(4096, math.ceil((self.rate or 100) * WINDOW)))
        # A quarter of the places is always kept for replies, whatever a broadcast does.
        self._bulk_places = (self.concurrency * 3) // 4
        # Claims go in batches: one for every few places freed, not one per send.
        self._batch = max(1, self.concurrency // 16)
        if self.db is None:
            self.db = DatabaseThread(self.engine)
        self._db = self.db
        self.budget = SendBudget(self.engine, self.channel.name, self.rate) if self.rate else None
        self.recorder = Recorder(self.engine, flushed=self._given_back, db=self._db)

    def notify(self) -> None:
        """Rows were queued: claim again now."""
        self._notified = time.monotonic()
        self._wake.set()

    def _given_back(self, outcomes: Sequence[Outcome]) -> None:
        # A chat given back may have a row due now: one behind the row just sent, one queued
        # while that was in flight (the claim skipped its chat then), or the row itself when
        # it was not sent. Otherwise a claim would find nothing.
        if any(
            o.claimed.more or o.result is None or o.claimed.deadline - LEASE < self._notified
            for o in outcomes
        ):
            self._wake.set()

    def _room(self) -> int:
        """Places free for the kind of row the last claim ran out of places for."""
        free = self.concurrency - len(self._inflight)
        if self._bound == "bulk":
            return min(free, self._bulk_places - self._bulk)
        return free

    async def run(self) -> None:
        dispatcher = asyncio.create_task(self._dispatch())
        try:
            while not self._closing:
                self._wake.clear()
                try:
                    await self._claim()
                except Exception:
                    log.exception("%s: claiming failed; retrying", self.channel.name)
                    self._bound = None
                # A claim that found all that is due waits to be woken (new replies, chats
                # given back) or for the poll; one cut short by the places in flight is woken
                # as sends finish and free a batch of places.
                await self._sleep()
        finally:
            dispatcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await dispatcher
            # Chats still waiting for a slot were not sent to: given back for the others.
            waiting = [*self._replies, *self._broadcast]
            self._replies.clear()
            self._broadcast.clear()
            if waiting:
                with contextlib.suppress(Exception):
                    await self._db(release, self.engine, waiting)
            # On the way out, sends under way finish and are recorded: cutting one off after
            # the platform took it would send it again after the restart.
            if self._sending:
                await asyncio.wait(self._sending, timeout=SEND_TIMEOUT)
            await self.recorder.drain()

    async def _sleep(self) -> None:
        # Not asyncio.wait_for: on Python 3.11 it swallows a cancellation that arrives as the
        # event is set, and the loop would outlive the worker's stop.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self.poll):
                await self._wake.wait()

    async def _claim(self) -> None:
        """Claim chats for the places free, noting what cut the claim short."""
        free = self.concurrency - len(self._inflight)
        if free <= 0:
            self._bound = "all"
            return
        bulk_room = max(0, self._bulk_places - self._bulk)
        self._bound = None
        taken = await self._db(
            claim,
            self.engine,
            self.channel.name,
            worker_id=self.worker_id,
            limit=free,
            now=utcnow(),
            priority=REPLY if bulk_room == 0 else None,
            bulk_limit=bulk_room,
        )
        bulk = 0
        for claimed in taken:
            self._inflight[claimed.conversation_id] = claimed.priority
            if claimed.priority == BULK:
                bulk += 1
                self._broadcast.append(claimed)
            else:
                self._replies.append(claimed)
        self._bulk += bulk
        if taken:
            self._ready.set()
        if len(taken) >= free:
            self._bound = "all"
        elif bulk >= bulk_room:
            self._bound = "bulk"
        if self._bound is not None and self._room() >= self._batch:
            self._wake.set()  # sends finished meanwhile: claim again at once

    async def _dispatch(self) -> None:
        """Give claimed rows their slots as the budget has them, and start their sends."""
        while True:
            await self._ready.wait()
            while waiting := len(self._replies) + len(self._broadcast):
                if self.budget is None:
                    slots, wait = [0.0] * waiting, 0.0
                else:
                    try:
                        slots, wait = await self._db(self.budget.take, waiting)
                    except Exception:
                        log.exception("%s: reserving send slots failed", self.channel.name)
                        slots, wait = [], 1.0
                for slot in slots:
                    claimed = (self._replies or self._broadcast).popleft()
                    task = asyncio.create_task(self._send(claimed, slot))
                    self._sending.add(task)
                    task.add_done_callback(self._sending.discard)
                if not slots:
                    await asyncio.sleep(wait)
            self._ready.clear()

    async def _send(self, claimed: Claimed, slot: float) -> None:
        try:
            delay = slot - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            result = await send_one(self.sender, claimed)
            if result is not None and result.throttled and self.budget is not None:
                await self._db(self.budget.pause, result.retry_after or 1.0)
            self.recorder.add(
                Outcome(
                    claimed,
                    result,
                    utcnow(),
                    self.channel.pacing(claimed.chat_id),
                )
            )
        finally:
            if self._inflight.pop(claimed.conversation_id, None) == BULK:
                self._bulk -= 1
            if self._bound is not None and self._room() >= self._batch:
                self._wake.set()

    def stop(self) -> None:
        """Claim nothing more; the loop ends at its next turn (sends under way finish)."""
        self._closing = True
        self._wake.set()

    async def aclose(self) -> None:
        await self.recorder.drain()


async def send_pending(
    engine: Engine,
    senders: Mapping[str, Sender],
    *,
    now: datetime,
    worker_id: str,
    channels: Sequence[Channel] | None = None,
) -> int:
    """Deliver everything due at ``now`` on every chat this worker can claim, without pacing
    or budget (for a one-off run and for tests); returns the rows sent."""
    known = {c.name: c for c in channels or registered()}
    sent = 0
    for name, sender in senders.items():
        pacing = known[name].chat_pacing if name in known else Pacing(0.0)
        while True:
            taken = await asyncio.to_thread(
                claim, engine, name, worker_id=worker_id, limit=200, now=now, paced=False
            )
            if not taken:
                break
            results = await asyncio.gather(*(send_one(sender, c) for c in taken))
            outcomes = [Outcome(c, r, now, pacing) for c, r in zip(taken, results, strict=True)]
            await asyncio.to_thread(record, engine, outcomes)
            sent += sum(1 for r in results if r is not None and r.outcome == "sent")
            if all(r is None or r.outcome != "sent" for r in results):
                break  # nothing went through: what is left waits for a later call
    return sent


# --- delivery statuses ------------------------------------------------------------------------


# A row's status only moves forward: "delivered" after "read" changes nothing (webhooks may
# come in any order), and a message delivered or read did reach the person, whatever "failed"
# is said of it later. "sent" is what the row already says.
_MOVES_FROM: dict[str, tuple[str, ...]] = {
    "delivered": ("sent",),
    "read": ("sent", "delivered"),
    "failed": ("sent",),
}


def record_statuses(engine: Engine, statuses: Sequence[DeliveryStatus]) -> None:
    """Apply delivery statuses to the outbox rows with those platform message ids, in one
    transaction; a status about a message no row names (another app's, or a row already
    blanked) changes nothing.

    A free-form message refused later as outside the window goes again as its template, on
    the same row (once: the row then carries WINDOW_CLOSED); without a template the row is
    unreachable, for that reason. The rows of the chat behind it are not touched."""
    if not statuses:
        return
    with engine.begin() as conn:
        for status, moves_from in _MOVES_FROM.items():
            found = [s for s in statuses if s.status == status and not s.window_closed]
            if not found:
                continue
            values: dict[str, Any] = {"status": status}
            if status == "failed":
                values["last_error"] = bindparam("error")
            conn.execute(
                update(_OUTBOX)
                .where(
                    _OUTBOX.c.platform_message_id == bindparam("message_id"),
                    # Not IN (...): an expanding list cannot go with executemany.
                    or_(*(_OUTBOX.c.status == earlier for earlier in moves_from)),
                )
                .values(values),
                [{"message_id": s.platform_message_id, "error": s.error[:500]} for s in found],
            )
        for closed in (s for s in statuses if s.status == "failed" and s.window_closed):
            _window_closed(conn, closed)


def _window_closed(conn: Connection, status: DeliveryStatus) -> None:
    rows = conn.execute(
        select(_OUTBOX.c.id, _OUTBOX.c.extra).where(
            _OUTBOX.c.platform_message_id == status.platform_message_id,
            _OUTBOX.c.status == "sent",
        )
    ).all()
    for row_id, extra in rows:
        extra = dict(extra or {})
        values: dict[str, Any] = {"last_error": f"{OUTSIDE_WINDOW} ({status.error})"[:500]}
        if extra.get(TEMPLATE) and not extra.get(WINDOW_CLOSED):
            # Queued again, due at once (its next_attempt_at has passed): the sender sends
            # only its template now.
            values.update(status="queued", extra={**extra, WINDOW_CLOSED: True})
        else:
            values.update(status="unreachable")
        conn.execute(
            update(_OUTBOX).where(_OUTBOX.c.id == row_id, _OUTBOX.c.status == "sent").values(values)
        )


class StatusRecorder:
    """Group commit for status webhooks: each waits until its statuses are committed (so a
    2xx loses nothing), and those that arrive while a batch is written go together in the
    next, one transaction for many, as a broadcast brings two or three for every message."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._gathering: list[tuple[Sequence[DeliveryStatus], asyncio.Future[None]]] | None = None
        self._writing: asyncio.Lock | None = None

    async def record(self, statuses: Sequence[DeliveryStatus]) -> None:
        if not statuses:
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self._gathering is not None:
            self._gathering.append((statuses, future))
            return await future
        batch = self._gathering = [(statuses, future)]
        if self._writing is None:
            self._writing = asyncio.Lock()
        try:
            async with self._writing:  # meanwhile, later webhooks join this batch
                self._gathering = None
                everything = [s for group, _ in batch for s in group]
                await asyncio.to_thread(record_statuses, self.engine, everything)
        except BaseException as exc:
            # The others of the batch fail with it (a 5xx: the platform sends them again).
            for _, waiting in batch:
                if waiting is not future and not waiting.done():
                    waiting.set_exception(exc if isinstance(exc, Exception) else RuntimeError())
            if self._gathering is batch:
                self._gathering = None
            raise
        for _, waiting in batch:
            if not waiting.done():
                waiting.set_result(None)
        return await future
