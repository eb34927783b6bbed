"""A link code sent to the bot: ``/start <code>`` (what a Telegram deep link sends),
``/link <code>``, ``link <code>``, or in a private chat the code as the whole message.

It means the same in every state, like the ticket commands, and also in a group, where it is
the one thing besides officers' commands that gets an answer: that is how a group becomes an
office's officers' chat. The rules are in :mod:`services.link_codes`.
"""

from __future__ import annotations

import re

from bot.conversation import menu
from bot.conversation.turn import Turn
from bot.inbound import InboundEvent
from services import link_codes

# "@SigapBot" follows a command in a group ("/start@SigapBot <code>" from a startgroup link).
COMMAND = re.compile(r"^/?(?:start|link)(?:@\w+)?\s+(?P<code>\S.*)$", re.IGNORECASE | re.DOTALL)


def try_code(turn: Turn, event: InboundEvent, *, shared: bool) -> bool:
    """Handle ``event`` if it carries a code; ``shared``: a group or an officers' chat, where
    only the command forms count (people there talk among themselves)."""
    if event.kind not in ("text", "choice"):
        return False
    text = event.input
    command = COMMAND.match(text)
    if command is not None:
        # Whatever follows the command was meant as a code: a short one is a typo to point out.
        code = link_codes.parse(command["code"]) or ""
    elif shared:
        return False
    else:
        found = link_codes.parse(text)
        if found is None:
            return False
        code = found
    _redeem(turn, code, shared=shared)
    return True


def _redeem(turn: Turn, code: str, *, shared: bool) -> None:
    if not code:
        _say(turn, turn.t("link.malformed"), shared=shared)
        return
    outcome = link_codes.redeem(
        session=turn.session,
        conversation=turn.conversation,
        code=code,
        shared=shared,
        now=turn.now,
        secret=turn.settings.secret_key.get_secret_value(),
        limit=turn.settings.status_attempts_per_hour,
    )
    if isinstance(outcome, link_codes.Linked):
        _linked(turn, outcome)
        return
    if outcome.reason == "locked" and outcome.until is not None:
        local = turn.local(outcome.until)
        text = turn.t("link.locked", time=local.strftime("%H:%M"), date=local.strftime("%d-%m-%Y"))
    elif outcome.reason == "invalid":
        text = turn.t("link.invalid", left=outcome.left)
    else:
        text = turn.t(f"link.{outcome.reason}")
    _say(turn, text, shared=shared)


def _linked(turn: Turn, linked: link_codes.Linked) -> None:
    office = linked.office.name
    if linked.person is not None:
        menu.show(turn, intro=turn.t("link.person", name=linked.person.name, office=office))
    elif linked.staff is not None:
        turn.say(turn.t("link.staff", name=linked.staff.full_name, office=office))
    elif linked.complaint is not None:
        menu.show(turn, intro=turn.t("link.complaint", number=linked.complaint.number))
    else:
        turn.say(turn.t("link.officers", office=office))


def _say(turn: Turn, text: str, *, shared: bool) -> None:
    # In a private chat the way back to the menu is offered; a group has no menu.
    turn.say(text, [] if shared else [("0", turn.t("bot.nav.menu"))])
