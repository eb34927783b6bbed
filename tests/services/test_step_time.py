"""A step's standard and lateness in its own unit, with plurals in English."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.catalogue import TimeStandard
from services.step_time import Span, late_span, standard_span
from services.workdays import lateness

# Monday 2 November 2026, 09:00 WIB.
MONDAY = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
ZONE = "Asia/Pontianak"


class TestStandard:
    def test_each_unit_and_its_plural(self) -> None:
        assert standard_span(TimeStandard(minutes=5)) == Span("minutes", 5)
        assert standard_span(TimeStandard(minutes=120)) == Span("hours", 2)
        assert standard_span(TimeStandard(minutes=2880)) == Span("days", 2)
        assert standard_span(TimeStandard(working_days=1)) == Span("working_days", 1)
        assert standard_span(None) is None
        assert Span("working_days", 1).words("en") == "1 working day"
        assert Span("working_days", 2).words("en") == "2 working days"
        assert Span("working_days", 1).words("id") == "1 hari kerja"
        assert Span("minutes", 1).words("en") == "1 minute"
        assert Span("hours", 3).words("id") == "3 jam"


class TestLate:
    def test_five_minutes_is_late_by_minutes_then_hours_then_days(self) -> None:
        five = TimeStandard(minutes=5)
        for after, expected in (
            (timedelta(minutes=4), None),
            (timedelta(minutes=17), Span("minutes", 12)),
            (timedelta(hours=3, minutes=5), Span("hours", 3)),
            (timedelta(days=2, hours=1), Span("days", 2)),
        ):
            late = lateness(MONDAY, five, MONDAY + after, ZONE)
            assert late is not None
            assert late_span(late, five) == expected, after

    def test_working_days_never_late_by_zero_working_days(self) -> None:
        two = TimeStandard(working_days=2)
        # Due Wednesday 09.00; Wednesday 15.00 is six hours late, not "0 working days".
        late = lateness(MONDAY, two, MONDAY + timedelta(days=2, hours=6), ZONE)
        assert late is not None and late_span(late, two) == Span("hours", 6)
        late = lateness(MONDAY, two, MONDAY + timedelta(days=3, hours=1), ZONE)
        assert late is not None and late_span(late, two) == Span("working_days", 1)
