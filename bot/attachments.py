"""The job that fetches complaint attachments from the platforms, once, into storage.

Never in the webhook: a person's photo arrives as a reference (Telegram's file id, WhatsApp's
media id), stored with the update; this job, on a worker, leases pending files in one short
transaction, downloads each through its channel's ``fetch_media`` with no transaction open,
writes it to storage, and records the outcome in another.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from bot.channels import Channel, MediaError, registered
from core.settings import Settings
from services import complaint_attachments as service
from services.storage import Storage, storage_for

log = logging.getLogger(__name__)


async def fetch_pending(
    engine: Engine,
    settings: Settings,
    *,
    now: datetime,
    channels: Sequence[Channel] | None = None,
    storage: Storage | None = None,
    batch: int = 20,
) -> int:
    """Fetches what is pending; returns how many files were stored."""
    fetchers = {c.name: c.fetch_media for c in channels or registered() if c.fetch_media}
    if not fetchers:
        return 0
    store = storage or storage_for(settings)
    with Session(engine, expire_on_commit=False) as session:
        taken = service.claim_pending(session=session, now=now, channels=fetchers, limit=batch)
        session.commit()
    stored = 0
    for item in taken:
        fetch = fetchers[item.channel]
        try:
            media = await fetch(settings, item.platform_ref, settings.attachment_max_bytes)
            mime = item.mime_type or media.mime_type or "application/octet-stream"
            key = service.storage_key(item, mime)
            store.put(key, media.data)
        except MediaError as exc:
            log.info("attachment %s not fetched: %s", item.id, exc)
            _failed(engine, item.id, now, str(exc), permanent=exc.permanent)
            continue
        except OSError as exc:
            log.warning("attachment %s not stored: %s", item.id, type(exc).__name__)
            _failed(engine, item.id, now, "storage", permanent=False)
            continue
        with Session(engine) as session:
            service.mark_stored(
                session=session,
                attachment_id=item.id,
                key=key,
                size=len(media.data),
                mime_type=mime,
                file_name=media.file_name,
                now=now,
            )
            session.commit()
        stored += 1
    return stored


def _failed(
    engine: Engine, attachment_id: int, now: datetime, error: str, *, permanent: bool
) -> None:
    with Session(engine) as session:
        service.mark_failed(
            session=session, attachment_id=attachment_id, error=error, permanent=permanent, now=now
        )
        session.commit()
