"""The bot's own buttons for what may be done with a complaint.

Services say what may be done next as :class:`services.complaints.Action` values (on a reply
of the conversation, or on an outbox row they queue: ``extra["actions"]``); this module turns
them into buttons whose value is the command the conversation understands when typed, so a
pressed button and a typed command are one path. The verbs live here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import messages
from bot.inbound import Button
from services.complaints import Action

# The typed command for each action that a button can carry (an answer needs words).
VERBS: dict[Action, str] = {
    Action.CLAIM: "klaim",
    Action.ADD_INFO: "tambah",
    Action.SETTLE: "selesai",
    Action.REOPEN: "buka",
    Action.RATE: "nilai",
}
OFFICER_VERBS = frozenset({VERBS[Action.CLAIM], "jawab"})
COMPLAINANT_VERBS = frozenset(VERBS[a] for a in VERBS if a != Action.CLAIM)


def command(action: Action, number: str) -> str:
    return f"{VERBS[action]} {number}"


def label(action: Action, lang: str) -> str:
    return messages.render(f"complaint.action.{action}", lang)


def buttons(actions: Iterable[Action], number: str, lang: str) -> tuple[tuple[Button, ...], ...]:
    """One button a row, for the actions a button can carry."""
    return tuple((Button(label(a, lang)[:60], command(a, number)),) for a in actions if a in VERBS)


def from_extra(extra: Mapping[str, Any]) -> tuple[tuple[Button, ...], ...]:
    """The buttons of an outbox row a service queued about a complaint (none otherwise)."""
    number, names = extra.get("complaint"), extra.get("actions")
    if not isinstance(number, str) or not isinstance(names, list):
        return ()
    known = {str(a): a for a in Action}
    actions = [known[n] for n in names if isinstance(n, str) and n in known]
    return buttons(actions, number, str(extra.get("lang") or messages.DEFAULT_LANGUAGE))
