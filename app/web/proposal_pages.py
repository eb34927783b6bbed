"""The staff pages for proposals: the list (by programme, step, desa, lateness; searched by a
number's fragment, a NIK or a name), the intake form with its eligibility check, the
proposal's page (the applicant, the SOP's timeline, the actions the reader's role may take, the
outputs recorded) and the printed receipt with a link code and its QR codes.

Thin: each reads a form, calls the same services as the staff API, and renders what the
proposals presenter (app/presenters/proposals.py) makes of the result.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session, col, select

import messages
from app.api.deps import NowDep, RecordId
from app.presenters.proposals import (
    history_public,
    list_row,
    output_kinds,
    programme_spec,
    proposal_public,
    timeline_view,
    view_late_words,
)
from app.web.labels import step_name
from app.web.lang import current
from app.web.pages import _chats_of, _refused, _see_other, _signed_in, reason, render
from app.web.qr import qr_svg
from app.web.session import check_form
from bot.channels import registered
from core.db import unit_of_work
from models import BeneficiaryGroup, Office, Proposal, StaffUser
from services import link_codes
from services.errors import DomainError, InvalidInput
from services.nik import normalise
from services.persons import person_by_nik
from services.proposal_receipts import issue_receipt
from services.proposal_records import NewOutput, record_output
from services.proposals import (
    Action,
    Status,
    applicant_eligibility,
    create_proposal,
    get_proposal,
    programmes_of_office,
    record_reads,
    search_proposals,
    step_view,
    steps_of,
    transition,
)
from services.roles import CASE_WRITERS
from services.staff import require_role

router = APIRouter(prefix="/staff", include_in_schema=False)
LIST_LIMIT = 200
STATUSES = ("in_progress", "completed", "rejected")


# --- the list ------------------------------------------------------------------------------


def search_terms(text: str) -> dict[str, str]:
    """What one search box means: 16 digits are a NIK (matched whole), anything else with a
    digit a part of a number ("0002", "UEP-2026"), the rest a part of a name."""
    cleaned = text.strip()
    if not cleaned:
        return {}
    digits = normalise(cleaned)
    if len(digits) == 16 and digits.isdigit() and len(cleaned) <= 24:
        return {"nik": digits}
    if any(ch.isdigit() for ch in cleaned):
        return {"number": cleaned}
    return {"name": cleaned}


@router.get("/proposals")
def proposals(
    request: Request,
    now: NowDep,
    q: Annotated[str, Query(max_length=60)] = "",
    programme: Annotated[str, Query(max_length=60)] = "",
    step: Annotated[str, Query(max_length=3)] = "",
    desa: Annotated[str, Query(max_length=80)] = "",
    status: Annotated[str, Query(max_length=20)] = "in_progress",
    late: bool = False,
    number: Annotated[str, Query(max_length=30)] = "",
) -> HTMLResponse:
    catalogue = request.app.state.catalogue
    query = q or number  # ?number= is what the list's links said before
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        offered = programmes_of_office(session=session, office_id=office.id or 0)
        chosen = next((p for p in offered if p.code == programme), None)
        steps = []
        if chosen is not None:
            spec = catalogue.programme(chosen.code)
            stored = steps_of(session=session, programme_id=chosen.id or 0)
            steps = [
                (
                    str(s.position),
                    f"{spec.sop_label(s.position) if spec else s.position}. "
                    f"{step_name(catalogue, chosen.code, s.position, s.name)}",
                )
                for s in stored
            ]
        found = search_proposals(
            session=session,
            office_id=office.id or 0,
            status=status if status in STATUSES else None,
            programme_code=chosen.code if chosen else None,
            step_position=int(step) if chosen and step.isdigit() else None,
            desa=desa.strip() or None,
            limit=LIST_LIMIT,
            **search_terms(query),  # type: ignore[arg-type]
        )
        if late:
            found = [
                p
                for p in found
                if p.status == Status.IN_PROGRESS
                and view_late_words(step_view(session=session, proposal=p, now=now), current())
            ]
        record_reads(session=session, staff=staff, proposals=found, now=now, how="list")
        context = {
            "rows": [list_row(session, catalogue, staff, p, now, current()) for p in found],
            "programmes": [(p.code, _programme_name(catalogue, p.code, p.name)) for p in offered],
            "steps": steps,
            "filters": {
                "q": query,
                "programme": programme,
                "step": step,
                "desa": desa,
                "status": status,
                "late": late,
            },
            "statuses": STATUSES,
            "may_file": staff.role in CASE_WRITERS,
            "limit": LIST_LIMIT,
        }
    return render(request, "proposals.html", context, staff=staff, office=office)


def _programme_name(catalogue: Any, code: str, fallback: str) -> str:
    spec = catalogue.programme(code)
    return spec.name.get(current()) if spec else fallback


# --- filing a proposal ---------------------------------------------------------------------


def _intake_page(
    request: Request,
    session: Session,
    staff: StaffUser,
    office: Office,
    now: datetime,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    **extra: Any,
) -> HTMLResponse:
    require_role(staff, CASE_WRITERS)
    catalogue = request.app.state.catalogue
    form = form or {}
    offered = [
        p
        for p in programmes_of_office(session=session, office_id=office.id or 0)
        if p.active and catalogue.programme(p.code) is not None
    ]
    chosen = next((p for p in offered if p.code == form.get("programme")), None)
    groups: list[BeneficiaryGroup] = []
    if chosen is not None and chosen.applicant_kind == "group":
        groups = _groups_for(session, office, chosen.kind)
    context = {
        "programmes": [(p.code, _programme_name(catalogue, p.code, p.name)) for p in offered],
        "chosen": chosen,
        "groups": groups,
        "form": form,
        "errors": errors or {},
        **extra,
    }
    return render(
        request, "proposal_new.html", context, staff=staff, office=office, status_code=status_code
    )


def _groups_for(session: Session, office: Office, kind: str) -> list[BeneficiaryGroup]:
    query = (
        select(BeneficiaryGroup)
        .where(BeneficiaryGroup.office_id == office.id, BeneficiaryGroup.kind == kind)
        .order_by(col(BeneficiaryGroup.name))
    )
    return list(session.exec(query).all())


@router.get("/proposals/new")
def new_proposal(
    request: Request, now: NowDep, programme: Annotated[str, Query(max_length=60)] = ""
) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        return _intake_page(request, session, staff, office, now, form={"programme": programme})


class _FieldError(Exception):
    """A value the form's field names no one by: said beside that field."""

    def __init__(self, field: str, key: str) -> None:
        super().__init__(key)
        self.field, self.key = field, key


