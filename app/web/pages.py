"""The staff pages. Thin: each reads a form, calls the same services as the staff API, and
renders a template; rules (who may move a step, whose complaint is whose) stay in services.

Here: logging in and out, the office at a glance, the chats linked to people and staff, and
what every page module shares (``render``, ``_signed_in``, ``_refused``). The proposal pages
are in proposal_pages.py, the complaint pages in complaint_pages.py, the notices in
notice_pages.py."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlmodel import Session

import messages
from app.api.deps import NowDep, RecordId
from app.login import authenticate
from app.web.forms import domain_field
from app.web.labels import explain, template_globals
from app.web.lang import current
from app.web.qr import qr_svg
from app.web.session import (
    COOKIE,
    PASSWORD_PAGE,
    check_form,
    current_staff,
    form_token,
    safe_next,
)
from bot.channels import registered
from core.db import unit_of_work
from models import Office, StaffUser
from services import attempts, chat_links, link_codes
from services.complaint_reports import complaint_report
from services.errors import DomainError, InvalidInput
from services.proposals import (
    proposals_per_step,
)
from services.roles import DECIDERS
from services.staff import log_out
from services.timefmt import format_moment

# The default; the language of the page being rendered is app.web.lang.current().
LANG = messages.DEFAULT_LANGUAGE
REPORT_DAYS = 30
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
router = APIRouter(prefix="/staff", include_in_schema=False)


def _t(key: str, **params: Any) -> str:
    return messages.render(key, current(), **params)


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    staff: StaffUser | None = None,
    office: Office | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    # Without an office (the log-in page), the zone Sigap is configured with.
    tz = office.timezone if office else request.app.state.settings.office_timezone
    lang = current()
    base = {
        "t": _t,
        "lang": lang,
        "path": request.url.path,
        "status": status_code,
        "has": messages.has,
        "when": lambda moment: format_moment(moment, tz, lang) if moment else "",
        **template_globals(request.app.state.catalogue),
        "staff": staff,
        "office": office,
        "form_token": form_token(request),
    }
    return templates.TemplateResponse(
        request, template, {**base, **context}, status_code=status_code
    )


def _signed_in(request: Request, session: Session, now: datetime) -> tuple[StaffUser, Office]:
    staff = current_staff(request, session, now)
    office = session.get(Office, staff.office_id)
    assert office is not None  # staff_user.office_id is a foreign key
    return staff, office


def reason(exc: DomainError) -> str:
    return explain(exc)


def _refused(
    request: Request,
    now: datetime,
    exc: DomainError,
    page: Callable[..., HTMLResponse],
    *args: Any,
    fields: Mapping[str, str] | None = None,
    **kept: Any,
) -> HTMLResponse:
    """A refused form: the page as it now stands, what was typed kept, and the reason beside
    the field it is about (``fields`` maps a message key, or its prefix, to the field's name:
    the page gets ``errors``) or, when it is about no field (a stale version, a wrong role),
    on top (``error``).

    The failed transaction is gone, so the page is read in a fresh one."""
    errors = domain_field(exc, fields or {})
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        return page(
            request, session, staff, office, now, *args,
            error=errors.pop("", None), errors=errors, status_code=exc.status, **kept,
        )  # fmt: skip


def _see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


# --- logging in and out --------------------------------------------------------------------


@router.get("/login")
def login_form(request: Request, next: str = "/staff", expired: bool = False) -> HTMLResponse:
    notice = _t("web.login.expired") if expired else None
    return render(request, "login.html", {"next": safe_next(next), "notice": notice})


@router.post("/login")
async def login(
    request: Request,
    now: NowDep,
    username: Annotated[str, Form(max_length=80)],
    password: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=300)] = "/staff",
) -> Response:
    settings = request.app.state.settings
    try:
        token, staff = await authenticate(request, username.strip(), password, now)
    except DomainError as exc:
        context = {"next": safe_next(next), "error": reason(exc)}
        return render(request, "login.html", context, status_code=exc.status)
    response = _see_other(PASSWORD_PAGE if staff.must_change_password else safe_next(next))
    response.set_cookie(
        COOKIE,
        token,
        max_age=settings.session_hours * 3600,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/staff",
    )
    return response


@router.post("/logout")
def logout(request: Request, form_token: Annotated[str, Form()] = "") -> RedirectResponse:
    check_form(request, form_token)
    token = request.cookies.get(COOKIE)
    if token:
        with unit_of_work(request.app.state.engine) as session:
            log_out(session=session, token=token)
    response = _see_other("/staff/login")
    response.delete_cookie(COOKIE, path="/staff")
    return response


# --- the office at a glance ----------------------------------------------------------------


@router.get("")
def dashboard(request: Request, now: NowDep) -> HTMLResponse:
    settings = request.app.state.settings
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        report = complaint_report(
            session=session,
            office_id=office.id or 0,
            start=now - timedelta(days=REPORT_DAYS),
            end=now,
            now=now,
            response_hours=settings.complaint_response_hours,
        )
        per_step = proposals_per_step(session=session, office_id=office.id or 0)
    context = {
        "report": report,
        "per_step": per_step,
        "days": REPORT_DAYS,
        "hours": settings.complaint_response_hours,
    }
    return render(request, "dashboard.html", context, staff=staff, office=office)


# --- who is behind a chat ------------------------------------------------------------------


def _chats_of(request: Request, session: Session, person_id: int, now: datetime) -> dict[str, Any]:
    """The person's linked chats, and whether failed attempts have locked them out."""
    limit = request.app.state.settings.status_attempts_per_hour
    return {
        "person_id": person_id,
        "linked": chat_links.chats_of(session=session, person_id=person_id),
        "locked_until": attempts.person_locked_until(
            session=session, person_id=person_id, now=now, limit=limit
        ),
    }


