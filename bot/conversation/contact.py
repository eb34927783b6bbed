"""Menu items 4 and 5: the office's upcoming notices and its contact details; and the
complaint channels the office publishes, which close the first message of the complaint story
(complaint_intake.py).
"""

from __future__ import annotations

from bot.conversation import broadcasts, menu, office
from bot.conversation.turn import Turn
from services.catalogue import ComplaintChannel
from services.notices import describe, upcoming
from services.office_settings import contact as contact_of

CONTACT = "contact"
CHANGE_OFFICE = "9"


def office_channels(turn: Turn, code: str) -> list[ComplaintChannel]:
    """Every channel the office's programmes publish (never one the catalogue assumes), each
    once, in the order first seen."""
    seen: set[tuple[str, str]] = set()
    channels = []
    for programme in turn.catalogue.programmes_for_office(code):
        for channel in programme.stated_channels():
            key = (channel.kind, channel.value or channel.label.id)
            if key not in seen:
                seen.add(key)
                channels.append(channel)
    return channels


def contact_lines(turn: Turn) -> str:
    found = turn.office()
    if found is None:
        return ""
    row, spec = found
    # The catalogue's details with what the office set for itself over them, read once a
    # pass: an office with no settings row is a query every time (the session cannot keep
    # a row that is not there), and each query first flushes what the pass has changed.
    key = f"contact:{row.id}:{turn.lang}"
    office = turn.shared.get(key)
    if office is None:
        office = contact_of(session=turn.session, office=row, spec=spec, lang=turn.lang)
        turn.shared[key] = office
    lines = [office.name]
    if office.address:
        lines.append(turn.t("bot.contact.address", address=office.address))
    if office.phone:
        lines.append(turn.t("bot.contact.phone", phone=office.phone))
    if office.email:
        lines.append(turn.t("bot.contact.email", email=office.email))
    if office.website:
        lines.append(turn.t("bot.contact.website", website=office.website))
    # Hours only as the office set them (no SOP states any): none rather than a guess.
    if office.hours:
        lines.append(turn.t("bot.contact.hours", hours=office.hours))
    return "\n".join(lines)


def notices(turn: Turn) -> None:
    """Menu 4: a linked person's own events ("Jadwal saya"), else the office's notices for
    everyone."""
    mine = broadcasts.my_schedule(turn)
    if mine is not None:
        turn.goto(menu.MENU)
        turn.say(mine, [("0", turn.t("bot.nav.menu"))])
        return
    found = turn.office()
    if found is None:
        menu.show(turn)
        return
    row, spec = found
    listed = upcoming(session=turn.session, office_id=row.id or 0, now=turn.now)
    if listed:
        heading = turn.t("bot.notices.title", office=spec.name.get(turn.lang))
        items = [describe(turn.session, notice, turn.lang) for notice in listed]
        text = "\n\n".join([heading, *items])
    else:
        text = f"{turn.t('bot.notices.none')}\n\n{contact_lines(turn)}"
    turn.goto(menu.MENU)
    turn.say(text, [("0", turn.t("bot.nav.menu"))])


def contact(turn: Turn, *, intro: str = "") -> None:
    turn.goto(CONTACT)
    lines = contact_lines(turn)
    turn.say(
        f"{intro}\n\n{lines}" if intro else lines,
        [(CHANGE_OFFICE, turn.t("bot.contact.change_office")), ("0", turn.t("bot.nav.menu"))],
    )


def on_contact(turn: Turn, text: str) -> None:
    if text == CHANGE_OFFICE:
        office.ask(turn, then="5", change=True)
        return
    turn.say(
        turn.t("bot.hint"),
        [(CHANGE_OFFICE, turn.t("bot.contact.change_office")), ("0", turn.t("bot.nav.menu"))],
    )
