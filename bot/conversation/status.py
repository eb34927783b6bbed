"""Menu item 2: proposal status, shown only in a chat linked to a person.

A chat is linked by a link code from the office (``link.py``, heard in any state) or by a
verified phone on file: on WhatsApp the number it writes from, on Telegram the sender's own
contact shared with the "share my number" button. A NIK and a birth date open nothing: the
birth date is written inside the NIK, and both are on every photocopy of a KTP. The birth
date is asked only to tell apart the persons who share one household phone, which the chat has
already shown it holds. A chat that can do neither is told how to get a code, with its
office's address, hours and phone; one that types a NIK from the region of another office is
offered that office's address instead (services/routing.py).
"""

from __future__ import annotations

import re
from datetime import datetime

from bot.conversation import contact, menu, office
from bot.conversation.turn import Turn
from models import Person, Programme, Proposal
from services import attempts, chat_links, routing
from services import proposal_status as service
from services.nik import mask_nik

HOW = "status_how"
HOUSEHOLD = "status_household"
PICK = "status_pick"
SHOWN = "status_shown"
OTHER = "9"
_NIK = re.compile(r"^\d{16}$")
_NIK_OFFICE = "1"


def _locked(turn: Turn) -> datetime | None:
    return attempts.chat_locked_until(
        session=turn.session,
        conversation_id=turn.conversation.id or 0,
        now=turn.now,
        limit=turn.settings.status_attempts_per_hour,
    )


def _say_locked(turn: Turn, until: datetime) -> None:
    local = turn.local(until)
    menu.show(
        turn,
        intro=turn.t("link.locked", time=local.strftime("%H:%M"), date=local.strftime("%d-%m-%Y")),
    )


def _failed(turn: Turn) -> int | None:
    """Count a failed attempt by phone; the tries left, or None when the chat is now locked
    (and told so)."""
    until, left = attempts.fail(
        session=turn.session,
        conversation_id=turn.conversation.id or 0,
        now=turn.now,
        limit=turn.settings.status_attempts_per_hour,
        method="phone",
    )
    if until is not None:
        _say_locked(turn, until)
        return None
    return left


def start(turn: Turn) -> None:
    if turn.conversation.person_id is not None:
        _list(turn)
    elif turn.phone is not None:
        by_phone(turn, turn.phone)
    else:
        _how(turn)


def _how(turn: Turn, *, phone_checked: bool = False) -> None:
    """How to link this chat, and where to get a code. ``phone_checked``: the chat's own
    number was tried and is not on file, so the button to share it is no use."""
    if turn.office() is None:
        office.ask(turn, then="2")
        return
    key = "link.phone_unknown" if phone_checked else "link.how"
    turn.goto(HOW)
    turn.say(
        turn.t(key),
        [("0", turn.t("bot.nav.menu"))],
        footer=f"{turn.t('link.get_code')}\n{contact.contact_lines(turn)}",
        share_phone=None if phone_checked else turn.t("link.share_button"),
    )


def on_how(turn: Turn, text: str) -> None:
    # A code is taken in any state before this; what else comes here is a habit of the old
    # proof, or a menu choice made without the 0 first.
    nik_office = turn.conversation.data.get("nik_office")
    if text == _NIK_OFFICE and nik_office is not None:
        # The office the NIK belongs to: where the code is to be asked for.
        turn.conversation.office_id = int(nik_office)
        _how(turn)
        return
    if looks_like_nik(text):
        nik_typed(turn, text)
        return
    menu.on_menu(turn, text)


def looks_like_nik(text: str) -> bool:
    return _NIK.fullmatch(re.sub(r"[\s.\-]", "", text)) is not None


def nik_typed(turn: Turn, text: str) -> None:
    """A NIK typed where a code or a choice was expected: it opens nothing. When it comes from
    the region of another office than the chat's, that office is the one to ask for a code."""
    menu_option = ("0", turn.t("bot.nav.menu"))
    found = turn.office()
    niks = routing.niks_in(text, today=turn.local(turn.now).date())
    # The region only: a chat whose number is on file is linked before it gets here.
    routed = routing.office_for(session=turn.session, nik=niks[0]) if niks else None
    spec = turn.catalogue.office(routed.office.code) if routed is not None else None
    if routed is None or spec is None or (found is not None and found[0].id == routed.office.id):
        turn.say(turn.t("link.no_nik"), [menu_option])
        return
    name = spec.name.get(turn.lang)
    turn.goto(HOW, nik_office=routed.office.id)
    where = turn.t("routing.code_office", nik=mask_nik(niks[0]), office=name)
    turn.say(
        f"{turn.t('link.no_nik')}\n\n{where}",
        [(_NIK_OFFICE, turn.t("routing.code_office.show", office=name)), menu_option],
    )


def on_contact(turn: Turn, phone: str | None) -> None:
    """A contact the person shared, in any state: ``phone`` is set only if it is their own."""
    if phone is not None:
        by_phone(turn, phone)
        return
    until = _locked(turn)
    if until is not None:
        _say_locked(turn, until)
        return
    left = _failed(turn)
    if left is None:
        return
    turn.say(
        turn.t("link.not_own", left=left),
        [("0", turn.t("bot.nav.menu"))],
        share_phone=turn.t("link.share_button"),
    )


