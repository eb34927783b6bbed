"""Sending a notice to 100,000 people: rounds, chunks, leases, and the text each one reads.

Each fan-out of a notice is a round (:class:`models.NoticeRound`): the notice itself when its
``send_at`` comes, each reminder, a correction after a change, the cancellation. A worker
takes a due round with a lease (a guarded UPDATE; on PostgreSQL the candidates are read
``FOR UPDATE SKIP LOCKED``, so two workers take different rounds instead of queueing on one)
and works it in chunks of persons, in person id order. One chunk is one short transaction:

1. the phone channel's chats of the chunk's people who have no linked chat are created
   (``INSERT … SELECT … ON CONFLICT DO NOTHING``, the bulk form of
   :func:`services.outbox.ensure_conversation`);
2. one outbox row per chat (``INSERT … SELECT … RETURNING``; a household sharing one phone
   hears it once), at the broadcast priority so people talking to the bot are answered
   first;
3. one recipient row per person (``INSERT … SELECT`` of those the round has not done; unique
   per notice, round and person, so a chunk done twice adds nothing), pointing at its chat's
   message, or saying why there is none (messages first: a recipient row is written once,
   complete; on PostgreSQL steps 2 and 3 are one statement);
4. the round's cursor moves past the chunk.

A worker that dies mid-round leaves the round at a chunk's edge; once its lease has run out the
next worker goes on from there: no one twice, no one left out. Memory is one chunk, the write
lock is held for one chunk at a time, and the webhook gets it in between.

What a broadcast row carries in ``extra``: ``broadcast`` (true: BERHENTI stops it, also once
queued), ``notice`` and ``round``, ``lang``, ``actions`` (attend, decline: the bot renders them
as buttons) and ``template``: ``{"name": ..., "params": [...], "language": ...}``, what the
WhatsApp sender sends outside the 24-hour window (other channels ignore it). The parameters
come in the order :data:`TEMPLATE_PARAMS` gives.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import (
    ColumnElement,
    Engine,
    case,
    cast,
    exists,
    func,
    insert,
    literal,
    or_,
    true,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlmodel import Session, col, select

import messages
from models import (
    BULK,
    Conversation,
    Notice,
    NoticeRecipient,
    NoticeRound,
    Office,
    OutboxMessage,
    Person,
    UTCDateTime,
)
from services.notice_audience import (
    Audience,
    has_phone,
    linked_chat,
    person_filter,
    phone_chat,
    phone_chat_id,
)
from services.outbox import insert_ignoring_conflicts
from services.timefmt import format_moment

CHUNK = 2000  # persons a transaction (SQLite: about a tenth of a second of the write lock)
LEASE = timedelta(minutes=2)
BUDGET_SECONDS = 20.0  # one run of the job works this long at most, then lets others in
LIVE = ("scheduled", "running")

# The approved WhatsApp template of each kind of broadcast, and the order of its parameters:
#   sigap_notice        {{1}} kind, {{2}} title, {{3}} place, {{4}} when, {{5}} details
#   sigap_reminder      {{1}} kind, {{2}} title, {{3}} place, {{4}} when
#   sigap_correction    {{1}} kind, {{2}} title, {{3}} place, {{4}} when, {{5}} details
#   sigap_cancellation  {{1}} kind, {{2}} title, {{3}} place, {{4}} when
# "kind" is the kind of event in words ("Sosialisasi"), "when" the start on the office's
# clock ("Kamis, 26 November 2026 pukul 09.00 WITA"); an empty value is sent as "-".
TEMPLATE_PARAMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "notice": ("sigap_notice", ("kind", "title", "place", "when", "details")),
    "reminder": ("sigap_reminder", ("kind", "title", "place", "when")),
    "correction": ("sigap_correction", ("kind", "title", "place", "when", "details")),
    "cancellation": ("sigap_cancellation", ("kind", "title", "place", "when")),
}
# What a person may answer to a notice, its reminders and corrections.
ATTENDANCE_ACTIONS = ("attend", "decline")
# Outbox statuses of a broadcast row that mean the person has it.
DELIVERED = ("sent", "delivered", "read")

_RECIPIENT = NoticeRecipient.__table__  # type: ignore[attr-defined]
_OUTBOX = OutboxMessage.__table__  # type: ignore[attr-defined]
_CHAT = Conversation.__table__  # type: ignore[attr-defined]
_ROUND = NoticeRound.__table__  # type: ignore[attr-defined]


def base_kind(kind: str) -> str:
    """``reminder-2`` → ``reminder``."""
    return kind.split("-", 1)[0]


# --- what people read -------------------------------------------------------------------------


def office_zone(session: Session, notice: Notice) -> str:
    office = session.get(Office, notice.office_id)
    return office.timezone if office else "Asia/Makassar"


def params(notice: Notice, tz: str, lang: str) -> dict[str, str]:
    return {
        "kind": messages.render(f"notice.kind.{notice.kind}", lang),
        "title": notice.title,
        "place": notice.place,
        "when": format_moment(notice.starts_at, tz, lang),
        "details": notice.details,
    }


def _template_value(value: str) -> str:
    """A template parameter may hold no line break, tab or run of spaces, and no nothing."""
    return " ".join(value.split())[:1000] or "-"


def template(notice: Notice, tz: str, kind: str, lang: str) -> dict[str, Any]:
    name, order = TEMPLATE_PARAMS[base_kind(kind)]
    values = params(notice, tz, lang)
    return {"name": name, "params": [_template_value(values[p]) for p in order], "language": lang}


def text(notice: Notice, tz: str, kind: str, lang: str) -> str:
    """The message as a person reads it in a chat (the free-form text)."""
    base = base_kind(kind)
    values = params(notice, tz, lang)
    lines = [messages.render(f"notice.message.{base}", lang, **values)]
    if notice.details and base in ("notice", "correction"):
        lines.append(notice.details)
    if base in ("notice", "reminder", "correction"):
        lines.append("")
        lines.append(messages.render("notice.message.attend_hint", lang))
    lines.append(messages.render("notice.message.stop_hint", lang))
    return "\n".join(lines)


def extra(notice: Notice, tz: str, kind: str, lang: str) -> dict[str, Any]:
    found: dict[str, Any] = {
        "broadcast": True,
        "notice": notice.id,
        "round": kind,
        "lang": lang,
        "template": template(notice, tz, kind, lang),
    }
    if base_kind(kind) != "cancellation":
        found["actions"] = list(ATTENDANCE_ACTIONS)
    return found


# --- the job --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    queued: int  # outbox rows made
    more: bool  # the round has persons left


def run_due(
    *,
    engine: Engine,
    now: datetime,
    worker_id: str,
    phone_channel: str | None,
    chunk: int = CHUNK,
    max_chunks: int | None = None,
    budget_seconds: float = BUDGET_SECONDS,
) -> int:
    """Work every due round, chunk by chunk, until none is left or the time budget is spent
    (then the lease is given back for the next run). Returns the messages queued.

    ``max_chunks`` stops after that many chunks *keeping* the lease, as a worker that died
    would: the round waits for the lease to run out (tests use it to crash mid-round)."""
    started = time.monotonic()
    queued = chunks = 0
    while True:
        round_id = _claim(engine, now=now, worker_id=worker_id)
        if round_id is None:
            return queued
        while True:
            step = _chunk(
                engine,
                round_id,
                now=now,
                worker_id=worker_id,
                phone_channel=phone_channel,
                size=chunk,
            )
            queued += step.queued
            chunks += 1
            if not step.more:
                break
            if max_chunks is not None and chunks >= max_chunks:
                return queued
            if time.monotonic() - started > budget_seconds:
                _release(engine, round_id, worker_id=worker_id)
                return queued


def due_rounds(now: datetime) -> Any:
    """The rounds whose time has come and that no live lease holds: a reminder waits for the
    notice's own round to finish (it is for those told), nothing of a paused notice moves."""
    first = NoticeRound.__table__.alias("first_round")  # type: ignore[attr-defined]
    notice_pending = exists().where(
        first.c.notice_id == _ROUND.c.notice_id,
        first.c.kind == "notice",
        first.c.status.in_(LIVE),
    )
    return (
        select(_ROUND.c.id)
        .join(Notice.__table__, col(Notice.id) == _ROUND.c.notice_id)  # type: ignore[attr-defined]
        .where(
            _ROUND.c.status.in_(LIVE),
            _ROUND.c.due_at <= now,
            or_(_ROUND.c.lease_expires.is_(None), _ROUND.c.lease_expires < now),
            or_(col(Notice.paused_at).is_(None), _ROUND.c.kind == "cancellation"),
            or_(~_ROUND.c.kind.like("reminder-%"), ~notice_pending),
        )
    )


