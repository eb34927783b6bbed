"""Complaints as staff see them, for the API and the pages alike: the complaint, its thread
with the files the complainant sent, its history (reminders and escalations included) and how
near its deadline is.

Pure: reading a complaint is audited by services.complaints (``record_reads``), and a file is
audited when it is opened (services.complaint_attachments), never here.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

import messages
from app.api.complaint_schemas import (
    AttachmentPublic,
    ComplaintEventPublic,
    ComplaintPublic,
    ThreadEntryPublic,
)
from models import Complaint, ComplaintAttachment, Programme, StaffUser
from services import complaints as service
from services.complaint_categories import category
from services.step_time import Span

API_BASE = "/api/v1/complaints"
PAGE_BASE = "/staff/complaints"
# Under this much time left, an open complaint shows amber in the inbox.
DUE_SOON = timedelta(hours=12)


def urgency(complaint: Complaint, now: datetime) -> str | None:
    """How near the deadline an open complaint is: on_time, due_soon or breached."""
    if complaint.status != service.Status.OPEN:
        return None
    if complaint.due_at < now:
        return "breached"
    return "due_soon" if complaint.due_at - now < DUE_SOON else "on_time"


def countdown_words(seconds_left: int | None, lang: str) -> str:
    """ "Sisa 1 hari 4 jam", "Sisa 35 menit", "Lewat 3 jam 10 menit" ("" when not open)."""
    if seconds_left is None:
        return ""
    days, rest = divmod(abs(seconds_left), 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes = rest // 60
    spans = [Span("days", days), Span("hours", hours)]
    if not days:
        spans.append(Span("minutes", minutes if hours else max(1, minutes)))
    words = " ".join(span.words(lang) for span in spans if span.n)
    key = "casework.countdown.late" if seconds_left < 0 else "casework.countdown.left"
    return messages.render(key, lang, span=words)


def attachment_public(row: ComplaintAttachment, base: str = API_BASE) -> AttachmentPublic:
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
    base: str = API_BASE,
    lang: str = messages.DEFAULT_LANGUAGE,
) -> ComplaintPublic:
    """One complaint as ``viewer`` may see it (a confidential complainant hidden from
    officers); with ``events``, its history and its thread too. ``lang`` is the language of
    the category's label (the API's is Indonesian)."""
    programme = session.get(Programme, complaint.programme_id) if complaint.programme_id else None
    claimer = session.get(StaffUser, complaint.claimed_by_id) if complaint.claimed_by_id else None
    found = category(complaint.category)
    is_open = complaint.status == service.Status.OPEN
    return ComplaintPublic(
        id=complaint.id or 0,
        number=complaint.number,
        status=complaint.status,
        category=complaint.category,
        category_label=found.label.get(lang) if found else complaint.category,
        channel=complaint.channel,
        lapor_tracking=complaint.lapor_tracking,
        programme_code=programme.code if programme else None,
        programme_name=programme.name if programme else None,
        description=complaint.description,
        complainant=service.visible_name(complaint, viewer),
        complainant_contact=service.visible_contact(complaint, viewer),
        source_detail=complaint.source_detail,
        in_chat=complaint.conversation_id is not None,
        confidential=complaint.confidential,
        received_at=complaint.received_at,
        due_at=complaint.due_at,
        overdue=is_open and complaint.due_at < now,
        urgency=urgency(complaint, now),  # type: ignore[arg-type]
        seconds_left=int((complaint.due_at - now).total_seconds()) if is_open else None,
        first_response_at=complaint.first_response_at,
        answered_at=complaint.answered_at,
        closed_at=complaint.closed_at,
        claimed_by=claimer.full_name if claimer else None,
        claimed_by_id=complaint.claimed_by_id,
        cycle=complaint.cycle,
        rating=complaint.rating,
        rating_comment=complaint.rating_comment,
        actions=[str(a) for a in service.staff_actions(viewer, complaint)],
        events=_events(session, complaint) if events else [],
        thread=_thread(session, complaint, base) if events else [],
    )


def _events(session: Session, complaint: Complaint) -> list[ComplaintEventPublic]:
    rows = service.events(session=session, complaint_id=complaint.id or 0)
    ids = {e.staff_id for e in rows if e.staff_id}
    names = (
        {
            s.id: s.full_name
            for s in session.exec(select(StaffUser).where(col(StaffUser.id).in_(ids))).all()
        }
        if ids
        else {}
    )
    return [
        ComplaintEventPublic(
            at=e.at,
            kind=e.kind,
            staff_id=e.staff_id,
            text=e.text,
            staff_name=names.get(e.staff_id) if e.staff_id else None,
        )
        for e in rows
    ]


def _thread(session: Session, complaint: Complaint, base: str) -> list[ThreadEntryPublic]:
    return [
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


def event_words(event: ComplaintEventPublic, lang: str) -> str:
    """One line of a complaint's history in words: "Eskalasi ke Kabid: ...", "Pengingat ke
    petugas: 24 jam sebelum batas jawab", "Dialihkan oleh ... kepada ...". The one wording of
    a complaint's history, for every page that shows it; an event it does not know is shown
    as "lainnya (kind)", which the test of every page looks for."""
    kind, who = event.kind, event.staff_name or "-"
    if kind.startswith("remind-") and kind.removeprefix("remind-").isdigit():
        line = messages.render("casework.event.remind", lang, hours=kind.removeprefix("remind-"))
    elif kind.startswith("escalate-"):
        roles = [r for r in kind.removeprefix("escalate-").split("-") if r]
        named = [
            messages.render(f"complaint.role.{r}", lang)
            if messages.has(f"complaint.role.{r}")
            else r
            for r in roles
        ]
        line = messages.render("casework.event.escalate", lang, to=", ".join(named))
    elif kind in ("claimed", "answered", "settled", "reopened", "rated", "received",
                  "message", "information", "chat_linked"):  # fmt: skip
        line = messages.render(f"casework.event.{kind}", lang, who=who, text=event.text)
    elif kind == "reassigned":
        line = messages.render("casework.event.reassigned", lang, who=who, to=event.text)
    else:
        line = messages.render("label.other", lang, code=kind)
    if event.text == "not sent: overtaken":
        line += " " + messages.render("casework.event.overtaken", lang)
    return line
