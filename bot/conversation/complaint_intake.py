"""Menu item 3: file a complaint in five small steps, each with a way back to the menu.

category -> programme (optional) -> description (text, photo, location) -> confidential? ->
confirm. Every state repeats its own question after input it cannot use (a sticker, an empty
or overlong text), so the person always knows what to send next.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import col, select

from bot.conversation import complaint_track, contact, menu
from bot.conversation.programmes import complaint_text
from bot.conversation.turn import Turn
from bot.conversation.words import is_skip
from bot.inbound import InboundEvent
from models import Person, Programme
from services import complaints as service
from services.complaint_categories import Category, load_categories
from services.errors import DomainError

CATEGORY = "complaint_category"
PROGRAMME = "complaint_programme"
DESCRIBE = "complaint_describe"
CONFIDENTIAL = "complaint_confidential"
CONFIRM = "complaint_confirm"
# "0" is always the main menu; a question that may be skipped takes "-" or "lewati".
SKIP = "-"
_YES, _NO = "1", "2"
_SEND, _EDIT = "1", "2"
_CHECK_WORDS = frozenset({"cek", "check", "status"})


def _categories() -> tuple[Category, ...]:
    return load_categories()


def _check_value() -> str:
    # Right after the categories, so adding a category never clashes with it.
    return str(len(_categories()) + 1)


def _programmes(turn: Turn) -> list[tuple[str, int]]:
    """The office's programmes as (name, database id), in catalogue order."""
    found = turn.office()
    if found is None:
        return []
    specs = turn.catalogue.programmes_for_office(found[1].code)
    rows = turn.session.exec(
        select(Programme.code, Programme.id).where(col(Programme.code).in_([s.code for s in specs]))
    ).all()
    ids = {code: pid for code, pid in rows if pid is not None}
    return [(s.name.get(turn.lang), ids[s.code]) for s in specs if s.code in ids]


# --- Questions ----------------------------------------------------------------------------


def start(turn: Turn) -> None:
    found = turn.office()
    if found is None:
        menu.show(turn)
        return
    ask_category(turn)


def ask_category(turn: Turn, *, intro: str = "") -> None:
    found = turn.office()
    channels = contact.office_channels(turn, found[1].code) if found else []
    options = [(str(i), c.label.get(turn.lang)) for i, c in enumerate(_categories(), start=1)]
    options += [(_check_value(), turn.t("bot.complaint.check")), ("0", turn.t("bot.nav.menu"))]
    text = turn.t("bot.complaint.intro")
    turn.goto(CATEGORY)
    # The office's other channels stay visible for people who would rather call or visit.
    turn.say(
        f"{intro}\n\n{text}" if intro else text, options, footer=complaint_text(turn, channels)
    )


def ask_programme(turn: Turn, *, intro: str = "") -> None:
    options = [(str(i), name) for i, (name, _) in enumerate(_programmes(turn), start=1)]
    text = turn.t("bot.complaint.ask_programme")
    turn.say(
        f"{intro}\n\n{text}" if intro else text, [*options, (SKIP, turn.t("bot.complaint.skip"))]
    )


def ask_description(turn: Turn, *, intro: str = "") -> None:
    text = turn.t("bot.complaint.ask_description", limit=service.MAX_TEXT)
    turn.say(f"{intro}\n\n{text}" if intro else text, [("0", turn.t("bot.nav.menu"))])


def ask_confidential(turn: Turn, *, intro: str = "") -> None:
    text = turn.t("bot.complaint.ask_confidential")
    turn.say(
        f"{intro}\n\n{text}" if intro else text,
        [
            (_YES, turn.t("bot.complaint.confidential_yes")),
            (_NO, turn.t("bot.complaint.confidential_no")),
        ],
    )


def _name(turn: Turn) -> str:
    person_id = turn.conversation.person_id
    person = turn.session.get(Person, person_id) if person_id is not None else None
    return person.name if person else turn.conversation.display_name


def ask_confirm(turn: Turn, *, intro: str = "") -> None:
    data = turn.conversation.data
    category = next((c for c in _categories() if c.code == data.get("category")), None)
    programme = next(
        (name for name, pid in _programmes(turn) if pid == data.get("programme_id")),
        turn.t("bot.complaint.no_programme"),
    )
    lines = [
        turn.t(
            "bot.complaint.summary",
            category=category.label.get(turn.lang) if category else "-",
            programme=programme,
            name=_name(turn) or turn.t("bot.complaint.no_name"),
            confidential=turn.t(
                "bot.complaint.yes" if data.get("confidential") else "bot.complaint.no"
            ),
            description=data.get("description", ""),
        )
    ]
    if data.get("photo_ref"):
        lines.append(turn.t("bot.complaint.summary_photo"))
    if data.get("latitude") is not None:
        lines.append(turn.t("bot.complaint.summary_location"))
    text = "\n".join(lines)
    turn.say(
        f"{intro}\n\n{text}" if intro else text,
        [
            (_SEND, turn.t("bot.complaint.send")),
            (_EDIT, turn.t("bot.complaint.edit")),
            ("0", turn.t("bot.complaint.cancel")),
        ],
    )


# --- Answers ------------------------------------------------------------------------------


