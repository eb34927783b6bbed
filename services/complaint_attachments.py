"""Complaint attachments: fetched once from the platform into storage, opened only by staff
who may see the complaint, each opening audited.

A worker takes pending files with a short lease (status ``fetching``, ``fetched_at`` the
moment it took them), so two workers never fetch the same file and one that dies leaves it
to the next after :data:`LEASE`. A file the platform will not hand over is tried
:data:`MAX_ATTEMPTS` times, then marked ``failed`` (a permanent refusal fails it at once).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, update
from sqlmodel import Session, col, select

from models import ComplaintAttachment, StaffUser
from services import audit
from services.complaints import for_staff
from services.errors import NotFound

MAX_ATTEMPTS = 5
LEASE = timedelta(minutes=5)
FILE_KINDS = frozenset({"photo", "document", "voice"})


@dataclass(frozen=True)
class ToFetch:
    id: int
    complaint_id: int
    channel: str
    platform_ref: str
    mime_type: str


def claim_pending(
    *, session: Session, now: datetime, channels: Iterable[str], limit: int = 20
) -> list[ToFetch]:
    """Files waiting to be fetched (or whose fetch was left unfinished), leased to the caller."""
    names = list(channels)
    waiting = or_(
        col(ComplaintAttachment.status) == "pending",
        and_(
            col(ComplaintAttachment.status) == "fetching",
            col(ComplaintAttachment.fetched_at) < now - LEASE,
        ),
    )
    ids = session.exec(
        select(ComplaintAttachment.id)
        .where(waiting, col(ComplaintAttachment.channel).in_(names))
        .order_by(col(ComplaintAttachment.id))
        .limit(limit)
    ).all()
    taken: list[ToFetch] = []
    for attachment_id in ids:
        # Guarded: of two workers reading the same row, one UPDATE matches.
        result = session.execute(
            update(ComplaintAttachment)
            .where(col(ComplaintAttachment.id) == attachment_id, waiting)
            .values(status="fetching", fetched_at=now)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            continue
        row = session.get_one(ComplaintAttachment, attachment_id)
        session.refresh(row)
        taken.append(
            ToFetch(
                row.id or 0, row.complaint_id, row.channel, row.platform_ref or "", row.mime_type
            )
        )
    session.flush()
    return taken


def storage_key(item: ToFetch, mime_type: str) -> str:
    """A name the application chose, never one the sender chose."""
    extension = mimetypes.guess_extension(mime_type.split(";")[0].strip()) or ".bin"
    safe = "".join(ch for ch in extension if ch.isalnum() or ch == ".")[:10] or ".bin"
    return f"complaints/{item.complaint_id}/{item.id}{safe}"


def mark_stored(
    *,
    session: Session,
    attachment_id: int,
    key: str,
    size: int,
    mime_type: str,
    file_name: str,
    now: datetime,
) -> None:
    row = session.get_one(ComplaintAttachment, attachment_id)
    row.status, row.storage_key, row.size, row.fetched_at = "stored", key, size, now
    row.mime_type = row.mime_type or mime_type[:100]
    row.file_name = row.file_name or file_name[:200]
    row.last_error = None
    session.add(row)
    session.flush()


def mark_failed(
    *, session: Session, attachment_id: int, error: str, permanent: bool, now: datetime
) -> None:
    """Tried again later unless the refusal is permanent or the attempts are used up."""
    row = session.get_one(ComplaintAttachment, attachment_id)
    row.attempts += 1
    row.last_error = error[:200]
    row.status = "failed" if permanent or row.attempts >= MAX_ATTEMPTS else "pending"
    row.fetched_at = now
    session.add(row)
    session.flush()


def open_for_staff(
    *, session: Session, staff: StaffUser, complaint_id: int, attachment_id: int, now: datetime
) -> ComplaintAttachment:
    """A stored file of a complaint the staff member may see; the opening is audited. Any
    other file, and one of another office's complaint, is not found."""
    complaint = for_staff(session=session, staff=staff, complaint_id=complaint_id)
    row = session.get(ComplaintAttachment, attachment_id)
    if row is None or row.complaint_id != complaint.id or row.status != "stored":
        raise NotFound("error.not_found", what="Attachment")
    audit.record(
        session=session,
        staff=staff,
        action="read",
        entity="complaint_attachment",
        entity_id=row.id,
        now=now,
        detail=f"complaint {complaint.id}",
    )
    return row
