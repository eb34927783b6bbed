"""Notices to beneficiaries: what, where and when; broadcast once, reminded once.

Who hears a notice: every chat that proved who it is (so it is linked to a person) and whose
person belongs to the notice's office; a notice for one programme goes only to people with a
proposal in it, as applicant or as a member of the applicant group. Nothing personal is in a
notice, so anyone who picked the office may also read the upcoming ones from the menu.

Exactly once: each chat reached is a ``notice_delivery`` row, unique per notice, chat and
kind, written in the transaction that queues the message; a second sweep, or a second worker,
finds the row and sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, or_
from sqlmodel import Session, col, select

import messages
from models import (
    BULK,
    Conversation,
    GroupMember,
    Notice,
    NoticeDelivery,
    Office,
    Person,
    Programme,
    Proposal,
    StaffUser,
)
from services.errors import Conflict, InvalidInput, NotFound
from services.outbox import insert_ignoring_conflicts, queue
from services.roles import CASE_WRITERS
from services.staff import require_office, require_role
from services.timefmt import format_moment

KINDS = ("registration", "socialisation", "distribution", "other")
MAX_REMIND_HOURS = 7 * 24


@dataclass(frozen=True)
class NewNotice:
    kind: str
    title: str
    place: str
    starts_at: datetime
    details: str = ""
    programme_code: str | None = None
    send_at: datetime | None = None  # None: as soon as the clock next runs
    remind_hours: int | None = 24  # None or 0: no reminder


def create_notice(*, session: Session, staff: StaffUser, data: NewNotice, now: datetime) -> Notice:
    require_role(staff, CASE_WRITERS)
    if data.kind not in KINDS:
        raise InvalidInput("notice.error.kind", kinds=", ".join(KINDS))
    title, place = data.title.strip(), data.place.strip()
    if not title or len(title) > 120:
        raise InvalidInput("notice.error.title")
    if not place or len(place) > 200:
        raise InvalidInput("notice.error.place")
    if data.starts_at <= now:
        raise InvalidInput("notice.error.past")
    send_at = data.send_at or now
    if send_at >= data.starts_at:
        raise InvalidInput("notice.error.send_after_start")
    hours = data.remind_hours or 0
    if not 0 <= hours <= MAX_REMIND_HOURS:
        raise InvalidInput("notice.error.remind_hours", most=MAX_REMIND_HOURS)
    programme_id = None
    if data.programme_code:
        programme = session.exec(
            select(Programme).where(Programme.code == data.programme_code)
        ).first()
        if programme is None:
            raise NotFound("error.not_found", what=f"Programme {data.programme_code}")
        require_office(staff, programme.office_id, what=f"Programme {data.programme_code}")
        programme_id = programme.id
    remind_at = data.starts_at - timedelta(hours=hours) if hours else None
    notice = Notice(
        office_id=staff.office_id,
        programme_id=programme_id,
        kind=data.kind,
        title=title,
        place=place,
        starts_at=data.starts_at,
        details=data.details.strip()[:2000],
        send_at=send_at,
        # A reminder that would come before the notice itself (or at once) is no reminder.
        remind_at=remind_at if remind_at and remind_at > send_at else None,
        created_by_id=staff.id,
        created_at=now,
    )
    session.add(notice)
    session.flush()
    return notice


def cancel_notice(*, session: Session, staff: StaffUser, notice_id: int, now: datetime) -> Notice:
    require_role(staff, CASE_WRITERS)
    notice = session.get(Notice, notice_id)
    if notice is None:
        raise NotFound("error.not_found", what="Notice")
    require_office(staff, notice.office_id, what="Notice")
    if notice.status == "cancelled" or notice.starts_at <= now:
        raise Conflict("notice.error.not_cancellable", title=notice.title)
    announced = notice.status == "sent"
    notice.status = "cancelled"
    session.add(notice)
    session.flush()
    if announced:
        # Those who were told it will happen are told it will not.
        _fan_out(session, notice, "cancel", now)
    return notice


def notices_of_office(*, session: Session, office_id: int, limit: int = 100) -> list[Notice]:
    """The office's notices, the latest first, for staff."""
    query = (
        select(Notice)
        .where(Notice.office_id == office_id)
        .order_by(col(Notice.starts_at).desc(), col(Notice.id).desc())
        .limit(limit)
    )
    return list(session.exec(query).all())


def delivery_counts(*, session: Session, notice_ids: list[int]) -> dict[tuple[int, str], int]:
    rows = session.exec(
        select(NoticeDelivery.notice_id, NoticeDelivery.kind).where(
            col(NoticeDelivery.notice_id).in_(notice_ids)
        )
    ).all()
    counts: dict[tuple[int, str], int] = {}
    for notice_id, kind in rows:
        counts[(notice_id, kind)] = counts.get((notice_id, kind), 0) + 1
    return counts