def _claim(engine: Engine, *, now: datetime, worker_id: str) -> int | None:
    with Session(engine) as session:
        candidates = due_rounds(now).order_by(_ROUND.c.due_at, _ROUND.c.id).limit(5)
        if engine.dialect.name == "postgresql":
            candidates = candidates.with_for_update(of=_ROUND, skip_locked=True)
        for round_id in session.execute(candidates).scalars().all():
            taken = session.execute(
                update(_ROUND)
                .where(
                    _ROUND.c.id == round_id,
                    _ROUND.c.status.in_(LIVE),
                    or_(_ROUND.c.lease_expires.is_(None), _ROUND.c.lease_expires < now),
                )
                .values(
                    status="running",
                    lease_owner=worker_id,
                    lease_expires=now + LEASE,
                    started_at=func.coalesce(_ROUND.c.started_at, now),
                )
            )
            if taken.rowcount:  # type: ignore[attr-defined]
                session.commit()
                return int(round_id)
        session.commit()
    return None


def _release(engine: Engine, round_id: int, *, worker_id: str) -> None:
    with Session(engine) as session:
        session.execute(
            update(_ROUND)
            .where(_ROUND.c.id == round_id, _ROUND.c.lease_owner == worker_id)
            .values(lease_owner=None, lease_expires=None)
        )
        session.commit()


