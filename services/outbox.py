"""Queueing messages to a chat: rows in the outbox, committed by whoever owns the transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from models import REPLY, Conversation, OutboxMessage


def parse_address(address: str) -> tuple[str, str] | None:
    """``"telegram:-1001234"`` → ``("telegram", "-1001234")``; None when it is not one."""
    channel, sep, chat_id = address.partition(":")
    if not sep or not channel or not chat_id:
        return None
    return channel, chat_id


def insert_ignoring_conflicts(dialect: str, table: Any) -> Any:
    """``INSERT ... ON CONFLICT DO NOTHING`` for the two databases Sigap runs on."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table).on_conflict_do_nothing()


def ensure_conversation(
    session: Session, *, channel: str, chat_id: str, now: datetime, display_name: str = ""
) -> int:
    """The conversation row of a chat, created if new; safe when two writers race."""
    table = Conversation.__table__  # type: ignore[attr-defined]
    session.execute(
        insert_ignoring_conflicts(session.get_bind().dialect.name, table).values(
            channel=channel,
            chat_id=chat_id,
            display_name=display_name[:120],
            language="id",
            state="menu",
            data={},
            updated_at=now,
        )
    )
    found = session.exec(
        select(Conversation.id).where(
            Conversation.channel == channel, Conversation.chat_id == chat_id
        )
    ).one()
    return int(found or 0)


def template(name: str, *params: object) -> dict[str, Any]:
    """The ``extra`` of a business-initiated message that names its template: what it goes as
    where a platform accepts nothing else (WhatsApp, to a person silent for 24 hours).
    ``catalogue/whatsapp_templates.yaml`` says what each template's parameters are, in order;
    channels without templates ignore it."""
    return {"template": {"name": name, "params": [str(p) for p in params]}}


def forget_template_params(session: Session, *conditions: ColumnElement[bool]) -> None:
    """A template's parameters repeat its message's words: they go when the text goes (the
    template's name, and the rest of ``extra``, stay)."""
    rows = session.execute(select(OutboxMessage.id, OutboxMessage.extra).where(*conditions)).all()
    for row_id, extra in rows:
        named = (extra or {}).get("template")
        if isinstance(named, dict) and named.get("params"):
            session.execute(
                update(OutboxMessage)
                .where(col(OutboxMessage.id) == row_id)
                .values(extra={**extra, "template": {**named, "params": []}})
            )


def queue(
    session: Session,
    *,
    conversation_id: int,
    text: str,
    now: datetime,
    buttons: list[Any] | None = None,
    extra: dict[str, Any] | None = None,
    priority: int = REPLY,
) -> OutboxMessage:
    """``priority``: BULK for broadcasts, which wait while people talking to the bot are
    answered."""
    message = OutboxMessage(
        conversation_id=conversation_id,
        priority=priority,
        text=text,
        buttons=buttons or [],
        extra=extra or {},
        created_at=now,
        next_attempt_at=now,
    )
    session.add(message)
    return message


def queue_to_address(
    session: Session,
    *,
    address: str | None,
    text: str,
    now: datetime,
    buttons: list[Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> OutboxMessage | None:
    parsed = parse_address(address or "")
    if parsed is None:
        return None
    conversation_id = ensure_conversation(session, channel=parsed[0], chat_id=parsed[1], now=now)
    return queue(
        session, conversation_id=conversation_id, text=text, now=now, buttons=buttons, extra=extra
    )
