"""Notices to beneficiaries: compose (with a preview), change, pause, resume, cancel, and the
report of who was reached. The rules live in services/notices.py and its neighbours."""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, File, Request, UploadFile, status
from fastapi.responses import Response
from sqlmodel import Session

from app.api.deps import CaseReader, CaseWriter, NowDep, RecordId, SessionDep, SettingsDep
from app.api.notice_schemas import (
    DesaOut,
    NiksOut,
    NoticeDetail,
    NoticeIn,
    NoticePatch,
    NoticePublic,
    NotReachedOut,
    PreviewOut,
    ReachOut,
    ReportOut,
    RoundPublic,
    TemplateOut,
)
from app.api.schemas import ERRORS
from app.scheduler import kick_notices
from models import Notice
from services import notice_reports
from services.notice_audience import MAX_NIK_FILE, check_niks, niks_from_csv
from services.notices import (
    NewNotice,
    NoticeChange,
    cancel_notice,
    create_notice,
    get_notice,
    notices_of_office,
    pause_notice,
    preview_notice,
    resume_notice,
    rounds_of,
    update_notice,
)

router = APIRouter(prefix="/notices", tags=["notices"])


def _new(body: NoticeIn) -> NewNotice:
    return NewNotice(
        kind=body.kind,
        title=body.title,
        place=body.place,
        starts_at=body.starts_at,
        details=body.details,
        send_at=body.send_at,
        audience=body.audience.model_dump(exclude_defaults=True),
        reminders=None if body.reminders is None else [r.as_dict() for r in body.reminders],
    )


def notice_public(session: Session, notice: Notice, *, rounds: bool = False) -> NoticeDetail:
    planned = rounds_of(session=session, notice_id=notice.id or 0)
    found: list[RoundPublic] = []
    if rounds:
        report = notice_reports.round_counts(session, notice.id or 0)
        found = [
            RoundPublic(
                kind=r.kind,
                status=r.status,
                due_at=r.due_at,
                finished_at=r.finished_at,
                recipients=sum(report.get(r.kind, {}).values()),
                counts=report.get(r.kind, {}),
            )
            for r in planned
        ]
    return NoticeDetail(
        id=notice.id or 0,
        kind=notice.kind,
        title=notice.title,
        place=notice.place,
        starts_at=notice.starts_at,
        details=notice.details,
        send_at=notice.send_at,
        status=notice.status,
        paused=notice.paused_at is not None,
        revision=notice.revision,
        audience=notice.audience,
        reminders=notice.reminders,
        reminders_at=[
            r.due_at for r in planned if r.kind.startswith("reminder-") and r.status != "skipped"
        ],
        sent_at=notice.sent_at,
        cancelled_at=notice.cancelled_at,
        created_at=notice.created_at,
        rounds=found,
    )


def _kick(request: Request) -> None:
    """After the commit: the notice job runs now where this process runs it; a worker process
    of its own takes it within its next two seconds."""
    workers = getattr(request.app.state, "bot", None)
    if workers is not None:
        kick_notices(workers.scheduler)


@router.post(
    "",
    summary="Schedule a notice (sent at once when send_at is absent)",
    description=(
        "Checks everything first: an unknown desa, kecamatan, programme, step or group, a "
        "malformed or unknown NIK, an audience that matches nobody, a start in the past or a "
        "send time after the start answer 422 naming what is wrong, and nothing is kept."
    ),
    status_code=status.HTTP_201_CREATED,
    response_model=NoticeDetail,
    responses=ERRORS,
)
def create(
    body: NoticeIn,
    request: Request,
    background: BackgroundTasks,
    session: SessionDep,
    staff: CaseWriter,
    settings: SettingsDep,
    now: NowDep,
) -> NoticeDetail:
    notice = create_notice(
        session=session,
        staff=staff,
        data=_new(body),
        now=now,
        phone_channel=settings.phone_channel or None,
    )
    if notice.send_at <= now:
        background.add_task(_kick, request)
    return notice_public(session, notice, rounds=True)


@router.post(
    "/preview",
    summary="How many a notice would reach, how, and the exact text (nothing is kept)",
    response_model=PreviewOut,
    responses=ERRORS,
)
def preview(
    body: NoticeIn, session: SessionDep, staff: CaseWriter, settings: SettingsDep, now: NowDep
) -> PreviewOut:
    shown = preview_notice(
        session=session,
        staff=staff,
        data=_new(body),
        now=now,
        phone_channel=settings.phone_channel or None,
    )
    reach = shown.reach
    return PreviewOut(
        reach=ReachOut(
            recipients=reach.total,
            by_chat=reach.by_chat,
            by_phone=reach.by_phone,
            unreachable=reach.unreachable,
            opted_out=reach.opted_out,
        ),
        texts=shown.texts,
        template=TemplateOut(**shown.template),
        send_at=shown.send_at,
        reminders_at=shown.reminders_at,
    )


@router.post(
    "/niks",
    summary="Read an audience's NIKs from a CSV file (a `nik` column, or one a line)",
    description=(
        "Every NIK must be well formed and on the office's register: otherwise 422 with each "
        "bad one in `details` (masked, with its line). Put the answer's `niks` in "
        "`audience.niks`."
    ),
    response_model=NiksOut,
    responses=ERRORS,
)
async def niks(
    file: Annotated[UploadFile, File(description="UTF-8 CSV")],
    session: SessionDep,
    staff: CaseWriter,
) -> NiksOut:
    data = await file.read(MAX_NIK_FILE + 1)
    given, lines = niks_from_csv(data)
    found = check_niks(session=session, office_id=staff.office_id, niks=given, lines=lines)
    return NiksOut(niks=list(found), count=len(found))


