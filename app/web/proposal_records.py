"""The proposal page's form that records what a step produced (a decree and its number, a
Berita Acara, a scan's path); what the page shows is read in app/web/outputs.py."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.api.deps import NowDep, RecordId
from app.web.pages import _proposal_page, _refused, _see_other, _signed_in
from app.web.session import check_form
from core.db import unit_of_work
from services.errors import DomainError, InvalidInput
from services.proposal_records import NewOutput, record_output

router = APIRouter(prefix="/staff", include_in_schema=False)


@router.post("/proposals/{proposal_id}/outputs")
def add_output(
    request: Request,
    proposal_id: RecordId,
    now: NowDep,
    kind: Annotated[str, Form(max_length=60)],
    number: Annotated[str, Form(max_length=120)] = "",
    issued_on: Annotated[str, Form(max_length=10)] = "",
    file_path: Annotated[str, Form(max_length=300)] = "",
    form_token: Annotated[str, Form()] = "",
) -> Response:
    check_form(request, form_token)
    position, _, code = kind.partition(":")
    try:
        with unit_of_work(request.app.state.engine) as session:
            staff, _ = _signed_in(request, session, now)
            record_output(
                session=session,
                staff=staff,
                catalogue=request.app.state.catalogue,
                proposal_id=proposal_id,
                data=NewOutput(
                    kind=code,
                    step_position=int(position) if position.isdigit() else None,
                    number=number,
                    issued_on=_day(issued_on),
                    file_path=file_path or None,
                ),
                now=now,
            )
    except DomainError as exc:
        return _refused(request, now, exc, _proposal_page, proposal_id)
    return _see_other(f"/staff/proposals/{proposal_id}?recorded=1#outputs")


def _day(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("error.validation") from None
