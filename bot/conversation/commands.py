"""Slash commands: a way into each story from any state of a private chat.

``/menu`` and ``/batal`` lead to the menu (``/batal`` says that what was under way is
dropped), ``/status`` and ``/pengaduan`` open menu items 2 and 3, ``/bantuan`` (or
``/help``) says in a few lines what the bot does. ``/start`` alone shows the menu;
``/start <office>`` (what a link ``t.me/<bot>?start=buton-tengah`` on an office's poster
sends) picks the office by its slug; ``/start <code>`` redeems a link code, which
:mod:`bot.conversation.link` handles.

The same words work on every channel; a channel that shows commands in a menu (Telegram's
``setMyCommands``) lists :data:`COMMANDS` with their descriptions from ``messages/``.
"""

from __future__ import annotations

import re

import messages
from bot.conversation import menu, office
from bot.conversation.turn import Turn
from bot.inbound import InboundEvent

# In the order a menu of commands lists them; each has "bot.command.<name>" in messages/.
COMMANDS = ("start", "menu", "status", "pengaduan", "bantuan", "batal")
# "/status@SigapBot": in a group, or from a client that adds the bot's name.
_COMMAND = re.compile(r"^/(?P<name>[a-z]+)(?:@\w+)?(?:\s+(?P<argument>\S.*))?$", re.DOTALL)
_OFFICE_SLUG = re.compile(r"[a-z][a-z0-9-]{1,59}")


def described(lang: str) -> list[tuple[str, str]]:
    """(command, description) of every command, for a channel's list of commands."""
    return [(name, messages.render(f"bot.command.{name}", lang)) for name in COMMANDS]


def try_command(turn: Turn, event: InboundEvent) -> bool:
    """Handle ``event`` when it is one of the commands; a link code after ``/start`` is left
    to :mod:`bot.conversation.link`."""
    if event.kind not in ("text", "choice"):
        return False
    found = _COMMAND.match(event.input.strip().lower())
    if found is None:
        return False
    name, argument = found["name"], (found["argument"] or "").strip()
    if name == "start" and argument:
        return _start_office(turn, argument)
    if argument:
        return False  # "/status ADU-…" and the like are someone else's grammar
    if name in ("start", "menu"):
        menu.show(turn)
    elif name == "batal":
        menu.show(turn, intro=turn.t("bot.command.cancelled"))
    elif name == "status":
        menu.open_item(turn, "2")
    elif name == "pengaduan":
        menu.open_item(turn, "3")
    elif name in ("bantuan", "help"):
        turn.goto(menu.MENU)
        turn.say(turn.t("bot.help"), menu.options(turn))
    else:
        return False
    return True


def _start_office(turn: Turn, argument: str) -> bool:
    if any(ch.isdigit() for ch in argument) and not any(ch.isalpha() for ch in argument):
        return False  # a link code, or a mistyped one: link.py says which
    slug = argument.split()[0]
    spec = turn.catalogue.office_by_slug(slug) if _OFFICE_SLUG.fullmatch(slug) else None
    row = next((o for o in turn.offices() if spec and o.code == spec.code), None)
    if spec is None or row is None:
        intro = turn.t("bot.command.no_office", office=slug[:60])
        office.ask(turn, then="", intro=intro, change=True)
        return True
    turn.conversation.office_id = row.id
    intro = turn.t("bot.command.office", office=spec.name.get(turn.lang))
    note = office.switched_note(turn)
    menu.show(turn, intro=f"{intro} {note}" if note else intro)
    return True
