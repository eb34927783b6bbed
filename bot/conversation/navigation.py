"""Moving around by words: one step back, the menu without losing a draft unawares, and the
phrases that open a menu item from anywhere.

- ``kembali`` goes one step back in every multi-step flow (:data:`BACK`); from a first step,
  to the menu.
- ``0`` (``menu``, ``batal``) always means the main menu. Where a draft would be lost (a
  complaint's description, photo or location typed and not yet sent) the chat is warned first
  and asked to confirm (:data:`LEAVE`): ``0`` again leaves, ``1`` goes on where it was.
- ``cek status``, ``lapor``, ``syarat`` open their menu item, through the same warning.
- ``terima kasih`` gets a polite answer and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.conversation import complaint_intake, complaint_track, menu, office, programmes, status
from bot.conversation.turn import Turn
from bot.conversation.words import Intent

LEAVE = "confirm_leave"
_STAY, _GO = "1", "0"
_STAY_WORDS = frozenset({_STAY, "lanjut", "lanjutkan", "tidak", "no", "continue"})
_GO_WORDS = frozenset({_GO, "ya", "yes", "hapus"})

# States whose answer is the person's own words (a description, a reason, a birth date): there
# only the menu words and ``kembali`` are read as moves, and nothing typed is read as a choice.
FREE_TEXT = frozenset(
    {
        complaint_intake.DESCRIBE,
        complaint_track.ADD_INFO,
        complaint_track.REOPEN_REASON,
        complaint_track.RATE_COMMENT,
        status.HOUSEHOLD,
    }
)


def has_draft(turn: Turn) -> bool:
    """Whether leaving now would throw away something the person typed or sent."""
    data = turn.conversation.data
    return turn.conversation.state in complaint_intake.STATES and any(
        data.get(key) not in (None, "") for key in ("description", "photo_ref", "latitude")
    )


# --- leaving -----------------------------------------------------------------------------------


def leave(turn: Turn, then: Intent = Intent.MENU) -> None:
    """Go to ``then`` (the menu, or a menu item), asking first when a draft would be lost."""
    if turn.conversation.state == LEAVE:
        _go_keeping_draft(turn)
        return
    if has_draft(turn):
        conversation = turn.conversation
        resume = {"state": conversation.state, "data": dict(conversation.data)}
        turn.goto(LEAVE, then=str(then), resume=resume)
        _warn(turn)
        return
    go(turn, then)


def _warn(turn: Turn, *, intro: str = "") -> None:
    text = turn.t("nav.leave.warn")
    turn.say(
        f"{intro}\n\n{text}" if intro else text,
        [(_STAY, turn.t("nav.leave.stay")), (_GO, turn.t("nav.leave.go"))],
    )


def on_leave(turn: Turn, text: str) -> None:
    word = text.lower()
    if word in _GO_WORDS:
        _go_keeping_draft(turn)
    elif word in _STAY_WORDS:
        resume(turn)
    else:
        _warn(turn, intro=turn.t("nav.leave.unknown"))


def _go_keeping_draft(turn: Turn) -> None:
    """Leave as the person confirmed, keeping what they wrote as a draft that ``lanjutkan``
    brings back (services/complaint_drafts.py)."""
    then = Intent(str(turn.conversation.data.get("then", Intent.MENU)))
    saved: dict[str, Any] = dict(turn.conversation.data.get("resume") or {})
    turn.goto(str(saved.get("state", menu.MENU)), **dict(saved.get("data") or {}))
    kept = complaint_intake.keep_draft(turn)
    if then is Intent.MENU:
        menu.show(turn, intro=turn.t("bot.complaint.draft.kept") if kept else None)
    else:
        go(turn, then)


def resume(turn: Turn) -> None:
    """Back to the question the person was answering, with what they had typed."""
    saved: dict[str, Any] = dict(turn.conversation.data.get("resume") or {})
    state = str(saved.get("state", menu.MENU))
    turn.goto(state, **dict(saved.get("data") or {}))
    ask = _ASK_AGAIN.get(state)
    if ask is None:
        menu.show(turn)
        return
    ask(turn)


def go(turn: Turn, then: Intent) -> None:
    """Open what a phrase asked for, from wherever the chat is."""
    if then is Intent.STATUS:
        status.start(turn)
    elif then is Intent.COMPLAINT:
        menu.open_item(turn, "3")
    elif then is Intent.REQUIREMENTS:
        requirements(turn)
    else:
        menu.show(turn)


def requirements(turn: Turn) -> None:
    """``syarat``: the requirements page of the programme on screen, else the programme list
    that opens on requirements."""
    code = turn.conversation.data.get("programme")
    if turn.conversation.state == programmes.PROGRAMME and code:
        programmes.on_programme(turn, programmes.REQUIREMENTS)
    elif turn.office() is None:
        office.ask(turn, then="1", page=programmes.REQUIREMENTS)
    else:
        programmes.start(turn, page=programmes.REQUIREMENTS)


def thanks(turn: Turn) -> None:
    """A polite answer; the chat stays where it was."""
    turn.say(turn.t("nav.thanks"), [("0", turn.t("bot.nav.menu"))])


# --- one step back ---------------------------------------------------------------------------


def back(turn: Turn) -> None:
    step = _BACK.get(turn.conversation.state)
    if step is None:
        menu.show(turn)
        return
    step(turn)


def _complaint(turn: Turn) -> Any:
    return complaint_track.owned(turn, str(turn.conversation.data.get("number", "")))


def _back_to_shown_complaint(turn: Turn) -> None:
    complaint = _complaint(turn)
    if complaint is None:
        complaint_track.start_list(turn)
        return
    complaint_track.show(turn, complaint)


def _back_to_rating(turn: Turn) -> None:
    complaint = _complaint(turn)
    if complaint is None:
        menu.show(turn)
        return
    complaint_track.ask_rating(turn, complaint)


def _back_from_description(turn: Turn) -> None:
    data = turn.conversation.data
    found = turn.office()
    if found is None or not turn.catalogue.programmes_for_office(found[1].code):
        complaint_intake.ask_category(turn)
        return
    turn.goto(complaint_intake.PROGRAMME, **data)
    complaint_intake.ask_programme(turn)


def _back_within_intake(state: str, ask: Callable[[Turn], None]) -> Callable[[Turn], None]:
    def step(turn: Turn) -> None:
        turn.goto(state, **turn.conversation.data)
        ask(turn)

    return step


def _back_from_shown_proposal(turn: Turn) -> None:
    if turn.conversation.data.get("several"):
        status.start(turn)
    else:
        menu.show(turn)


_BACK: dict[str, Callable[[Turn], None]] = {
    programmes.PROGRAMME: lambda turn: programmes.start(turn),
    status.SHOWN: _back_from_shown_proposal,
    complaint_intake.PROGRAMME: lambda turn: complaint_intake.ask_category(turn),
    complaint_intake.DESCRIBE: _back_from_description,
    complaint_intake.CONFIDENTIAL: _back_within_intake(
        complaint_intake.DESCRIBE, complaint_intake.ask_description
    ),
    complaint_intake.CONFIRM: _back_within_intake(
        complaint_intake.CONFIDENTIAL, complaint_intake.ask_confidential
    ),
    complaint_track.SHOWN: complaint_track.start_list,
    complaint_track.LIST: lambda turn: complaint_intake.ask_category(turn),
    complaint_track.ADD_INFO: _back_to_shown_complaint,
    complaint_track.REOPEN_REASON: _back_to_shown_complaint,
    complaint_track.RATE: _back_to_shown_complaint,
    complaint_track.RATE_COMMENT: _back_to_rating,
    LEAVE: resume,
    # The first question of a story goes back to the menu (the default): the office, the
    # language, the programme list, contacts, how to link, the household's birth date, the
    # proposals to pick from, the complaint's category.
}

# The question a draft state asks, asked again when the person goes on after the warning.
_ASK_AGAIN: dict[str, Callable[[Turn], None]] = {
    complaint_intake.PROGRAMME: lambda turn: complaint_intake.ask_programme(turn),
    complaint_intake.DESCRIBE: lambda turn: complaint_intake.ask_description(turn),
    complaint_intake.CONFIDENTIAL: lambda turn: complaint_intake.ask_confidential(turn),
    complaint_intake.OFFICE: lambda turn: complaint_intake.ask_office(turn),
    complaint_intake.CONFIRM: lambda turn: complaint_intake.ask_confirm(turn),
}