def _code_page(
    request: Request, staff: StaffUser, office: Office, issued: link_codes.Issued, back: str
) -> HTMLResponse:
    """The code, shown once (only its hash is kept), to print or read out."""
    settings = request.app.state.settings
    group = issued.link.kind == link_codes.Kind.OFFICERS
    links = [
        (channel.name, link, qr_svg(link, title=f"{channel.name}: {link}"))
        for channel in registered()
        if (link := channel.deep_link(settings, issued.code, group)) is not None
    ]
    context = {
        "code": link_codes.display(issued.code),
        "kind": issued.link.kind,
        "expires_at": issued.expires_at,
        "links": links,
        "back": safe_next(back),
    }
    return render(request, "link_code.html", context, staff=staff, office=office)


@router.post("/persons/{person_id}/link-code")
def person_link_code(
    request: Request,
    person_id: RecordId,
    now: NowDep,
    back: Annotated[str, Form(max_length=200)] = "/staff",
    form_token: Annotated[str, Form()] = "",
) -> Response:
    check_form(request, form_token)
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        issued = link_codes.issue_by_staff(
            session=session,
            staff=staff,
            kind=link_codes.Kind.PERSON,
            person_id=person_id,
            now=now,
            settings=request.app.state.settings,
        )
        return _code_page(request, staff, office, issued, back)


@router.post("/persons/{person_id}/chats/{conversation_id}/unlink")
def unlink_person_chat(
    request: Request,
    person_id: RecordId,
    conversation_id: RecordId,
    now: NowDep,
    back: Annotated[str, Form(max_length=200)] = "/staff",
    form_token: Annotated[str, Form()] = "",
) -> Response:
    check_form(request, form_token)
    with unit_of_work(request.app.state.engine) as session:
        staff, _ = _signed_in(request, session, now)
        chat_links.unlink_by_staff(
            session=session,
            staff=staff,
            person_id=person_id,
            conversation_id=conversation_id,
            now=now,
        )
    target = safe_next(back)
    return _see_other(f"{target}{'&' if '?' in target else '?'}done=unlinked")


@router.get("/chats")
def office_chats(request: Request, now: NowDep) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        context = {"may_link_officers": staff.role in DECIDERS}
        return render(request, "chats.html", context, staff=staff, office=office)


@router.post("/chats/link-code")
def office_chat_link_code(
    request: Request,
    now: NowDep,
    kind: Annotated[link_codes.Kind, Form()],
    form_token: Annotated[str, Form()] = "",
) -> Response:
    """A code for the office's officers' chat, or for the staff member's own chat."""
    check_form(request, form_token)
    if kind == link_codes.Kind.PERSON:
        raise InvalidInput("error.link_code_target")
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        issued = link_codes.issue_by_staff(
            session=session, staff=staff, kind=kind, now=now, settings=request.app.state.settings
        )
        return _code_page(request, staff, office, issued, "/staff/chats")
