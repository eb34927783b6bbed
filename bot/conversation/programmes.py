"""Programme information from the catalogue: pick a programme, then one short page at a time."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import select

from bot.conversation import menu
from bot.conversation.turn import Turn
from models import Office
from services.catalogue import ComplaintChannel, Programme
from services.catalogue import Office as OfficeSpec
from services.complaint_promise import published_clock
from services.proposal_status import standard_words

PROGRAMMES = "programmes"
PROGRAMME = "programme"
_PAGES = ("1", "2", "3", "4", "5")
REQUIREMENTS = "1"
BACK_TO_LIST = "9"


def _programmes(turn: Turn) -> tuple[Programme, ...]:
    found = turn.office()
    return turn.catalogue.programmes_for_office(found[1].code) if found else ()


def start(turn: Turn, *, page: str | None = None) -> None:
    """The office's programmes; ``page``: the page to open once one is picked ("syarat")."""
    found = turn.office()
    programmes = _programmes(turn)
    if found is None or not programmes:
        name = found[1].name.get(turn.lang) if found else ""
        menu.show(turn, intro=turn.t("bot.programmes.none", office=name))
        return
    if page is not None and len(programmes) == 1:
        turn.goto(PROGRAMME, programme=programmes[0].code)
        on_programme(turn, page)
        return
    if page is not None:
        turn.goto(PROGRAMMES, page=page)
    else:
        turn.goto(PROGRAMMES)
    turn.say(
        turn.t("bot.programmes.title", office=found[1].name.get(turn.lang)),
        [(str(i), p.name.get(turn.lang)) for i, p in enumerate(programmes, start=1)],
    )


def on_programmes(turn: Turn, text: str) -> None:
    programmes = _programmes(turn)
    index = int(text) - 1 if text.isdigit() else -1
    if not 0 <= index < len(programmes):
        turn.say(
            turn.t("bot.programmes.unknown"),
            [(str(i), p.name.get(turn.lang)) for i, p in enumerate(programmes, start=1)],
        )
        return
    programme = programmes[index]
    page = turn.conversation.data.get("page")
    turn.goto(PROGRAMME, programme=programme.code)
    if page in _PAGES:
        on_programme(turn, str(page))
        return
    _page_menu(
        turn, programme, f"{programme.name.get(turn.lang)}\n{programme.summary.get(turn.lang)}"
    )


def _page_options(turn: Turn) -> list[tuple[str, str]]:
    pages = [(value, turn.t(f"bot.programme.page.{value}")) for value in _PAGES]
    return [*pages, (BACK_TO_LIST, turn.t("bot.programme.back")), ("0", turn.t("bot.nav.menu"))]


def _page_menu(turn: Turn, programme: Programme, text: str) -> None:
    turn.say(f"{text}\n\n{turn.t('bot.programme.pick')}", _page_options(turn))


def on_programme(turn: Turn, text: str) -> None:
    programme = turn.catalogue.programme(str(turn.conversation.data.get("programme", "")))
    if programme is None:
        start(turn)
        return
    if text == BACK_TO_LIST:
        start(turn)
        return
    # Only what the SOP says: a text the catalogue marks as an assumption is not shown, and
    # the page says the SOP does not state it.
    lang = turn.lang
    if text == "1":
        stated_ones = [r.stated(lang) for r in programme.requirements]
        items = "\n".join(f"{i}) {r}" for i, r in enumerate(filter(None, stated_ones), 1))
        body = f"{turn.t('bot.programme.requirements')}\n{items}"
    elif text == "2":
        body = steps_text(turn, programme)
    elif text == "3":
        how = programme.how_to_apply.stated(lang) or turn.t("programme.not_stated.apply")
        body = f"{turn.t('bot.programme.apply')}\n{how}"
    elif text == "4":
        body = turn.t(
            "bot.programme.cost",
            cost=programme.cost.stated(lang) or turn.t("programme.not_stated"),
            duration=programme.duration.stated(lang) or turn.t("programme.not_stated"),
        )
    elif text == "5":
        body = complaint_text(turn, programme.stated_channels(), programme)
    else:
        _page_menu(turn, programme, turn.t("bot.programme.unknown"))
        return
    _page_menu(turn, programme, body)


def steps_text(turn: Turn, programme: Programme) -> str:
    """The SOP's steps numbered as the SOP numbers them (a step Sigap splits in two is 5a and
    5b), each with its time standard where the SOP gives one; a SOP without any says so once.
    A standard whose unit is Sigap's reading (UEP's "2 Hari" as working days) is marked, and a
    note under the list says it is a reading."""
    lang = turn.lang
    lines = []
    for position, step in enumerate(programme.steps, start=1):
        words = standard_words(step.time_standard, lang)
        if words and step.time_standard and step.time_standard.assumption:
            words += "*"
        label = programme.sop_label(position)
        lines.append(f"{label}) {step.name.get(lang)}" + (f" ({words})" if words else ""))
    timed = any(step.time_standard for step in programme.steps)
    heading = turn.t("bot.programme.steps" if timed else "programme.steps.plain")
    text = f"{heading}\n" + "\n".join(lines)
    if any(step.time_standard and step.time_standard.assumption for step in programme.steps):
        text += f"\n\n{turn.t('programme.steps.reading')}"
    return text if timed else f"{text}\n\n{turn.t('programme.steps.no_standard')}"


def complaint_text(
    turn: Turn, channels: Sequence[ComplaintChannel], programme: Programme | None = None
) -> str:
    """The published complaint channels, one per line, and the answer time the office may
    promise (its SOP's, or its own setting's; none for a default no SOP states)."""
    if channels:
        listed = "\n".join(_channel_line(turn, c) for c in channels)
    else:
        listed = turn.t("bot.complaints.none_listed")
    text = f"{turn.t('bot.complaints.title')}\n{listed}"
    found = _office_of(turn, programme)
    clock = (
        published_clock(session=turn.session, office=found[0], spec=found[1], programme=programme)
        if found
        else None
    )
    if clock is None:
        return text
    return f"{text}\n\n{turn.t('bot.complaints.promise', span=clock.describe(turn.lang))}"


def _office_of(turn: Turn, programme: Programme | None) -> tuple[Office, OfficeSpec] | None:
    """The programme's office; without a programme, the chat's."""
    if programme is None:
        return turn.office()
    row = turn.session.exec(select(Office).where(Office.code == programme.office)).first()
    spec = turn.catalogue.office(programme.office)
    return (row, spec) if row and spec else None


# Channels whose label is a person or an account, not the channel: the line names it.
_NAMED_KINDS = frozenset({"whatsapp", "telegram"})


def _channel_line(turn: Turn, channel: ComplaintChannel) -> str:
    """One channel, once, with every channel its number is on: "Irwan, S.H (WhatsApp/Telegram):
    +62 812-4148-3387"."""
    label = channel.label.get(turn.lang)
    if channel.kind in _NAMED_KINDS:
        kinds = "/".join(turn.t(f"complaint.channel.{kind}") for kind in channel.kinds)
        label = f"{label} ({kinds})"
    return f"- {label}: {channel.value}" if channel.value else f"- {label}"
