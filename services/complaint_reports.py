"""How well an office keeps its promise of an answer, and how satisfied complainants are,
for a period.

Satisfaction is the IKM (Indeks Kepuasan Masyarakat) as PermenPANRB 14/2017 computes it: each
answer on the 1-4 scale, the mean of each element weighted equally (one element here: the
complainant's rating of the handling), times 25; the quality grade from the index: A (sangat
baik) from 88.31, B (baik) from 76.61, C (kurang baik) from 65.00, D (tidak baik) below. The
index is computed with exact fractions, so a mean on a boundary gets the grade it earns; the
number of answers (n) is always shown beside it.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

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
    # IKM (PermenPANRB 14/2017) of the ratings in the period: the index, 25-100, and its
    # grade A-D; None without any rating. ``rated`` is its n.
    ikm_index: float | None = None
    ikm_grade: str | None = None


# (lowest index of the grade, grade), best first: PermenPANRB 14/2017, table of intervals.
IKM_GRADES: tuple[tuple[Fraction, str], ...] = (
    (Fraction("88.31"), "A"),
    (Fraction("76.61"), "B"),
    (Fraction("65.00"), "C"),
)


@dataclass(frozen=True)
class Ikm:
    index: Fraction
    grade: str
    n: int


def ikm(ratings: Sequence[int]) -> Ikm | None:
    """The IKM of answers on the 1-4 scale; None when there are none."""
    if not ratings:
        return None
    index = Fraction(sum(ratings), len(ratings)) * 25
    grade = next((g for low, g in IKM_GRADES if index >= low), "D")
    return Ikm(index=index, grade=grade, n=len(ratings))


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
        1
        for c in rows
        if c.first_response_at is not None and c.first_response_at <= _first_deadline(c, limit)
    )
    ratings = [c.rating for c in rows if c.rating is not None]
    satisfaction = ikm(ratings)
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
        ikm_index=round(float(satisfaction.index), 2) if satisfaction else None,
        ikm_grade=satisfaction.grade if satisfaction else None,
    )


def _first_deadline(complaint: Complaint, limit: timedelta) -> datetime:
    """The deadline of the complaint's first clock, as its office's rule set it; for one
    reopened since (its ``due_at`` is the new clock's), the calendar hours of the default."""
    if complaint.cycle == 1:
        return complaint.due_at
    return complaint.received_at + limit


def _percentile(ordered: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile: a value that really occurred, as a report reader expects."""
    if not ordered:
        return None
    rank = max(1, math.ceil(fraction * len(ordered)))
    return round(ordered[rank - 1], 2)
