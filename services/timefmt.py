"""Dates and times in plain Indonesian (or English), in the office's own time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import messages

# Indonesia's three zones by their IANA names; the abbreviation people know them by.
_ZONE_NAMES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def zone_abbreviation(tz: str) -> str:
    return _ZONE_NAMES.get(tz, tz)


def format_moment(moment: datetime, tz: str, lang: str = "id") -> str:
    """``Senin, 25 November 2026 pukul 14.05 WITA``."""
    local = moment.astimezone(ZoneInfo(tz))
    return messages.render(
        "time.moment",
        lang,
        weekday=messages.render(f"time.weekday.{local.weekday()}", lang),
        day=local.day,
        month=messages.render(f"time.month.{local.month}", lang),
        year=local.year,
        hour=f"{local.hour:02d}",
        minute=f"{local.minute:02d}",
        zone=zone_abbreviation(tz),
    )


def format_date(moment: datetime, tz: str, lang: str = "id") -> str:
    local = moment.astimezone(ZoneInfo(tz))
    return messages.render(
        "time.date",
        lang,
        day=local.day,
        month=messages.render(f"time.month.{local.month}", lang),
        year=local.year,
    )
