"""How long a step may take and how late it is, in the words of its own time standard.

A standard of five minutes is late by minutes, one of hours by hours, one of working days by
working days; under one whole unit of its standard, the lateness is said in the next smaller
unit (never "late by 0 working days"). The due moment is always given with its time and zone.
Spans are returned as a message key and a number, so the reader's language decides the words
and the plural (``1 working day``, ``2 working days``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import messages
from services.catalogue import TimeStandard
from services.workdays import Lateness

MINUTE, HOUR, DAY = 60, 60 * 60, 24 * 60 * 60


@dataclass(frozen=True)
class Span:
    """``n`` of a unit: ``unit`` is minutes, hours, days (calendar) or working_days."""

    unit: str
    n: int

    def words(self, lang: str = "id") -> str:
        form = "one" if self.n == 1 else "many"
        return messages.render(f"span.{self.unit}.{form}", lang, n=self.n)


def standard_span(standard: TimeStandard | None) -> Span | None:
    """A step's time standard as a span; None when the SOP gives the step none."""
    if standard is None:
        return None
    if standard.working_days is not None:
        return Span("working_days", standard.working_days)
    minutes = standard.minutes or 0
    if minutes % (24 * 60) == 0:
        return Span("days", minutes // (24 * 60))
    if minutes % 60 == 0:
        return Span("hours", minutes // 60)
    return Span("minutes", minutes)


def _calendar(by: timedelta) -> Span:
    seconds = int(by.total_seconds())
    if seconds >= DAY:
        return Span("days", seconds // DAY)
    if seconds >= HOUR:
        return Span("hours", seconds // HOUR)
    return Span("minutes", max(1, -(-seconds // MINUTE)))


def late_span(late: Lateness, standard: TimeStandard | None) -> Span | None:
    """How late a late step is, in its standard's unit (smaller under one unit); None when
    it is not late."""
    if not late.is_late:
        return None
    if standard is not None and standard.working_days is not None and late.working_days_late:
        return Span("working_days", late.working_days_late)
    return _calendar(late.late_by)
