"""The staff's web pages: log in, the office at a glance, proposals, complaints, notices."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError, SQLAlchemyError
from starlette.concurrency import run_in_threadpool

import messages
from app.web import (
    admin_pages,
    complaint_pages,
    group_reports,
    lang,
    notice_pages,
    people_pages,
    privacy,
    proposal_pages,
    register_pages,
    report_pages,
    staff_admin,
)
from app.web.lang import current
from app.web.pages import reason, render, router
from app.web.session import (
    PASSWORD_PAGE,
    FormExpired,
    LoginRequired,
    PasswordChangeRequired,
    current_staff,
)
from core.db import unit_of_work
from models import Office
from services.errors import DomainError

Handler = Callable[[Request, Exception], Awaitable[Response]]
# The pages' one script file (a print button); same origin, so the Content-Security-Policy's
# script-src 'self' runs it and nothing inline.
STATIC = "/staff/static"


def install(app: FastAPI) -> None:
    """Mount the pages; their errors answer as pages, the API's stay JSON."""
    app.include_router(notice_pages.router)
    app.include_router(router)
    app.include_router(proposal_pages.router)
    app.include_router(complaint_pages.router)
    app.include_router(group_reports.router)
    app.include_router(privacy.router)
    app.include_router(staff_admin.router)
    app.include_router(register_pages.router)
    app.include_router(lang.router)
    app.include_router(people_pages.router)
    app.include_router(report_pages.router)
    app.include_router(admin_pages.router)
    app.mount(STATIC, StaticFiles(directory=Path(__file__).parent / "static"), name="staff-static")
    app.add_middleware(lang.LanguageFromCookie)
    app.add_api_route("/", _to_staff_pages, include_in_schema=False)

    @app.exception_handler(LoginRequired)
    async def _login(_request: Request, exc: LoginRequired) -> RedirectResponse:
        query = {"next": exc.next_path, **({"expired": "1"} if exc.expired else {})}
        return RedirectResponse(f"/staff/login?{urlencode(query)}", status_code=303)

    @app.exception_handler(PasswordChangeRequired)
    async def _password_first(_request: Request, _exc: PasswordChangeRequired) -> Response:
        return RedirectResponse(PASSWORD_PAGE, status_code=303)

    @app.exception_handler(FormExpired)
    async def _expired(request: Request, _exc: FormExpired) -> HTMLResponse:
        text = messages.render("web.form.expired", current())
        title = messages.render("ui.expired", current())
        context = {"text": text, "title": title}
        return await run_in_threadpool(_message_page, request, context, 403)

    for kind in (DomainError, RequestValidationError, DataError):
        app.add_exception_handler(kind, _as_page_under_staff(app.exception_handlers[kind]))


def _as_page_under_staff(json_handler: Handler) -> Handler:
    async def handle(request: Request, exc: Exception) -> Response:
        if not request.url.path.startswith("/staff"):
            return await json_handler(request, exc)
        if isinstance(exc, DomainError):
            text, status = reason(exc), exc.status
        else:
            text, status = messages.render("error.validation", current()), 422
        return await run_in_threadpool(_message_page, request, {"text": text}, status)

    return handle


def _message_page(request: Request, context: dict[str, Any], status: int) -> HTMLResponse:
    """What went wrong, with the menu when the reader is signed in (so the keyboard and the
    back button are not the only ways on)."""
    try:
        with unit_of_work(request.app.state.engine) as session:
            staff = current_staff(request, session, datetime.now(UTC))
            office = session.get_one(Office, staff.office_id)
            return render(
                request, "message.html", context, staff=staff, office=office, status_code=status
            )
    except (LoginRequired, PasswordChangeRequired, DomainError, SQLAlchemyError):
        return render(request, "message.html", context, status_code=status)


def _to_staff_pages() -> RedirectResponse:
    return RedirectResponse("/staff", status_code=303)
