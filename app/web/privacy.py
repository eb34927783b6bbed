"""Staff pages for personal data (UU PDP 27/2022), for the office's head and its admin: the
audit log, and a person's data exported or erased on request. A NIK typed to find a person is
posted, never put in a URL (access logs keep URLs), and the pages show it masked."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

import messages
from app.api.deps import MAX_BIG_ID, MAX_ID, NowDep, RecordId
from app.web.labels import channel_word
from app.web.lang import current
from app.web.pages import reason, render
from app.web.session import check_form, current_staff
from core.db import unit_of_work
from models import AuditLog, Office, Person, StaffUser
from services import audit, person_data
from services.errors import Conflict, InvalidInput, NotFound
from services.nik import mask_nik
from services.person_data import spreadsheet_safe
from services.roles import PRIVACY_OFFICERS
from services.staff import require_office, require_role

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000
router = APIRouter(prefix="/staff", include_in_schema=False)

# A form's "any" choice arrives as an empty value, so ids are taken as digits or nothing.
IdQ = Annotated[str, Query(max_length=10, pattern=r"^[0-9]*$")]
ActionQ = Annotated[str, Query(max_length=20)]
DayQ = Annotated[str, Query(max_length=10)]


def _t(key: str, **params: Any) -> str:
    return messages.render(key, current(), **params)


def action_word(code: str) -> str:
    key = f"privacy.action.{code}"
    return _t(key) if messages.has(key) else _t("privacy.action.other", code=code)


def entity_word(entity: str) -> str:
    key = f"privacy.entity.{entity}"
    return _t(key) if messages.has(key) else _t("privacy.entity.other", entity=entity)


def _id(value: str) -> int | None:
    number = int(value) if value else None
    return number if number is not None and 0 < number <= MAX_ID else None


def _signed_in(request: Request, session: Session, now: datetime) -> tuple[StaffUser, Office]:
    staff = current_staff(request, session, now)
    return staff, session.get_one(Office, staff.office_id)


def _day(value: str, tz: str, *, next_day: bool = False) -> datetime | None:
    """A date typed in the office's own time zone as the instant it starts (or, for the end of
    a range, the instant the next day starts)."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("error.validation") from None
    if not 1970 <= day.year <= 2999:  # 0001-01-01 or 9999-12-31 would overflow in UTC
        raise InvalidInput("error.validation")
    if next_day:
        day += timedelta(days=1)
    return datetime.combine(day, time(), ZoneInfo(tz))


def _filters(
    session: Session,
    staff: StaffUser,
    office: Office,
    *,
    staff_id: int | None,
    person_id: int | None,
    action: str,
    start: str,
    end: str,
    upto: int | None = None,
) -> tuple[audit.Filters, Person | None]:
    person = None
    if person_id is not None:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound("error.not_found", what="Person")
        require_office(staff, person.office_id, what="Person")
    filters = audit.Filters(
        staff_id=staff_id,
        person_id=person_id,
        action=action or None,
        start=_day(start, office.timezone),
        end=_day(end, office.timezone, next_day=True),
        upto_id=upto,
    )
    return filters, person


def _query(**values: Any) -> str:
    return urlencode({k: v for k, v in values.items() if v not in (None, "")})


def _who(row: AuditLog, names: dict[int, StaffUser]) -> str:
    if row.staff_id is not None and row.staff_id in names:
        member = names[row.staff_id]
        return f"{member.full_name} ({member.username})"
    if row.actor.startswith("chat:"):
        return _t("privacy.actor.chat", channel=channel_word(row.actor.split(":")[1]))
    if row.actor == "cli":
        return _t("privacy.actor.cli")
    if row.actor == "system" or not row.actor:
        return _t("privacy.actor.system")
    return row.actor


def _about(row: AuditLog) -> str:
    word = entity_word(row.entity)
    return f"{word} #{row.entity_id}" if row.entity_id is not None else word


