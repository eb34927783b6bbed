"""Which Dinas Sosial the person belongs to: asked once, remembered on the conversation."""

from __future__ import annotations

from bot.conversation import menu, programmes
from bot.conversation.turn import Turn

CHOOSE_OFFICE = "choose_office"


def _choices(turn: Turn) -> list[tuple[str, str, int]]:
    rows = {o.code: o for o in turn.offices()}
    choices: list[tuple[str, str, int]] = []
    for spec in turn.catalogue.offices:
        row = rows.get(spec.code)
        if row is not None and row.id is not None:
            choices.append((str(len(choices) + 1), spec.name.get(turn.lang), row.id))
    return choices


def ask(turn: Turn, *, then: str, page: str | None = None, intro: str = "") -> None:
    """Ask for the office, then continue to menu item ``then`` (the menu when empty; at
    programme ``page`` when given)."""
    choices = _choices(turn)
    if not choices:
        menu.show(turn, intro=turn.t("bot.office.none"))
        return
    if page is not None:
        turn.goto(CHOOSE_OFFICE, then=then, page=page)
    else:
        turn.goto(CHOOSE_OFFICE, then=then)
    text = turn.t("bot.office.ask")
    turn.say(f"{intro}\n\n{text}" if intro else text, [(v, label) for v, label, _ in choices])


def on_choose_office(turn: Turn, text: str) -> None:
    choices = _choices(turn)
    picked = next((office_id for value, _, office_id in choices if value == text), None)
    if picked is None:
        turn.say(turn.t("bot.office.unknown"), [(value, label) for value, label, _ in choices])
        return
    turn.conversation.office_id = picked
    then = str(turn.conversation.data.get("then", ""))
    page = turn.conversation.data.get("page")
    if then == "1" and page is not None:
        programmes.start(turn, page=str(page))
    elif then in {"1", "2", "3", "4", "5"}:
        menu.open_item(turn, then)
    else:
        menu.show(turn)
