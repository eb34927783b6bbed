"""What a person answers to notices: BERHENTI and MULAI, HADIR and TIDAK BISA HADIR, and the
events they are expected at ("Jadwal saya").

Stopping is the person's own when the chat is linked to them (every chat of theirs goes
quiet), else the chat's. It stops broadcasts only: a complaint's answer and every reply to
the person's own messages still come. Rows of broadcasts already queued for them are marked
``opted_out`` at once; the sender skips any that slip in afterwards (bot/outbox.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, or_, update
from sqlmodel import Session, col, select

from models import Conversation, Notice, NoticeRecipient, OutboxMessage, Person

# The outbox rows of a broadcast that may still be held back.
WAITING = ("queued", "paused")


def _person(session: Session, conversation: Conversation) -> Person | None:
    return session.get(Person, conversation.person_id) if conversation.person_id else None


def broadcasts_stopped(session: Session, conversation: Conversation) -> bool:
    person = _person(session, conversation)
    return conversation.broadcasts_stopped_at is not None or (
        person is not None and person.broadcasts_stopped_at is not None
    )


def stop_broadcasts(*, session: Session, conversation: Conversation, now: datetime) -> bool:
    """Stop broadcasts to the person behind the chat (or the chat, when it is nobody's);
    False when they were stopped already."""
    if broadcasts_stopped(session, conversation):
        return False
    person = _person(session, conversation)
    mine = [col(NoticeRecipient.conversation_id) == conversation.id]
    if person is not None:
        person.broadcasts_stopped_at = now
        session.add(person)
        mine.append(col(NoticeRecipient.person_id) == person.id)
    else:
        conversation.broadcasts_stopped_at = now
        session.add(conversation)
    session.execute(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.status).in_(WAITING),
            col(OutboxMessage.id).in_(
                select(NoticeRecipient.outbox_id).where(
                    col(NoticeRecipient.outbox_id).is_not(None), or_(*mine)
                )
            ),
        )
        .values(status="opted_out", last_error="broadcasts stopped (BERHENTI)")
    )
    session.flush()
    return True


def start_broadcasts(*, session: Session, conversation: Conversation) -> bool:
    """Broadcasts again, to the person and to this chat; False when nothing was stopped."""
    if not broadcasts_stopped(session, conversation):
        return False
    person = _person(session, conversation)
    if person is not None and person.broadcasts_stopped_at is not None:
        person.broadcasts_stopped_at = None
        session.add(person)
    conversation.broadcasts_stopped_at = None
    session.add(conversation)
    session.flush()
    return True


def _told_here(conversation: Conversation) -> ColumnElement[bool]:
    """Recipient rows of notices told to the person behind the chat, or through this chat."""
    mine = [col(NoticeRecipient.conversation_id) == conversation.id]
    if conversation.person_id is not None:
        mine.append(col(NoticeRecipient.person_id) == conversation.person_id)
    return or_(*mine)


def answer_attendance(
    *,
    session: Session,
    conversation: Conversation,
    attending: bool,
    now: datetime,
    notice_id: int | None = None,
) -> Notice | None:
    """Record the answer on the person's row of the notice (the one named, else the one
    announced last of those still ahead); None when there is no such notice."""
    query = (
        select(Notice.id)
        .join(NoticeRecipient, col(NoticeRecipient.notice_id) == Notice.id)
        .where(
            NoticeRecipient.kind == "notice",
            col(NoticeRecipient.outbox_id).is_not(None),
            _told_here(conversation),
            Notice.status != "cancelled",
            col(Notice.starts_at) > now,
        )
        .order_by(col(NoticeRecipient.id).desc())
        .limit(1)
    )
    if notice_id is not None:
        query = query.where(Notice.id == notice_id)
    found = session.exec(query).first()
    if found is None:
        return None
    session.execute(
        update(NoticeRecipient)
        .where(
            col(NoticeRecipient.notice_id) == found,
            col(NoticeRecipient.kind) == "notice",
            _told_here(conversation),
        )
        .values(attendance="yes" if attending else "no", answered_at=now)
    )
    session.flush()
    return session.get(Notice, found)


@dataclass(frozen=True)
class Scheduled:
    notice: Notice
    attendance: str | None


def schedule_of(*, session: Session, person_id: int, now: datetime) -> list[Scheduled]:
    """The events a person was told of that are still ahead, the soonest first."""
    rows = session.exec(
        select(Notice, NoticeRecipient.attendance)
        .join(NoticeRecipient, col(NoticeRecipient.notice_id) == Notice.id)
        .where(
            NoticeRecipient.person_id == person_id,
            NoticeRecipient.kind == "notice",
            col(NoticeRecipient.outbox_id).is_not(None),
            Notice.status != "cancelled",
            col(Notice.starts_at) > now,
        )
        .order_by(col(Notice.starts_at), col(Notice.id))
        .limit(10)
    ).all()
    return [Scheduled(notice, attendance) for notice, attendance in rows]