def _chunk(
    engine: Engine,
    round_id: int,
    *,
    now: datetime,
    worker_id: str,
    phone_channel: str | None,
    size: int,
) -> Step:
    with Session(engine, expire_on_commit=False) as session:
        try:
            step = _work(
                session,
                round_id,
                now=now,
                worker_id=worker_id,
                phone_channel=phone_channel,
                size=size,
            )
            session.commit()
        except BaseException:
            session.rollback()
            raise
    return step


def _work(
    session: Session,
    round_id: int,
    *,
    now: datetime,
    worker_id: str,
    phone_channel: str | None,
    size: int,
) -> Step:
    if session.get_bind().dialect.name == "postgresql":
        # The chunk's commit does not wait for its WAL to reach the disk (PostgreSQL writes it
        # within a fifth of a second). A crash of the server may lose the last chunks, whole:
        # their rows and the cursor that moved past them go together, and the WAL is written
        # in order, so what survives is the round up to some chunk's edge, which the next
        # worker goes on from, as after a worker's crash. No message of a lost chunk can have
        # gone out: a sender's claim commits, durably, before it sends, and that flushes every
        # earlier commit with it, this chunk's too.
        session.execute(sa.text("SET LOCAL synchronous_commit = off"))
    rnd = session.exec(
        select(NoticeRound)
        .where(col(NoticeRound.id) == round_id, col(NoticeRound.lease_owner) == worker_id)
        .with_for_update()
    ).first()
    if rnd is None:
        return Step(0, more=False)  # another worker has it now
    # The notice's row is locked for the chunk: a change or a cancellation waits for it, so
    # what a chunk sends and what the change corrects never cross.
    notice = session.exec(
        select(Notice).where(col(Notice.id) == rnd.notice_id).with_for_update()
    ).one()
    kind = rnd.kind
    if notice.paused_at is not None and kind != "cancellation":
        rnd.lease_owner, rnd.lease_expires = None, None
        session.add(rnd)
        return Step(0, more=False)
    if (notice.status == "cancelled" and kind != "cancellation") or (
        base_kind(kind) == "reminder" and notice.starts_at <= now
    ):
        # Cancelled meanwhile, or the event has begun: a reminder now would only confuse.
        _finish(session, rnd, notice, now, status="skipped")
        return Step(0, more=False)
    rnd.lease_expires = now + LEASE
    if kind == "notice" and notice.status == "scheduled":
        notice.status = "sending"
        session.add(notice)

    source = _source(session, notice, rnd)
    upper = session.exec(
        select(col(Person.id))
        .where(*source, col(Person.id) > rnd.cursor)
        .order_by(col(Person.id))
        .offset(size - 1)
        .limit(1)
    ).first()
    in_chunk = [*source, col(Person.id) > rnd.cursor]
    if upper is not None:
        in_chunk.append(col(Person.id) <= upper)
    lo, hi = rnd.cursor, upper

    dialect = session.get_bind().dialect.name
    if phone_channel:
        _ensure_phone_chats(session, notice, in_chunk, phone_channel, now, dialect)
    queued = _fan_chunk(session, notice, kind, in_chunk, (lo, hi), phone_channel, now, dialect)

    if dialect == "postgresql" and lo == 0:
        # The planner's figures for a table that grew from nothing in this transaction would
        # make it scan every recipient of the notice for each of the chunk's (minutes at
        # 100,000); a sample of the first chunk puts them right. Reads and writes go on.
        session.execute(sa.text("ANALYZE notice_recipient"))
    if hi is None:
        _finish(session, rnd, notice, now, status="done")
        return Step(queued, more=False)
    rnd.cursor = int(hi)
    session.add(rnd)
    return Step(queued, more=True)


