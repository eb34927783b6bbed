"""Menu item 3: file a complaint in five small steps (six when the office is asked), each
with a way back.

category -> programme (optional) -> description (text, photo, document, voice note, location)
-> confidential? -> [which office?] -> confirm. ``9``/``kembali`` goes one step back,
``0``/``menu`` leaves, and nothing typed is lost on the way:

- what is sent after the description (a second message, a photo, a location), at the
  confidentiality or the confirmation question, joins the complaint; short words that are no
  answer get the question again;
- a description over the length limit is kept, in parts;
- leaving the intake, or a pause past the conversation timeout, keeps a draft that
  ``lanjutkan`` brings back where it stopped.

A complaint about no particular programme is never sent silently to the office picked when a
NIK in it, or the linked person's records, point to another office (services/routing.py): the
person is asked which one, in one numbered question. A complaint about a programme goes to
that programme's office, whoever files it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import col, select

from bot.conversation import complaint_thread, complaint_track, contact, menu
from bot.conversation.programmes import complaint_text
from bot.conversation.turn import Turn
from bot.conversation.words import is_skip
from bot.inbound import FILE_KINDS, InboundEvent
from models import Office, Person, Programme
from services import complaint_drafts, routing
from services import complaints as service
from services.catalogue import ComplaintCategory
from services.catalogue import Office as OfficeSpec
from services.errors import DomainError
from services.nik import mask_nik

CATEGORY = "complaint_category"
PROGRAMME = "complaint_programme"
DESCRIBE = "complaint_describe"
CONFIDENTIAL = "complaint_confidential"
CONFIRM = "complaint_confirm"
OFFICE = "complaint_office"
# "0" is always the main menu; a question that may be skipped takes "-" or "lewati".
SKIP = "-"
_YES, _NO = "1", "2"
_SEND, _EDIT = "1", "2"
_BACK = "9"
BACK_WORDS = frozenset({_BACK, "kembali", "back", "balik", "sebelumnya"})
RESUME_WORDS = frozenset({"lanjutkan", "lanjut", "resume", "continue"})
_CHECK_WORDS = frozenset({"cek", "check", "status"})
_MEDIA = FILE_KINDS | {"location"}


def _categories(turn: Turn) -> tuple[ComplaintCategory, ...]:
    return turn.catalogue.complaint_categories


def _check_value(turn: Turn) -> str:
    # Right after the categories, so adding a category never clashes with it.
    return str(len(_categories(turn)) + 1)


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


def _back(turn: Turn) -> tuple[str, str]:
    return (_BACK, turn.t("bot.complaint.back"))


# --- Which office -------------------------------------------------------------------------


def _served(turn: Turn, office: Office | None) -> tuple[Office, OfficeSpec] | None:
    spec = turn.catalogue.office(office.code) if office is not None else None
    return (office, spec) if office is not None and spec is not None else None


def _target(turn: Turn) -> tuple[Office, OfficeSpec] | None:
    """Where the complaint goes: the office chosen at the routing question, else the chat's."""
    chosen = turn.conversation.data.get("office_id")
    if chosen is not None:
        return _served(turn, turn.session.get(Office, int(chosen)))
    return turn.office()


def _routes(turn: Turn) -> list[routing.Routed]:
    """Offices the complaint may rather be meant for, not yet offered; none when it is about
    a programme (that programme's office is the one)."""
    data = turn.conversation.data
    target = _target(turn)
    if target is None or data.get("programme_id") is not None:
        return []
    routes = routing.complaint_routes(
        session=turn.session,
        target=target[0],
        description=str(data.get("description", "")),
        person_id=turn.conversation.person_id,
        phone=turn.phone,
        today=turn.local(turn.now).date(),
    )
    offered = {int(i) for i in data.get("offered", [])}
    return [r for r in routes if r.office.id not in offered and _served(turn, r.office)]


def _onward(turn: Turn, *, intro: str = "") -> None:
    """To the confirmation, through the office question when something points elsewhere."""
    data = turn.conversation.data
    if _routes(turn):
        turn.goto(OFFICE, **data)
        ask_office(turn, intro=intro)
    else:
        turn.goto(CONFIRM, **data)
        ask_confirm(turn, intro=intro)


def _office_choices(turn: Turn) -> tuple[list[routing.Routed], list[int]]:
    routes = _routes(turn)
    target = _target(turn)
    ids = [r.office.id or 0 for r in routes]
    if target is not None:
        ids.append(target[0].id or 0)
    return routes, ids


# --- Drafts -------------------------------------------------------------------------------


def keep_draft(turn: Turn) -> bool:
    """Keep what the intake holds, when it holds anything worth keeping; True if kept."""
    state, data = turn.conversation.state, turn.conversation.data
    if state not in STATES or state == CATEGORY:
        return False
    complaint_drafts.save(
        session=turn.session,
        conversation_id=turn.conversation.id or 0,
        state=state,
        data=data,
        now=turn.now,
    )
    return True


