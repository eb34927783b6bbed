"""Staff pages for complaints as conversations: a complaint's files (opened only after the
office and role check, each opening audited, kept out of any cache), recording a complaint
that came by any other channel, and its printable receipt with a link code. (The inbox and
the complaint page live in ``pages.py``.)"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.api.deps import BigRecordId, NowDep, RecordId
from app.files import file_response
from app.web.pages import _refused, _signed_in, render
from app.web.qr import qr_svg
from app.web.session import check_form, current_staff
from bot.channels import registered
from core.db import unit_of_work
from models import Office, StaffUser
from services import complaint_attachments, link_codes
from services import complaints as complaint_service
from services.complaint_categories import category, load_categories
from services.complaint_receipts import issue_receipt_code
from services.errors import DomainError
from services.proposals import get_programme, programmes_of_office
from services.storage import storage_for

router = APIRouter(prefix="/staff", include_in_schema=False)


@router.get("/complaints/{complaint_id}/attachments/{attachment_id}")
def attachment(
    request: Request, complaint_id: RecordId, attachment_id: BigRecordId, now: NowDep
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


# --- complaints from outside the bot, and their receipts -------------------------------------


def _published(request: Request, office: Office) -> list[str]:
    """The office's own complaint channels as its SOP publishes them, to say where a complaint
    was received ("Admin 2 (082349133203)")."""
    catalogue = request.app.state.catalogue
    seen: dict[str, None] = {}
    for spec in catalogue.programmes_for_office(office.code):
        for channel in spec.complaint_channels:
            label = channel.label.id
            seen[f"{label} ({channel.value})" if channel.value else label] = None
    return list(seen)


def _new_page(
    request: Request,
    session: Session,
    staff: StaffUser,
    office: Office,
    now: datetime,
    *,
    status_code: int = 200,
    **extra: Any,
) -> HTMLResponse:
    context = {
        "channels": sorted(complaint_service.OFFLINE_CHANNELS),
        "published": _published(request, office),
        "categories": load_categories(),
        "programmes": programmes_of_office(session=session, office_id=office.id or 0),
        "form": extra.pop("form", {}),
        **extra,
    }
    return render(
        request, "complaint_new.html", context, staff=staff, office=office, status_code=status_code
    )


@router.get("/complaints/new")
def new_complaint(request: Request, now: NowDep) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        return _new_page(request, session, staff, office, now)


def _receipt(
    request: Request,
    session: Session,
    staff: StaffUser,
    office: Office,
    complaint_id: int,
    now: datetime,
) -> HTMLResponse:
    settings = request.app.state.settings
    issued = issue_receipt_code(
        session=session, staff=staff, complaint_id=complaint_id, now=now, settings=settings
    )
    complaint = complaint_service.get_complaint(session=session, complaint_id=complaint_id)
    found = category(complaint.category)
    links = [
        (channel.name, link, qr_svg(link, title=f"{channel.name}: {link}"))
        for channel in registered()
        if (link := channel.deep_link(settings, issued.code, False)) is not None
    ]
    context = {
        "complaint": {
            "id": complaint.id,
            "number": complaint.number,
            "received_at": complaint.received_at,
            "due_at": complaint.due_at,
            "channel": complaint.channel,
            "category_label": found.label.id if found else complaint.category,
        },
        "code": link_codes.display(issued.code),
        "expires_at": issued.expires_at,
        "links": links,
    }
    return render(request, "complaint_receipt.html", context, staff=staff, office=office)


@router.post("/complaints/new")
def record_complaint(
    request: Request,
    now: NowDep,
    channel: Annotated[str, Form(max_length=20)],
    category: Annotated[str, Form(max_length=40)],
    description: Annotated[str, Form(max_length=4000)],
    source_detail: Annotated[str, Form(max_length=120)] = "",
    lapor_tracking: Annotated[str, Form(max_length=40)] = "",
    programme: Annotated[str, Form(max_length=60)] = "",
    complainant_name: Annotated[str, Form(max_length=120)] = "",
    complainant_contact: Annotated[str, Form(max_length=120)] = "",
    confidential: Annotated[bool, Form()] = False,
    form_token: Annotated[str, Form()] = "",
) -> Response:
    """Records the complaint and hands over its receipt at once, with the link code."""
    check_form(request, form_token)
    form = {
        "channel": channel, "category": category, "description": description,
        "source_detail": source_detail, "lapor_tracking": lapor_tracking,
        "programme": programme, "complainant_name": complainant_name,
        "complainant_contact": complainant_contact, "confidential": confidential,
    }  # fmt: skip
    try:
        with unit_of_work(request.app.state.engine) as session:
            staff, office = _signed_in(request, session, now)
            programme_id = None
            if programme:
                programme_id = get_programme(session=session, staff=staff, code=programme).id
            complaint = complaint_service.record_offline(
                session=session,
                staff=staff,
                data=complaint_service.NewComplaint(
                    office_id=office.id or 0,
                    category=category,
                    description=description,
                    channel=channel,
                    programme_id=programme_id,
                    confidential=confidential,
                    complainant_name=complainant_name,
                    complainant_contact=complainant_contact,
                    lapor_tracking=lapor_tracking or None,
                    source_detail=source_detail,
                ),
                now=now,
                policy=complaint_service.clock_rules(
                    request.app.state.settings, request.app.state.catalogue
                ),
            )
            return _receipt(request, session, staff, office, complaint.id or 0, now)
    except DomainError as exc:
        return _refused(request, now, exc, _new_page, form=form)


@router.post("/complaints/{complaint_id}/receipt")
def reprint_receipt(
    request: Request,
    complaint_id: RecordId,
    now: NowDep,
    form_token: Annotated[str, Form()] = "",
) -> Response:
    """The receipt again, with a new code (the one printed before stops working)."""
    check_form(request, form_token)
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        return _receipt(request, session, staff, office, complaint_id, now)
