"""Human-readable numbers: ``ADU-BTG-2026-00123`` for a complaint, ``UEP-LMD-2026-0007`` for a
proposal. Each office counts on its own, from 1 every year, and a number grows past its width
rather than running out (``ADU-BTG-2026-100000`` follows ``-99999``).

A number is taken from one counter row per (prefix, office, year), advanced by a single
``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` in the caller's transaction: two writers
numbering for the same office queue on that row (PostgreSQL) or on SQLite's one write lock,
so neither ever reads a number the other took, and nothing is retried or scanned. A rolled
back transaction gives its number back with everything else it wrote.

Numbers written before per-office counting (``ADU-2026-00012``, ``UEP-2026-0007``, shared by
all offices) stay valid: :func:`complaint_number` and :func:`proposal_number` read both forms
as people type them, and the migration that brought the counters started each one after the
highest number its office already had that year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from models import NumberCounter, Office

COMPLAINT_PREFIX = "ADU"
COMPLAINT_WIDTH = 5
PROPOSAL_WIDTH = 4

# Between the parts: a dash (any of the dashes a phone's keyboard makes of one), a slash or a
# dot, with spaces around it or not; or spaces alone.
_SEP = r"(?:\s*[-/.\u2010-\u2015\u2212]\s*|\s+)"
_CODE = r"[A-Z][A-Z0-9]*"
_TAIL = rf"(?:{_SEP}{_CODE})?{_SEP}[0-9]{{4}}{_SEP}[0-9]{{1,12}}"

# A complaint number as typed, for the bot's commands to embed (no groups, no anchors; compile
# with re.IGNORECASE). The office part is optional: numbers from before per-office counting
# have none.
COMPLAINT_NUMBER = rf"{COMPLAINT_PREFIX}{_TAIL}"

_PARTS = re.compile(
    rf"^\s*(?P<prefix>{_CODE})(?:{_SEP}(?P<office>{_CODE}))?{_SEP}"
    rf"(?P<year>[0-9]{{4}}){_SEP}(?P<sequence>[0-9]{{1,12}})\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Number:
    prefix: str
    office: str | None  # None in numbers from before per-office counting
    year: int
    sequence: int

    def text(self, width: int) -> str:
        parts = [self.prefix] + ([self.office] if self.office else [])
        return "-".join([*parts, str(self.year), f"{self.sequence:0{width}d}"])


def parse_number(text: str) -> Number | None:
    """The parts of a complaint or proposal number as typed, whatever the case and spacing
    ("adu btg 2026 123", "ADU / 2026 / 00012"); None when ``text`` is no such number."""
    found = _PARTS.match(text)
    if found is None:
        return None
    office = found["office"]
    return Number(
        prefix=found["prefix"].upper(),
        office=office.upper() if office else None,
        year=int(found["year"]),
        sequence=int(found["sequence"]),
    )


def complaint_number(text: str) -> str | None:
    """A complaint's number as stored (``ADU-BTG-2026-00123``, or an old ``ADU-2026-00012``),
    from the way someone typed it; None when it is no complaint number."""
    number = parse_number(text)
    if number is None or number.prefix != COMPLAINT_PREFIX:
        return None
    return number.text(COMPLAINT_WIDTH)


def proposal_number(text: str) -> str | None:
    """A proposal's number as stored (``UEP-LMD-2026-0007``, or an old ``UEP-2026-0007``),
    from the way someone typed it; None when it is no proposal number."""
    number = parse_number(text)
    if number is None or number.prefix == COMPLAINT_PREFIX:
        return None
    return number.text(PROPOSAL_WIDTH)


def office_code(office: Office) -> str:
    """The office's part of a number: its short code from the catalogue (``BTG``). An office
    row made outside the catalogue has none; its id stands in, which no other office has."""
    return office.short_code or f"K{office.id}"


def next_sequence(session: Session, *, prefix: str, office_id: int, year: int) -> int:
    """Advance the (prefix, office, year) counter in the caller's transaction; its new value."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    table = NumberCounter.__table__  # type: ignore[attr-defined]
    statement = (
        insert(table)
        .values(prefix=prefix, office_id=office_id, year=year, value=1)
        .on_conflict_do_update(
            index_elements=["prefix", "office_id", "year"],
            set_={"value": table.c.value + 1},
        )
        .returning(table.c.value)
    )
    return int(session.execute(statement).scalar_one())


def next_number(session: Session, *, prefix: str, office: Office, now: datetime, width: int) -> str:
    """The next number of ``office`` for ``prefix``: at least ``width`` digits, counted from 1
    each year as the office's own calendar turns (not UTC's)."""
    year = now.astimezone(ZoneInfo(office.timezone)).year
    sequence = next_sequence(session, prefix=prefix, office_id=office.id or 0, year=year)
    return Number(prefix, office_code(office), year, sequence).text(width)