def resume(turn: Turn) -> bool:
    """``lanjutkan``: back to where the kept draft stopped; False when there is none."""
    draft = complaint_drafts.load(
        session=turn.session, conversation_id=turn.conversation.id or 0, now=turn.now
    )
    if draft is None or draft.state not in STATES:
        return False
    turn.goto(draft.state, **draft.data)
    _ASK[draft.state](turn, intro=turn.t("bot.complaint.draft.resumed"))
    return True


# --- Questions ----------------------------------------------------------------------------


def start(turn: Turn) -> None:
    found = turn.office()
    if found is None:
        menu.show(turn)
        return
    draft = complaint_drafts.load(
        session=turn.session, conversation_id=turn.conversation.id or 0, now=turn.now
    )
    ask_category(turn, intro=turn.t("bot.complaint.draft.waiting") if draft else "")


def ask_category(turn: Turn, *, intro: str = "") -> None:
    found = turn.office()
    channels = contact.office_channels(turn, found[1].code) if found else []
    options = [(str(i), c.label.get(turn.lang)) for i, c in enumerate(_categories(turn), start=1)]
    options += [(_check_value(turn), turn.t("bot.complaint.check")), ("0", turn.t("bot.nav.menu"))]
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
        f"{intro}\n\n{text}" if intro else text,
        [*options, (SKIP, turn.t("bot.complaint.skip")), _back(turn)],
    )


def ask_description(turn: Turn, *, intro: str = "") -> None:
    text = turn.t("bot.complaint.ask_description", limit=service.MAX_TEXT)
    turn.say(f"{intro}\n\n{text}" if intro else text, [_back(turn), ("0", turn.t("bot.nav.menu"))])


def ask_confidential(turn: Turn, *, intro: str = "") -> None:
    text = turn.t("bot.complaint.ask_confidential")
    turn.say(
        f"{intro}\n\n{text}" if intro else text,
        [
            (_YES, turn.t("bot.complaint.confidential_yes")),
            (_NO, turn.t("bot.complaint.confidential_no")),
            _back(turn),
        ],
    )


def ask_office(turn: Turn, *, intro: str = "") -> None:
    """Where to send it: the offices the NIKs or the records point to, then the one picked
    ("NIK 6209**** berasal dari wilayah Dinas Sosial Kabupaten Lamandau. Kirim pengaduan ke:
    1. ... Lamandau 2. ... Bone (pilihan Anda)")."""
    routes, ids = _office_choices(turn)
    target = _target(turn)
    if not routes or target is None:
        turn.goto(CONFIRM, **turn.conversation.data)
        ask_confirm(turn, intro=intro)
        return
    first = routes[0]
    lang = turn.lang
    first_name = _office_name(turn, first.office)
    if first.by == "records":
        text = turn.t("routing.ask.records", office=first_name)
    else:
        text = turn.t("routing.ask.nik", nik=mask_nik(first.nik), office=first_name)
    options = [(str(i), _office_name(turn, r.office)) for i, r in enumerate(routes, start=1)]
    options.append(
        (
            str(len(routes) + 1),
            turn.t("routing.option.picked", office=target[1].name.get(lang)),
        )
    )
    turn.goto(OFFICE, **{**turn.conversation.data, "choices": ids})
    turn.say(f"{intro}\n\n{text}" if intro else text, [*options, _back(turn)])


def _office_name(turn: Turn, office: Office) -> str:
    found = _served(turn, office)
    return found[1].name.get(turn.lang) if found else office.name


def _name(turn: Turn) -> str:
    person_id = turn.conversation.person_id
    person = turn.session.get(Person, person_id) if person_id is not None else None
    return person.name if person else turn.conversation.display_name


def ask_confirm(turn: Turn, *, intro: str = "") -> None:
    data = turn.conversation.data
    category = next((c for c in _categories(turn) if c.code == data.get("category")), None)
    programme = next(
        (name for name, pid in _programmes(turn) if pid == data.get("programme_id")),
        turn.t("bot.complaint.no_programme"),
    )
    target = _target(turn)
    lines = [
        turn.t(
            "bot.complaint.summary",
            office=target[1].name.get(turn.lang) if target else "-",
            category=category.label.get(turn.lang) if category else "-",
            programme=programme,
            name=_name(turn) or turn.t("bot.complaint.no_name"),
            confidential=turn.t(
                "bot.complaint.yes" if data.get("confidential") else "bot.complaint.no"
            ),
            description=data.get("description", ""),
        )
    ]
    kinds = [str(a.get("kind")) for a in data.get("attachments", [])]
    if "photo" in kinds:
        lines.append(turn.t("bot.complaint.summary_photo"))
    if "location" in kinds:
        lines.append(turn.t("bot.complaint.summary_location"))
    files = sum(1 for k in kinds if k in ("document", "voice"))
    if files:
        lines.append(turn.t("bot.complaint.summary_files", count=files))
    lines.extend(_residence_notes(turn))
    text = "\n".join(lines)
    turn.say(
        f"{intro}\n\n{text}" if intro else text,
        [
            (_SEND, turn.t("bot.complaint.send")),
            (_EDIT, turn.t("bot.complaint.edit")),
            _back(turn),
            ("0", turn.t("bot.complaint.cancel")),
        ],
    )


