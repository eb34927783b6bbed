"""Files staff open (a complaint's photo, document or voice note), for the API and the pages
alike: only ever streamed after the caller's checks, never at a public address."""

from __future__ import annotations

from fastapi.responses import Response, StreamingResponse

from models import ComplaintAttachment
from services.errors import NotFound
from services.storage import Storage


def file_response(storage: Storage, row: ComplaintAttachment) -> Response:
    """The stored file, inline, never cached, never sniffed into something else."""
    key = row.storage_key or ""
    if not key or not storage.exists(key):
        raise NotFound("error.not_found", what="Attachment")
    name = "".join(ch for ch in row.file_name if ch.isalnum() or ch in "._- ")[:80] or key
    return StreamingResponse(
        storage.stream(key),
        media_type=row.mime_type or "application/octet-stream",
        headers={
            "Content-Disposition": f'inline; filename="{name.rsplit("/", 1)[-1]}"',
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; img-src 'self'; media-src 'self'",
        },
    )
