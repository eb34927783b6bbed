"""Staff administration pages (the admin role): the office's accounts, adding one, disabling
and enabling, a temporary password, a new role; and every staff member's own password page,
which comes before anything else after a reset. Rules and the audit trail are in
services/staff.py; these pages read forms and render."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from app.api.deps import NowDep, RecordId
from app.web.forms import domain_field
from app.web.pages import render
from app.web.session import COOKIE, PASSWORD_PAGE, check_form, current_staff
from core.db import unit_of_work
from models import Office, StaffUser
from services import staff as staff_service
from services.errors import DomainError, InvalidInput
from services.roles import STAFF_ADMINS, Role

router = APIRouter(prefix="/staff", include_in_schema=False)
ACCOUNTS = "/staff/accounts"


def _signed_in(
    request: Request, session: Session, now: datetime, *, admin: bool = True
) -> tuple[StaffUser, Office]:
    staff = current_staff(request, session, now)
    if admin:
        staff_service.require_role(staff, STAFF_ADMINS)
    office = session.get(Office, staff.office_id)
    assert office is not None  # staff_user.office_id is a foreign key
    return staff, office


def _accounts_page(
    request: Request,
    session: Session,
    staff: StaffUser,
    office: Office,
    *,
    status_code: int = 200,
    **extra: Any,
) -> HTMLResponse:
    accounts = staff_service.staff_of_office(session=session, office_id=office.id)
    done = request.query_params.get("done", "")
    named = request.query_params.get("id", "")
    who = next((a.username for a in accounts if str(a.id) == named), None)
    context = {
        "accounts": accounts,
        "roles": list(Role),
        "min": staff_service.PASSWORD_MIN,
        "done": done if who and done in {"created", "disabled", "enabled", "role"} else "",
        "who": who,
        "form": extra.pop("form", {}),
        **extra,
    }
    return render(
        request, "accounts.html", context, staff=staff, office=office, status_code=status_code
    )


# Which field of the new account's form a refusal is about, by its message key.
NEW_ACCOUNT_FIELDS = {
    "staffadmin.username": "username",
    "error.username_taken": "username",
    "staffadmin.name": "full_name",
    "error.unknown_role": "role",
    "staffadmin.role": "role",
    "staffadmin.password": "password",
}
# And of the form that changes one's own password.
PASSWORD_FIELDS = {
    "staffadmin.password.current_wrong": "current",
    "staffadmin.password.mismatch": "again",
    "staffadmin.password": "new",
}


def _refused(
    request: Request,
    now: datetime,
    exc: DomainError,
    fields: dict[str, str] | None = None,
    **kept: Any,
) -> HTMLResponse:
    """The list as it now stands, the reason beside the new account's field it is about or on
    top; the failed transaction is gone."""
    errors = domain_field(exc, fields or {})
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        return _accounts_page(
            request, session, staff, office,
            status_code=exc.status, error=errors.pop("", None), errors=errors, **kept,
        )  # fmt: skip


def _done(kind: str, staff_id: int | None) -> RedirectResponse:
    return RedirectResponse(f"{ACCOUNTS}?done={kind}&id={staff_id}", status_code=303)


@router.get("/accounts")
def accounts(request: Request, now: NowDep) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        return _accounts_page(request, session, staff, office)


@router.post("/accounts")
def create_account(
    request: Request,
    now: NowDep,
    username: Annotated[str, Form(max_length=80)],
    full_name: Annotated[str, Form(max_length=200)],
    role: Annotated[str, Form(max_length=30)],
    password: Annotated[str, Form(max_length=300)],
    ppid: Annotated[bool, Form()] = False,
    form_token: Annotated[str, Form()] = "",
) -> Response:
    check_form(request, form_token)
    try:
        with unit_of_work(request.app.state.engine) as session:
            staff, office = _signed_in(request, session, now)
            created = staff_service.add_staff(
                session=session,
                by=staff,
                office_id=office.id or 0,
                username=username,
                full_name=full_name,
                role=role,
                password=password,
                ppid=ppid,
                now=now,
            )
    except DomainError as exc:
        form = {"username": username, "full_name": full_name, "role": role, "ppid": ppid}
        return _refused(request, now, exc, NEW_ACCOUNT_FIELDS, form=form)
    return _done("created", created.id)


@router.post("/accounts/{staff_id}/disable")
def disable_account(
    request: Request, staff_id: RecordId, now: NowDep, form_token: Annotated[str, Form()] = ""
) -> Response:
    return _set_active(request, staff_id, now, form_token, active=False)


@router.post("/accounts/{staff_id}/enable")
def enable_account(
    request: Request, staff_id: RecordId, now: NowDep, form_token: Annotated[str, Form()] = ""
) -> Response:
    return _set_active(request, staff_id, now, form_token, active=True)


def _set_active(
    request: Request, staff_id: int, now: datetime, form_token: str, *, active: bool
) -> Response:
    check_form(request, form_token)
    try:
        with unit_of_work(request.app.state.engine) as session:
            staff, _ = _signed_in(request, session, now)
            staff_service.set_active(
                session=session, by=staff, staff_id=staff_id, active=active, now=now
            )
    except DomainError as exc:
        return _refused(request, now, exc)
    return _done("enabled" if active else "disabled", staff_id)


@router.post("/accounts/{staff_id}/role")
def change_role(
    request: Request,
    staff_id: RecordId,
    now: NowDep,
    role: Annotated[str, Form(max_length=30)],
    ppid: Annotated[bool, Form()] = False,
    form_token: Annotated[str, Form()] = "",
) -> Response:
    check_form(request, form_token)
    try:
        with unit_of_work(request.app.state.engine) as session:
            staff, _ = _signed_in(request, session, now)
            staff_service.set_role(
                session=session, by=staff, staff_id=staff_id, role=role, ppid=ppid, now=now
            )
    except DomainError as exc:
        return _refused(request, now, exc)
    return _done("role", staff_id)


@router.post("/accounts/{staff_id}/reset-password")
def reset_password(
    request: Request, staff_id: RecordId, now: NowDep, form_token: Annotated[str, Form()] = ""
) -> Response:
    """The temporary password, in this response only: never stored, never shown again."""
    check_form(request, form_token)
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        password = staff_service.reset_password(
            session=session, by=staff, staff_id=staff_id, now=now
        )
        target = session.get_one(StaffUser, staff_id)
        response = render(
            request,
            "temporary_password.html",
            {"target": target, "password": password},
            staff=staff,
            office=office,
        )
    response.headers["Cache-Control"] = "no-store"
    return response


# --- one's own password --------------------------------------------------------------------


def _password_page(
    request: Request, staff: StaffUser, office: Office, *, status_code: int = 200, **extra: Any
) -> HTMLResponse:
    context = {"min": staff_service.PASSWORD_MIN, "done": "done" in request.query_params, **extra}
    return render(
        request, "password.html", context, staff=staff, office=office, status_code=status_code
    )


@router.get("/password")
def password_form(request: Request, now: NowDep) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now, admin=False)
        return _password_page(request, staff, office)


@router.post("/password")
def change_password(
    request: Request,
    now: NowDep,
    current: Annotated[str, Form(max_length=300)],
    new: Annotated[str, Form(max_length=300)],
    again: Annotated[str, Form(max_length=300)],
    form_token: Annotated[str, Form()] = "",
) -> Response:
    check_form(request, form_token)
    try:
        with unit_of_work(request.app.state.engine) as session:
            staff, _ = _signed_in(request, session, now, admin=False)
            if new != again:
                raise InvalidInput("staffadmin.password.mismatch")
            staff_service.change_own_password(
                session=session,
                staff=staff,
                current=current,
                new=new,
                now=now,
                keep_token=request.cookies.get(COOKIE),
            )
    except DomainError as exc:
        with unit_of_work(request.app.state.engine) as session:
            staff, office = _signed_in(request, session, now, admin=False)
            errors = domain_field(exc, PASSWORD_FIELDS)
            return _password_page(
                request, staff, office,
                status_code=exc.status, error=errors.pop("", None), errors=errors,
            )  # fmt: skip
    return RedirectResponse(f"{PASSWORD_PAGE}?done=1", status_code=303)