def _finish(
    session: Session, rnd: NoticeRound, notice: Notice, now: datetime, *, status: str
) -> None:
    rnd.status, rnd.finished_at = status, now
    rnd.lease_owner, rnd.lease_expires = None, None
    session.add(rnd)
    if rnd.kind == "notice" and notice.status in ("scheduled", "sending"):
        notice.status, notice.sent_at = "sent", now
        session.add(notice)


def _source(session: Session, notice: Notice, rnd: NoticeRound) -> list[ColumnElement[bool]]:
    """The WHERE clause, over ``person``, of the people this round is for: the audience for
    the notice itself; for the others, those the notice was queued for (a reminder skips who
    said they cannot come; a correction is for those told before the change; the
    cancellation for those it reached)."""
    if rnd.kind == "notice":
        audience = Audience.parse(notice.audience)
        return person_filter(session, notice.office_id, audience)
    told = _RECIPIENT.alias("told")
    conditions: list[ColumnElement[bool]] = [
        told.c.notice_id == notice.id,
        told.c.kind == "notice",
        told.c.person_id == col(Person.id),
        told.c.outbox_id.is_not(None),
    ]
    base = base_kind(rnd.kind)
    if base == "reminder":
        conditions.append(or_(told.c.attendance.is_(None), told.c.attendance != "no"))
    elif base == "correction" and rnd.upto_recipient_id is not None:
        conditions.append(told.c.id <= rnd.upto_recipient_id)
    elif base == "cancellation":
        reached = select(_OUTBOX.c.id).where(
            _OUTBOX.c.id == told.c.outbox_id, _OUTBOX.c.status.in_(DELIVERED)
        )
        conditions.append(exists(reached))
    return [
        col(Person.erased_at).is_(None),
        exists().where(*conditions).correlate(Person.__table__),  # type: ignore[attr-defined]
    ]


def _json(value: Any, dialect: str) -> Any:
    """A JSON value as a constant of a SELECT (a json column on PostgreSQL, text on SQLite)."""
    dumped = json.dumps(value, ensure_ascii=False)
    return cast(literal(dumped), postgresql.JSON) if dialect == "postgresql" else literal(dumped)


