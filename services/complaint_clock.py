"""Each office's complaint clock: when an answer is due, who is reminded, who is told after.

An office's rule is in its catalogue entry (``complaint_clock`` in catalogue/offices.yaml):
calendar hours (the Buton Tengah SOP's "paling lama 2x24 jam", and the default 48 where an
SOP says nothing), or working days counted on the office's own calendar — Monday to Friday,
national holidays and cuti bersama off (services/workdays.py) — from its opening hours. A
programme's own ``complaint_response_hours`` overrides the office's rule for complaints about
that programme. The escalation chain is the office's too (officer -> Kabid -> Kadis and the
PPID officers in Buton Tengah, officer -> Kabid where the SOP names no one above).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import messages
from core.settings import Settings
from services.catalogue import Catalogue
from services.catalogue import ComplaintClock as ClockSpec
from services.workdays import add_working_days, is_working_day, next_working_day


@dataclass(frozen=True)
class Escalation:
    """Who hears of a complaint still unanswered ``after_hours`` past its deadline."""

    after_hours: int
    roles: tuple[str, ...]
    ppid: bool = False

    @property
    def kind(self) -> str:
        """The milestone's name: "escalate-supervisor", "escalate-head"."""
        return "escalate-" + "-".join(self.roles)


DEFAULT_CHAIN = (
    Escalation(0, ("supervisor",)),
    Escalation(24, ("head",), ppid=True),
)


@dataclass(frozen=True)
class ClockPolicy:
    response_hours: int = 48
    reminder_hours: tuple[int, ...] = (24, 4)
    head_after_hours: int = 24
    reopen_days: int = 7
    # When set, the deadline is this many working days, counted from the office's opening
    # hours; otherwise ``response_hours`` calendar hours.
    working_days: int | None = None
    opens: time = time(8, 0)
    closes: time = time(16, 0)
    # None: the Kabid at the deadline, the Kadis and the PPID ``head_after_hours`` later.
    chain: tuple[Escalation, ...] | None = None

    @property
    def escalations(self) -> tuple[Escalation, ...]:
        if self.chain is not None:
            return self.chain
        return (DEFAULT_CHAIN[0], replace(DEFAULT_CHAIN[1], after_hours=self.head_after_hours))

    @property
    def rule(self) -> str:
        """How the deadline was counted, as stored with the complaint."""
        if self.working_days is not None:
            return f"working_days:{self.working_days}"
        return f"hours:{self.response_hours}"

    def describe(self, lang: str) -> str:
        """ "2×24 jam", "2 hari kerja" """
        if self.working_days is not None:
            return messages.render("complaint.clock.working_days", lang, days=self.working_days)
        if self.response_hours % 24 == 0:
            return messages.render(
                "complaint.clock.days_of_hours", lang, days=self.response_hours // 24
            )
        return messages.render("complaint.clock.hours", lang, hours=self.response_hours)

    def due_at(self, start: datetime, timezone: str) -> datetime:
        if self.working_days is None:
            return start + timedelta(hours=self.response_hours)
        zone = ZoneInfo(timezone)
        local = start.astimezone(zone)
        # Outside office hours (a weekend, a holiday, the evening) the count starts when the
        # office next opens; an hour that is no working day's counts from the next one's.
        if not is_working_day(local.date()) or local.time() >= self.closes:
            day = next_working_day(local.date() + timedelta(days=1))
            local = datetime.combine(day, self.opens, tzinfo=zone)
        elif local.time() < self.opens:
            local = datetime.combine(local.date(), self.opens, tzinfo=zone)
        return add_working_days(local, self.working_days, zone)


def hours_left(due: datetime, now: datetime) -> int:
    """Whole hours to the deadline, rounded up (never claims more than there is)."""
    return max(0, math.ceil((due - now).total_seconds() / 3600))


def clock_policy(settings: Settings) -> ClockPolicy:
    """The default complaint clock as the settings describe it."""
    return ClockPolicy(
        response_hours=settings.complaint_response_hours,
        reminder_hours=tuple(settings.complaint_reminder_hours),
        head_after_hours=settings.complaint_head_escalation_hours,
        reopen_days=settings.complaint_reopen_days,
    )


def _from_spec(default: ClockPolicy, spec: ClockSpec) -> ClockPolicy:
    chain = tuple(Escalation(e.after_hours, tuple(e.roles), e.ppid) for e in spec.escalation)
    policy = replace(default, chain=chain or None)
    if spec.kind == "hours":
        return replace(policy, response_hours=spec.amount, working_days=None)
    opens, closes = (spec.office_hours or "08:00-16:00").split("-")
    return replace(
        policy,
        working_days=spec.amount,
        opens=time.fromisoformat(opens),
        closes=time.fromisoformat(closes),
    )


@dataclass(frozen=True)
class ClockRules:
    """Every office's clock, and the programmes' own answer times."""

    default: ClockPolicy = ClockPolicy()
    offices: Mapping[str, ClockPolicy] = field(default_factory=dict)
    programmes: Mapping[str, int] = field(default_factory=dict)

    def for_complaint(self, office_code: str, programme_code: str | None) -> ClockPolicy:
        policy = self.offices.get(office_code, self.default)
        hours = self.programmes.get(programme_code or "")
        if hours is not None:
            # The programme's SOP names its answer time in hours: calendar hours.
            policy = replace(policy, response_hours=hours, working_days=None)
        return policy


def clock_rules(settings: Settings, catalogue: Catalogue) -> ClockRules:
    default = clock_policy(settings)
    return ClockRules(
        default=default,
        offices={
            o.code: _from_spec(default, o.complaint_clock)
            for o in catalogue.offices
            if o.complaint_clock is not None
        },
        programmes={
            p.code: p.complaint_response_hours
            for p in catalogue.programmes
            if p.complaint_response_hours is not None
        },
    )


def with_office_clocks(
    rules: ClockRules, own: Mapping[str, tuple[str, int, str | None]]
) -> ClockRules:
    """``rules`` with the clocks offices set for themselves, by office code: ("hours", 72,
    None) or ("working_days", 3, "08:00-15:00"); each keeps its office's escalation chain."""
    offices = dict(rules.offices)
    for code, (kind, amount, office_hours) in own.items():
        base = offices.get(code, rules.default)
        if kind == "hours":
            offices[code] = replace(base, response_hours=amount, working_days=None)
            continue
        opens, closes = (office_hours or "08:00-16:00").split("-")
        offices[code] = replace(
            base,
            working_days=amount,
            opens=time.fromisoformat(opens),
            closes=time.fromisoformat(closes),
        )
    return replace(rules, offices=offices)
