"""Turn one inbound event into state changes and replies. Everything here is channel-neutral."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from bot.conversation import (
    broadcasts,
    commands,
    complaint_intake,
    complaint_thread,
    complaint_track,
    contact,
    language,
    link,
    menu,
    navigation,
    office,
    officers,
    programmes,
    status,
    words,
)
from bot.conversation.turn import LOGOUT_WORDS, MENU_WORDS, Turn
from bot.conversation.words import Intent
from bot.inbound import InboundEvent
from services import chat_links

Handler = Callable[[Turn, str], None]

STATES: dict[str, Handler] = {
    menu.MENU: menu.on_menu,
    office.CHOOSE_OFFICE: office.on_choose_office,
    language.CHOOSE_LANGUAGE: language.on_choose_language,
    programmes.PROGRAMMES: programmes.on_programmes,
    programmes.PROGRAMME: programmes.on_programme,
    contact.CONTACT: contact.on_contact,
    status.HOW: status.on_how,
    status.HOUSEHOLD: status.on_household,
    status.PICK: status.on_pick,
    status.SHOWN: status.on_shown,
    complaint_track.LIST: complaint_track.on_list,
    complaint_track.SHOWN: complaint_track.on_shown,
    complaint_track.ADD_INFO: complaint_track.on_add_info,
    complaint_track.REOPEN_REASON: complaint_track.on_reopen_reason,
    complaint_track.RATE: complaint_track.on_rate,
    complaint_track.RATE_COMMENT: complaint_track.on_rate_comment,
    navigation.LEAVE: navigation.on_leave,
}


def respond(turn: Turn, event: InboundEvent) -> None:
    """Decide what to say and where the conversation goes; the caller persists both."""
    conversation = turn.conversation
    if event.kind == "ignored":
        return
    # An officers' chat never runs the beneficiary menu: only officer commands are answered.
    # Any other group gets no answer at all: it may have added the bot by mistake.
    officers_chat = officers.officers_office(turn) is not None
    if event.group or officers_chat:
        # A link code is how a group becomes an officers' chat, so it is heard in any group.
        if link.try_code(turn, event, shared=True):
            return
        command = officers.wants(turn, event) if officers_chat else None
        if command is not None:
            officers.respond(turn, command=command, event=event)
        return
    if event.display_name:
        conversation.display_name = event.display_name[:120]
    turn.phone = event.phone

    idle = turn.now - conversation.updated_at
    timed_out = idle > timedelta(minutes=turn.settings.conversation_timeout_minutes)
    lapse_days = turn.settings.link_lapse_days
    if chat_links.lapsed(conversation, now=turn.now, days=lapse_days):
        # Before the daily job got to it: this message finds the link already ended.
        chat_links.unlink(
            session=turn.session, conversation=conversation, now=turn.now, why="lapsed"
        )
        turn.say(turn.t("link.lapsed", days=lapse_days))
    conversation.updated_at = turn.now

    # Commands that name their ticket mean the same whatever state the chat is in, and an
    # answer may come days after the last message, so they pass before the timeout.
    if _command(turn, event):
        return
    if event.kind == "contact":
        # Shared with the "share my number" button, whatever the chat was doing.
        status.on_contact(turn, event.phone)
        return

    text = event.input
    state = conversation.state
    free = state in navigation.FREE_TEXT
    # Outside the free-text answers, "satu", "1." and "(1)" are the digit 1 (nol is 0).
    typed = None if free or event.kind not in ("text", "choice") else words.choice(text)
    said = words.intent(text) if event.kind in ("text", "choice") else None
    word = text.lower()
    to_menu = word in MENU_WORDS or typed == "0" or said is Intent.MENU
    leaving = to_menu or word in LOGOUT_WORDS
    # A reply to the bot's message about a complaint (its answer, say) is said to that
    # complaint, however long ago it came and whatever the chat was doing.
    if not leaving and complaint_thread.try_reply(turn, event):
        return
    if (
        state != navigation.LEAVE
        and word in complaint_intake.RESUME_WORDS
        and complaint_intake.resume(turn)
    ):
        return

    if timed_out and state != menu.MENU:
        # A half-typed proof or a deep sub-menu from yesterday would make "1" mean the wrong
        # thing today; start again from the menu and do not guess what the input meant. A
        # complaint being written is kept as a draft, and words meant for an officer reach
        # the complaint they are about.
        kept = complaint_intake.keep_draft(turn)
        turn.goto(menu.MENU)
        if not leaving and complaint_thread.wants(turn, event):
            complaint_thread.on_follow_up(turn, event)
            return
        intro = turn.t("bot.timeout")
        menu.show(turn, intro=f"{intro} {turn.t('bot.complaint.draft.kept')}" if kept else intro)
        return

    if to_menu:
        # Asks first when a draft would be lost; then the menu.
        navigation.leave(turn)
        return
    if word in LOGOUT_WORDS:
        status.logout(turn)
        return
    if said is Intent.BACK and state not in complaint_intake.STATES:
        # The complaint intake steps back itself, showing what was typed so far.
        navigation.back(turn)
        return
    if not free and said in _GLOBAL and (state, said) not in _LOCAL:
        if said is Intent.THANKS:
            navigation.thanks(turn)
        else:
            navigation.leave(turn, said)
        return
    if typed is not None and typed != text:
        text = typed
        event = replace(event, text=typed, choice=typed if event.kind == "choice" else None)
    if state in complaint_intake.STATES:
        complaint_intake.on_event(turn, event)
        return
    if conversation.state == complaint_thread.WHICH:
        complaint_thread.on_which(turn, event)
        return
    if conversation.state == complaint_track.SHOWN and complaint_track.on_shown_event(turn, event):
        return
    if conversation.state == menu.MENU and complaint_thread.wants(turn, event):
        complaint_thread.on_follow_up(turn, event)
        return

    if event.kind not in ("text", "choice"):
        turn.say(turn.t("bot.unsupported"), [("0", turn.t("bot.nav.menu"))])
        return
    if not text:
        turn.say(turn.t("bot.hint"), [("0", turn.t("bot.nav.menu"))])
        return
    handler = STATES.get(state, menu.on_menu)
    handler(turn, text)


# Phrases that open a menu item (or get a polite answer) from any state but the free-text ones.
_GLOBAL = frozenset({Intent.THANKS, Intent.STATUS, Intent.COMPLAINT, Intent.REQUIREMENTS})
# ... except where the state has its own meaning for them: the complaint menu's "cek status"
# checks the chat's complaints; a pending "leave?" question is answered first.
_LOCAL = frozenset(
    {
        (complaint_intake.CATEGORY, Intent.STATUS),
        (navigation.LEAVE, Intent.STATUS),
        (navigation.LEAVE, Intent.COMPLAINT),
        (navigation.LEAVE, Intent.REQUIREMENTS),
    }
)


def _command(turn: Turn, event: InboundEvent) -> bool:
    if event.kind not in ("text", "choice"):
        return False
    # Before link codes: "/start buton-tengah" names an office, not a mistyped code.
    if commands.try_command(turn, event):
        return True
    if link.try_code(turn, event, shared=False):
        return True
    # In a private chat an officer may use the same commands as in the group.
    officer_command = officers.wants(turn, event)
    if officer_command is not None:
        officers.respond(turn, command=officer_command, event=event)
        return True
    if complaint_track.try_command(turn, event.input):
        return True
    # BERHENTI, MULAI, HADIR and TIDAK BISA HADIR mean the same in every state.
    return broadcasts.try_reply(turn, event)
