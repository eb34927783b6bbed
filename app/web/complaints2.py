"""Staff pages for complaints as conversations: a complaint's files, opened only after the
office and role check, each opening audited, streamed with headers that keep it out of any
cache and any other page. (The complaint page itself lives in ``pages.py``.)"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.api.deps import NowDep, RecordId
from app.files import file_response
from app.web.session import current_staff
from core.db import unit_of_work
from services import complaint_attachments
from services.storage import storage_for

router = APIRouter(prefix="/staff", include_in_schema=False)


@router.get("/complaints/{complaint_id}/attachments/{attachment_id}")
def attachment(
    request: Request, complaint_id: RecordId, attachment_id: RecordId, now: NowDep
) -> Response:
    with unit_of_work(request.app.state.engine) as session:
        staff = current_staff(request, session, now)
        row = complaint_attachments.open_for_staff(
            session=session,
            staff=staff,
            complaint_id=complaint_id,
            attachment_id=attachment_id,
            now=now,
        )
    return file_response(storage_for(request.app.state.settings), row)
