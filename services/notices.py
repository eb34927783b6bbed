"""Notices to beneficiaries as staff handle them: compose (with a preview), change, pause,
resume, cancel; and the office's list.

A notice is for persons, not chats: its audience (:mod:`services.notice_audience`) is
resolved over the office's register when it goes out, and each person is reached on their
own chat or by phone. The sending itself is done by rounds (:mod:`services.notice_fanout`):
creating a notice plans its round and one per reminder; a change of what, where or when
plans a correction for everyone already told; cancelling plans the cancellation for
everyone it reached. Nothing here sends: every function only writes rows, in the caller's
transaction, so a refused request leaves nothing half-sent.

Reminders are said as staff think of them: ``{"days_before": 1, "at": "08:00"}`` (the day
before at 08.00 on the office's clock) or ``{"hours_before": 2}``; the default is both.
A reminder whose moment comes before the notice is sent, or after the event has begun, is
not sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, update
from sqlmodel import Session, col, select

import messages
from models import Notice, NoticeRecipient, NoticeRound, Office, OutboxMessage, StaffUser
from services import notice_fanout
from services.errors import Conflict, InvalidInput, NotFound
from services.notice_audience import Audience, Reach, check, reach
from services.roles import CASE_WRITERS
from services.staff import require_office, require_role

KINDS = ("registration", "socialisation", "distribution", "mentoring", "handover", "other")
DEFAULT_REMINDERS: tuple[dict[str, Any], ...] = (
    {"days_before": 1, "at": "08:00"},
    {"hours_before": 2},
)
MAX_REMINDERS = 3
MAX_HOURS_BEFORE = 7 * 24
MAX_DAYS_BEFORE = 7
MAX_DETAILS = 2000
_CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


@dataclass(frozen=True)
class NewNotice:
    kind: str
    title: str
    place: str
    starts_at: datetime
    details: str = ""
    send_at: datetime | None = None  # None: now
    audience: Mapping[str, Any] = field(default_factory=dict)
    reminders: Sequence[Mapping[str, Any]] | None = None  # None: the default; []: none


@dataclass(frozen=True)
class NoticeChange:
    """What staff change; None leaves a field as it is."""

    title: str | None = None
    place: str | None = None
    starts_at: datetime | None = None
    details: str | None = None
    send_at: datetime | None = None
    reminders: Sequence[Mapping[str, Any]] | None = None
    audience: Mapping[str, Any] | None = None


# --- checking what staff typed -----------------------------------------------------------------


def _title(value: str) -> str:
    title = " ".join(value.split())
    if not title or len(title) > 120:
        raise InvalidInput("notice.error.title")
    return title


def _place(value: str) -> str:
    place = " ".join(value.split())
    if not place or len(place) > 200:
        raise InvalidInput("notice.error.place")
    return place


def _details(value: str) -> str:
    details = value.strip()
    if len(details) > MAX_DETAILS:
        raise InvalidInput("notice.error.details", most=MAX_DETAILS)
    return details


def parse_reminders(raw: Sequence[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    """The reminders as stored: each ``{"hours_before": h}`` or ``{"days_before": d, "at":
    "HH:MM"}``; refused with the one that cannot be read."""
    given = list(DEFAULT_REMINDERS) if raw is None else list(raw)
    if len(given) > MAX_REMINDERS:
        raise InvalidInput("notice.error.too_many_reminders", most=MAX_REMINDERS)
    parsed: list[dict[str, Any]] = []
    for item in given:
        shown = str(dict(item)) if isinstance(item, Mapping) else str(item)
        if not isinstance(item, Mapping):
            raise InvalidInput("notice.error.reminder", value=shown[:60])
        keys = set(item) - {"hours_before", "days_before", "at"}
        hours, days, at = item.get("hours_before"), item.get("days_before"), item.get("at")
        if keys or (hours is None) == (days is None):
            raise InvalidInput("notice.error.reminder", value=shown[:60])
        if hours is not None:
            if not isinstance(hours, int) or isinstance(hours, bool) or at is not None:
                raise InvalidInput("notice.error.reminder", value=shown[:60])
            if not 1 <= hours <= MAX_HOURS_BEFORE:
                raise InvalidInput("notice.error.remind_hours", most=MAX_HOURS_BEFORE)
            entry: dict[str, Any] = {"hours_before": hours}
        else:
            clock = _CLOCK.match(str(at or "08:00"))
            valid_days = isinstance(days, int) and not isinstance(days, bool)
            if not valid_days or clock is None or not 1 <= int(days or 0) <= MAX_DAYS_BEFORE:
                raise InvalidInput("notice.error.reminder", value=shown[:60])
            entry = {"days_before": days, "at": f"{int(clock[1]):02d}:{clock[2]}"}
        if entry not in parsed:
            parsed.append(entry)
    return parsed


def reminder_times(
    reminders: Sequence[Mapping[str, Any]], starts_at: datetime, tz: str
) -> list[datetime]:
    """The moments the reminders fall on, soonest first, each once."""
    zone = ZoneInfo(tz)
    moments: set[datetime] = set()
    for item in reminders:
        if "hours_before" in item:
            moments.add(starts_at - timedelta(hours=int(item["hours_before"])))
        else:
            day = starts_at.astimezone(zone).date() - timedelta(days=int(item["days_before"]))
            hour, minute = (int(part) for part in str(item["at"]).split(":"))
            local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
            moments.add(local.astimezone(starts_at.tzinfo))
    return sorted(moments)


def _times(starts_at: datetime, send_at: datetime, now: datetime) -> None:
    if starts_at <= now:
        raise InvalidInput("notice.error.past")
    if send_at >= starts_at:
        raise InvalidInput("notice.error.send_after_start")


def _office(session: Session, office_id: int) -> Office:
    office = session.get(Office, office_id)
    if office is None:
        raise NotFound("error.not_found", what="Office")
    return office


# --- composing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    reach: Reach
    # The exact text a chat reads, per language ("id", and "en" for chats in English).
    texts: dict[str, str]
    # What goes to those reached by phone outside the 24-hour window.
    template: dict[str, Any]
    send_at: datetime
    reminders_at: list[datetime]


def _draft(
    session: Session, staff: StaffUser, data: NewNotice, now: datetime
) -> tuple[Notice, Audience]:
    """The notice as it would be stored, every field checked, the audience looked up."""
    require_role(staff, CASE_WRITERS)
    if data.kind not in KINDS:
        raise InvalidInput("notice.error.kind", kinds=", ".join(KINDS))
    send_at = max(data.send_at or now, now)
    _times(data.starts_at, send_at, now)
    audience = check(
        session=session, office_id=staff.office_id, audience=Audience.parse(data.audience)
    )
    notice = Notice(
        office_id=staff.office_id,
        kind=data.kind,
        title=_title(data.title),
        place=_place(data.place),
        starts_at=data.starts_at,
        details=_details(data.details),
        send_at=send_at,
        audience=audience.as_json(),
        reminders=parse_reminders(data.reminders),
        created_by_id=staff.id,
        created_at=now,
        updated_at=now,
    )
    return notice, audience


def preview_notice(
    *,
    session: Session,
    staff: StaffUser,
    data: NewNotice,
    now: datetime,
    phone_channel: str | None,
) -> Preview:
    """How many the notice would reach and how, and what they would read; nothing written."""
    notice, audience = _draft(session, staff, data, now)
    found = reach(
        session=session, office_id=staff.office_id, audience=audience, phone_channel=phone_channel
    )
    if found.total == 0:
        raise InvalidInput("notice.error.nobody")
    tz = _office(session, staff.office_id).timezone
    return Preview(
        reach=found,
        texts={lang: notice_fanout.text(notice, tz, "notice", lang) for lang in ("id", "en")},
        template=notice_fanout.template(notice, tz, "notice", "id"),
        send_at=notice.send_at,
        reminders_at=_due_reminders(notice, tz),
    )


def create_notice(
    *,
    session: Session,
    staff: StaffUser,
    data: NewNotice,
    now: datetime,
    phone_channel: str | None = None,
) -> Notice:
    """Store the notice and plan its rounds. An audience that matches nobody is refused."""
    notice, audience = _draft(session, staff, data, now)
    found = reach(
        session=session, office_id=staff.office_id, audience=audience, phone_channel=phone_channel
    )
    if found.total == 0:
        raise InvalidInput("notice.error.nobody")
    session.add(notice)
    session.flush()
    session.add(NoticeRound(notice_id=notice.id or 0, kind="notice", due_at=notice.send_at))
    _plan_reminders(session, notice, _office(session, notice.office_id).timezone)
    session.flush()
    return notice


def _due_reminders(notice: Notice, tz: str) -> list[datetime]:
    return [
        at
        for at in reminder_times(notice.reminders, notice.starts_at, tz)
        if notice.send_at < at < notice.starts_at
    ]


def _plan_reminders(session: Session, notice: Notice, tz: str) -> None:
    """A round per reminder still to come; reminders already under way or sent stay as they
    are, and new ones are numbered after them."""
    rounds = _rounds(session, notice.id or 0)
    taken = []
    for rnd in rounds:
        if notice_fanout.base_kind(rnd.kind) != "reminder":
            continue
        if rnd.status == "scheduled":
            session.delete(rnd)
        else:
            taken.append(int(rnd.kind.split("-")[1]))
    session.flush()
    number = max(taken, default=0)
    for at in _due_reminders(notice, tz):
        number += 1
        session.add(NoticeRound(notice_id=notice.id or 0, kind=f"reminder-{number}", due_at=at))


def _rounds(session: Session, notice_id: int) -> list[NoticeRound]:
    return list(
        session.exec(
            select(NoticeRound)
            .where(NoticeRound.notice_id == notice_id)
            .order_by(col(NoticeRound.due_at), col(NoticeRound.id))
        ).all()
    )


# --- after it is scheduled ---------------------------------------------------------------


def get_notice(*, session: Session, staff: StaffUser, notice_id: int, lock: bool = False) -> Notice:
    query = select(Notice).where(Notice.id == notice_id)
    if lock:
        # Waits for a chunk under way (it locks the notice too): a change never crosses one.
        query = query.with_for_update()
    notice = session.exec(query).first()
    if notice is None:
        raise NotFound("error.not_found", what="Notice")
    require_office(staff, notice.office_id, what="Notice")
    return notice


def _told(session: Session, notice_id: int) -> int | None:
    """The last recipient row of the notice's own round that has a message: None when nobody
    has been told anything yet."""
    last = session.exec(
        select(func.max(NoticeRecipient.id)).where(
            NoticeRecipient.notice_id == notice_id,
            NoticeRecipient.kind == "notice",
            col(NoticeRecipient.outbox_id).is_not(None),
        )
    ).one()
    return int(last) if last is not None else None


def update_notice(
    *,
    session: Session,
    staff: StaffUser,
    notice_id: int,
    change: NoticeChange,
    now: datetime,
) -> Notice:
    """Change a notice; once anyone was told, a change of what, where or when goes to each of
    them as one correction (and the rest of the audience gets the new text)."""
    require_role(staff, CASE_WRITERS)
    notice = get_notice(session=session, staff=staff, notice_id=notice_id, lock=True)
    if notice.status == "cancelled" or notice.starts_at <= now:
        raise Conflict("notice.error.not_changeable", title=notice.title)
    started = notice.status != "scheduled"
    if change.audience is not None:
        if started:
            raise Conflict("notice.error.audience_fixed")
        audience = check(
            session=session, office_id=notice.office_id, audience=Audience.parse(change.audience)
        )
        notice.audience = audience.as_json()
    if change.send_at is not None:
        if started:
            raise Conflict("notice.error.send_fixed")
        notice.send_at = max(change.send_at, now)
    before = (notice.title, notice.place, notice.starts_at, notice.details)
    if change.title is not None:
        notice.title = _title(change.title)
    if change.place is not None:
        notice.place = _place(change.place)
    if change.details is not None:
        notice.details = _details(change.details)
    if change.starts_at is not None:
        notice.starts_at = change.starts_at
    # Once it went out, when it was sent no longer matters; the event must still be ahead.
    _times(notice.starts_at, notice.send_at if not started else now, now)
    if change.reminders is not None:
        notice.reminders = parse_reminders(change.reminders)
    notice.updated_at = now
    session.add(notice)
    if not started:
        for rnd in _rounds(session, notice.id or 0):
            if rnd.kind == "notice":
                rnd.due_at = notice.send_at
                session.add(rnd)
    tz = _office(session, notice.office_id).timezone
    _plan_reminders(session, notice, tz)
    told = _told(session, notice.id or 0)
    if told is not None and before != (
        notice.title,
        notice.place,
        notice.starts_at,
        notice.details,
    ):
        notice.revision += 1
        session.add(
            NoticeRound(
                notice_id=notice.id or 0,
                kind=f"correction-{notice.revision - 1}",
                due_at=now,
                upto_recipient_id=told,
            )
        )
    session.flush()
    return notice


def _broadcast_rows(notice_id: int) -> Any:
    return select(NoticeRecipient.outbox_id).where(
        NoticeRecipient.notice_id == notice_id, col(NoticeRecipient.outbox_id).is_not(None)
    )


def _set_rows(session: Session, notice_id: int, frm: Sequence[str], to: str) -> None:
    session.execute(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.status).in_(frm),
            col(OutboxMessage.id).in_(_broadcast_rows(notice_id)),
        )
        .values(status=to)
    )


def cancel_notice(*, session: Session, staff: StaffUser, notice_id: int, now: datetime) -> Notice:
    """Call it off: nothing more of it goes out, and everyone it reached is told it is off."""
    require_role(staff, CASE_WRITERS)
    notice = get_notice(session=session, staff=staff, notice_id=notice_id, lock=True)
    if notice.status == "cancelled" or notice.starts_at <= now:
        raise Conflict("notice.error.not_cancellable", title=notice.title)
    notice.status, notice.cancelled_at, notice.paused_at = "cancelled", now, None
    notice.updated_at = now
    session.add(notice)
    for rnd in _rounds(session, notice.id or 0):
        if rnd.status in notice_fanout.LIVE:
            rnd.status, rnd.finished_at = "skipped", now
            rnd.lease_owner, rnd.lease_expires = None, None
            session.add(rnd)
    # What is still waiting to go is withdrawn; a row a sender holds right now may still go.
    _set_rows(session, notice.id or 0, ("queued", "paused"), "cancelled")
    if _told(session, notice.id or 0) is not None:
        session.add(NoticeRound(notice_id=notice.id or 0, kind="cancellation", due_at=now))
    session.flush()
    return notice


def pause_notice(*, session: Session, staff: StaffUser, notice_id: int, now: datetime) -> Notice:
    """Hold everything of the notice not yet sent, the fan-out and the queued messages."""
    require_role(staff, CASE_WRITERS)
    notice = get_notice(session=session, staff=staff, notice_id=notice_id, lock=True)
    if notice.status == "cancelled" or notice.paused_at is not None or notice.starts_at <= now:
        raise Conflict("notice.error.not_pausable", title=notice.title)
    notice.paused_at, notice.updated_at = now, now
    session.add(notice)
    _set_rows(session, notice.id or 0, ("queued",), "paused")
    session.flush()
    return notice


def resume_notice(*, session: Session, staff: StaffUser, notice_id: int, now: datetime) -> Notice:
    require_role(staff, CASE_WRITERS)
    notice = get_notice(session=session, staff=staff, notice_id=notice_id, lock=True)
    if notice.paused_at is None or notice.status == "cancelled":
        raise Conflict("notice.error.not_paused", title=notice.title)
    notice.paused_at, notice.updated_at = None, now
    session.add(notice)
    _set_rows(session, notice.id or 0, ("paused",), "queued")
    session.flush()
    return notice


def notices_of_office(*, session: Session, office_id: int, limit: int = 100) -> list[Notice]:
    """The office's notices, the latest event first, for staff."""
    query = (
        select(Notice)
        .where(Notice.office_id == office_id)
        .order_by(col(Notice.starts_at).desc(), col(Notice.id).desc())
        .limit(limit)
    )
    return list(session.exec(query).all())


def rounds_of(*, session: Session, notice_id: int) -> list[NoticeRound]:
    return _rounds(session, notice_id)


def upcoming(*, session: Session, office_id: int, now: datetime, limit: int = 5) -> list[Notice]:
    """Notices of an office for a whole area or programme that have gone out and not yet
    begun, the soonest first: anyone who picked the office may read them in the bot."""
    query = (
        select(Notice)
        .where(
            Notice.office_id == office_id,
            Notice.status != "cancelled",
            col(Notice.send_at) <= now,
            col(Notice.starts_at) > now,
        )
        .order_by(col(Notice.starts_at), col(Notice.id))
        .limit(limit * 4)
    )
    listed = [n for n in session.exec(query).all() if Audience.parse(n.audience).public]
    return listed[:limit]


def describe(session: Session, notice: Notice, lang: str, *, kind: str = "notice") -> str:
    """The notice in a few lines (what, where, when, details) for a list in the bot."""
    tz = notice_fanout.office_zone(session, notice)
    first = messages.render(
        f"notice.message.{kind}", lang, **notice_fanout.params(notice, tz, lang)
    )
    return f"{first}\n{notice.details}" if notice.details and kind == "notice" else first
