"""Menu item 2: proposal status, shown only after a proof (number or NIK, then birth date)."""

from __future__ import annotations

from datetime import datetime

from bot.conversation import menu
from bot.conversation.turn import Turn
from models import Programme, Proposal
from services import attempts
from services import proposal_status as service

ASK_ID = "status_ask_id"
ASK_BIRTH = "status_ask_birth"
PICK = "status_pick"
SHOWN = "status_shown"
OTHER = "9"


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
        intro=turn.t(
            "bot.status.locked", time=local.strftime("%H:%M"), date=local.strftime("%d-%m-%Y")
        ),
    )


def start(turn: Turn) -> None:
    if turn.conversation.person_id is not None:
        _list(turn)
        return
    until = _locked(turn)
    if until is not None:
        _say_locked(turn, until)
        return
    turn.goto(ASK_ID)
    turn.say(turn.t("bot.status.ask_id"), [("0", turn.t("bot.nav.menu"))])


def on_ask_id(turn: Turn, text: str) -> None:
    identifier = service.parse_identifier(text)
    if identifier is None:
        turn.say(turn.t("bot.status.bad_id"), [("0", turn.t("bot.nav.menu"))])
        return
    turn.goto(ASK_BIRTH, kind=identifier.kind, value=identifier.value)
    turn.say(turn.t("bot.status.ask_birth"), [("0", turn.t("bot.nav.menu"))])


def on_ask_birth(turn: Turn, text: str) -> None:
    birth_date = service.parse_birth_date(text)
    if birth_date is None:
        turn.say(turn.t("bot.status.bad_birth"), [("0", turn.t("bot.nav.menu"))])
        return
    until = _locked(turn)
    if until is not None:
        _say_locked(turn, until)
        return
    data = turn.conversation.data
    identifier = service.Identifier(str(data.get("kind")), str(data.get("value")))
    person = service.prove(
        session=turn.session,
        conversation_id=turn.conversation.id or 0,
        identifier=identifier,
        birth_date=birth_date,
        now=turn.now,
    )
    if person is None:
        until = _locked(turn)
        if until is not None:
            _say_locked(turn, until)
            return
        left = attempts.chat_attempts_left(
            session=turn.session,
            conversation_id=turn.conversation.id or 0,
            now=turn.now,
            limit=turn.settings.status_attempts_per_hour,
        )
        # Same words whether the number/NIK exists or not: nothing to learn by guessing.
        turn.goto(ASK_ID)
        turn.say(turn.t("bot.status.no_match", left=left), [("0", turn.t("bot.nav.menu"))])
        return
    turn.conversation.person_id = person.id
    # The proven person's own office is the right one for contacts and time zone.
    if turn.conversation.office_id is None:
        turn.conversation.office_id = person.office_id
    _list(turn, first=identifier.value if identifier.kind == "number" else None)


def _list(turn: Turn, *, first: str | None = None) -> None:
    proposals = service.proposals_of(
        session=turn.session, person_id=turn.conversation.person_id or 0
    )
    if not proposals:
        menu.show(turn, intro=turn.t("bot.status.none"))
        return
    if len(proposals) == 1 or first is not None:
        chosen = next((p for p in proposals if p.number == first), proposals[0])
        _show(turn, chosen, several=len(proposals) > 1)
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
    turn.goto(SHOWN)
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
    turn.conversation.person_id = None
    menu.show(turn, intro=turn.t("bot.status.logged_out"))
