"""A chat linked to a person: made by a link code or a verified phone, ended by ``keluar`` or by
``LINK_LAPSE_DAYS`` without a message from the chat.

A linked chat sees the person's proposals, hears their notices and files complaints in their
name, so what links it must be something the person has: a code the office gave them
(:mod:`services.link_codes`), or a phone number the platform vouches is the sender's own
(WhatsApp's sender number; a Telegram contact the sender shared of themselves) that matches a
phone on file. Never what is printed on an ID card: the birth date is part of the NIK.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from models import Conversation, Person
from services import attempts, audit, phones


def persons_by_phone(*, session: Session, phone: str) -> list[Person]:
    """Everyone with this number on file; a household phone may be on several persons."""
    e164 = phones.normalise(phone)
    if e164 is None:
        return []
    return list(
        session.exec(select(Person).where(Person.phone_e164 == e164).order_by(col(Person.id))).all()
    )


def link(
    *, session: Session, conversation: Conversation, person: Person, now: datetime, how: str
) -> None:
    """Link the chat to ``person``; ``how`` ("code", "phone") is recorded and audited."""
    conversation.person_id = person.id
    # The person's own office is the right one for contacts and time zone.
    conversation.office_id = person.office_id
    session.add(conversation)
    attempts.record(
        session=session,
        conversation_id=conversation.id or 0,
        now=now,
        succeeded=True,
        method=how,
        person_id=person.id,
    )
    audit.record(
        session=session,
        action="link",
        entity="person",
        entity_id=person.id,
        now=now,
        actor=_actor(conversation),
        detail=f"chat linked by {how}",
    )


def unlink(*, session: Session, conversation: Conversation, now: datetime, why: str) -> None:
    """End the chat's link to its person: ``why`` is "keluar", "lapsed" or "staff"."""
    if conversation.person_id is None:
        return
    audit.record(
        session=session,
        action="unlink",
        entity="person",
        entity_id=conversation.person_id,
        now=now,
        actor=_actor(conversation),
        detail=f"chat unlinked: {why}",
    )
    conversation.person_id = None
    session.add(conversation)


def lapsed(conversation: Conversation, *, now: datetime, days: int) -> bool:
    """Whether the chat's link has gone ``days`` without a message from the chat."""
    return conversation.person_id is not None and now - conversation.updated_at > timedelta(
        days=days
    )


def lapse_idle(*, session: Session, now: datetime, days: int) -> int:
    """Unlink every chat that has been silent ``days``; the number unlinked. Run daily: a
    lapsed chat must not hear the person's notices until it writes again."""
    idle = session.exec(
        select(Conversation).where(
            col(Conversation.person_id).is_not(None),
            Conversation.updated_at < now - timedelta(days=days),
        )
    ).all()
    for conversation in idle:
        unlink(session=session, conversation=conversation, now=now, why="lapsed")
    session.flush()
    return len(idle)


def _actor(conversation: Conversation) -> str:
    return f"chat:{conversation.channel}:{conversation.chat_id}"[:80]