def _residence_notes(turn: Turn) -> list[str]:
    """A NIK from outside the region of a programme only for its residents: said before the
    complaint is sent (it stays with the programme's office)."""
    data = turn.conversation.data
    row = turn.session.get(Programme, data["programme_id"]) if data.get("programme_id") else None
    spec = turn.catalogue.programme(row.code) if row else None
    office = turn.catalogue.office(spec.office) if spec else None
    if spec is None or office is None:
        return []
    niks = routing.niks_in(str(data.get("description", "")), today=turn.local(turn.now).date())
    return [
        turn.t(
            "routing.residence",
            programme=spec.name.get(turn.lang),
            office=office.name.get(turn.lang),
            nik=mask_nik(nik),
        )
        for nik in routing.outside_region(spec, niks)
    ]


# --- Answers ------------------------------------------------------------------------------


def on_event(turn: Turn, event: InboundEvent) -> None:
    """The engine hands these states the whole event: a photo or location means something."""
    state = turn.conversation.state
    if event.kind in ("text", "choice") and event.input.lower() in BACK_WORDS:
        back(turn)
        return
    if state == DESCRIBE:
        on_describe(turn, event)
        return
    ask = _ASK[state]
    if state in (CONFIDENTIAL, OFFICE, CONFIRM) and event.kind in _MEDIA:
        # Sent after the description: it belongs to the complaint.
        _keep_media(turn, event)
        ask(turn, intro=turn.t(_RECEIVED[event.kind]))
        return
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


def back(turn: Turn) -> None:
    """One step back, keeping what was entered."""
    state, data = turn.conversation.state, dict(turn.conversation.data)
    if state == CATEGORY:
        menu.show(turn)
    elif state == PROGRAMME:
        ask_category(turn)
    elif state == DESCRIBE:
        if _programmes(turn):
            turn.goto(PROGRAMME, **data)
            ask_programme(turn)
        else:
            ask_category(turn)
    elif state == CONFIDENTIAL:
        # The words so far are shown and typed again; what came with them stays.
        previous = str(data.pop("description", ""))
        turn.goto(DESCRIBE, **data)
        intro = turn.t("bot.complaint.previous", description=previous) if previous else ""
        ask_description(turn, intro=intro)
    else:  # the office question and the confirmation
        turn.goto(CONFIDENTIAL, **data)
        ask_confidential(turn)


_RECEIVED = {
    "photo": "bot.complaint.photo_received",
    "location": "bot.complaint.location_received",
    "document": "bot.complaint.document_received",
    "voice": "bot.complaint.voice_received",
}


def _keep_media(turn: Turn, event: InboundEvent) -> None:
    """The attachment, and a caption joins the description."""
    data = dict(turn.conversation.data)
    data["attachments"] = [*data.get("attachments", []), complaint_thread.pending(event)]
    if event.kind == "photo" and event.photo_ref and not data.get("photo_ref"):
        data["photo_ref"] = event.photo_ref
    if event.kind == "location" and event.location and data.get("latitude") is None:
        data["latitude"], data["longitude"] = event.location
    caption = event.text.strip()
    if caption and data.get("description"):
        data["description"] = f"{data['description']}\n{caption}"
    turn.goto(turn.conversation.state, **data)


def on_category(turn: Turn, text: str) -> None:
    if text == _check_value(turn) or text.lower() in _CHECK_WORDS:
        complaint_track.start_list(turn)
        return
    categories = _categories(turn)
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
    data = dict(turn.conversation.data)
    if is_skip(text):
        programme_id = None
    else:
        index = int(text) - 1 if text.isdigit() else -1
        if not 0 <= index < len(programmes):
            ask_programme(turn, intro=turn.t("bot.complaint.programme_unknown"))
            return
        programme_id = programmes[index][1]
    turn.goto(DESCRIBE, **{**data, "programme_id": programme_id})
    ask_description(turn)


