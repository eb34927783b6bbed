"""Staff pages for notices: the list, the composer (audience picker, *Pratinjau* for the
recipient count and the exact text, scheduling), a notice's page (progress, change, pause,
resume, cancel after a confirmation) and its report with the people not reached (CSV).

No script runs on the staff pages (their Content-Security-Policy), so the count comes from
the *Pratinjau* button: the same form posted with ``action=preview``, answered with the form
as typed and the preview under it. Thin: the rules are in services/notices.py.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from app.api.deps import NowDep, RecordId
from app.scheduler import kick_notices
from app.web.labels import programme_word, step_word
from app.web.lang import current
from app.web.pages import _refused, _signed_in, render
from app.web.session import check_form
from core.db import unit_of_work
from models import Office, StaffUser
from services import notice_audience, notice_reports
from services.catalogue import Catalogue
from services.errors import DomainError, InvalidInput, NotFound
from services.notices import (
    KINDS,
    NewNotice,
    NoticeChange,
    cancel_notice,
    create_notice,
    get_notice,
    notices_of_office,
    pause_notice,
    preview_notice,
    resume_notice,
    update_notice,
)
from services.timefmt import zone_abbreviation

router = APIRouter(prefix="/staff", include_in_schema=False)
ACTIONS = ("pause", "resume", "cancel")
SHOWN_NOT_REACHED = 500  # on the page; the CSV has them all
_NIK_SPLIT = re.compile(r"[\s,;]+")
# Which field of the composer a refusal is about, by its message key (or the key's start).
EDIT_FIELDS = {
    "notice.error.title": "title",
    "notice.error.place": "place",
    "notice.error.details": "details",
    "notice.error.when": "date",
    "notice.error.past": "date",
}
COMPOSER_FIELDS = {
    **EDIT_FIELDS,
    "notice.error.kind": "kind",
    "notice.error.send_after_start": "send_date",
    "notice.error.reminder": "remind_hours",
    "notice.error.remind_hours": "remind_hours",
    "notice.error.too_many_reminders": "remind_hours",
    "notice.audience.file": "niks_file",
    "error.csv_empty": "niks_file",
    "notice.audience": "audience",
    "notice.error.nobody": "audience",
}


def _local(day: str, clock: str, tz: str) -> datetime | None:
    """A date and time typed in the office's own time zone, as an instant; None if unclear."""
    try:
        naive = datetime.fromisoformat(f"{day}T{clock}")
    except ValueError:
        return None
    return naive.replace(tzinfo=ZoneInfo(tz)).astimezone(UTC)


def _phone_channel(request: Request) -> str | None:
    return request.app.state.settings.phone_channel or None


def _kick(request: Request) -> None:
    workers = getattr(request.app.state, "bot", None)
    if workers is not None:
        kick_notices(workers.scheduler)


# --- the list ----------------------------------------------------------------------------------


@router.get("/notices")
def notices(request: Request, now: NowDep) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        listed = notices_of_office(session=session, office_id=office.id or 0)
        progress = {
            n.id: notice_reports.round_counts(session, n.id or 0).get("notice", {}) for n in listed
        }
        context = {"notices": listed, "progress": progress, "now": now}
        return render(request, "notices.html", context, staff=staff, office=office)


# --- the composer -----------------------------------------------------------------------------


def _composer(
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
        "kinds": KINDS,
        "options": _options_in_words(
            request.app.state.catalogue,
            notice_audience.options(session=session, office_id=office.id or 0),
        ),
        "zone": zone_abbreviation(office.timezone),
        "form": extra.pop("form", {}),
        "phone_channel": _phone_channel(request),
        **extra,
    }
    return render(
        request, "notice_new.html", context, staff=staff, office=office, status_code=status_code
    )


def _options_in_words(
    catalogue: Catalogue, options: notice_audience.Options
) -> notice_audience.Options:
    """The picker's programmes and steps named in the page's language, the steps numbered as
    the SOP numbers them ("5b"); a step the catalogue does not know keeps its stored label."""
    steps = []
    for value, stored in options.steps:
        code, position = notice_audience.parse_step(value) or ("", 0)
        spec = catalogue.programme(code)
        if spec is not None and 1 <= position <= len(spec.steps):
            name = spec.steps[position - 1].name.get(current())
            label = f"{programme_word(catalogue, code)}: {spec.sop_label(position)}. {name}"
            steps.append((value, label[:160]))
        else:
            steps.append((value, stored))
    programmes = [(code, programme_word(catalogue, code)) for code, _ in options.programmes]
    return replace(options, programmes=programmes, steps=steps)


@router.get("/notices/new")
def new_notice(request: Request, now: NowDep) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        return _composer(request, session, staff, office, now)


