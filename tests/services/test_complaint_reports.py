"""The complaint report's IKM, as PermenPANRB 14/2017 computes it (issue 13)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from sqlmodel import Session, select

from models import Complaint, Office
from services.catalogue import load_catalogue
from services.catalogue_sync import apply_catalogue
from services.complaint_reports import complaint_report, ikm

START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("ratings", "index", "grade"),
    [
        ([4, 4, 4, 4], Fraction(100), "A"),
        # 3.5324 x 25 = 88.31: the lowest A, exactly.
        ([4] * 5324 + [3] * 4676, Fraction("88.31"), "A"),
        ([4] * 5323 + [3] * 4677, Fraction("88.3075"), "B"),
        ([3, 3, 3, 4], Fraction("81.25"), "B"),
        # 3.0644 x 25 = 76.61: the lowest B.
        ([4] * 644 + [3] * 9356, Fraction("76.61"), "B"),
        ([3, 3, 2, 3], Fraction("68.75"), "C"),
        ([3, 2, 3, 2], Fraction("62.5"), "D"),
        ([1], Fraction(25), "D"),
    ],
)
def test_the_index_is_the_mean_times_25_and_the_grade_follows_the_intervals(
    ratings: list[int], index: Fraction, grade: str
) -> None:
    found = ikm(ratings)
    assert found is not None
    assert (found.index, found.grade, found.n) == (index, grade, len(ratings))


def test_no_ratings_no_index() -> None:
    assert ikm([]) is None


def test_the_report_shows_the_index_its_grade_and_n(session: Session) -> None:
    apply_catalogue(session=session, catalogue=load_catalogue())
    office = session.exec(select(Office).where(Office.code == "74.14")).one()
    for n, rating in enumerate((4, 3, 3, None)):
        session.add(
            Complaint(
                number=f"T-{n}",
                office_id=office.id or 0,
                category="lainnya",
                channel="walk_in",
                description="-",
                status="closed" if rating else "open",
                received_at=START + timedelta(hours=n),
                clock_started_at=START + timedelta(hours=n),
                due_at=START + timedelta(hours=48 + n),
                rating=rating,
            )
        )
    session.commit()
    report = complaint_report(
        session=session,
        office_id=office.id or 0,
        start=START - timedelta(days=1),
        end=START + timedelta(days=1),
        now=START + timedelta(days=1),
        response_hours=48,
    )
    # (4 + 3 + 3) / 3 x 25 = 83.33: B, n = 3.
    assert (report.ikm_index, report.ikm_grade, report.rated) == (83.33, "B", 3)
