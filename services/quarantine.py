"""Updates the bot set aside: an inbound message that failed ``MAX_ATTEMPTS`` times is
quarantined (bot/processor.py) so its chat and every other go on. An admin sees them here and
either sends one back to be handled again (after the bug was fixed) or discards it.

What a person wrote is not for the admin to read: a row is shown by its channel, time, error
kind and tries, with at most a short excerpt whose long digit runs (a NIK, a phone number)
are masked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from models import Conversation, InboundMessage, StaffUser
from services import audit
from services.errors import Conflict, NotFound
from services.roles import STAFF_ADMINS, require_role

QUARANTINED = "quarantined"
PENDING = "pending"
# Kept for the record (and for retention to blank its body like any handled update).
DISCARDED = "discarded"
EXCERPT = 40
# Keys under which the platforms carry what a person typed or chose.
_TEXT_KEYS = ("text", "body", "caption", "data", "title")
_DIGITS = re.compile(r"\d{5,}")


@dataclass(frozen=True)
class SetAside:
    id: int
    channel: str
    received_at: datetime
    error: str
    attempts: int
    excerpt: str
    office_known: bool  # False: the chat never chose an office


def _strings(value: Any, depth: int = 0) -> Iterator[str]:
    """Text values under the known keys, depth first, a dozen levels down at most."""
    if depth > 12:
        return
    if isinstance(value, dict):
        for key in _TEXT_KEYS:
            found = value.get(key)
            if isinstance(found, str) and found.strip():
                yield found
        for item in value.values():
            if isinstance(item, dict | list):
                yield from _strings(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, depth + 1)


def excerpt(payload: dict[str, Any]) -> str:
    """The start of what the update carried, digits runs masked: "Saya mau tanya NIK •••"."""
    text = next(_strings(payload), "")
    text = " ".join(text.split())
    masked = _DIGITS.sub("•••", text)
    return masked if len(masked) <= EXCERPT else masked[: EXCERPT - 1].rstrip() + "…"


def _of_office(office_id: int) -> Any:
    """The office's chats, and the chats that never chose an office (any admin may see to
    those: nobody else would)."""
    mine = select(Conversation.id).where(
        or_(col(Conversation.office_id) == office_id, col(Conversation.office_id).is_(None))
    )
    return or_(
        col(InboundMessage.conversation_id).in_(mine),
        col(InboundMessage.conversation_id).is_(None),
    )


def set_aside(*, session: Session, staff: StaffUser, limit: int = 200) -> list[SetAside]:
    """The quarantined updates the admin's office may see, newest first."""
    require_role(staff, STAFF_ADMINS)
    query = (
        select(InboundMessage, Conversation.office_id)
        .outerjoin(Conversation, col(Conversation.id) == InboundMessage.conversation_id)
        .where(InboundMessage.status == QUARANTINED, _of_office(staff.office_id))
        .order_by(col(InboundMessage.received_at).desc(), col(InboundMessage.id).desc())
        .limit(limit)
    )
    return [
        SetAside(
            id=row.id or 0,
            channel=row.channel,
            received_at=row.received_at,
            error=row.error or "",
            attempts=row.attempts,
            excerpt=excerpt(row.payload or {}),
            office_known=office_id is not None,
        )
        for row, office_id in session.exec(query).all()
    ]


def _take(session: Session, staff: StaffUser, inbound_id: int) -> InboundMessage:
    require_role(staff, STAFF_ADMINS)
    row = session.exec(
        select(InboundMessage).where(InboundMessage.id == inbound_id, _of_office(staff.office_id))
    ).first()
    if row is None:
        raise NotFound("error.not_found", what="InboundMessage")
    return row


def _move(
    session: Session, row: InboundMessage, values: dict[str, Any], staff: StaffUser, now: datetime
) -> None:
    """Only from quarantine: a second click, or another admin's, finds it gone (409)."""
    detail = f"{values['status']} (was {row.error or 'no error'}, {row.attempts} tries)"
    moved = session.execute(
        update(InboundMessage)
        .where(col(InboundMessage.id) == row.id, col(InboundMessage.status) == QUARANTINED)
        .values(values)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("quarantine.error.moved")
    audit.record(
        session=session,
        action="update",
        entity="inbound_message",
        entity_id=row.id,
        now=now,
        staff=staff,
        detail=detail,
    )


def retry(*, session: Session, staff: StaffUser, inbound_id: int, now: datetime) -> None:
    """Back to the queue with its tries counted afresh; the worker handles it next."""
    row = _take(session, staff, inbound_id)
    _move(session, row, {"status": PENDING, "attempts": 0, "processed_at": None}, staff, now)


def discard(*, session: Session, staff: StaffUser, inbound_id: int, now: datetime) -> None:
    """Never to be handled; kept (and blanked by retention) like any handled update."""
    row = _take(session, staff, inbound_id)
    _move(session, row, {"status": DISCARDED, "processed_at": now}, staff, now)