def on_event(turn: Turn, event: InboundEvent) -> None:
    """The engine hands these states the whole event: a photo or location means something."""
    state = turn.conversation.state
    if state == DESCRIBE:
        on_describe(turn, event)
        return
    ask = _ASK[state]
    if event.kind not in ("text", "choice"):
        ask(
            turn,
            intro=turn.t(
                "bot.complaint.unsupported" if event.kind == "unsupported" else "bot.hint"
            ),
        )
        return
    text = event.input
    if not text:
        ask(turn, intro=turn.t("bot.hint"))
        return
    _ON_TEXT[state](turn, text)


def on_category(turn: Turn, text: str) -> None:
    if text == _check_value() or text.lower() in _CHECK_WORDS:
        complaint_track.start_list(turn)
        return
    categories = _categories()
    index = int(text) - 1 if text.isdigit() else -1
    if not 0 <= index < len(categories):
        ask_category(turn, intro=turn.t("bot.complaint.category_unknown"))
        return
    if _programmes(turn):
        turn.goto(PROGRAMME, category=categories[index].code)
        ask_programme(turn)
    else:
        turn.goto(DESCRIBE, category=categories[index].code, programme_id=None)
        ask_description(turn)


def on_programme(turn: Turn, text: str) -> None:
    programmes = _programmes(turn)
    data = turn.conversation.data
    if is_skip(text):
        programme_id = None
    else:
        index = int(text) - 1 if text.isdigit() else -1
        if not 0 <= index < len(programmes):
            ask_programme(turn, intro=turn.t("bot.complaint.programme_unknown"))
            return
        programme_id = programmes[index][1]
    turn.goto(DESCRIBE, category=data.get("category"), programme_id=programme_id)
    ask_description(turn)


def on_describe(turn: Turn, event: InboundEvent) -> None:
    data = dict(turn.conversation.data)
    notes: list[str] = []
    if event.kind == "photo" and event.photo_ref:
        data["photo_ref"] = event.photo_ref
        notes.append(turn.t("bot.complaint.photo_received"))
    elif event.kind == "location" and event.location is not None:
        data["latitude"], data["longitude"] = event.location
        notes.append(turn.t("bot.complaint.location_received"))
    elif event.kind not in ("text", "choice"):
        ask_description(turn, intro=turn.t("bot.complaint.unsupported"))
        return
    description = event.input
    if len(description) > service.MAX_TEXT:
        turn.goto(DESCRIBE, **data)
        ask_description(
            turn,
            intro=turn.t("bot.complaint.too_long", length=len(description), limit=service.MAX_TEXT),
        )
        return
    if not description:
        # A photo or location alone is welcome, but the officers still need words.
        turn.goto(DESCRIBE, **data)
        notes.append(turn.t("bot.complaint.empty"))
        ask_description(turn, intro=" ".join(notes))
        return
    data["description"] = description
    turn.goto(CONFIDENTIAL, **data)
    ask_confidential(turn, intro=" ".join(notes))


def on_confidential(turn: Turn, text: str) -> None:
    answer = {"1": True, "ya": True, "yes": True, "2": False, "tidak": False, "no": False}
    confidential = answer.get(text.lower())
    if confidential is None:
        ask_confidential(turn, intro=turn.t("bot.complaint.choose_1_2"))
        return
    turn.goto(CONFIRM, **{**turn.conversation.data, "confidential": confidential})
    ask_confirm(turn)


def on_confirm(turn: Turn, text: str) -> None:
    word = text.lower()
    if word in {_EDIT, "ubah"}:
        ask_category(turn)
        return
    if word not in {_SEND, "kirim", "send"}:
        ask_confirm(turn, intro=turn.t("bot.complaint.confirm_unknown"))
        return
    _file(turn)


def _file(turn: Turn) -> None:
    found = turn.office()
    data = turn.conversation.data
    if found is None:
        menu.show(turn)
        return
    conversation = turn.conversation
    try:
        complaint = service.file_complaint(
            session=turn.session,
            data=service.NewComplaint(
                office_id=found[0].id or 0,
                category=str(data.get("category", "")),
                description=str(data.get("description", "")),
                channel=conversation.channel,
                programme_id=data.get("programme_id"),
                confidential=bool(data.get("confidential")),
                complainant_name=_name(turn),
                person_id=conversation.person_id,
                conversation_id=conversation.id,
                photo_ref=data.get("photo_ref"),
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
            ),
            now=turn.now,
            policy=service.clock_policy(turn.settings),
        )
    except DomainError as error:
        menu.show(turn, intro=turn.t(error.key, **error.params))
        return
    deadline = complaint_track.deadline_words(turn, complaint)
    turn.goto(menu.MENU)
    turn.say(
        turn.t("bot.complaint.filed", number=complaint.number, deadline=deadline),
        [("0", turn.t("bot.nav.menu"))],
    )


_ASK: dict[str, Callable[..., None]] = {
    CATEGORY: ask_category,
    PROGRAMME: ask_programme,
    CONFIDENTIAL: ask_confidential,
    CONFIRM: ask_confirm,
}
_ON_TEXT: dict[str, Callable[[Turn, str], None]] = {
    CATEGORY: on_category,
    PROGRAMME: on_programme,
    CONFIDENTIAL: on_confidential,
    CONFIRM: on_confirm,
}
STATES = frozenset({CATEGORY, PROGRAMME, DESCRIBE, CONFIDENTIAL, CONFIRM})
