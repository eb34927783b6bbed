"""Storing what arrives: the conversation row of a chat and its raw inbound updates.

Both writes are idempotent inserts (ON CONFLICT DO NOTHING) so that two web processes receiving
the same retried update, or the first two messages of a new chat, never collide.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from bot.inbound import InboundEvent
from models import Conversation, InboundMessage


def _insert_ignoring_conflicts(session: Session, table: Table, values: dict[str, Any]) -> int:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    result = session.execute(insert(table).values(**values).on_conflict_do_nothing())
    return result.rowcount  # type: ignore[attr-defined,no-any-return]


def ensure_conversation(
    session: Session, *, channel: str, chat_id: str, display_name: str, now: datetime
) -> int:
    table = Conversation.__table__  # type: ignore[attr-defined]
    _insert_ignoring_conflicts(
        session,
        table,
        {
            "channel": channel,
            "chat_id": chat_id,
            "display_name": display_name[:120],
            "language": "id",
            "state": "menu",
            "data": {},
            "updated_at": now,
        },
    )
    found = session.exec(
        select(Conversation.id).where(
            Conversation.channel == channel, Conversation.chat_id == chat_id
        )
    ).one()
    return int(found)


def store_inbound(
    session: Session,
    *,
    channel: str,
    platform_id: str,
    payload: dict[str, Any],
    event: InboundEvent,
    now: datetime,
) -> int | None:
    """The new row's id, or None when this update was stored before (a platform retry)."""
    conversation_id = None
    if event.chat_id is not None:
        conversation_id = ensure_conversation(
            session,
            channel=channel,
            chat_id=event.chat_id,
            display_name=event.display_name,
            now=now,
        )
    inserted = _insert_ignoring_conflicts(
        session,
        InboundMessage.__table__,  # type: ignore[attr-defined]
        {
            "channel": channel,
            "platform_id": platform_id,
            "conversation_id": conversation_id,
            "received_at": now,
            "payload": payload,
            "status": "pending",
            "attempts": 0,
        },
    )
    if not inserted:
        return None
    row_id = session.exec(
        select(InboundMessage.id).where(
            col(InboundMessage.channel) == channel, col(InboundMessage.platform_id) == platform_id
        )
    ).one()
    return int(row_id) if row_id is not None else None
