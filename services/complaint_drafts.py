"""Complaints being written in a chat, kept when the chat pauses or leaves the intake.

A draft is where the intake stood (its state and what was entered); ``lanjutkan`` brings it
back. One draft a chat: a newer one replaces it, filing the complaint ends it, and one older
than :data:`KEEP` is forgotten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from models import ComplaintDraft

KEEP = timedelta(days=7)


@dataclass(frozen=True)
class Draft:
    state: str
    data: dict[str, Any]
    updated_at: datetime


def save(
    *, session: Session, conversation_id: int, state: str, data: dict[str, Any], now: datetime
) -> None:
    row = session.get(ComplaintDraft, conversation_id)
    if row is None:
        row = ComplaintDraft(conversation_id=conversation_id, state=state, data={})
    row.state, row.data, row.updated_at = state, dict(data), now
    session.add(row)
    session.flush()


def load(*, session: Session, conversation_id: int, now: datetime) -> Draft | None:
    row = session.get(ComplaintDraft, conversation_id)
    if row is None:
        return None
    if now - row.updated_at > KEEP:
        session.delete(row)
        session.flush()
        return None
    return Draft(row.state, dict(row.data), row.updated_at)


def discard(*, session: Session, conversation_id: int) -> None:
    row = session.get(ComplaintDraft, conversation_id)
    if row is not None:
        session.delete(row)
        session.flush()