def on_describe(turn: Turn, event: InboundEvent) -> None:
    notes: list[str] = []
    if event.kind in _MEDIA:
        _keep_media(turn, event)
        notes.append(turn.t(_RECEIVED[event.kind]))
    elif event.kind not in ("text", "choice"):
        ask_description(turn, intro=turn.t("bot.complaint.unsupported"))
        return
    data = dict(turn.conversation.data)
    description = event.input if event.kind in ("text", "choice") else event.text.strip()
    if not description and event.kind == "voice":
        # Someone who would rather speak than type has said it: the officers listen to it.
        description = turn.t("bot.complaint.voice_description")
    if not description:
        # A photo or location alone is welcome, but the officers still need words.
        notes.append(turn.t("bot.complaint.empty"))
        ask_description(turn, intro=" ".join(notes))
        return
    if len(description) > service.MAX_TEXT:
        parts = len(service.in_parts(description, what="description"))
        notes.append(turn.t("bot.complaint.long_kept", parts=parts))
    data["description"] = description
    turn.goto(CONFIDENTIAL, **data)
    ask_confidential(turn, intro=" ".join(notes))


def _more_words(turn: Turn, text: str) -> bool:
    """Words that are no answer to the question but more of the story: they join the
    description (a second message is kept, never dropped)."""
    if len(text.split()) < 3 and len(text) < 20:
        return False
    data = dict(turn.conversation.data)
    data["description"] = f"{data.get('description', '')}\n{text}".strip()
    turn.goto(turn.conversation.state, **data)
    return True


def on_confidential(turn: Turn, text: str) -> None:
    answer = {"1": True, "ya": True, "yes": True, "2": False, "tidak": False, "no": False}
    confidential = answer.get(text.lower())
    if confidential is None:
        if _more_words(turn, text):
            ask_confidential(turn, intro=turn.t("bot.complaint.added"))
        else:
            ask_confidential(turn, intro=turn.t("bot.complaint.choose_1_2"))
        return
    turn.goto(CONFIDENTIAL, **{**turn.conversation.data, "confidential": confidential})
    _onward(turn)


def on_office(turn: Turn, text: str) -> None:
    data = turn.conversation.data
    choices = [int(i) for i in data.get("choices", [])]
    index = int(text) - 1 if text.isdigit() else -1
    if not 0 <= index < len(choices):
        if _more_words(turn, text):
            ask_office(turn, intro=turn.t("bot.complaint.added"))
        else:
            ask_office(turn, intro=turn.t("routing.ask.unknown"))
        return
    offered = sorted({*(int(i) for i in data.get("offered", [])), *choices})
    rest = {k: v for k, v in data.items() if k != "choices"}
    turn.goto(CONFIRM, **{**rest, "office_id": choices[index], "offered": offered})
    ask_confirm(turn)


def on_confirm(turn: Turn, text: str) -> None:
    word = text.lower()
    if word in {_EDIT, "ubah"}:
        ask_category(turn)
        return
    if word not in {_SEND, "kirim", "send"}:
        if _more_words(turn, text):
            _onward(turn, intro=turn.t("bot.complaint.added"))
        else:
            ask_confirm(turn, intro=turn.t("bot.complaint.confirm_unknown"))
        return
    if _routes(turn):
        # Words or a caption added since (a NIK, say) point to another office: asked first.
        turn.goto(OFFICE, **turn.conversation.data)
        ask_office(turn)
        return
    _file(turn)


def _file(turn: Turn) -> None:
    found = _target(turn)
    data = turn.conversation.data
    if found is None:
        menu.show(turn)
        return
    conversation = turn.conversation
    attachments = [a for item in data.get("attachments", []) for a in _attachments(item)]
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
                attachments=attachments,
            ),
            now=turn.now,
            policy=service.clock_rules(turn.settings, turn.catalogue),
        )
    except DomainError as error:
        menu.show(turn, intro=turn.t(error.key, **error.params))
        return
    complaint_drafts.discard(session=turn.session, conversation_id=conversation.id or 0)
    deadline = complaint_track.deadline_words(turn, complaint)
    turn.goto(menu.MENU)
    turn.say(
        turn.t("bot.complaint.filed", number=complaint.number, deadline=deadline),
        [("0", turn.t("bot.nav.menu"))],
    )


def _attachments(item: dict[str, Any]) -> list[service.NewAttachment]:
    return complaint_thread.attachments_of(item)


_ASK: dict[str, Callable[..., None]] = {
    CATEGORY: ask_category,
    PROGRAMME: ask_programme,
    DESCRIBE: ask_description,
    CONFIDENTIAL: ask_confidential,
    OFFICE: ask_office,
    CONFIRM: ask_confirm,
}
_ON_TEXT: dict[str, Callable[[Turn, str], None]] = {
    CATEGORY: on_category,
    PROGRAMME: on_programme,
    CONFIDENTIAL: on_confidential,
    OFFICE: on_office,
    CONFIRM: on_confirm,
}
STATES = frozenset({CATEGORY, PROGRAMME, DESCRIBE, CONFIDENTIAL, OFFICE, CONFIRM})