def _applicant(
    session: Session, staff: StaffUser, kind: str, nik: str, group: str
) -> tuple[int | None, int | None, str]:
    """(person id, group id, who) from what the form names; a field error when it names no
    one of the office."""
    if kind == "person":
        digits = normalise(nik)
        if not digits:
            raise _FieldError("nik", "casework.intake.nik_required")
        if len(digits) != 16 or not digits.isdigit():
            raise _FieldError("nik", "casework.intake.nik_shape")
        person = person_by_nik(session=session, nik=digits)
        if person is None or person.office_id != staff.office_id or person.erased_at:
            raise _FieldError("nik", "casework.intake.nik_unknown")
        return person.id, None, f"{person.name} ({person.desa})" if person.desa else person.name
    if not group.isdigit():
        raise _FieldError("group_id", "casework.intake.group_required")
    found = session.get(BeneficiaryGroup, int(group))
    if found is None or found.office_id != staff.office_id:
        raise _FieldError("group_id", "casework.intake.group_unknown")
    return None, found.id, found.name


@router.post("/proposals/new")
def file_proposal(
    request: Request,
    now: NowDep,
    programme: Annotated[str, Form(max_length=60)] = "",
    nik: Annotated[str, Form(max_length=40)] = "",
    group_id: Annotated[str, Form(max_length=12)] = "",
    note: Annotated[str, Form(max_length=500)] = "",
    intent: Annotated[str, Form(max_length=10)] = "check",
    form_token: Annotated[str, Form()] = "",
) -> Response:
    """ "Periksa syarat" shows the eligibility check and files nothing; "Ajukan" files the
    proposal (the same check runs again inside) and opens its page."""
    check_form(request, form_token)
    catalogue = request.app.state.catalogue
    form = {"programme": programme, "nik": nik, "group_id": group_id, "note": note}
    errors: dict[str, str] = {}
    extra: dict[str, Any] = {}
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        require_role(staff, CASE_WRITERS)
        offered = {
            p.code: p for p in programmes_of_office(session=session, office_id=office.id or 0)
        }
        chosen = offered.get(programme)
        if chosen is None or not chosen.active:
            errors["programme"] = messages.render("casework.intake.programme", current())
        else:
            try:
                person_id, group, who = _applicant(
                    session, staff, chosen.applicant_kind, nik, group_id
                )
            except _FieldError as exc:
                errors[exc.field] = messages.render(exc.key, current())
            else:
                failures = applicant_eligibility(
                    session=session,
                    staff=staff,
                    catalogue=catalogue,
                    programme_code=chosen.code,
                    now=now,
                    person_id=person_id,
                    group_id=group,
                )
                extra = {
                    "who": who,
                    "failures": [f.text(current()) for f in failures],
                    "checked": True,
                }
                if intent == "file" and not failures:
                    filed: Proposal | None = None
                    try:
                        filed = create_proposal(
                            session=session,
                            staff=staff,
                            catalogue=catalogue,
                            programme_code=chosen.code,
                            now=now,
                            person_id=person_id,
                            group_id=group,
                            note=note.strip(),
                        )
                    except DomainError as exc:
                        errors[""] = reason(exc)
                    if filed is not None:
                        return _see_other(f"/staff/proposals/{filed.id}?filed=1")
        field = "nik" if chosen is None or chosen.applicant_kind == "person" else "group_id"
        if extra.get("failures") and intent == "file":
            errors.setdefault(field, messages.render("casework.intake.ineligible", current()))
        status_code = 422 if errors else 200
        return _intake_page(
            request,
            session,
            staff,
            office,
            now,
            form=form,
            errors=errors,
            status_code=status_code,
            **extra,
        )