def _ensure_phone_chats(
    session: Session,
    notice: Notice,
    in_chunk: list[ColumnElement[bool]],
    channel: str,
    now: datetime,
    dialect: str,
) -> None:
    numbers = (
        select(phone_chat_id().label("chat_id"))
        .where(*in_chunk, has_phone(channel), linked_chat().is_(None))
        .distinct()
        .subquery()
    )
    rows = sa.select(
        literal(channel),
        numbers.c.chat_id,
        literal(""),
        literal("id"),
        literal("menu"),
        _json({}, dialect),
        literal(notice.office_id),
        literal(now, UTCDateTime),
    ).where(true())  # a WHERE keeps SQLite from reading ON CONFLICT as a join's ON
    session.execute(
        insert_ignoring_conflicts(dialect, _CHAT).from_select(
            [
                "channel",
                "chat_id",
                "display_name",
                "language",
                "state",
                "data",
                "office_id",
                "updated_at",
            ],
            rows,
        )
    )


def _targets(
    notice: Notice,
    kind: str,
    in_chunk: list[ColumnElement[bool]],
    span: tuple[int, int | None],
    channel: str | None,
) -> Any:
    """Per person of the chunk not yet done in this round: the chat they are reached on, how,
    their status and why, and the chat's language, as a SELECT. ``OFFSET 0`` keeps each
    look-up (the linked chat, the phone's chat) done once a person: inlined, the planner would
    repeat it for every place the result is used. ``span`` (the chunk's persons, after the
    first and up to the last) bounds the look-up of rows already done to the chunk's own:
    PostgreSQL would otherwise hash every recipient of the round so far, each chunk."""
    done = _RECIPIENT.alias("done")
    lo, hi = span
    in_span = [done.c.person_id > lo] + ([done.c.person_id <= hi] if hi is not None else [])
    inner = (
        sa.select(
            col(Person.id).label("pid"),
            col(Person.phone_e164).label("e164"),
            col(Person.broadcasts_stopped_at).label("stopped"),
            linked_chat().label("linked"),
            phone_chat(channel).label("phone_chat"),
        )
        .where(
            *in_chunk,
            ~exists().where(
                done.c.notice_id == notice.id,
                done.c.kind == kind,
                *in_span,
                done.c.person_id == col(Person.id),
            ),
        )
        .offset(0)
        .subquery()
    )
    # The chat's language and opt-out, looked up by its key per person: joined, PostgreSQL
    # would hash every chat of the office for each chunk (100,000 of them by the end).
    target_chat = _CHAT.alias("target")
    target = func.coalesce(inner.c.linked, inner.c.phone_chat)

    def of_target(column: Any) -> Any:
        return sa.select(column).where(target_chat.c.id == target).scalar_subquery()

    found = (
        sa.select(
            inner.c.pid,
            inner.c.e164,
            inner.c.stopped,
            inner.c.linked,
            inner.c.phone_chat,
            target.label("chat"),
            of_target(target_chat.c.broadcasts_stopped_at).label("chat_stopped"),
            of_target(target_chat.c.language).label("lang"),
        )
        .offset(0)
        .subquery("found")
    )
    stopped = or_(found.c.stopped.is_not(None), found.c.chat_stopped.is_not(None))
    no_chat = case((found.c.e164 == "", "no phone"), else_="no chat")
    unreachable = found.c.chat.is_(None)
    return sa.select(
        found.c.pid,
        found.c.chat,
        case(
            (found.c.linked.is_not(None), "chat"),
            (found.c.phone_chat.is_not(None), "phone"),
            else_="",
        ).label("via"),
        case((unreachable, "unreachable"), (stopped, "opted_out"), else_="queued").label("status"),
        case((unreachable, no_chat), (stopped, "opted out"), else_="").label("reason"),
        found.c.lang,
    ).offset(0)


_MESSAGE_COLUMNS = [
    "conversation_id",
    "created_at",
    "text",
    "buttons",
    "extra",
    "status",
    "priority",
    "attempts",
    "next_attempt_at",
]
_RECIPIENT_COLUMNS = [
    "notice_id",
    "person_id",
    "kind",
    "conversation_id",
    "via",
    "status",
    "reason",
    "outbox_id",
    "created_at",
]


