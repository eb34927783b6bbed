"""How well an office keeps the 2×24-hour promise, for a period."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from models import Complaint, Programme


@dataclass(frozen=True)
class ComplaintReport:
    office_id: int
    start: datetime
    end: datetime
    total: int
    by_category: dict[str, int]
    by_programme: dict[str, int]
    by_channel: dict[str, int]
    answered_on_time: int
    on_time_share: float | None  # answered within the response hours, of all received
    median_first_response_hours: float | None
    p90_first_response_hours: float | None
    open_now: int
    breached_now: int
    rated: int
    satisfaction_average: float | None


def complaint_report(
    *,
    session: Session,
    office_id: int,
    start: datetime,
    end: datetime,
    now: datetime,
    response_hours: int,
) -> ComplaintReport:
    programmes = {p.id: p.code for p in session.exec(select(Programme)).all()}
    rows = session.exec(
        select(Complaint).where(
            Complaint.office_id == office_id,
            col(Complaint.received_at) >= start,
            col(Complaint.received_at) < end,
        )
    ).all()
    limit = timedelta(hours=response_hours)
    response_hours_list = sorted(
        (c.first_response_at - c.received_at).total_seconds() / 3600
        for c in rows
        if c.first_response_at is not None
    )
    on_time = sum(
        1 for c in rows if c.first_response_at and c.first_response_at - c.received_at <= limit
    )
    ratings = [c.rating for c in rows if c.rating is not None]
    open_rows = session.exec(
        select(Complaint).where(Complaint.office_id == office_id, Complaint.status == "open")
    ).all()
    return ComplaintReport(
        office_id=office_id,
        start=start,
        end=end,
        total=len(rows),
        by_category=dict(Counter(c.category for c in rows)),
        by_programme=dict(
            Counter(programmes.get(c.programme_id, "-") if c.programme_id else "-" for c in rows)
        ),
        by_channel=dict(Counter(c.channel for c in rows)),
        answered_on_time=on_time,
        on_time_share=round(on_time / len(rows), 4) if rows else None,
        median_first_response_hours=(
            round(statistics.median(response_hours_list), 2) if response_hours_list else None
        ),
        p90_first_response_hours=_percentile(response_hours_list, 0.9),
        open_now=len(open_rows),
        breached_now=sum(1 for c in open_rows if c.due_at < now),
        rated=len(ratings),
        satisfaction_average=round(sum(ratings) / len(ratings), 2) if ratings else None,
    )


def _percentile(ordered: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile: a value that really occurred, as a report reader expects."""
    if not ordered:
        return None
    rank = max(1, math.ceil(fraction * len(ordered)))
    return round(ordered[rank - 1], 2)