def _reminders(form: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if form["remind_day"]:
        found.append({"days_before": 1, "at": form["remind_day_at"] or "08:00"})
    if form["remind_hours_on"]:
        try:
            hours = int(form["remind_hours"])
        except ValueError:
            raise InvalidInput("notice.error.reminder", value=form["remind_hours"][:20]) from None
        found.append({"hours_before": hours})
    return found


def _data(form: dict[str, Any], tz: str) -> NewNotice:
    starts_at = _local(form["date"], form["time"], tz)
    send_at = (
        _local(form["send_date"], form["send_time"] or "00:00", tz) if form["send_date"] else None
    )
    if starts_at is None or (form["send_date"] and send_at is None):
        raise InvalidInput("notice.error.when")
    audience = {
        key: form[key] for key in ("programme", "kecamatan", "desa", "step", "groups") if form[key]
    }
    niks = [n for n in _NIK_SPLIT.split(form["niks"]) if n]
    if niks:
        audience["niks"] = niks
    return NewNotice(
        kind=form["kind"],
        title=form["title"],
        place=form["place"],
        starts_at=starts_at,
        details=form["details"],
        send_at=send_at,
        audience=audience,
        reminders=_reminders(form),
    )


@router.post("/notices")
async def compose(
    request: Request,
    now: NowDep,
    kind: Annotated[str, Form(max_length=20)],
    title: Annotated[str, Form(max_length=120)],
    place: Annotated[str, Form(max_length=200)],
    date: Annotated[str, Form(max_length=10)],
    time: Annotated[str, Form(max_length=8)],
    details: Annotated[str, Form(max_length=2000)] = "",
    send_date: Annotated[str, Form(max_length=10)] = "",
    send_time: Annotated[str, Form(max_length=8)] = "",
    remind_day: Annotated[str, Form(max_length=4)] = "",
    remind_day_at: Annotated[str, Form(max_length=8)] = "08:00",
    remind_hours_on: Annotated[str, Form(max_length=4)] = "",
    remind_hours: Annotated[str, Form(max_length=4)] = "2",
    programme: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies defaults)
    kecamatan: Annotated[list[str], Form()] = [],  # noqa: B006
    desa: Annotated[list[str], Form()] = [],  # noqa: B006
    step: Annotated[list[str], Form()] = [],  # noqa: B006
    groups: Annotated[list[int], Form()] = [],  # noqa: B006
    niks: Annotated[str, Form(max_length=4_000_000)] = "",
    niks_file: Annotated[UploadFile | None, File()] = None,
    action: Annotated[str, Form(max_length=10)] = "schedule",
    form_token: Annotated[str, Form()] = "",
) -> Response:
    check_form(request, form_token)
    form: dict[str, Any] = {
        "kind": kind, "title": title, "place": place, "date": date, "time": time,
        "details": details, "send_date": send_date, "send_time": send_time,
        "remind_day": remind_day, "remind_day_at": remind_day_at,
        "remind_hours_on": remind_hours_on, "remind_hours": remind_hours,
        "programme": programme, "kecamatan": kecamatan, "desa": desa, "step": step,
        "groups": groups, "niks": niks, "submitted": True,
    }  # fmt: skip
    try:
        if niks_file is not None and niks_file.filename:
            # The file's NIKs join the list typed; shown in the box, so a preview keeps them.
            found, _lines = notice_audience.niks_from_csv(
                await niks_file.read(notice_audience.MAX_NIK_FILE + 1)
            )
            form["niks"] = "\n".join([*form["niks"].split(), *found])
        with unit_of_work(request.app.state.engine) as session:
            staff, office = _signed_in(request, session, now)
            data = _data(form, office.timezone)
            if action == "preview":
                shown = preview_notice(
                    session=session,
                    staff=staff,
                    data=data,
                    now=now,
                    phone_channel=_phone_channel(request),
                )
                return _composer(request, session, staff, office, now, form=form, preview=shown)
            notice = create_notice(
                session=session,
                staff=staff,
                data=data,
                now=now,
                phone_channel=_phone_channel(request),
            )
            notice_id, at_once = notice.id, notice.send_at <= now
    except DomainError as exc:
        return _refused(request, now, exc, _composer, form=form, fields=COMPOSER_FIELDS)
    if at_once:
        _kick(request)
    return RedirectResponse(f"/staff/notices/{notice_id}?done=created", status_code=303)


# --- one notice ------------------------------------------------------------------------------


def _audience_words(catalogue: Catalogue, audience: dict[str, Any]) -> list[tuple[str, str]]:
    """Who a notice is for, as staff read it: programme names and SOP steps, not codes."""
    words: list[tuple[str, str]] = []
    for key, values in audience.items():
        if key == "niks":
            text = f"{len(values)} NIK"
        elif key == "programme":
            text = ", ".join(programme_word(catalogue, str(code)) for code in values)
        elif key == "step":
            steps = [notice_audience.parse_step(str(value)) for value in values]
            text = ", ".join(
                f"{programme_word(catalogue, code)}: {step_word(catalogue, code, position)}"
                for code, position in filter(None, steps)
            )
        else:
            text = ", ".join(str(value) for value in values)
        words.append((key, text))
    return words