@router.get(
    "", summary="The office's notices, the latest event first", response_model=list[NoticePublic]
)
def list_notices(session: SessionDep, staff: CaseReader) -> list[NoticePublic]:
    return [
        notice_public(session, n)
        for n in notices_of_office(session=session, office_id=staff.office_id)
    ]


@router.get("/{notice_id}", response_model=NoticeDetail, responses=ERRORS)
def read(notice_id: RecordId, session: SessionDep, staff: CaseReader) -> NoticeDetail:
    notice = get_notice(session=session, staff=staff, notice_id=notice_id)
    return notice_public(session, notice, rounds=True)


@router.patch(
    "/{notice_id}",
    summary="Change a notice; those already told get one correction",
    response_model=NoticeDetail,
    responses=ERRORS,
)
def change(
    notice_id: RecordId,
    body: NoticePatch,
    request: Request,
    background: BackgroundTasks,
    session: SessionDep,
    staff: CaseWriter,
    now: NowDep,
) -> NoticeDetail:
    notice = update_notice(
        session=session,
        staff=staff,
        notice_id=notice_id,
        change=NoticeChange(
            title=body.title,
            place=body.place,
            starts_at=body.starts_at,
            details=body.details,
            send_at=body.send_at,
            reminders=None if body.reminders is None else [r.as_dict() for r in body.reminders],
            audience=None if body.audience is None else body.audience.model_dump(),
        ),
        now=now,
    )
    background.add_task(_kick, request)
    return notice_public(session, notice, rounds=True)


@router.post(
    "/{notice_id}/cancel",
    summary="Call it off: what has not gone is withdrawn, those it reached are told",
    response_model=NoticeDetail,
    responses=ERRORS,
)
def cancel(
    notice_id: RecordId,
    request: Request,
    background: BackgroundTasks,
    session: SessionDep,
    staff: CaseWriter,
    now: NowDep,
) -> NoticeDetail:
    notice = cancel_notice(session=session, staff=staff, notice_id=notice_id, now=now)
    background.add_task(_kick, request)
    return notice_public(session, notice, rounds=True)


@router.post(
    "/{notice_id}/pause",
    summary="Hold the fan-out and every message of it not yet sent",
    response_model=NoticeDetail,
    responses=ERRORS,
)
def pause(notice_id: RecordId, session: SessionDep, staff: CaseWriter, now: NowDep) -> NoticeDetail:
    notice = pause_notice(session=session, staff=staff, notice_id=notice_id, now=now)
    return notice_public(session, notice, rounds=True)


@router.post(
    "/{notice_id}/resume", summary="Go on sending", response_model=NoticeDetail, responses=ERRORS
)
def resume(
    notice_id: RecordId,
    request: Request,
    background: BackgroundTasks,
    session: SessionDep,
    staff: CaseWriter,
    now: NowDep,
) -> NoticeDetail:
    notice = resume_notice(session=session, staff=staff, notice_id=notice_id, now=now)
    background.add_task(_kick, request)
    return notice_public(session, notice, rounds=True)


def _report(session: Session, staff: CaseReader, notice_id: int, now: NowDep) -> ReportOut:
    found = notice_reports.notice_report(session=session, staff=staff, notice_id=notice_id, now=now)
    return ReportOut(
        notice=notice_public(session, found.notice, rounds=True),
        recipients=found.recipients,
        counts=found.counts,
        attending=found.attending,
        not_attending=found.not_attending,
        unanswered=found.unanswered,
        per_desa=[
            DesaOut(
                desa=d.desa,
                recipients=d.total,
                reached=d.reached,
                not_reached=d.not_reached,
                attending=d.attending,
                not_attending=d.not_attending,
            )
            for d in found.per_desa
        ],
        not_reached=[NotReachedOut(**vars(p)) for p in found.not_reached],
    )


@router.get(
    "/{notice_id}/report",
    summary="Who was reached: counts by status, attendance, per desa, and who was not",
    description=(
        "Statuses follow each message: queued, sent, delivered, read, failed, unreachable "
        "(no chat and no phone, or the platform refused), opted_out, cancelled. The persons "
        "not reached are listed by name, desa, phone and masked NIK (audited)."
    ),
    response_model=ReportOut,
    responses=ERRORS,
)
def report(notice_id: RecordId, session: SessionDep, staff: CaseReader, now: NowDep) -> ReportOut:
    return _report(session, staff, notice_id, now)


@router.get(
    "/{notice_id}/report.csv",
    summary="The persons the notice did not reach, as CSV (for follow-up by phone or letter)",
    responses={**ERRORS, 200: {"content": {"text/csv": {}}}},
)
def report_csv(
    notice_id: RecordId, session: SessionDep, staff: CaseReader, now: NowDep
) -> Response:
    found = notice_reports.notice_report(session=session, staff=staff, notice_id=notice_id, now=now)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(notice_reports.CSV_HEADER)
    writer.writerows(notice_reports.csv_rows(found))
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="notice-{notice_id}-not-reached.csv"'
        },
    )