def _audit_page(
    request: Request,
    session: Session,
    staff: StaffUser,
    office: Office,
    now: datetime,
    *,
    staff_id: int | None = None,
    person_id: int | None = None,
    action: str = "",
    start: str = "",
    end: str = "",
    page: int = 1,
    upto: int | None = None,
    error: str | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    filters, person = _filters(
        session, staff, office,
        staff_id=staff_id, person_id=person_id, action=action, start=start, end=end, upto=upto,
    )  # fmt: skip
    trail = audit.read_trail(
        session=session, staff=staff, filters=filters, now=now, page=page, page_size=PAGE_SIZE
    )
    names = audit.staff_names(session=session, office_id=office.id or 0)
    kept = {"staff": staff_id, "action": action, "start": start, "end": end}
    # The later pages and the CSV file show the rows the first page was read from.
    query = _query(**kept, person=person_id, upto=trail.upto_id)
    context = {
        "rows": [
            {
                "at": row.at,
                "who": _who(row, names),
                "action": action_word(row.action),
                "about": _about(row),
                "detail": row.detail,
            }
            for row in trail.rows
        ],
        "actions": [(code, action_word(code)) for code in audit.ACTIONS],
        "names": names,
        "kept": kept,
        "person": person_id,
        "person_nik": mask_nik(person.nik) if person else None,
        "page": page,
        "pages": max(1, -(-trail.total // PAGE_SIZE)),
        "total": trail.total,
        "query": query,
        "all_persons_link": f"/staff/audit?{_query(**kept)}",
        "page_link": lambda n: f"/staff/audit?{query}&page={n}",
        "error": error,
        "errors": errors or {},
    }
    return render(
        request, "audit.html", context, staff=staff, office=office, status_code=status_code
    )


@router.get("/audit")
def audit_log(
    request: Request,
    now: NowDep,
    staff: IdQ = "",
    person: IdQ = "",
    action: ActionQ = "",
    start: DayQ = "",
    end: DayQ = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    upto: Annotated[int | None, Query(ge=0, le=MAX_BIG_ID)] = None,
) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        member, office = _signed_in(request, session, now)
        return _audit_page(
            request,
            session,
            member,
            office,
            now,
            staff_id=_id(staff),
            person_id=_id(person),
            action=action,
            start=start,
            end=end,
            page=page,
            upto=upto,
        )


@router.post("/audit/person")
def audit_of_person(
    request: Request,
    now: NowDep,
    nik: Annotated[str, Form(max_length=40)] = "",
    staff: Annotated[str, Form(max_length=10, pattern=r"^[0-9]*$")] = "",
    action: Annotated[str, Form(max_length=20)] = "",
    start: Annotated[str, Form(max_length=10)] = "",
    end: Annotated[str, Form(max_length=10)] = "",
    form_token: Annotated[str, Form()] = "",
) -> Response:
    """The NIK arrives in the body; the page it leads to names the person by id only."""
    check_form(request, form_token)
    with unit_of_work(request.app.state.engine) as session:
        member, office = _signed_in(request, session, now)
        kept = {"staff": staff, "action": action, "start": start, "end": end}
        try:
            found = person_data.find_for_staff(session=session, staff=member, nik=nik)
        except NotFound as exc:
            return _audit_page(
                request, session, member, office, now,
                staff_id=_id(staff), action=action, start=start, end=end,
                errors={"nik": reason(exc)}, status_code=exc.status,
            )  # fmt: skip
    return RedirectResponse(f"/staff/audit?{_query(**kept, person=found.id)}", status_code=303)


@router.get("/audit.csv")
def audit_csv(
    request: Request,
    now: NowDep,
    staff: IdQ = "",
    person: IdQ = "",
    action: ActionQ = "",
    start: DayQ = "",
    end: DayQ = "",
    upto: Annotated[int | None, Query(ge=0, le=MAX_BIG_ID)] = None,
) -> Response:
    with unit_of_work(request.app.state.engine) as session:
        member, office = _signed_in(request, session, now)
        filters, _ = _filters(
            session,
            member,
            office,
            staff_id=_id(staff),
            person_id=_id(person),
            action=action,
            start=start,
            end=end,
            upto=upto,
        )
        rows = audit.export_trail(
            session=session, staff=member, filters=filters, now=now, limit=EXPORT_LIMIT
        )
        names = audit.staff_names(session=session, office_id=office.id or 0)
        zone = ZoneInfo(office.timezone)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            ["at", "staff", "by", "action", "action_code", "entity", "entity_id", "detail"]
        )
        for row in rows:
            writer.writerow(
                [
                    row.at.astimezone(zone).isoformat(timespec="seconds"),
                    names[row.staff_id].username if row.staff_id in names else "",
                    _who(row, names),
                    action_word(row.action),
                    row.action,
                    row.entity,
                    row.entity_id if row.entity_id is not None else "",
                    spreadsheet_safe(row.detail),
                ]
            )
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="audit-{now:%Y%m%d}.csv"'},
    )


# --- a person's data on request ------------------------------------------------------------


def _person_page(
    request: Request,
    session: Session,
    staff: StaffUser,
    office: Office,
    now: datetime,
    person: Person | None = None,
    *,
    error: str | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context: dict[str, Any] = {
        "person": person,
        "error": error,
        "errors": errors or {},
        "word": _t("privacy.erase.word"),
    }
    if person is not None:
        # The page names the person: a read of their data, like any other.
        audit.record(
            session=session, action="read", entity="person", entity_id=person.id, now=now,
            staff=staff, detail="personal data page",
        )  # fmt: skip
        context["masked_nik"] = mask_nik(person.nik)
        context["held"] = person_data.summary(session=session, person=person)
    return render(
        request, "person_data.html", context, staff=staff, office=office, status_code=status_code
    )


@router.get("/persons/data")
def person_data_find(request: Request, now: NowDep) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        require_role(staff, PRIVACY_OFFICERS)
        return _person_page(request, session, staff, office, now)


@router.post("/persons/data")
def person_data_lookup(
    request: Request,
    now: NowDep,
    nik: Annotated[str, Form(max_length=40)] = "",
    form_token: Annotated[str, Form()] = "",
) -> Response:
    """The NIK arrives in the body; the page it leads to names the person by id only."""
    check_form(request, form_token)
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        try:
            person = person_data.find_for_staff(session=session, staff=staff, nik=nik)
        except NotFound as exc:
            return _person_page(
                request, session, staff, office, now,
                errors={"nik": reason(exc)}, status_code=exc.status,
            )  # fmt: skip
    return RedirectResponse(f"/staff/persons/{person.id}/data", status_code=303)


@router.get("/persons/{person_id}/data")
def person_data_page(request: Request, person_id: RecordId, now: NowDep) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        person = person_data.person_for_staff(session=session, staff=staff, person_id=person_id)
        return _person_page(request, session, staff, office, now, person)


@router.get("/persons/{person_id}/export.{fmt}")
def person_data_export(
    request: Request, person_id: RecordId, fmt: person_data.Format, now: NowDep
) -> Response:
    with unit_of_work(request.app.state.engine) as session:
        staff, _ = _signed_in(request, session, now)
        person = person_data.person_for_staff(session=session, staff=staff, person_id=person_id)
        text = person_data.export(session=session, person=person, fmt=fmt, now=now, staff=staff)
    media = "application/json" if fmt == "json" else "text/csv"
    # Named by the record's id: a file name travels further than its contents.
    name = f"data-pribadi-{person_id}-{now:%Y%m%d}.{fmt}"
    return Response(
        text,
        media_type=f"{media}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/persons/{person_id}/erase")
def person_data_erase(
    request: Request,
    person_id: RecordId,
    now: NowDep,
    confirm: Annotated[str, Form(max_length=40)] = "",
    form_token: Annotated[str, Form()] = "",
) -> Response:
    check_form(request, form_token)
    word = _t("privacy.erase.word")
    try:
        with unit_of_work(request.app.state.engine) as session:
            staff, _ = _signed_in(request, session, now)
            person = person_data.person_for_staff(session=session, staff=staff, person_id=person_id)
            if confirm.strip().upper() != word:
                raise InvalidInput("privacy.erase.confirm_wrong", word=word)
            person_data.erase(session=session, person=person, now=now, staff=staff)
    except (InvalidInput, Conflict) as exc:
        with unit_of_work(request.app.state.engine) as session:
            staff, office = _signed_in(request, session, now)
            person = person_data.person_for_staff(session=session, staff=staff, person_id=person_id)
            about = {"confirm": reason(exc)} if exc.key == "privacy.erase.confirm_wrong" else {}
            return _person_page(
                request, session, staff, office, now, person,
                error=None if about else reason(exc), errors=about, status_code=exc.status,
            )  # fmt: skip
    return RedirectResponse(f"/staff/persons/{person_id}/data", status_code=303)
