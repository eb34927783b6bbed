"""Dates as people type them in Indonesia: day first, in digits or in words.

``5 Agustus 1991``, ``5 agt 91``, ``5-8-91``, ``05/08/1991``, ``05081991``, ``5 8 1991`` and the
ISO form ``1991-08-05`` all mean the fifth of August 1991. A two-digit year is the latest year
with those digits that is not after ``today`` (a birth date is never in the future). Month
names in Bahasa Indonesia and English, whole or shortened as people and forms shorten them.
"""

from __future__ import annotations

import re
from datetime import date

MONTHS: dict[str, int] = {
    **dict.fromkeys(("januari", "jan", "january"), 1),
    **dict.fromkeys(("februari", "pebruari", "feb", "peb", "febr", "february"), 2),
    **dict.fromkeys(("maret", "mar", "mrt", "march"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "jun", "june"), 6),
    **dict.fromkeys(("juli", "jul", "july"), 7),
    **dict.fromkeys(("agustus", "agu", "agt", "ags", "agust", "aug", "august"), 8),
    **dict.fromkeys(("september", "sep", "sept", "spt"), 9),
    **dict.fromkeys(("oktober", "okt", "oct", "october"), 10),
    **dict.fromkeys(("november", "nov", "nop", "nopember"), 11),
    **dict.fromkeys(("desember", "des", "dec", "december"), 12),
}

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})\s*[\s./-]\s*(\d{1,2})\s*[\s./-]\s*(\d{2}|\d{4})$")
_COMPACT = re.compile(r"^(\d{2})(\d{2})(\d{4})$")
_WORDS = re.compile(r"^(\d{1,2})\s*[\s./-]?\s*([a-z]+)\.?\s*[\s./-]?\s*(\d{2}|\d{4})$")


def parse_date(text: str, *, today: date) -> date | None:
    """The date ``text`` names, day first; None when it names none (or an impossible one)."""
    cleaned = " ".join(text.strip().lower().replace(",", " ").split())
    cleaned = re.sub(r"^(tanggal|tgl\.?|lahir)\s+", "", cleaned)
    if (found := _ISO.match(cleaned)) is not None:
        year, month, day = (int(part) for part in found.groups())
        return _make(year, month, day)
    if (found := _NUMERIC.match(cleaned) or _COMPACT.match(cleaned)) is not None:
        day, month = int(found[1]), int(found[2])
        return _with_year(found[3], month, day, today)
    if (found := _WORDS.match(cleaned)) is not None:
        month_number = MONTHS.get(found[2])
        if month_number is None:
            return None
        return _with_year(found[3], month_number, int(found[1]), today)
    return None


def _with_year(year_text: str, month: int, day: int, today: date) -> date | None:
    if len(year_text) == 4:
        return _make(int(year_text), month, day)
    two = int(year_text)
    recent = _make(2000 + two, month, day)
    if recent is not None and recent <= today:
        return recent
    return _make(1900 + two, month, day)


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