def by_phone(turn: Turn, phone: str) -> None:
    """Link the chat by the sender's verified ``phone``, if it is on file."""
    until = _locked(turn)
    if until is not None:
        _say_locked(turn, until)
        return
    persons = chat_links.persons_by_phone(session=turn.session, phone=phone)
    if not persons:
        # Their own number, so saying it is not on file tells nobody anything new.
        _how(turn, phone_checked=True)
    elif len(persons) == 1:
        _link(turn, persons[0])
    else:
        # Nothing about them before the choice: not how many, not a name.
        turn.goto(HOUSEHOLD, ids=[p.id for p in persons], by="birth")
        turn.say(turn.t("link.household"), [("0", turn.t("bot.nav.menu"))])


def on_household(turn: Turn, text: str) -> None:
    data = turn.conversation.data
    ids = [int(i) for i in data.get("ids", [])]
    by = str(data.get("by", "birth"))
    if by == "birth":
        birth_date = service.parse_birth_date(text, today=turn.local(turn.now).date())
        if birth_date is None:
            turn.say(turn.t("bot.status.bad_birth"), [("0", turn.t("bot.nav.menu"))])
            return
    until = _locked(turn)
    if until is not None:
        _say_locked(turn, until)
        return
    candidates = [p for p in (turn.session.get(Person, i) for i in ids) if p is not None]
    if by == "birth":
        matches = [p for p in candidates if p.birth_date == birth_date]
    else:
        matches = [p for p in candidates if p.nik[-4:] == text.strip()]
    if len(matches) == 1:
        _link(turn, matches[0])
        return
    if len(matches) > 1 and by == "birth":
        # Twins on one phone: the NIK's serial, unlike the birth date, tells them apart.
        turn.goto(HOUSEHOLD, ids=[p.id for p in matches], by="nik")
        turn.say(turn.t("link.household_nik"), [("0", turn.t("bot.nav.menu"))])
        return
    left = _failed(turn)
    if left is None:
        return
    turn.say(turn.t("link.household_no_match", left=left), [("0", turn.t("bot.nav.menu"))])


def _link(turn: Turn, person: Person) -> None:
    until = attempts.person_locked_until(
        session=turn.session,
        person_id=person.id or 0,
        now=turn.now,
        limit=turn.settings.status_attempts_per_hour,
    )
    if until is not None:
        _say_locked(turn, until)
        return
    chat_links.link(
        session=turn.session,
        conversation=turn.conversation,
        person=person,
        now=turn.now,
        how="phone",
    )
    row = turn.office()
    name = row[1].name.get(turn.lang) if row else ""
    turn.say(turn.t("link.by_phone", name=person.name, office=name))
    _list(turn)


def _list(turn: Turn) -> None:
    proposals = service.proposals_of(
        session=turn.session, person_id=turn.conversation.person_id or 0
    )
    if not proposals:
        menu.show(turn, intro=turn.t("bot.status.none"))
        return
    if len(proposals) == 1:
        _show(turn, proposals[0], several=False)
        return
    turn.goto(PICK, ids=[p.id for p in proposals])
    turn.say(
        turn.t("bot.status.pick", n=len(proposals)),
        [(str(i), _label(turn, p)) for i, p in enumerate(proposals, start=1)],
    )


def _label(turn: Turn, proposal: Proposal) -> str:
    programme = turn.session.get_one(Programme, proposal.programme_id)
    spec = turn.catalogue.programme(programme.code)
    name = spec.name.get(turn.lang) if spec else programme.name
    return f"{proposal.number} {name}"[:58]


def on_pick(turn: Turn, text: str) -> None:
    ids = [int(i) for i in turn.conversation.data.get("ids", [])]
    index = int(text) - 1 if text.isdigit() else -1
    if not 0 <= index < len(ids):
        _list(turn)
        return
    proposal = turn.session.get(Proposal, ids[index])
    if proposal is None or turn.conversation.person_id is None:
        _list(turn)
        return
    _show(turn, proposal, several=True)


def _show(turn: Turn, proposal: Proposal, *, several: bool) -> None:
    lines = service.describe(
        session=turn.session,
        proposal=proposal,
        catalogue=turn.catalogue,
        lang=turn.lang,
        now=turn.now,
    )
    text = "\n".join(_render(turn, line) for line in lines)
    service.record_read(session=turn.session, actor=turn.actor, proposal=proposal, now=turn.now)
    options = [(OTHER, turn.t("bot.status.other"))] if several else []
    turn.goto(SHOWN, several=several)
    turn.say(
        f"{text}\n\n{turn.t('bot.status.logout_hint')}",
        [*options, ("0", turn.t("bot.nav.menu"))],
    )


def on_shown(turn: Turn, text: str) -> None:
    if text == OTHER:
        _list(turn)
        return
    # Anything else from here is most likely a menu choice made without the 0 first.
    menu.on_menu(turn, text)


def _render(turn: Turn, line: service.Line) -> str:
    params = dict(line.params)
    key = params.pop("standard_key", None)
    if key is not None:
        params = {"standard": turn.t(str(key), **params), **params}
    return turn.t(line.key, **params)


def logout(turn: Turn) -> None:
    chat_links.unlink(
        session=turn.session, conversation=turn.conversation, now=turn.now, why="keluar"
    )
    menu.show(turn, intro=turn.t("bot.status.logged_out"))