def _notice_page(
    request: Request,
    session: Session,
    staff: StaffUser,
    office: Office,
    now: datetime,
    notice_id: int,
    *,
    status_code: int = 200,
    **extra: Any,
) -> HTMLResponse:
    report = notice_reports.notice_report(
        session=session, staff=staff, notice_id=notice_id, now=now, limit=SHOWN_NOT_REACHED
    )
    notice = report.notice
    local = notice.starts_at.astimezone(ZoneInfo(office.timezone))
    context = {
        "notice": notice,
        "audience": _audience_words(request.app.state.catalogue, notice.audience),
        "report": report,
        "now": now,
        "zone": zone_abbreviation(office.timezone),
        "live": notice.status != "cancelled" and notice.starts_at > now,
        "form": extra.pop("form", None)
        or {
            "title": notice.title,
            "place": notice.place,
            "details": notice.details,
            "date": local.date().isoformat(),
            "time": local.strftime("%H:%M"),
        },
        **extra,
    }
    return render(
        request, "notice.html", context, staff=staff, office=office, status_code=status_code
    )


@router.get("/notices/{notice_id}")
def notice_page(request: Request, notice_id: RecordId, now: NowDep) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        return _notice_page(request, session, staff, office, now, notice_id)


@router.post("/notices/{notice_id}/edit")
def edit_notice(
    request: Request,
    notice_id: RecordId,
    now: NowDep,
    title: Annotated[str, Form(max_length=120)],
    place: Annotated[str, Form(max_length=200)],
    date: Annotated[str, Form(max_length=10)],
    time: Annotated[str, Form(max_length=8)],
    details: Annotated[str, Form(max_length=2000)] = "",
    form_token: Annotated[str, Form()] = "",
) -> Response:
    check_form(request, form_token)
    form = {"title": title, "place": place, "date": date, "time": time, "details": details}
    try:
        with unit_of_work(request.app.state.engine) as session:
            staff, office = _signed_in(request, session, now)
            starts_at = _local(date, time, office.timezone)
            if starts_at is None:
                raise InvalidInput("notice.error.when")
            update_notice(
                session=session,
                staff=staff,
                notice_id=notice_id,
                change=NoticeChange(title=title, place=place, starts_at=starts_at, details=details),
                now=now,
            )
    except DomainError as exc:
        return _refused(request, now, exc, _notice_page, notice_id, form=form, fields=EDIT_FIELDS)
    _kick(request)
    return RedirectResponse(f"/staff/notices/{notice_id}?done=changed", status_code=303)


@router.get("/notices/{notice_id}/report.csv")
def report_csv(request: Request, notice_id: RecordId, now: NowDep) -> Response:
    with unit_of_work(request.app.state.engine) as session:
        staff, _ = _signed_in(request, session, now)
        report = notice_reports.notice_report(
            session=session, staff=staff, notice_id=notice_id, now=now
        )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(notice_reports.CSV_HEADER)
    writer.writerows(notice_reports.csv_rows(report))
    name = f"pengumuman-{notice_id}-tidak-terjangkau.csv"
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/notices/{notice_id}/{action}")
def confirm(request: Request, notice_id: RecordId, action: str, now: NowDep) -> HTMLResponse:
    """The confirmation step before pausing, resuming or cancelling."""
    if action not in ACTIONS:
        raise NotFound("error.not_found", what="Halaman")
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        notice = get_notice(session=session, staff=staff, notice_id=notice_id)
        told = notice_reports.round_counts(session, notice_id).get("notice", {})
        context = {"notice": notice, "action": action, "told": told}
        return render(request, "notice_confirm.html", context, staff=staff, office=office)


@router.post("/notices/{notice_id}/{action}")
def act(
    request: Request,
    notice_id: RecordId,
    action: str,
    now: NowDep,
    form_token: Annotated[str, Form()] = "",
) -> Response:
    check_form(request, form_token)
    do = {"pause": pause_notice, "resume": resume_notice, "cancel": cancel_notice}.get(action)
    if do is None:
        raise NotFound("error.not_found", what="Halaman")
    try:
        with unit_of_work(request.app.state.engine) as session:
            staff, _ = _signed_in(request, session, now)
            do(session=session, staff=staff, notice_id=notice_id, now=now)
    except DomainError as exc:
        return _refused(request, now, exc, _notice_page, notice_id)
    if action != "pause":
        _kick(request)
    return RedirectResponse(f"/staff/notices/{notice_id}?done={action}", status_code=303)
