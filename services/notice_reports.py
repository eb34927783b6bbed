"""What became of a notice: counts by status, attendance, per desa, and the people it could not
reach, for staff to follow up by phone or letter.

A recipient's status is its outbox row's when it has one (queued, sent, delivered, read,
failed, unreachable, opted_out, cancelled; a paused row counts as queued), else its own
(unreachable: no phone or no chat; opted_out). Listing who was not reached reads persons'
names and phones, so it is written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import case, func, literal
from sqlmodel import Session, col

from models import Notice, NoticeRecipient, NoticeRound, OutboxMessage, Person, StaffUser
from services import audit
from services.nik import mask_nik
from services.notices import get_notice, rounds_of

STATUSES = (
    "queued",
    "sent",
    "delivered",
    "read",
    "failed",
    "unreachable",
    "opted_out",
    "cancelled",
)
NOT_REACHED = ("failed", "unreachable", "opted_out")
REACHED = ("sent", "delivered", "read")


def _status() -> Any:
    """The status of a recipient row (joined to its outbox row, if any)."""
    outbox = case(
        (col(OutboxMessage.status) == "paused", "queued"), else_=col(OutboxMessage.status)
    )
    return case(
        (col(NoticeRecipient.outbox_id).is_not(None), outbox), else_=col(NoticeRecipient.status)
    )


@dataclass(frozen=True)
class RoundProgress:
    kind: str
    status: str
    due_at: datetime
    finished_at: datetime | None
    counts: dict[str, int]

    @property
    def recipients(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class DesaRow:
    desa: str
    total: int
    reached: int
    not_reached: int
    attending: int
    not_attending: int


@dataclass(frozen=True)
class NotReached:
    name: str
    desa: str
    kecamatan: str
    phone: str
    nik_masked: str
    status: str
    reason: str


@dataclass(frozen=True)
class NoticeReport:
    notice: Notice
    counts: dict[str, int]
    attending: int
    not_attending: int
    unanswered: int
    per_desa: list[DesaRow]
    rounds: list[RoundProgress]
    not_reached: list[NotReached]

    @property
    def recipients(self) -> int:
        return sum(self.counts.values())


def round_counts(session: Session, notice_id: int) -> dict[str, dict[str, int]]:
    status = _status()
    rows = session.execute(
        sa.select(col(NoticeRecipient.kind), status, func.count())
        .select_from(NoticeRecipient)
        .outerjoin(OutboxMessage, col(OutboxMessage.id) == NoticeRecipient.outbox_id)
        .where(col(NoticeRecipient.notice_id) == notice_id)
        .group_by(NoticeRecipient.kind, status)
    ).all()
    counts: dict[str, dict[str, int]] = {}
    for kind, state, n in rows:
        counts.setdefault(str(kind), {s: 0 for s in STATUSES})[str(state)] = int(n)
    return counts


def _per_desa(session: Session, notice_id: int) -> list[DesaRow]:
    status = _status()
    rows = session.execute(
        sa.select(
            col(Person.desa),
            func.count(),
            func.sum(case((status.in_(REACHED), 1), else_=0)),
            func.sum(case((status.in_(NOT_REACHED), 1), else_=0)),
            func.sum(case((col(NoticeRecipient.attendance) == "yes", 1), else_=0)),
            func.sum(case((col(NoticeRecipient.attendance) == "no", 1), else_=0)),
        )
        .select_from(NoticeRecipient)
        .join(Person, col(Person.id) == NoticeRecipient.person_id)
        .outerjoin(OutboxMessage, col(OutboxMessage.id) == NoticeRecipient.outbox_id)
        .where(col(NoticeRecipient.notice_id) == notice_id, col(NoticeRecipient.kind) == "notice")
        .group_by(Person.desa)
        .order_by(Person.desa)
    ).all()
    return [
        DesaRow(str(desa), int(total), int(ok or 0), int(bad or 0), int(yes or 0), int(no or 0))
        for desa, total, ok, bad, yes, no in rows
    ]


def not_reached(session: Session, notice_id: int, limit: int | None = None) -> list[NotReached]:
    """Each person the notice itself could not reach, by desa and name."""
    status = _status()
    query = (
        sa.select(
            col(Person.name),
            col(Person.desa),
            col(Person.kecamatan),
            col(Person.phone),
            col(Person.nik),
            status,
            col(NoticeRecipient.reason),
            func.coalesce(OutboxMessage.last_error, literal("")),
        )
        .select_from(NoticeRecipient)
        .join(Person, col(Person.id) == NoticeRecipient.person_id)
        .outerjoin(OutboxMessage, col(OutboxMessage.id) == NoticeRecipient.outbox_id)
        .where(
            col(NoticeRecipient.notice_id) == notice_id,
            col(NoticeRecipient.kind) == "notice",
            status.in_(NOT_REACHED),
        )
        .order_by(col(Person.desa), col(Person.name), col(Person.id))
    )
    if limit is not None:
        query = query.limit(limit)
    return [
        NotReached(
            name=str(name),
            desa=str(desa),
            kecamatan=str(kecamatan),
            phone=str(phone),
            nik_masked=mask_nik(str(nik)),
            status=str(state),
            reason=str(reason or error or state)[:200],
        )
        for name, desa, kecamatan, phone, nik, state, reason, error in session.execute(query).all()
    ]


def notice_report(
    *,
    session: Session,
    staff: StaffUser,
    notice_id: int,
    now: datetime,
    limit: int | None = None,
) -> NoticeReport:
    notice = get_notice(session=session, staff=staff, notice_id=notice_id)
    by_round = round_counts(session, notice_id)
    counts = by_round.get("notice", {s: 0 for s in STATUSES})
    answers = session.execute(
        sa.select(col(NoticeRecipient.attendance), func.count())
        .where(col(NoticeRecipient.notice_id) == notice_id, col(NoticeRecipient.kind) == "notice")
        .group_by(NoticeRecipient.attendance)
    ).all()
    answered = {str(a): int(n) for a, n in answers}
    rounds: list[NoticeRound] = rounds_of(session=session, notice_id=notice_id)
    listed = not_reached(session, notice_id, limit)
    if listed:
        audit.record(
            session=session,
            action="read",
            entity="office",
            entity_id=notice.office_id,
            now=now,
            staff=staff,
            detail=f"notice {notice_id} report: {len(listed)} persons not reached listed",
        )
    return NoticeReport(
        notice=notice,
        counts=counts,
        attending=answered.get("yes", 0),
        not_attending=answered.get("no", 0),
        unanswered=sum(counts.values()) - answered.get("yes", 0) - answered.get("no", 0),
        per_desa=_per_desa(session, notice_id),
        rounds=[
            RoundProgress(
                kind=r.kind,
                status=r.status,
                due_at=r.due_at,
                finished_at=r.finished_at,
                counts=by_round.get(r.kind, {s: 0 for s in STATUSES}),
            )
            for r in rounds
        ],
        not_reached=listed,
    )


CSV_HEADER = ("nama", "nik", "desa", "kecamatan", "telepon", "status", "alasan")


def csv_rows(report: NoticeReport) -> list[tuple[str, ...]]:
    return [
        (p.name, p.nik_masked, p.desa, p.kecamatan, p.phone, p.status, p.reason)
        for p in report.not_reached
    ]
