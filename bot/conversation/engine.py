"""Turn one inbound event into state changes and replies. Everything here is channel-neutral."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.conversation import contact, language, menu, office, programmes, status
from bot.conversation.turn import LOGOUT_WORDS, MENU_WORDS, Turn
from bot.inbound import InboundEvent

Handler = Callable[[Turn, str], None]

STATES: dict[str, Handler] = {
    menu.MENU: menu.on_menu,
    office.CHOOSE_OFFICE: office.on_choose_office,
    language.CHOOSE_LANGUAGE: language.on_choose_language,
    programmes.PROGRAMMES: programmes.on_programmes,
    programmes.PROGRAMME: programmes.on_programme,
    contact.CONTACT: contact.on_contact,
    status.ASK_ID: status.on_ask_id,
    status.ASK_BIRTH: status.on_ask_birth,
    status.PICK: status.on_pick,
    status.SHOWN: status.on_shown,
}


def respond(turn: Turn, event: InboundEvent) -> None:
    """Decide what to say and where the conversation goes; the caller persists both."""
    conversation = turn.conversation
    if event.kind == "ignored":
        return
    if event.display_name:
        conversation.display_name = event.display_name[:120]

    idle = turn.now - conversation.updated_at
    timed_out = idle > timedelta(minutes=turn.settings.conversation_timeout_minutes)
    conversation.updated_at = turn.now
    if timed_out and conversation.state != menu.MENU:
        # A half-typed proof or a deep sub-menu from yesterday would make "1" mean the wrong
        # thing today; start again from the menu and do not guess what the input meant.
        menu.show(turn, intro=turn.t("bot.timeout"))
        return

    if event.kind == "unsupported":
        turn.say(turn.t("bot.unsupported"), [("0", turn.t("bot.nav.menu"))])
        return

    text = event.input
    word = text.lower()
    if not text:
        turn.say(turn.t("bot.hint"), [("0", turn.t("bot.nav.menu"))])
        return
    if word in MENU_WORDS:
        menu.show(turn)
        return
    if word in LOGOUT_WORDS:
        status.logout(turn)
        return
    handler = STATES.get(conversation.state, menu.on_menu)
    handler(turn, text)
