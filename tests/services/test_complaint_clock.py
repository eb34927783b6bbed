"""Each office's complaint clock, from its catalogue entry (issue 13)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from core.settings import Settings
from services.catalogue import load_catalogue
from services.complaint_clock import ClockPolicy, ClockRules, clock_rules, hours_left

WIB = ZoneInfo("Asia/Pontianak")
LAMANDAU, BONE, BUTON = "62.09", "73.08", "74.14"


def _rules() -> ClockRules:
    return clock_rules(Settings(demo_mode=True), load_catalogue())


def test_each_office_has_the_rule_its_catalogue_entry_names() -> None:
    rules = _rules()
    assert rules.for_complaint(BUTON, None).rule == "hours:48"
    assert rules.for_complaint(LAMANDAU, None).rule == "working_days:2"
    # The programme files' own answer time is read (BPNT Buton Tengah: "2x24 jam").
    assert rules.programmes["bpnt-buton-tengah"] == 48
    assert rules.for_complaint(BUTON, "bpnt-buton-tengah").rule == "hours:48"
    # Buton Tengah's SOP: the Kabid, then the Kadis and the PPID officers; Bone's names the
    # Kabid alone.
    assert [(e.kind, e.ppid) for e in rules.for_complaint(BUTON, None).escalations] == [
        ("escalate-supervisor", False),
        ("escalate-head", True),
    ]
    assert [e.kind for e in rules.for_complaint(BONE, None).escalations] == ["escalate-supervisor"]


def test_a_programmes_answer_time_overrides_the_offices_rule() -> None:
    rules = _rules()
    overridden = ClockRules(
        default=rules.default, offices=rules.offices, programmes={"uep-lamandau": 24}
    )
    assert overridden.for_complaint(LAMANDAU, "uep-lamandau").rule == "hours:24"
    assert overridden.for_complaint(LAMANDAU, None).rule == "working_days:2"


def test_working_days_skip_weekends_holidays_and_cuti_bersama_and_start_at_opening() -> None:
    policy = _rules().for_complaint(LAMANDAU, None)
    # Wednesday 23 December 2026, 17.30 WIB: the office has closed; Thursday is cuti bersama,
    # Friday Christmas, then the weekend. The count starts Monday 08.00: due Wednesday 08.00.
    received = datetime(2026, 12, 23, 17, 30, tzinfo=WIB)
    assert policy.due_at(received, "Asia/Pontianak") == datetime(2026, 12, 30, 8, 0, tzinfo=WIB)
    # Tuesday 10.00, within office hours: Thursday 10.00.
    tuesday = datetime(2026, 12, 22, 10, 0, tzinfo=WIB)
    assert policy.due_at(tuesday, "Asia/Pontianak") == datetime(2026, 12, 28, 10, 0, tzinfo=WIB)
    # Before opening: from 08.00 the same day.
    early = datetime(2026, 12, 28, 6, 15, tzinfo=WIB)
    assert policy.due_at(early, "Asia/Pontianak") == datetime(2026, 12, 30, 8, 0, tzinfo=WIB)
    assert policy.describe("id") == "2 hari kerja"
    assert ClockPolicy().describe("id") == "2×24 jam"


def test_hours_left_never_claims_more_than_there_is() -> None:
    due = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
    assert hours_left(due, datetime(2026, 11, 24, 7, 30, tzinfo=UTC)) == 18
    assert hours_left(due, datetime(2026, 11, 25, 2, 0, tzinfo=UTC)) == 0
