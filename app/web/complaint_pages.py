"""The staff pages for complaints: the inbox (nearest deadline first, with a countdown that
turns amber under 12 hours and red once breached; by status, category and channel), the
complaint's page (its thread with the complainant's photos shown inline, its history with
every reminder and escalation, claim, answer and reassign), a complaint's files (opened only
after the office and role check, each opening audited, never cached), recording a complaint
that came by any other channel, and its printable receipt with a link code.

Thin: rules are in services.complaints; what is shown comes from app/presenters/complaints.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session, select

from app.api.deps import BigRecordId, NowDep, RecordId
from app.files import file_response
from app.presenters.complaints import PAGE_BASE, complaint_public, countdown_words, event_words
from app.web.labels import category_word
from app.web.lang import current
from app.web.pages import _refused, _see_other, _signed_in, render
from app.web.qr import qr_svg
from app.web.session import check_form, current_staff
from bot.channels import registered
from core.db import unit_of_work
from models import Complaint, Office, StaffUser
from services import complaint_attachments, link_codes
from services import complaints as complaint_service
from services.complaint_categories import load_categories
from services.complaint_receipts import issue_receipt_code
from services.errors import DomainError, InvalidInput
from services.proposals import get_programme, programmes_of_office
from services.staff import require_role
from services.storage import storage_for

router = APIRouter(prefix="/staff", include_in_schema=False)
Status = complaint_service.Status
# What the inbox's status filter offers: each status, and all of them.
STATUS_CHOICES = ("open", "answered", "closed", "all")


def _statuses(status: str, answered: bool) -> list[complaint_service.Status]:
    if status == "all":
        return list(Status)
    if status in ("answered", "closed"):
        return [Status(status)]
    # "Tampilkan juga yang sudah dijawab", as the inbox's old checkbox (and its links) said.
    return [Status.OPEN, Status.ANSWERED] if answered else [Status.OPEN]


def _channels(session: Session, staff: StaffUser) -> list[str]:
    """Every channel a complaint of the office came by, and every offline channel."""
    used = session.exec(
        select(Complaint.channel).where(Complaint.office_id == staff.office_id).distinct()
    ).all()
    return sorted(set(used) | set(complaint_service.OFFLINE_CHANNELS))


@router.get("/complaints")
def complaints(
    request: Request,
    now: NowDep,
    status: Annotated[str, Query(max_length=10)] = "open",
    category_code: Annotated[str, Query(alias="category", max_length=40)] = "",
    channel: Annotated[str, Query(max_length=20)] = "",
    answered: bool = False,
) -> HTMLResponse:
    status = status if status in STATUS_CHOICES else "open"
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        rows = complaint_service.inbox(
            session=session,
            staff=staff,
            now=now,
            statuses=_statuses(status, answered),
            category=category_code or None,
            channel=channel or None,
        )
        listed = [
            complaint_public(session, c, staff, now, events=False, base=PAGE_BASE, lang=current())
            for c in rows
        ]
        context = {
            "complaints": listed,
            "countdown": lambda seconds: countdown_words(seconds, current()),
            "filters": {
                "status": "open_answered" if answered and status == "open" else status,
                "category": category_code,
                "channel": channel,
            },
            "statuses": STATUS_CHOICES,
            "categories": load_categories(),
            "channels": _channels(session, staff),
        }
    return render(request, "complaints.html", context, staff=staff, office=office)


# --- complaints from outside the bot, and their receipts ----------------------------------
# (before /complaints/{complaint_id}: "new" is no complaint id)


def _published(request: Request, office: Office) -> list[str]:
    """The office's own complaint channels as its SOP publishes them, to say where a complaint
    was received ("Admin 2 (082349133203)")."""
    catalogue = request.app.state.catalogue
    seen: dict[str, None] = {}
    for spec in catalogue.programmes_for_office(office.code):
        for channel in spec.complaint_channels:
            label = channel.label.get(current())
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
    require_role(staff, complaint_service.RECORDERS)
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


# Which form field a refusal of the offline form is about, by its message key.
_OFFLINE_FIELDS = {
    "complaint.error.contact": "complainant_contact",
    "complaint.error.lapor_tracking": "lapor_tracking",
    "complaint.error.category": "category",
    "complaint.error.channel": "channel",
    "complaint.error.programme": "programme",
    "error.not_found": "programme",
    "complaint.error.empty": "description",
    "complaint.error.too_long": "description",
}


@router.post("/complaints/new")
def record_complaint(
    request: Request,
    now: NowDep,
    channel: Annotated[str, Form(max_length=20)] = "",
    category: Annotated[str, Form(max_length=40)] = "",
    description: Annotated[str, Form(max_length=4000)] = "",
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
            if not description.strip():
                raise InvalidInput("complaint.error.empty")
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
        return _refused(request, now, exc, _new_page, form=form, fields=_OFFLINE_FIELDS)


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
            "category_label": category_word(request.app.state.catalogue, complaint.category),
        },
        "code": link_codes.display(issued.code),
        "expires_at": issued.expires_at,
        "links": links,
    }
    return render(request, "complaint_receipt.html", context, staff=staff, office=office)


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


# --- one complaint -------------------------------------------------------------------------


def _complaint_page(
    request: Request,
    session: Session,
    staff: StaffUser,
    office: Office,
    now: datetime,
    complaint_id: int,
    *,
    status_code: int = 200,
    **extra: Any,
) -> HTMLResponse:
    complaint = complaint_service.for_staff(session=session, staff=staff, complaint_id=complaint_id)
    complaint_service.record_reads(
        session=session, staff=staff, complaints=[complaint], now=now, how="details"
    )
    shown = complaint_public(
        session, complaint, staff, now, events=True, base=PAGE_BASE, lang=current()
    )
    assignees = (
        complaint_service.assignable(session=session, staff=staff)
        if "reassign" in shown.actions
        else []
    )
    context = {
        "complaint": shown,
        "countdown": countdown_words(shown.seconds_left, current()),
        "events": [
            {
                "at": e.at,
                "words": event_words(e, current()),
                "css": "escalation" if e.kind.startswith(("remind-", "escalate-")) else "",
            }
            for e in shown.events
        ],
        "assignees": [(s.id, s.full_name) for s in assignees if s.id != shown.claimed_by_id],
        "may_receipt": staff.role in complaint_service.RECORDERS,
        **extra,
    }
    return render(
        request, "complaint.html", context, staff=staff, office=office, status_code=status_code
    )


@router.get("/complaints/{complaint_id}")
def complaint(request: Request, complaint_id: RecordId, now: NowDep) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        return _complaint_page(request, session, staff, office, now, complaint_id)


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


# Which field of the complaint page's forms a refusal is about, by its message key.
_ANSWER_FIELDS = {
    "complaint.error.empty": "text",
    "complaint.error.too_long": "text",
    "complaint.error.answer_via": "via",
    "error.validation": "via",
}
_REASSIGN_FIELDS = {
    "complaint.error.assignee": "staff_id",
    "complaint.error.same_assignee": "staff_id",
}


@router.post("/complaints/{complaint_id}/claim")
def claim_complaint(
    request: Request,
    complaint_id: RecordId,
    now: NowDep,
    form_token: Annotated[str, Form()] = "",
) -> Response:
    check_form(request, form_token)
    try:
        with unit_of_work(request.app.state.engine) as session:
            staff, _ = _signed_in(request, session, now)
            complaint_service.claim(
                session=session, staff=staff, complaint_id=complaint_id, now=now
            )
    except DomainError as exc:
        return _refused(request, now, exc, _complaint_page, complaint_id)
    return _see_other(f"/staff/complaints/{complaint_id}?done=claimed")


@router.post("/complaints/{complaint_id}/reassign")
def reassign_complaint(
    request: Request,
    complaint_id: RecordId,
    now: NowDep,
    staff_id: Annotated[str, Form(max_length=12)] = "",
    form_token: Annotated[str, Form()] = "",
) -> Response:
    check_form(request, form_token)
    try:
        with unit_of_work(request.app.state.engine) as session:
            staff, _ = _signed_in(request, session, now)
            if not staff_id.isdigit():
                raise InvalidInput("complaint.error.assignee")
            complaint_service.reassign(
                session=session,
                staff=staff,
                complaint_id=complaint_id,
                assignee_id=int(staff_id),
                now=now,
            )
    except DomainError as exc:
        return _refused(request, now, exc, _complaint_page, complaint_id, fields=_REASSIGN_FIELDS)
    return _see_other(f"/staff/complaints/{complaint_id}?done=reassigned")


@router.post("/complaints/{complaint_id}/answer")
def answer_complaint(
    request: Request,
    complaint_id: RecordId,
    now: NowDep,
    text: Annotated[str, Form(max_length=3000)] = "",
    via: Annotated[str, Form(max_length=20)] = "",
    form_token: Annotated[str, Form()] = "",
) -> Response:
    check_form(request, form_token)
    try:
        with unit_of_work(request.app.state.engine) as session:
            staff, _ = _signed_in(request, session, now)
            if via and via not in set(complaint_service.AnswerVia):
                raise InvalidInput("error.validation")
            complaint_service.answer(
                session=session,
                staff=staff,
                complaint_id=complaint_id,
                text=text,
                now=now,
                via=complaint_service.AnswerVia(via) if via else None,
            )
            given = complaint_service.events(session=session, complaint_id=complaint_id)[-1].via
    except DomainError as exc:
        return _refused(
            request,
            now,
            exc,
            _complaint_page,
            complaint_id,
            text=text,
            via_typed=via,
            fields=_ANSWER_FIELDS,
        )
    # The notice says what really happened: sent to a chat, or given by phone, letter...
    return _see_other(f"/staff/complaints/{complaint_id}?done=answered&via={given}")
