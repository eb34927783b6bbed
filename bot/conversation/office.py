"""Which Dinas Sosial the person belongs to: asked once, remembered on the conversation.

A linked person's office is known from their records (services/routing.py): the question is
not asked, and the chat is set to it when it is linked; so is a chat not linked whose own
number (as WhatsApp vouches for it) is on one office's register. They may still pick another
office in contacts (``9``) or with ``/start <office>``, to read its programmes and contacts or to
complain about its service; their records stay where they are, the office list marks their own,
and a complaint about no particular programme asks where to send it (complaint_intake.py).
"""

from __future__ import annotations

from bot.conversation import menu, programmes
from bot.conversation.turn import Turn
from models import Person
from services import routing

CHOOSE_OFFICE = "choose_office"


def _home_id(turn: Turn) -> int | None:
    """The linked person's own office (their records; their NIK's region as the fallback);
    for a chat not linked, the office whose register has the chat's own verified number."""
    person_id = turn.conversation.person_id
    person = turn.session.get(Person, person_id) if person_id is not None else None
    if person is not None:
        home = routing.home_office(session=turn.session, person=person)
    elif turn.phone:
        home = routing.phone_office(session=turn.session, phone=turn.phone)
    else:
        home = None
    return home.office.id if home is not None else None


def _choices(turn: Turn) -> list[tuple[str, str, int]]:
    rows = {o.code: o for o in turn.offices()}
    home = _home_id(turn)
    choices: list[tuple[str, str, int]] = []
    for spec in turn.catalogue.offices:
        row = rows.get(spec.code)
        if row is not None and row.id is not None:
            name = spec.name.get(turn.lang)
            label = turn.t("routing.home", office=name) if row.id == home else name
            choices.append((str(len(choices) + 1), label, row.id))
    return choices


def ask(
    turn: Turn, *, then: str, page: str | None = None, intro: str = "", change: bool = False
) -> None:
    """Ask for the office, then continue to menu item ``then`` (the menu when empty; at
    programme ``page`` when given). A linked person is not asked, unless ``change``: they
    asked to pick another."""
    home = None if change else _home_id(turn)
    if home is not None and _name_of(turn, home):
        turn.conversation.office_id = home
        _continue(turn, then, page)
        return
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


def switched_note(turn: Turn) -> str:
    """For a linked person whose chat now shows another office than their own: that their
    records stay where they are ("" otherwise)."""
    home = _home_id(turn)
    found = turn.office()
    if home is None or found is None or found[0].id == home:
        return ""
    home_name = _name_of(turn, home)
    if not home_name:
        return ""
    return turn.t("routing.switched", home=home_name, office=found[1].name.get(turn.lang))


def _name_of(turn: Turn, office_id: int) -> str:
    """The office's name in the chat's language; "" for one the catalogue no longer lists."""
    row = next((o for o in turn.offices() if o.id == office_id), None)
    spec = turn.catalogue.office(row.code) if row is not None else None
    return spec.name.get(turn.lang) if spec is not None else ""


def on_choose_office(turn: Turn, text: str) -> None:
    choices = _choices(turn)
    picked = next((office_id for value, _, office_id in choices if value == text), None)
    if picked is None:
        turn.say(turn.t("bot.office.unknown"), [(value, label) for value, label, _ in choices])
        return
    turn.conversation.office_id = picked
    page = turn.conversation.data.get("page")
    _continue(turn, str(turn.conversation.data.get("then", "")), page, note=switched_note(turn))


def _continue(turn: Turn, then: str, page: object, *, note: str = "") -> None:
    # Imported here: contact.py imports this module for its "change office".
    from bot.conversation import contact

    if then == "5":
        contact.contact(turn, intro=note)
        return
    if note:
        turn.say(note)
    if then == "1" and page is not None:
        programmes.start(turn, page=str(page))
    elif then in {"1", "2", "3", "4"}:
        menu.open_item(turn, then)
    else:
        menu.show(turn)
