"""Working-day arithmetic for SOP time standards, in each office's own time zone.

A working day is Monday to Friday, except Indonesian national holidays and the government's
joint leave days (cuti bersama), on which Dinas Sosial offices are closed. A step entered on
Friday afternoon in Makassar time with a one-day standard is due on Monday, and the same instant
seen from Jakarta must give the same answer: every calculation happens on the office's local
calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from services.catalogue import TimeStandard

# "public" are the national holidays; "government" the cuti bersama set each year by a joint
# ministerial decree (SKB 3 Menteri), when civil servants, and so Dinas Sosial, do not work.
HOLIDAY_CATEGORIES: tuple[str, ...] = ("public", "government")


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    calendar = holidays.country_holidays("ID", years=year, categories=HOLIDAY_CATEGORIES)
    return frozenset(calendar.keys())


def _zone(tz: ZoneInfo | str) -> ZoneInfo:
    return tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)


def _local(moment: datetime, tz: ZoneInfo | str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"a timezone-aware datetime is needed, got naive {moment.isoformat()}")
    return moment.astimezone(_zone(tz))


def holiday_name(d: date) -> str | None:
    """The holiday's name in Bahasa Indonesia, or None on an ordinary day."""
    calendar = holidays.country_holidays(
        "ID", years=d.year, categories=HOLIDAY_CATEGORIES, language="id"
    )
    return calendar.get(d)


def is_working_day(d: date) -> bool:
    return d.weekday() < 5 and d not in _holidays(d.year)


def next_working_day(d: date) -> date:
    """``d`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


def _at(d: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(d, clock, tzinfo=zone)


def add_working_days(start: datetime, days: int, tz: ZoneInfo | str) -> datetime:
    """The same local clock time on the ``days``-th working day after ``start``'s local date.

    A start on a weekend or holiday counts as if made on the next working day: a proposal
    handed in on Saturday with a two-day standard is due on Wednesday, not on Tuesday.
    """
    if days < 0:
        raise ValueError(f"days must not be negative, got {days}")
    zone = _zone(tz)
    local = _local(start, zone)
    day = next_working_day(local.date())
    for _ in range(days):
        day = next_working_day(day + timedelta(days=1))
    return _at(day, local.time(), zone)


def working_days_between(start: datetime, end: datetime, tz: ZoneInfo | str) -> int:
    """Whole working days elapsed from ``start`` to ``end`` (0 when ``end`` is not later).

    The inverse of :func:`add_working_days`: the largest ``n`` with
    ``add_working_days(start, n, tz) <= end``.
    """
    zone = _zone(tz)
    local_start, local_end = _local(start, zone), _local(end, zone)
    if local_end <= local_start:
        return 0
    clock = local_start.time()
    day = next_working_day(local_start.date())
    elapsed = 0
    while True:
        following = next_working_day(day + timedelta(days=1))
        if _at(following, clock, zone) > local_end:
            return elapsed
        elapsed += 1
        day = following


def step_due_at(
    entered_at: datetime, standard: TimeStandard | None, tz: ZoneInfo | str
) -> datetime | None:
    """When a step entered at ``entered_at`` is due under ``standard`` (None: no standard).

    Minutes are calendar minutes: the SOPs use them for counter work done while the person
    waits, which is not paused by the clock passing five o'clock.
    """
    if standard is None:
        return None
    local = _local(entered_at, tz)
    if standard.minutes is not None:
        return local + timedelta(minutes=standard.minutes)
    if standard.working_days is None:  # TimeStandard's own validation rules this out
        raise ValueError("a time standard needs minutes or working days")
    return add_working_days(local, standard.working_days, tz)


@dataclass(frozen=True)
class Lateness:
    due_at: datetime
    is_late: bool
    late_by: timedelta  # zero when not late
    working_days_late: int  # whole working days past due_at; zero when not late


def lateness(
    entered_at: datetime, standard: TimeStandard | None, now: datetime, tz: ZoneInfo | str
) -> Lateness | None:
    """How a step stands against its time standard at ``now`` (None: no standard to miss).

    Exactly at the due moment a step is still on time.
    """
    due_at = step_due_at(entered_at, standard, tz)
    if due_at is None:
        return None
    now_local = _local(now, tz)
    if now_local <= due_at:
        return Lateness(due_at=due_at, is_late=False, late_by=timedelta(0), working_days_late=0)
    return Lateness(
        due_at=due_at,
        is_late=True,
        late_by=now_local - due_at,
        working_days_late=working_days_between(due_at, now_local, tz),
    )
