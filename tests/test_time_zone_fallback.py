"""One time zone when nothing names one: the setting ``OFFICE_TIMEZONE``.

Each office has its own zone (the catalogue's); where code has no office at hand it falls back
to the setting, never to a zone written in the code that differs from it (it once said
Asia/Jakarta in some places and Asia/Makassar in others, so the same moment read an hour apart).
"""

from __future__ import annotations

import re
from pathlib import Path

from core.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
ZONE = re.compile(r"""["'](Asia/\w+)["']""")
# Where zone names are data, not a fallback: the table of their abbreviations.
TABLES = {ROOT / "services" / "timefmt.py"}


def test_no_code_falls_back_to_a_zone_other_than_the_settings() -> None:
    default = Settings.model_fields["office_timezone"].default
    written = {
        f"{path.relative_to(ROOT)}: {zone}"
        for folder in ("app", "bot", "services", "core", "models")
        for path in (ROOT / folder).rglob("*.py")
        if path not in TABLES
        for zone in ZONE.findall(path.read_text(encoding="utf-8"))
        if zone != default
    }
    assert written == set()
