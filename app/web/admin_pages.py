"""Administration: one page that leads to everything that is not case work (staff accounts,
link codes for one's own chat and the officers' group, the audit log, a person's data on
request, the office's own settings, updates the bot set aside), each shown to the roles that
may use it."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

import messages
from app.api.deps import NowDep, RecordId
from app.web.forms import Posted, domain_field, field_errors
from app.web.lang import current
from app.web.pages import _signed_in, render
from app.web.session import check_form
from core.db import unit_of_work
from models import Office, StaffUser
from services import office_settings, quarantine
from services.catalogue import ComplaintClock
from services.errors import DomainError
from services.roles import DECIDERS, OFFICE_SETTERS, PRIVACY_OFFICERS, STAFF_ADMINS

router = APIRouter(prefix="/staff", include_in_schema=False)


@router.get("/admin")
def administration(request: Request, now: NowDep) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        context = {
            "is_admin": staff.role in STAFF_ADMINS,
            "is_privacy_officer": staff.role in PRIVACY_OFFICERS,
            "may_link_officers": staff.role in DECIDERS,
        }
        return render(request, "admin.html", context, staff=staff, office=office)


# --- the office's own settings -------------------------------------------------------------


def _clock_words(clock: ComplaintClock | None, hours: int) -> str:
    lang = current()
    if clock is None:
        return messages.render("complaint.clock.days_of_hours", lang, days=hours // 24)
    if clock.kind == "working_days":
        return messages.render("complaint.clock.working_days", lang, days=clock.amount)
    if clock.amount % 24 == 0:
        return messages.render("complaint.clock.days_of_hours", lang, days=clock.amount // 24)
    return messages.render("complaint.clock.hours", lang, hours=clock.amount)


def _as_form(settings: office_settings.Settings) -> dict[str, Any]:
    clock = settings.clock
    opens, _, closes = ((clock.office_hours if clock else None) or "08:00-16:00").partition("-")
    return {
        "hours_id": settings.hours_id,
        "hours_en": settings.hours_en,
        **{name: getattr(settings, name) for name in office_settings.CONTACTS},
        "clock_kind": clock.kind if clock else "hours",
        "clock_amount": clock.amount if clock else 48,
        "clock_opens": opens,
        "clock_closes": closes,
    }


def _office_page(
    request: Request,
    session: Session,
    staff: StaffUser,
    office: Office,
    *,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    spec = request.app.state.catalogue.office(office.code)
    settings = office_settings.settings_of(session=session, office=office, spec=spec)
    hours = request.app.state.settings.complaint_response_hours
    context = {
        "settings": settings,
        "clock_words": _clock_words(settings.clock, hours),
        "sop_quote": (settings.clock.source.partition(":")[2].strip() if settings.clock else ""),
        "may_change": staff.role in OFFICE_SETTERS,
        "form": form or _as_form(settings),
        "errors": errors or {},
        "done": request.query_params.get("done") == "saved",
    }
    return render(
        request, "office_settings.html", context, staff=staff, office=office,
        status_code=status_code,
    )  # fmt: skip


@router.get("/admin/office")
def office_settings_page(request: Request, now: NowDep) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        return _office_page(request, session, staff, office)


def _settings_in(form: dict[str, str]) -> office_settings.SettingsIn:
    kind = form.get("clock_kind", "")
    opens, closes = form.get("clock_opens", ""), form.get("clock_closes", "")
    data: dict[str, Any] = {
        name: form.get(name, "") for name in ("hours_id", "hours_en", *office_settings.CONTACTS)
    }
    if kind:
        data["clock_kind"] = kind
        data["clock_amount"] = form.get("clock_amount", "") or None
        if kind == "working_days":
            data["clock_office_hours"] = f"{opens}-{closes}" if opens or closes else ""
    return office_settings.SettingsIn.model_validate(data)


SETTINGS_ERRORS = {"officeset.error.clock_sop": "clock_kind", "officeset.error": "clock_amount"}


@router.post("/admin/office")
def save_office_settings(request: Request, now: NowDep, form: Posted) -> Response:
    check_form(request, form.get("form_token", ""))
    status_code = 422
    try:
        data = _settings_in(form)
    except ValidationError as exc:
        errors = field_errors(exc)
        if "" in errors:  # the rule across fields: too many working days for a promise
            errors["clock_amount"] = errors.pop("")
        if "clock_office_hours" in errors:
            errors["clock_opens"] = errors.pop("clock_office_hours")
    else:
        try:
            with unit_of_work(request.app.state.engine) as session:
                staff, office = _signed_in(request, session, now)
                office_settings.save_settings(
                    session=session,
                    staff=staff,
                    office=office,
                    spec=request.app.state.catalogue.office(office.code),
                    data=data,
                    now=now,
                )
            return RedirectResponse("/staff/admin/office?done=saved", status_code=303)
        except DomainError as exc:
            if exc.status == 403:
                raise
            errors, status_code = domain_field(exc, SETTINGS_ERRORS), exc.status
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        return _office_page(
            request, session, staff, office, form=form, errors=errors, status_code=status_code
        )


# --- updates the bot set aside -------------------------------------------------------------


@router.get("/admin/quarantine")
def quarantined(request: Request, now: NowDep) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        rows = quarantine.set_aside(session=session, staff=staff)
        done = request.query_params.get("done", "")
        context = {"rows": rows, "done": done if done in {"retried", "discarded"} else ""}
        return render(request, "quarantine.html", context, staff=staff, office=office)


@router.post("/admin/quarantine/{inbound_id}/{action}")
def quarantine_action(
    request: Request,
    inbound_id: RecordId,
    action: Literal["retry", "discard"],
    now: NowDep,
    form: Posted,
) -> Response:
    check_form(request, form.get("form_token", ""))
    with unit_of_work(request.app.state.engine) as session:
        staff, _ = _signed_in(request, session, now)
        move = quarantine.retry if action == "retry" else quarantine.discard
        move(session=session, staff=staff, inbound_id=inbound_id, now=now)
    bot = getattr(request.app.state, "bot", None)
    if action == "retry" and bot is not None:
        bot.notify_inbound()  # workers in this process: take it now, not at the next poll
    done = "retried" if action == "retry" else "discarded"
    return RedirectResponse(f"/staff/admin/quarantine?done={done}", status_code=303)
