"""Complaint officers' inbox, claims and answers; offline complaints; the on-time report."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from sqlmodel import Session, select

from app.api.complaint_schemas import (
    AnswerIn,
    AttachmentPublic,
    ComplaintEventPublic,
    ComplaintPublic,
    ComplaintReportOut,
    OfflineComplaintIn,
    ThreadEntryPublic,
)
from app.api.deps import (
    BigRecordId,
    CatalogueDep,
    CurrentStaff,
    NowDep,
    RecordId,
    SessionDep,
    SettingsDep,
)
from app.api.schemas import ERRORS
from app.files import file_response
from models import Complaint, ComplaintAttachment, Programme, StaffUser
from services import complaints as service
from services.complaint_attachments import open_for_staff
from services.complaint_categories import category
from services.complaint_reports import complaint_report
from services.errors import InvalidInput, NotFound
from services.outbox import ensure_conversation, parse_address
from services.roles import CASE_READERS
from services.staff import require_role
from services.storage import storage_for

router = APIRouter(prefix="/complaints", tags=["complaints"])


def attachment_public(row: ComplaintAttachment, base: str) -> AttachmentPublic:
    located = row.latitude is not None and row.longitude is not None
    return AttachmentPublic(
        id=row.id or 0,
        kind=row.kind,
        status=row.status,
        file_name=row.file_name,
        mime_type=row.mime_type,
        size=row.size,
        map_url=service.map_link(row.latitude, row.longitude)  # type: ignore[arg-type]
        if located
        else None,
        url=f"{base}/{row.complaint_id}/attachments/{row.id}" if row.status == "stored" else None,
    )


def complaint_public(
    session: Session,
    complaint: Complaint,
    viewer: StaffUser,
    now: datetime,
    *,
    events: bool,
    base: str = "/api/v1/complaints",
) -> ComplaintPublic:
    programme = session.get(Programme, complaint.programme_id) if complaint.programme_id else None
    claimer = session.get(StaffUser, complaint.claimed_by_id) if complaint.claimed_by_id else None
    found = category(complaint.category)
    return ComplaintPublic(
        id=complaint.id or 0,
        number=complaint.number,
        status=complaint.status,
        category=complaint.category,
        category_label=found.label.id if found else complaint.category,
        channel=complaint.channel,
        lapor_tracking=complaint.lapor_tracking,
        programme_code=programme.code if programme else None,
        description=complaint.description,
        complainant=service.visible_name(complaint, viewer),
        complainant_contact=service.visible_contact(complaint, viewer),
        source_detail=complaint.source_detail,
        in_chat=complaint.conversation_id is not None,
        confidential=complaint.confidential,
        received_at=complaint.received_at,
        due_at=complaint.due_at,
        overdue=complaint.status == service.Status.OPEN and complaint.due_at < now,
        first_response_at=complaint.first_response_at,
        answered_at=complaint.answered_at,
        closed_at=complaint.closed_at,
        claimed_by=claimer.full_name if claimer else None,
        cycle=complaint.cycle,
        rating=complaint.rating,
        rating_comment=complaint.rating_comment,
        actions=[str(a) for a in service.staff_actions(viewer, complaint)],
        events=[
            ComplaintEventPublic(at=e.at, kind=e.kind, staff_id=e.staff_id, text=e.text)
            for e in service.events(session=session, complaint_id=complaint.id or 0)
        ]
        if events
        else [],
        thread=[
            ThreadEntryPublic(
                at=entry.event.at,
                kind=entry.event.kind,
                side=entry.side,
                officer=entry.officer,
                text=entry.event.text,
                via=entry.event.via,
                attachments=[attachment_public(a, base) for a in entry.attachments],
            )
            for entry in service.thread(session=session, complaint=complaint)
        ]
        if events
        else [],
    )


@router.get(
    "",
    summary="My office's complaints, nearest deadline first",
    response_model=list[ComplaintPublic],
    responses=ERRORS,
)
def inbox(
    session: SessionDep,
    staff: CurrentStaff,
    now: NowDep,
    include_answered: bool = False,
) -> list[ComplaintPublic]:
    rows = service.inbox(session=session, staff=staff, now=now, include_answered=include_answered)
    return [complaint_public(session, c, staff, now, events=False) for c in rows]


@router.get(
    "/by-number/{number}",
    summary="One complaint by its ticket number",
    response_model=ComplaintPublic,
    responses=ERRORS,
)
def by_number(
    number: Annotated[str, Path(max_length=30)],
    session: SessionDep,
    staff: CurrentStaff,
    now: NowDep,
) -> ComplaintPublic:
    require_role(staff, service.HANDLERS)
    complaint = service.complaint_by_number(session=session, number=number[:30])
    if complaint is None:
        raise NotFound("error.not_found", what="Complaint")
    return read_complaint(session, staff, complaint.id or 0, now)


@router.get(
    "/{complaint_id}/attachments/{attachment_id}",
    summary="A file the complainant sent (a photo, a document, a voice note); the read is audited",
    responses={**ERRORS, 200: {"content": {"application/octet-stream": {}}}},
    response_class=Response,
)
def attachment(
    complaint_id: RecordId,
    attachment_id: BigRecordId,
    session: SessionDep,
    staff: CurrentStaff,
    now: NowDep,
    settings: SettingsDep,
) -> Response:
    row = open_for_staff(
        session=session,
        staff=staff,
        complaint_id=complaint_id,
        attachment_id=attachment_id,
        now=now,
    )
    return file_response(storage_for(settings), row)


@router.get(
    "/{complaint_id}",
    summary="One complaint with its thread",
    response_model=ComplaintPublic,
    responses=ERRORS,
)
def detail(
    complaint_id: RecordId, session: SessionDep, staff: CurrentStaff, now: NowDep
) -> ComplaintPublic:
    return read_complaint(session, staff, complaint_id, now)


@router.post(
    "/{complaint_id}/claim",
    summary="Take a complaint: reminders then go to you alone",
    response_model=ComplaintPublic,
    responses=ERRORS,
)
def claim(
    complaint_id: RecordId, session: SessionDep, staff: CurrentStaff, now: NowDep
) -> ComplaintPublic:
    complaint = service.claim(session=session, staff=staff, complaint_id=complaint_id, now=now)
    service.record_reads(session=session, staff=staff, complaints=[complaint], now=now, how="claim")
    return complaint_public(session, complaint, staff, now, events=False)


@router.post(
    "/{complaint_id}/answer",
    summary="Answer the complainant and stop the clock: sent to their chat, or recorded with "
    "how it was given (`via`)",
    response_model=ComplaintPublic,
    responses=ERRORS,
)
def answer(
    complaint_id: RecordId, body: AnswerIn, session: SessionDep, staff: CurrentStaff, now: NowDep
) -> ComplaintPublic:
    complaint = service.answer(
        session=session,
        staff=staff,
        complaint_id=complaint_id,
        text=body.text,
        now=now,
        via=service.AnswerVia(body.via) if body.via else None,
    )
    service.record_reads(
        session=session, staff=staff, complaints=[complaint], now=now, how="answer"
    )
    return complaint_public(session, complaint, staff, now, events=True)


@router.post(
    "/offline",
    summary="Record a complaint from any channel but the bot, with the complainant's contact",
    response_model=ComplaintPublic,
    status_code=201,
    responses=ERRORS,
)
def record_offline(
    body: OfflineComplaintIn,
    session: SessionDep,
    staff: CurrentStaff,
    now: NowDep,
    settings: SettingsDep,
    catalogue: CatalogueDep,
) -> ComplaintPublic:
    programme_id = None
    if body.programme_code:
        programme = session.exec(
            select(Programme).where(Programme.code == body.programme_code)
        ).first()
        if programme is None:
            raise InvalidInput("complaint.error.programme")
        programme_id = programme.id
    conversation_id = None
    if body.chat:
        address = parse_address(body.chat)
        assert address is not None  # the schema's pattern guarantees the shape
        conversation_id = ensure_conversation(
            session, channel=address[0], chat_id=address[1], now=now
        )
    complaint = service.record_offline(
        session=session,
        staff=staff,
        data=service.NewComplaint(
            office_id=staff.office_id,
            category=body.category,
            description=body.description,
            channel=body.channel,
            programme_id=programme_id,
            confidential=body.confidential,
            complainant_name=body.complainant_name,
            complainant_contact=body.complainant_contact,
            person_id=body.person_id,
            conversation_id=conversation_id,
            lapor_tracking=body.lapor_tracking,
            source_detail=body.source_detail,
        ),
        now=now,
        policy=service.clock_rules(settings, catalogue),
    )
    return complaint_public(session, complaint, staff, now, events=False)


@router.get(
    "/reports/summary",
    summary="Complaints of my office in a period: on-time share, response times, satisfaction",
    response_model=ComplaintReportOut,
    description="Dates are whole days in UTC, `end` inclusive. `?format=csv` gives CSV.",
    responses={**ERRORS, 200: {"content": {"text/csv": {}}}},
)
def report(
    session: SessionDep,
    staff: CurrentStaff,
    now: NowDep,
    settings: SettingsDep,
    start: date,
    end: date,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> ComplaintReportOut | Response:
    require_role(staff, CASE_READERS)
    if end < start:
        raise InvalidInput("error.validation")
    result = complaint_report(
        session=session,
        office_id=staff.office_id,
        start=datetime.combine(start, time(0), UTC),
        end=datetime.combine(end, time(0), UTC) + timedelta(days=1),
        now=now,
        response_hours=settings.complaint_response_hours,
    )
    body = ComplaintReportOut.model_validate(result, from_attributes=True)
    if format == "json":
        return body
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["measure", "key", "value"])
    for field in ("total", "answered_on_time", "on_time_share", "median_first_response_hours"):
        writer.writerow([field, "", getattr(body, field)])
    for field in ("p90_first_response_hours", "open_now", "breached_now", "rated"):
        writer.writerow([field, "", getattr(body, field)])
    writer.writerow(["satisfaction_average", "", body.satisfaction_average])
    writer.writerow(["ikm_index", "", body.ikm_index])
    writer.writerow(["ikm_grade", "", body.ikm_grade or ""])
    for group in ("by_category", "by_programme", "by_channel"):
        for key, value in getattr(body, group).items():
            writer.writerow([group, key, value])
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="complaints-report.csv"'},
    )


def read_complaint(
    session: Session,
    staff: StaffUser,
    complaint_id: int,
    now: datetime,
    *,
    base: str = "/api/v1/complaints",
) -> ComplaintPublic:
    """One complaint in full, for an officer of its office; the read is audited."""
    complaint = service.for_staff(session=session, staff=staff, complaint_id=complaint_id)
    service.record_reads(
        session=session, staff=staff, complaints=[complaint], now=now, how="details"
    )
    return complaint_public(session, complaint, staff, now, events=True, base=base)
