"""The staff page for the reports an aided group owes (KUBE Bekasi: the three kinds its Juknis
lists, each quarter and at the end of the year, from the quarter the group received its aid):
every report due so far, handed in or not, with its due date and how late; and the form that
records one handed in. Rules in services/proposal_records.py."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session, col, select

import messages
from app.api.deps import NowDep, RecordId
from app.web.lang import current
from app.web.pages import _refused, _see_other, _signed_in, render
from app.web.session import check_form
from core.db import unit_of_work
from models import Office, Programme, Proposal, StaffUser
from services.errors import DomainError, InvalidInput, NotFound
from services.persons import get_group
from services.proposal_records import NewGroupReport, record_group_report, report_schedule
from services.roles import CASE_WRITERS
from services.staff import require_office

router = APIRouter(prefix="/staff", include_in_schema=False)

# Which field of the form a refusal is about, by its message key.
_FIELDS = {
    "group_report.kind": "kind",
    "group_report.period": "period",
    "group_report.exists": "period",
    "casework.form.date": "submitted_on",
    "proposal.output.file_path": "file_path",
    "proposal.output.too_long": "note",
}


def period_words(period: str, lang: str) -> str:
    """ "Triwulan 1 2026" for 2026-Q1, "Akhir tahun 2026" for 2026."""
    year, _, quarter = period.partition("-Q")
    if quarter:
        return messages.render("casework.reports.quarter", lang, quarter=quarter, year=year)
    return messages.render("casework.reports.year_end", lang, year=year)


def _reporting_programmes(
    request: Request, session: Session, group_id: int
) -> list[tuple[str, str]]:
    """(code, name) of the programmes the group applied to that ask it for reports."""
    catalogue = request.app.state.catalogue
    codes = session.exec(
        select(Programme.code)
        .join(Proposal, col(Proposal.programme_id) == Programme.id)
        .where(Proposal.applicant_group_id == group_id)
        .distinct()
    ).all()
    found = []
    for code in sorted(codes):
        spec = catalogue.programme(code)
        if spec is not None and spec.group_reports is not None:
            found.append((code, spec.name.get(current())))
    return found


def _page(
    request: Request,
    session: Session,
    staff: StaffUser,
    office: Office,
    now: datetime,
    group_id: int,
    programme: str,
    *,
    status_code: int = 200,
    **extra: Any,
) -> HTMLResponse:
    group = get_group(session=session, group_id=group_id)
    require_office(staff, group.office_id, what="Group")
    offered = _reporting_programmes(request, session, group_id)
    chosen = programme or (offered[0][0] if offered else "")
    if chosen and chosen not in {code for code, _ in offered}:
        raise NotFound("error.not_found", what=f"Programme {chosen}")
    today = now.astimezone(ZoneInfo(office.timezone)).date()
    rows = []
    kinds: list[tuple[str, str]] = []
    if chosen:
        catalogue = request.app.state.catalogue
        spec = catalogue.programme(chosen)
        rules = spec.group_reports if spec else None
        kinds = [(k.kind, k.name.get(current())) for k in rules.kinds] if rules else []
        for due in report_schedule(
            session=session,
            staff=staff,
            catalogue=catalogue,
            group_id=group_id,
            programme_code=chosen,
            today=today,
        ):
            rows.append(
                {
                    "kind": due.kind.name.get(current()),
                    "period": due.period,
                    "period_words": period_words(due.period, current()),
                    "due_on": due.due_on,
                    "submitted_on": due.report.submitted_on if due.report else None,
                    "days_late": due.days_late,
                    "overdue": due.report is None and due.days_late > 0,
                }
            )
    context = {
        "group": group,
        "programmes": offered,
        "chosen": chosen,
        "rows": rows,
        "kinds": kinds,
        "periods": list(dict.fromkeys(r["period"] for r in rows)),
        "period_words": lambda p: period_words(p, current()),
        "today": today,
        "may_record": staff.role in CASE_WRITERS and bool(chosen),
        "errors": extra.pop("errors", {}),
        "error": extra.pop("error", None),
        "form": extra.pop("form", {}),
        **extra,
    }
    return render(
        request, "group_reports.html", context, staff=staff, office=office, status_code=status_code
    )


@router.get("/groups/{group_id}/reports")
def group_reports(
    request: Request,
    group_id: RecordId,
    now: NowDep,
    programme: Annotated[str, Query(max_length=60)] = "",
) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        return _page(request, session, staff, office, now, group_id, programme)


@router.post("/groups/{group_id}/reports")
def record_report(
    request: Request,
    group_id: RecordId,
    now: NowDep,
    programme: Annotated[str, Form(max_length=60)] = "",
    kind: Annotated[str, Form(max_length=40)] = "",
    period: Annotated[str, Form(max_length=10)] = "",
    submitted_on: Annotated[str, Form(max_length=10)] = "",
    file_path: Annotated[str, Form(max_length=300)] = "",
    note: Annotated[str, Form(max_length=500)] = "",
    form_token: Annotated[str, Form()] = "",
) -> Response:
    check_form(request, form_token)
    form = {
        "kind": kind, "period": period, "submitted_on": submitted_on,
        "file_path": file_path, "note": note,
    }  # fmt: skip
    try:
        with unit_of_work(request.app.state.engine) as session:
            staff, _ = _signed_in(request, session, now)
            record_group_report(
                session=session,
                staff=staff,
                catalogue=request.app.state.catalogue,
                group_id=group_id,
                data=NewGroupReport(
                    programme_code=programme,
                    kind=kind,
                    period=period,
                    submitted_on=_day(submitted_on),
                    file_path=file_path or None,
                    note=note,
                ),
                now=now,
            )
    except DomainError as exc:
        return _refused(
            request,
            now,
            exc,
            _page,
            group_id,
            programme,
            form=form,
            fields=_FIELDS,
        )
    query = urlencode({"programme": programme, "recorded": 1})
    return _see_other(f"/staff/groups/{group_id}/reports?{query}")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("casework.form.date") from None
