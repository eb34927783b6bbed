"""The audit log viewer names every action and every kind of record the services write in
words ("menonaktifkan akun", "berkas pengaduan"), never a code or "aksi lain (disable)".

Read from the source: each ``action="..."`` and ``entity="..."`` in a call that writes the
audit trail (``audit.record(...)`` and the services' own ``_audit`` helpers), and the actions
services/staff.py passes through its helper.
"""

from __future__ import annotations

import re
from pathlib import Path

import messages
from services import audit

ROOT = Path(__file__).resolve().parents[2]
WRITTEN = re.compile(r"""\b(action|entity)="([a-z_]+)\"""")
# A call that writes the trail, up to the line that closes it.
CALL = re.compile(r"""(?:audit\.record|\b_audit)\((.*?)\n\s*\)""", re.DOTALL)
STAFF_HELPER = re.compile(r"""_audit\(session, \w+, \w+, ([^)]*?), (?:target|staff), now""")


def _written() -> set[tuple[str, str]]:
    found = set()
    for folder in ("services", "app", "bot"):
        for path in (ROOT / folder).rglob("*.py"):
            for call in CALL.findall(path.read_text(encoding="utf-8")):
                found |= set(WRITTEN.findall(call))
    staff = (ROOT / "services" / "staff.py").read_text(encoding="utf-8")
    for arguments in STAFF_HELPER.findall(staff):
        found |= {("action", code) for code in re.findall(r'"([a-z_]+)"', arguments)}
    return found


def test_every_action_and_record_the_trail_holds_has_words() -> None:
    written = _written()
    assert ("action", "disable") in written and ("entity", "inbound_message") in written
    missing = sorted(
        f"privacy.{kind}.{code}"
        for kind, code in written
        if not messages.has(f"privacy.{kind}.{code}")
    )
    assert missing == []


def test_every_action_the_trail_holds_can_be_picked_in_the_filter() -> None:
    written = {code for kind, code in _written() if kind == "action"}
    assert sorted(written - set(audit.ACTIONS)) == []