def upcoming(*, session: Session, office_id: int, now: datetime, limit: int = 5) -> list[Notice]:
    """Notices of an office that have been announced and not yet begun, the soonest first."""
    query = (
        select(Notice)
        .where(
            Notice.office_id == office_id,
            Notice.status != "cancelled",
            col(Notice.send_at) <= now,
            col(Notice.starts_at) > now,
        )
        .order_by(col(Notice.starts_at))
        .limit(limit)
    )
    return list(session.exec(query).all())


def describe(session: Session, notice: Notice, lang: str, *, kind: str = "notice") -> str:
    """The notice (or its reminder, or its cancellation) as a person reads it."""
    office = session.get(Office, notice.office_id)
    tz = office.timezone if office else "Asia/Jakarta"
    text = messages.render(
        f"notice.message.{kind}",
        lang,
        kind=messages.render(f"notice.kind.{notice.kind}", lang),
        title=notice.title,
        place=notice.place,
        when=format_moment(notice.starts_at, tz, lang),
    )
    return f"{text}\n{notice.details}" if notice.details and kind != "cancel" else text


# --- the clock -----------------------------------------------------------------------------


def sweep(*, engine: Engine, now: datetime) -> int:
    """Broadcast every notice that is due and send every reminder that is due; returns how
    many messages were queued. Safe to run anywhere, any number of times."""
    queued = 0
    for kind in ("notice", "reminder"):
        while True:
            with Session(engine, expire_on_commit=False) as session:
                notice = _next_due(session, kind, now)
                if notice is None:
                    break
                queued += _fan_out(session, notice, kind, now)
                if kind == "notice":
                    notice.status, notice.sent_at = "sent", now
                else:
                    notice.reminded_at = now
                session.add(notice)
                session.commit()
    return queued


def _next_due(session: Session, kind: str, now: datetime) -> Notice | None:
    if kind == "notice":
        query = select(Notice).where(Notice.status == "scheduled", col(Notice.send_at) <= now)
    else:
        query = select(Notice).where(
            Notice.status == "sent",
            col(Notice.reminded_at).is_(None),
            col(Notice.remind_at) <= now,
        )
    query = query.order_by(col(Notice.id)).limit(1)
    if session.get_bind().dialect.name == "postgresql":
        # Two workers take different notices instead of waiting on the same one.
        query = query.with_for_update(skip_locked=True)
    return session.exec(query).first()


def _fan_out(session: Session, notice: Notice, kind: str, now: datetime) -> int:
    if kind == "reminder" and notice.starts_at <= now:
        return 0  # the event has begun; a reminder now would only confuse
    chats = _told(session, notice) if kind == "cancel" else _audience(session, notice)
    if not chats:
        return 0
    table = NoticeDelivery.__table__  # type: ignore[attr-defined]
    new = session.execute(
        insert_ignoring_conflicts(session.get_bind().dialect.name, table).returning(
            table.c.conversation_id
        ),
        [
            {"notice_id": notice.id, "conversation_id": chat_id, "kind": kind, "queued_at": now}
            for chat_id, _ in chats
        ],
    ).all()
    reached = {row[0] for row in new}
    texts: dict[str, str] = {}
    for chat_id, lang in chats:
        if chat_id in reached:
            if lang not in texts:
                texts[lang] = describe(session, notice, lang, kind=kind)
            queue(session, conversation_id=chat_id, text=texts[lang], now=now, priority=BULK)
    return len(reached)


def _audience(session: Session, notice: Notice) -> list[tuple[int, str]]:
    """(conversation id, language) of every reachable linked chat the notice is for."""
    query = (
        select(Conversation.id, Conversation.language)
        .join(Person, col(Person.id) == Conversation.person_id)
        .where(Person.office_id == notice.office_id, col(Conversation.unreachable_at).is_(None))
    )
    if notice.programme_id is not None:
        applicants = select(Proposal.applicant_person_id).where(
            Proposal.programme_id == notice.programme_id
        )
        members = (
            select(GroupMember.person_id)
            .join(Proposal, col(Proposal.applicant_group_id) == GroupMember.group_id)
            .where(Proposal.programme_id == notice.programme_id)
        )
        query = query.where(or_(col(Person.id).in_(applicants), col(Person.id).in_(members)))
    return [
        (int(cid or 0), lang)
        for cid, lang in session.exec(query.order_by(col(Conversation.id))).all()
    ]


def _told(session: Session, notice: Notice) -> list[tuple[int, str]]:
    """(conversation id, language) of every chat the notice itself reached."""
    query = (
        select(Conversation.id, Conversation.language)
        .join(NoticeDelivery, col(NoticeDelivery.conversation_id) == Conversation.id)
        .where(NoticeDelivery.notice_id == notice.id, NoticeDelivery.kind == "notice")
        .order_by(col(Conversation.id))
    )
    return [(int(cid or 0), lang) for cid, lang in session.exec(query).all()]