# --- one proposal --------------------------------------------------------------------------


def _proposal_page(
    request: Request,
    session: Session,
    staff: StaffUser,
    office: Office,
    now: datetime,
    proposal_id: int,
    *,
    status_code: int = 200,
    **extra: Any,
) -> HTMLResponse:
    catalogue = request.app.state.catalogue
    proposal = get_proposal(session=session, staff=staff, proposal_id=proposal_id)
    record_reads(session=session, staff=staff, proposals=[proposal], now=now, how="details")
    shown = proposal_public(session, catalogue, staff, proposal, now, current())
    _, spec = programme_spec(session, catalogue, proposal)
    view = step_view(session=session, proposal=proposal, now=now)
    entry = spec.steps[view.step.position - 1] if spec else None
    person_id = proposal.applicant_person_id
    context = {
        "proposal": shown,
        "programme_name": _programme_name(catalogue, shown.programme_code, shown.programme_name),
        "history": history_public(session, catalogue, proposal, current()),
        "timeline": timeline_view(session, catalogue, proposal, now, current()),
        "actor": entry.actor.get(current()) if entry else "",
        "late": view_late_words(view, current()),
        "chats": _chats_of(request, session, person_id, now) if person_id else None,
        "output_kinds": output_kinds(session, catalogue, proposal, current())
        if staff.role in CASE_WRITERS
        else [],
        "may_receipt": staff.role in CASE_WRITERS,
        "group_reports": spec.group_reports is not None and proposal.applicant_group_id
        if spec
        else False,
        **extra,
    }
    return render(
        request, "proposal.html", context, staff=staff, office=office, status_code=status_code
    )


@router.get("/proposals/{proposal_id}")
def proposal(request: Request, proposal_id: RecordId, now: NowDep) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        return _proposal_page(request, session, staff, office, now, proposal_id)


# Which field of the proposal page's forms a refusal is about, by its message key.
_MOVE_FIELDS = {"error.reason_required": "note"}
_OUTPUT_FIELDS = {
    "proposal.output.kind": "kind",
    "proposal.output.step": "kind",
    "proposal.output.number_required": "number",
    "proposal.output.too_long": "number",
    "casework.form.date": "issued_on",
    "proposal.output.file_path": "file_path",
}


@router.post("/proposals/{proposal_id}/move")
def move_proposal(
    request: Request,
    proposal_id: RecordId,
    now: NowDep,
    action: Annotated[Action, Form()],
    version: Annotated[int, Form(ge=0)],
    note: Annotated[str, Form(max_length=500)] = "",
    form_token: Annotated[str, Form()] = "",
) -> Response:
    check_form(request, form_token)
    try:
        with unit_of_work(request.app.state.engine) as session:
            staff, _ = _signed_in(request, session, now)
            transition(
                session=session,
                staff=staff,
                proposal_id=proposal_id,
                action=action,
                expected_version=version,
                now=now,
                note=note.strip(),
                catalogue=request.app.state.catalogue,
            )
    except DomainError as exc:
        return _refused(
            request, now, exc, _proposal_page, proposal_id, note=note, fields=_MOVE_FIELDS
        )
    return _see_other(f"/staff/proposals/{proposal_id}?saved=1")


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
    """Records what a step produced (a decree and its number, a Berita Acara, a scan's path)."""
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
        typed = {"kind": kind, "number": number, "issued_on": issued_on, "file_path": file_path}
        return _refused(
            request, now, exc, _proposal_page, proposal_id, output=typed, fields=_OUTPUT_FIELDS
        )
    return _see_other(f"/staff/proposals/{proposal_id}?recorded=1#outputs")


def _day(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("casework.form.date") from None


# --- the receipt ---------------------------------------------------------------------------


@router.post("/proposals/{proposal_id}/receipt")
def receipt(
    request: Request,
    proposal_id: RecordId,
    now: NowDep,
    person_id: Annotated[str, Form(max_length=12)] = "",
    form_token: Annotated[str, Form()] = "",
) -> Response:
    """The applicant's receipt: the proposal's number and step, and a new link code (an older
    one for the same person stops working) with each channel's deep link as a QR code."""
    check_form(request, form_token)
    settings = request.app.state.settings
    catalogue = request.app.state.catalogue
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        given = issue_receipt(
            session=session,
            staff=staff,
            proposal_id=proposal_id,
            now=now,
            settings=settings,
            person_id=int(person_id) if person_id.isdigit() else None,
        )
        shown = proposal_public(session, catalogue, staff, given.proposal, now, current())
        links = [
            (channel.name, link, qr_svg(link, title=f"{channel.name}: {link}"))
            for channel in registered()
            if (link := channel.deep_link(settings, given.issued.code, False)) is not None
        ]
        context = {
            "proposal": shown,
            "programme_name": _programme_name(
                catalogue, shown.programme_code, shown.programme_name
            ),
            "person": given.person,
            "code": link_codes.display(given.issued.code),
            "expires_at": given.issued.expires_at,
            "links": links,
        }
        return render(request, "proposal_receipt.html", context, staff=staff, office=office)
