"""The office's report for a chosen period (services/office_report.py): complaints month by
month with a chart, how fast the first answer came, by category, channel and desa, the IKM with
its grade and n; proposals step by step with how many were late; how far notices reached.
The same numbers as a CSV file, and a print-friendly page (no menu, no forms)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

import messages
from app.api.deps import NowDep
from app.web import charts
from app.web.labels import category_word, channel_word, programme_word, step_name, step_word
from app.web.lang import current
from app.web.pages import _signed_in, render
from core.db import unit_of_work
from models import Office
from services.catalogue import Catalogue
from services.office_report import MAX_DAYS, OfficeReport, office_report, period
from services.person_data import spreadsheet_safe

router = APIRouter(prefix="/staff", include_in_schema=False)
DayQ = Annotated[str, Query(max_length=10)]
DEFAULT_MONTHS = 6


def _t(key: str, **params: Any) -> str:
    return messages.render(key, current(), **params)


def _default(today: date) -> tuple[date, date]:
    """The current month and the five before it."""
    month, year = today.month - (DEFAULT_MONTHS - 1), today.year
    while month < 1:
        month, year = month + 12, year - 1
    return date(year, month, 1), today


def _dates(start: str, end: str, today: date) -> tuple[date, date, dict[str, str]]:
    """The period asked for, or the default; each wrong date named beside its field."""
    first, last = _default(today)
    errors: dict[str, str] = {}
    for name, text in (("from", start), ("to", end)):
        if not text:
            continue
        try:
            day = date.fromisoformat(text)
        except ValueError:
            errors[name] = _t("ui.form.date")
            continue
        if not 2000 <= day.year <= 2999:
            errors[name] = _t("ui.form.date")
        elif name == "from":
            first = day
        else:
            last = day
    if not errors and first > last:
        errors["to"] = _t("reports.error.order")
    elif not errors and (last - first).days > MAX_DAYS:
        errors["to"] = _t("reports.error.long", days=MAX_DAYS)
    return first, last, errors


def _month_word(month: str, short: bool = False) -> str:
    year, number = month.split("-")
    name = _t(f"time.month.{int(number)}")
    return f"{name[:3]} {year[2:]}" if short else f"{name} {year}"


def _charts(report: OfficeReport, catalogue: Catalogue) -> dict[str, Any]:
    months = report.months
    received = charts.Series(_t("reports.chart.received"), [m.received for m in months])
    on_time = charts.Series(_t("reports.chart.on_time"), [m.answered_on_time for m in months])
    summary = "; ".join(
        _t(
            "reports.chart.month_line",
            month=_month_word(m.month),
            received=m.received,
            on_time=m.answered_on_time,
        )
        for m in months
    )
    per_programme: dict[str, list[Any]] = {}
    for row in report.steps:
        per_programme.setdefault(row.programme_code, []).append(row)
    step_charts = []
    for code, rows in per_programme.items():
        labels = [
            f"{step_word(catalogue, code, r.position)}. "
            f"{step_name(catalogue, code, r.position, r.name)}"
            for r in rows
        ]
        entered = charts.Series(_t("reports.chart.entered"), [r.entered for r in rows])
        late = charts.Series(_t("reports.chart.late"), [r.late for r in rows])
        text = "; ".join(
            _t("reports.chart.step_line", step=label, entered=r.entered, late=r.late)
            for label, r in zip(labels, rows, strict=True)
        )
        title = _t("reports.chart.steps", programme=programme_word(catalogue, code))
        shown = [entered, late] if any(r.timed for r in rows) else [entered]
        step_charts.append((code, rows, charts.bar_chart(title, labels, shown, text or title)))
    title = _t("reports.chart.months")
    return {
        "month_chart": charts.column_chart(
            title,
            [_month_word(m.month, short=True) for m in months],
            [received, on_time],
            summary or title,
        ),
        "step_charts": step_charts,
    }


def _report(request: Request, office: Office, first: date, last: date, now: datetime) -> Any:
    start, end = period(first, last, office.timezone)
    with unit_of_work(request.app.state.engine) as session:
        return office_report(
            session=session,
            office_id=office.id or 0,
            timezone=office.timezone,
            start=start,
            end=end,
            now=now,
            response_hours=request.app.state.settings.complaint_response_hours,
        )


def _context(
    request: Request, office: Office, now: datetime, start: str, end: str
) -> tuple[dict[str, Any], OfficeReport | None]:
    today = now.astimezone(ZoneInfo(office.timezone)).date()
    first, last, errors = _dates(start, end, today)
    context: dict[str, Any] = {
        "form": {"from": start or first.isoformat(), "to": end or last.isoformat()},
        "errors": errors,
        "first": first,
        "last": last,
        "hours": request.app.state.settings.complaint_response_hours,
    }
    if errors:
        return context, None
    report = _report(request, office, first, last, now)
    catalogue = request.app.state.catalogue
    complaints = report.complaints
    context.update(
        report=report,
        categories=sorted(
            ((category_word(catalogue, k), v) for k, v in complaints.by_category.items()),
            key=lambda item: -item[1],
        ),
        channels=sorted(
            ((channel_word(k), v) for k, v in complaints.by_channel.items()),
            key=lambda item: -item[1],
        ),
        month_word=_month_word,
        query=f"from={first.isoformat()}&to={last.isoformat()}",
        **_charts(report, catalogue),
    )
    return context, report


@router.get("/reports")
def reports(
    request: Request,
    now: NowDep,
    start: Annotated[str, Query(alias="from", max_length=10)] = "",
    end: Annotated[str, Query(alias="to", max_length=10)] = "",
    print_view: Annotated[bool, Query(alias="print")] = False,
) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
    context, report = _context(request, office, now, start, end)
    context["print_view"] = print_view
    return render(
        request,
        "reports.html",
        context,
        staff=None if print_view else staff,
        office=office,
        status_code=422 if report is None else 200,
    )


def _rows(report: OfficeReport, catalogue: Catalogue) -> Iterator[list[Any]]:
    """The report as blocks of rows, each block headed by its column names."""
    c = report.complaints
    yield [_t("reports.csv.period"), report.start.date().isoformat(), _end_day(report)]
    yield []
    yield [_t("reports.col.month"), _t("reports.chart.received"), _t("reports.chart.on_time"),
           _t("reports.col.late"), _t("reports.col.unanswered")]  # fmt: skip
    for m in report.months:
        yield [_month_word(m.month), m.received, m.answered_on_time, m.answered_late, m.unanswered]
    yield []
    yield [_t("reports.col.figure"), _t("reports.col.value")]
    yield [_t("reports.chart.received"), c.total]
    yield [_t("reports.chart.on_time"), c.answered_on_time]
    for fraction, hours in report.percentiles.items():
        yield [_t("reports.percentile", p=round(fraction * 100)), "" if hours is None else hours]
    yield [_t("reports.ikm"), "" if c.ikm_index is None else c.ikm_index]
    yield [_t("reports.ikm_grade"), c.ikm_grade or ""]
    yield [_t("reports.ikm_n"), c.rated]
    yield []
    yield [_t("reports.col.category"), _t("web.col.count")]
    for code, n in c.by_category.items():
        yield [category_word(catalogue, code), n]
    yield []
    yield [_t("reports.col.channel"), _t("web.col.count")]
    for code, n in c.by_channel.items():
        yield [channel_word(code), n]
    yield []
    yield [_t("reports.col.desa"), _t("web.col.count")]
    for desa, n in report.by_desa.items():
        yield [desa or _t("reports.desa.unknown"), n]
    yield []
    yield [_t("web.col.programme"), _t("web.col.step"), _t("reports.chart.entered"),
           _t("reports.chart.late"), _t("reports.col.open_now")]  # fmt: skip
    for row in report.steps:
        step = step_word(catalogue, row.programme_code, row.position)
        name = step_name(catalogue, row.programme_code, row.position, row.name)
        yield [programme_word(catalogue, row.programme_code), f"{step}. {name}",
               row.entered, row.late if row.timed else "", row.open_now]  # fmt: skip
    yield []
    reach = report.notices
    yield [_t("reports.notices.sent"), _t("reports.notices.chats"),
           _t("reports.notices.reminders"), _t("reports.notices.cancelled")]  # fmt: skip
    yield [reach.sent, reach.chats, reach.reminders, reach.cancelled]


def _end_day(report: OfficeReport) -> str:
    return (report.end - timedelta(days=1)).date().isoformat()


@router.get("/reports.csv")
def reports_csv(
    request: Request,
    now: NowDep,
    start: Annotated[str, Query(alias="from", max_length=10)] = "",
    end: Annotated[str, Query(alias="to", max_length=10)] = "",
) -> Response:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
    context, report = _context(request, office, now, start, end)
    if report is None:
        context["print_view"] = False
        return render(request, "reports.html", context, staff=staff, office=office, status_code=422)
    out = io.StringIO()
    writer = csv.writer(out)
    for row in _rows(report, request.app.state.catalogue):
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    name = f"laporan-{office.slug}-{context['first']:%Y%m%d}-{context['last']:%Y%m%d}.csv"
    return Response(
        content="\ufeff" + out.getvalue(),  # a BOM: spreadsheets then read it as UTF-8
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
