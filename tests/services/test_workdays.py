"""Working days: SOP time standards count only the days the office is open."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.catalogue import TimeStandard
from services.workdays import (
    add_working_days,
    holiday_name,
    is_working_day,
    lateness,
    step_due_at,
    working_days_between,
)

MAKASSAR = ZoneInfo("Asia/Makassar")  # Bone, Buton Tengah, Manggarai
JAKARTA = ZoneInfo("Asia/Jakarta")  # Kota Bekasi
PONTIANAK = ZoneInfo("Asia/Pontianak")  # Lamandau

# Friday 14 August 2026; Monday 17 August is Independence Day.
FRIDAY_MORNING = datetime(2026, 8, 14, 10, 0, tzinfo=MAKASSAR)


class TestWorkingDay:
    @pytest.mark.parametrize(
        ("day", "working"),
        [
            (date(2026, 8, 14), True),  # Friday
            (date(2026, 8, 15), False),  # Saturday
            (date(2026, 8, 16), False),  # Sunday
            (date(2026, 8, 17), False),  # Monday, Hari Kemerdekaan
            (date(2026, 8, 18), True),  # Tuesday
            (date(2026, 12, 25), False),  # Friday, Christmas
            (date(2026, 12, 24), False),  # Thursday, cuti bersama for Christmas
            (date(2026, 12, 23), True),  # Wednesday
        ],
    )
    def test_weekends_holidays_and_joint_leave_are_not_working_days(
        self, day: date, working: bool
    ) -> None:
        assert is_working_day(day) is working

    def test_the_holiday_has_its_indonesian_name(self) -> None:
        assert holiday_name(date(2026, 8, 17)) == "Hari Kemerdekaan Republik Indonesia"
        assert holiday_name(date(2026, 8, 18)) is None


class TestAddWorkingDays:
    def test_one_day_after_friday_skips_the_weekend_and_independence_day(self) -> None:
        assert add_working_days(FRIDAY_MORNING, 1, MAKASSAR) == datetime(
            2026, 8, 18, 10, 0, tzinfo=MAKASSAR
        )

    def test_three_days_from_christmas_week(self) -> None:
        # Wed 23 Dec -> (24 cuti bersama, 25 Christmas, weekend) Mon 28, Tue 29, Wed 30.
        start = datetime(2026, 12, 23, 9, 15, tzinfo=MAKASSAR)
        assert add_working_days(start, 3, MAKASSAR) == datetime(
            2026, 12, 30, 9, 15, tzinfo=MAKASSAR
        )

    def test_a_start_on_saturday_counts_from_the_next_working_day(self) -> None:
        saturday = datetime(2026, 8, 15, 9, 0, tzinfo=MAKASSAR)
        # The next working day is Tuesday 18 (Monday is a holiday); one day after is Wednesday.
        assert add_working_days(saturday, 1, MAKASSAR) == datetime(
            2026, 8, 19, 9, 0, tzinfo=MAKASSAR
        )
        assert add_working_days(saturday, 0, MAKASSAR) == datetime(
            2026, 8, 18, 9, 0, tzinfo=MAKASSAR
        )

    def test_the_office_calendar_decides_not_the_callers(self) -> None:
        # 23:30 on Friday in Jakarta is already 00:30 on Saturday in Makassar.
        late_friday_in_jakarta = datetime(2026, 8, 14, 23, 30, tzinfo=JAKARTA)
        assert add_working_days(late_friday_in_jakarta, 1, JAKARTA) == datetime(
            2026, 8, 18, 23, 30, tzinfo=JAKARTA
        )
        assert add_working_days(late_friday_in_jakarta, 1, "Asia/Makassar") == datetime(
            2026, 8, 19, 0, 30, tzinfo=MAKASSAR
        )

    def test_naive_times_and_negative_days_are_refused(self) -> None:
        with pytest.raises(ValueError, match="timezone-aware"):
            add_working_days(datetime(2026, 8, 14, 10, 0), 1, MAKASSAR)
        with pytest.raises(ValueError, match="negative"):
            add_working_days(FRIDAY_MORNING, -1, MAKASSAR)


class TestWorkingDaysBetween:
    def test_a_working_day_is_complete_at_the_same_clock_time(self) -> None:
        tuesday = datetime(2026, 8, 18, 10, 0, tzinfo=MAKASSAR)
        assert working_days_between(FRIDAY_MORNING, tuesday, MAKASSAR) == 1
        assert working_days_between(FRIDAY_MORNING, tuesday - timedelta(minutes=1), MAKASSAR) == 0

    def test_it_undoes_add_working_days(self) -> None:
        for days in range(12):
            end = add_working_days(FRIDAY_MORNING, days, MAKASSAR)
            assert working_days_between(FRIDAY_MORNING, end, MAKASSAR) == days

    def test_no_time_elapsed_backwards(self) -> None:
        assert (
            working_days_between(FRIDAY_MORNING, FRIDAY_MORNING - timedelta(days=3), MAKASSAR) == 0
        )


class TestStepDueAt:
    def test_minutes_are_calendar_minutes(self) -> None:
        entered = datetime(2026, 8, 14, 15, 58, tzinfo=PONTIANAK)
        assert step_due_at(entered, TimeStandard(minutes=5), PONTIANAK) == datetime(
            2026, 8, 14, 16, 3, tzinfo=PONTIANAK
        )

    def test_working_days_skip_what_the_office_does_not_work(self) -> None:
        entered = datetime(2026, 8, 14, 8, 0, tzinfo=PONTIANAK)
        assert step_due_at(entered, TimeStandard(working_days=2), PONTIANAK) == datetime(
            2026, 8, 19, 8, 0, tzinfo=PONTIANAK
        )

    def test_no_standard_means_no_due_time(self) -> None:
        assert step_due_at(FRIDAY_MORNING, None, MAKASSAR) is None


class TestLateness:
    """Lamandau's field verification (2 working days), entered on Friday 14 August 2026."""

    entered = datetime(2026, 8, 14, 8, 0, tzinfo=PONTIANAK)
    standard = TimeStandard(working_days=2)
    due = datetime(2026, 8, 19, 8, 0, tzinfo=PONTIANAK)

    def test_exactly_at_the_due_time_it_is_on_time(self) -> None:
        result = lateness(self.entered, self.standard, self.due, PONTIANAK)
        assert result is not None
        assert result.due_at == self.due
        assert result.is_late is False
        assert result.late_by == timedelta(0)
        assert result.working_days_late == 0

    def test_one_second_after_it_is_late(self) -> None:
        result = lateness(self.entered, self.standard, self.due + timedelta(seconds=1), PONTIANAK)
        assert result is not None
        assert result.is_late is True
        assert result.late_by == timedelta(seconds=1)
        assert result.working_days_late == 0

    def test_late_over_a_weekend_counts_working_days_only(self) -> None:
        # Due Wed 19; on Mon 24 at 09:00 it is Thu, Fri, Mon: three working days late.
        now = datetime(2026, 8, 24, 9, 0, tzinfo=PONTIANAK)
        result = lateness(self.entered, self.standard, now, PONTIANAK)
        assert result is not None
        assert result.is_late is True
        assert result.late_by == timedelta(days=5, hours=1)
        assert result.working_days_late == 3

    def test_now_given_in_utc_is_read_on_the_office_calendar(self) -> None:
        now_utc = (self.due + timedelta(minutes=30)).astimezone(ZoneInfo("UTC"))
        result = lateness(self.entered, self.standard, now_utc, PONTIANAK)
        assert result is not None
        assert result.is_late is True
        assert result.late_by == timedelta(minutes=30)

    def test_a_step_without_a_standard_is_never_late(self) -> None:
        assert lateness(self.entered, None, self.due + timedelta(days=30), PONTIANAK) is None