def _fan_chunk(
    session: Session,
    notice: Notice,
    kind: str,
    in_chunk: list[ColumnElement[bool]],
    span: tuple[int, int | None],
    channel: str | None,
    now: datetime,
    dialect: str,
) -> int:
    """The chunk's messages, then its recipients pointing at them; returns the messages.

    Messages first: a recipient row is then written once, complete. On PostgreSQL both go in
    one statement, the chunk's targets worked out once (a materialised CTE) and the new
    messages joined to their recipients from the INSERT's RETURNING; SQLite, which has no
    INSERT in a WITH, runs two."""
    tz = office_zone(session, notice)
    texts = {lang: text(notice, tz, kind, lang) for lang in ("id", "en")}
    extras = {lang: extra(notice, tz, kind, lang) for lang in ("id", "en")}
    r = _RECIPIENT.alias("same_chat")
    has_row = exists().where(
        r.c.notice_id == notice.id,
        r.c.kind == kind,
        r.c.outbox_id.is_not(None),
    )
    targets = _targets(notice, kind, in_chunk, span, channel)
    t = (
        targets.cte("targets").prefix_with("MATERIALIZED")
        if dialect == "postgresql"
        else targets.subquery("targets")
    )
    english = t.c.lang == "en"
    messages_ = (
        sa.select(
            t.c.chat,
            literal(now, UTCDateTime),
            case((english, texts["en"]), else_=texts["id"]),
            _json([], dialect),
            case((english, _json(extras["en"], dialect)), else_=_json(extras["id"], dialect)),
            literal("queued"),
            literal(BULK),
            literal(0),
            literal(now, UTCDateTime),
        )
        # A household on one phone hears it once, also when one of them was in a chunk before.
        .where(t.c.status == "queued", ~has_row.where(r.c.conversation_id == t.c.chat))
        .group_by(t.c.chat, t.c.lang)
    )
    make = insert(_OUTBOX).from_select(_MESSAGE_COLUMNS, messages_)
    earlier = (
        sa.select(func.max(r.c.outbox_id))
        .where(
            r.c.notice_id == notice.id,
            r.c.kind == kind,
            r.c.conversation_id == t.c.chat,
            r.c.outbox_id.is_not(None),
        )
        .scalar_subquery()
    )

    def recipients(joined: Any, mine: Any) -> Any:
        rows = sa.select(
            literal(notice.id),
            t.c.pid,
            literal(kind),
            t.c.chat,
            t.c.via,
            t.c.status,
            t.c.reason,
            case((t.c.status == "queued", func.coalesce(mine, earlier))),
            literal(now, UTCDateTime),
        ).select_from(joined)
        # A plain INSERT (ON CONFLICT doubled its cost on PostgreSQL): the targets leave out
        # whoever the round has done, and the round's row, locked for the chunk, lets one
        # worker at a time write its recipients; the unique key stays as the last guard.
        return insert(_RECIPIENT).from_select(_RECIPIENT_COLUMNS, rows)

    if dialect == "postgresql":
        made = make.returning(_OUTBOX.c.id, _OUTBOX.c.conversation_id).cte("made")
        told = recipients(t.outerjoin(made, made.c.conversation_id == t.c.chat), made.c.id).cte(
            "told"
        )
        # Every INSERT in a WITH runs, read or not; the statement answers the messages made.
        counted = sa.select(func.count()).select_from(made).scalar_subquery()
        return int(session.execute(sa.select(counted).add_cte(told)).scalar_one())

    made_ids = session.execute(make.returning(_OUTBOX.c.id)).scalars().all()
    # SQLite has one writer: every id between our first and last is ours, and the outbox's
    # index on (status, chat, id) finds each.
    ids = [int(row_id) for row_id in made_ids] or [0]
    mine = (
        sa.select(func.max(_OUTBOX.c.id))
        .where(
            _OUTBOX.c.status == "queued",
            _OUTBOX.c.conversation_id == t.c.chat,
            _OUTBOX.c.id.between(min(ids), max(ids)),
        )
        .scalar_subquery()
    )
    session.execute(recipients(t, mine))
    return len(made_ids)
