"""The bot's own buttons on a notice: *Hadir* and *Tidak bisa hadir*.

A notice's outbox row names the answers it takes (``extra["actions"]``, see
services/notice_fanout.py) and the notice; this module turns them into buttons whose value is
what the conversation reads when typed (``hadir 12``), so a pressed button and a typed answer
are one path (bot/conversation/broadcasts.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import messages
from bot.inbound import Button

# What each button sends: the words bot/conversation/words.py reads as the same answer typed.
VERBS = {"attend": "hadir", "decline": "tidak bisa hadir"}


def from_extra(extra: Mapping[str, Any]) -> tuple[tuple[Button, ...], ...]:
    """The buttons of an outbox row a notice queued (none otherwise)."""
    notice, names = extra.get("notice"), extra.get("actions")
    if not isinstance(notice, int) or not isinstance(names, list):
        return ()
    lang = str(extra.get("lang") or messages.DEFAULT_LANGUAGE)
    return tuple(
        (
            Button(
                messages.render(f"notice.action.{name}", lang)[:60],
                f"{VERBS[name]} {notice}",
            ),
        )
        for name in names
        if name in VERBS
    )
