"""The staff page "Daftar KPM": upload the office's list, see every row's errors before anything
is saved, then import it, with its progress, in the background.

The pages carry no script (the staff pages' Content-Security-Policy), so a running check or
import is followed by a page that refreshes itself. The work runs in a thread of the web
process that took the upload; its progress is in the database after every chunk, so a reload
finds it where it is, and a job whose worker stopped (a restart) is offered to be taken on
again (services.register_import.claim lets only one worker have it)."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine
from sqlmodel import Session

from app.api.deps import NowDep, RecordId
from app.web.pages import reason, render
from app.web.session import check_form, current_staff
from core.db import unit_of_work
from models import Office, RegisterImport, StaffUser
from services import register_import
from services.errors import DomainError, InvalidInput
from services.roles import CASE_WRITERS, require_role

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/staff", include_in_schema=False)
REFRESH_SECONDS = 2


def _signed_in(request: Request, session: Session, now: datetime) -> tuple[StaffUser, Office]:
    staff = current_staff(request, session, now)
    require_role(staff, CASE_WRITERS)
    return staff, session.get_one(Office, staff.office_id)


def _work(engine: Engine, import_id: int) -> None:
    try:
        register_import.work(engine=engine, import_id=import_id, clock=lambda: datetime.now(UTC))
    except Exception as exc:
        # Its type only: a database error's text may quote a row. The job shows as stalled,
        # and can be taken on again from its page.
        logger.error("register import %s stopped: %s", import_id, type(exc).__name__)


def start(engine: Engine, import_id: int, now: datetime) -> None:
    """Take the job on in a thread of this process, unless a live worker already has it."""
    if register_import.claim(engine=engine, import_id=import_id, now=now):
        threading.Thread(
            target=_work, args=(engine, import_id), name=f"register-{import_id}", daemon=True
        ).start()


def _list_page(
    request: Request,
    session: Session,
    staff: StaffUser,
    office: Office,
    now: datetime,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    jobs = register_import.recent_imports(session=session, staff=staff)
    context = {
        "jobs": [(job, _status(job, now)) for job in jobs],
        "columns": register_import.COLUMNS,
        "error": error,
    }
    return render(
        request, "register.html", context, staff=staff, office=office, status_code=status_code
    )


def _status(job: RegisterImport, now: datetime) -> str:
    return "stalled" if register_import.is_stalled(job, now) else job.status


@router.get("/register")
def register_page(request: Request, now: NowDep) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        return _list_page(request, session, staff, office, now)


@router.post("/register")
def register_upload(
    request: Request,
    now: NowDep,
    file: Annotated[UploadFile | None, File()] = None,
    form_token: Annotated[str, Form()] = "",
) -> Response:
    check_form(request, form_token)
    engine = request.app.state.engine
    try:
        if file is None or not file.filename:
            raise InvalidInput("register.upload.missing")
        # One byte past the limit tells it is too large, without reading it all.
        content = file.file.read(register_import.MAX_UPLOAD_BYTES + 1)
        with unit_of_work(engine) as session:
            staff, _ = _signed_in(request, session, now)
            job = register_import.new_import(
                session=session, staff=staff, filename=file.filename, content=content, now=now
            )
            import_id = job.id or 0
    except InvalidInput as exc:
        with unit_of_work(engine) as session:
            staff, office = _signed_in(request, session, now)
            return _list_page(
                request, session, staff, office, now, error=reason(exc), status_code=exc.status
            )
    start(engine, import_id, now)
    return RedirectResponse(f"/staff/register/{import_id}", status_code=303)


@router.get("/register/{import_id}")
def register_job(request: Request, import_id: RecordId, now: NowDep) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        job = register_import.import_for_staff(session=session, staff=staff, import_id=import_id)
        status = _status(job, now)
        uploader = session.get(StaffUser, job.staff_id)
        context: dict[str, Any] = {
            "job": job,
            "status": status,
            "uploader": uploader.full_name if uploader else "",
            "refresh": REFRESH_SECONDS if status in register_import.RUNNING else None,
            "importable": job.will_create + job.will_update,
            "more_errors": max(0, job.error_count - len(job.errors)),
        }
        return render(request, "register_import.html", context, staff=staff, office=office)


def _act(request: Request, import_id: int, now: datetime, form_token: str, action: Any) -> Response:
    check_form(request, form_token)
    engine = request.app.state.engine
    try:
        with unit_of_work(engine) as session:
            staff, _ = _signed_in(request, session, now)
            action(session=session, staff=staff, import_id=import_id, now=now)
    except DomainError as exc:
        if exc.status != 409:
            raise
        # Already done, or already running: the page says where it stands.
    else:
        if action is not register_import.cancel:
            start(engine, import_id, now)
    return RedirectResponse(f"/staff/register/{import_id}", status_code=303)


@router.post("/register/{import_id}/import")
def register_confirm(
    request: Request, import_id: RecordId, now: NowDep, form_token: Annotated[str, Form()] = ""
) -> Response:
    return _act(request, import_id, now, form_token, register_import.confirm)


@router.post("/register/{import_id}/cancel")
def register_cancel(
    request: Request, import_id: RecordId, now: NowDep, form_token: Annotated[str, Form()] = ""
) -> Response:
    return _act(request, import_id, now, form_token, register_import.cancel)


@router.post("/register/{import_id}/resume")
def register_resume(
    request: Request, import_id: RecordId, now: NowDep, form_token: Annotated[str, Form()] = ""
) -> Response:
    return _act(request, import_id, now, form_token, register_import.resume)
