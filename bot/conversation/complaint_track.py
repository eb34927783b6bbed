"""The complainant's side after filing: check a ticket, add information, settle, reopen, rate.

Every command also works typed at any moment ("ADU-BTG-2026-00001", "selesai ADU-BTG-2026-00001",
"buka ADU-BTG-2026-00001 alasannya", "tambah ADU-BTG-2026-00001 ...", "nilai ADU-BTG-2026-00001"),
because the officer's answer may arrive days later, long after the conversation moved on. A
ticket from before per-office numbering ("ADU-2026-00001") works the same, and so does one
typed in small letters or with spaces ("adu btg 2026 1").

A ticket is shown only to the chat that filed it or to the proven person it belongs to;
anyone else gets the same words as for a number that does not exist.
"""

from __future__ import annotations

import re

from bot.complaint_buttons import COMPLAINANT_VERBS
from bot.conversation import complaint_thread, menu
from bot.conversation.turn import Turn
from bot.inbound import InboundEvent
from models import Complaint, Office
from services import complaints as service
from services.complaint_categories import category as find_category
from services.complaints import Action
from services.errors import Conflict, DomainError
from services.numbering import COMPLAINT_NUMBER, complaint_number
from services.timefmt import format_moment

LIST = "complaint_list"
SHOWN = "complaint_shown"
ADD_INFO = "complaint_add_info"
REOPEN_REASON = "complaint_reopen_reason"
RATE = "complaint_rate"
RATE_COMMENT = "complaint_rate_comment"

# What looks like a ticket without being one ("ADU-2026", "adu-btg-x"): answered as a number
# that does not exist, rather than read as a menu choice.
LIKE_A_TICKET = re.compile(r"^ADU(?:\s*[-/.]\s*\w+)+$", re.IGNORECASE)
# A verb, a ticket, and whatever follows (the reason, the information).
COMMAND = re.compile(
    rf"^(?P<verb>{'|'.join(sorted(COMPLAINANT_VERBS))})\s+(?P<number>{COMPLAINT_NUMBER})\b\s*"
    r"(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
SKIP = "9"
SKIP_WORDS = frozenset({SKIP, "lewati", "skip", "-"})
MAX_LISTED = 8

# In the shown state, the digit buttons stand for the typed commands.
_ADD, _SETTLE, _REOPEN, _RATE = "1", "2", "3", "4"
_DIGITS = {
    Action.ADD_INFO: _ADD,
    Action.SETTLE: _SETTLE,
    Action.REOPEN: _REOPEN,
    Action.RATE: _RATE,
}
_LABELS = {
    Action.ADD_INFO: "bot.complaint.add_info",
    Action.SETTLE: "bot.complaint.settle",
    Action.REOPEN: "bot.complaint.reopen",
    Action.RATE: "bot.complaint.rate",
}


def normalise(number: str) -> str:
    """The ticket as stored, or as typed (upper-cased) when it is none."""
    return complaint_number(number) or " ".join(number.split()).upper()


def deadline_words(turn: Turn, complaint: Complaint) -> str:
    office = turn.session.get(Office, complaint.office_id)
    zone = office.timezone if office else turn.settings.office_timezone
    return format_moment(complaint.due_at, zone, turn.lang)


def _moment(turn: Turn, complaint: Complaint, field: str) -> str:
    office = turn.session.get(Office, complaint.office_id)
    zone = office.timezone if office else turn.settings.office_timezone
    return format_moment(getattr(complaint, field), zone, turn.lang)


def owned(turn: Turn, number: str) -> Complaint | None:
    """The complaint if this chat filed it or its proven person is the complainant."""
    return service.for_chat(session=turn.session, conversation=turn.conversation, number=number)


def _not_found(turn: Turn, number: str) -> None:
    menu.show(turn, intro=turn.t("bot.complaint.not_found", number=normalise(number)))


def _refused(turn: Turn, error: DomainError) -> None:
    menu.show(turn, intro=turn.t(error.key, **error.params))


# --- Typed at any time ------------------------------------------------------------------------


def try_command(turn: Turn, text: str) -> bool:
    """Handle a self-contained ticket command; False when ``text`` is not one."""
    if complaint_number(text) is not None or LIKE_A_TICKET.match(text):
        number = normalise(text)
        complaint = owned(turn, number)
        if complaint is None:
            _not_found(turn, number)
        else:
            show(turn, complaint)
        return True
    found = COMMAND.match(text)
    if found is None:
        return False
    verb, number, rest = found["verb"].lower(), normalise(found["number"]), found["rest"].strip()
    complaint = owned(turn, number)
    if complaint is None:
        _not_found(turn, number)
    elif verb == "selesai":
        settle(turn, complaint)
    elif verb == "buka":
        reopen(turn, complaint, rest) if rest else ask_reason(turn, complaint)
    elif verb == "tambah":
        add_information(turn, complaint, rest) if rest else ask_information(turn, complaint)
    else:
        ask_rating(turn, complaint)
    return True


# --- Check ------------------------------------------------------------------------------------


def _mine(turn: Turn) -> list[Complaint]:
    return service.of_chat(session=turn.session, conversation=turn.conversation, limit=MAX_LISTED)


def start_list(turn: Turn) -> None:
    complaints = _mine(turn)
    if not complaints:
        turn.goto(LIST, numbers=[])
        turn.say(turn.t("bot.complaint.list_none"), [("0", turn.t("bot.nav.menu"))])
        return
    turn.goto(LIST, numbers=[c.number for c in complaints])
    turn.say(
        turn.t("bot.complaint.list_title"),
        [(str(i), _label(turn, c)) for i, c in enumerate(complaints, start=1)],
    )


def _label(turn: Turn, complaint: Complaint) -> str:
    status = turn.t(f"bot.complaint.status.{complaint.status}")
    return f"{complaint.number} ({status})"


def on_list(turn: Turn, text: str) -> None:
    numbers = [str(n) for n in turn.conversation.data.get("numbers", [])]
    index = int(text) - 1 if text.isdigit() else -1
    complaint = owned(turn, numbers[index]) if 0 <= index < len(numbers) else None
    if complaint is None:
        turn.say(turn.t("bot.complaint.list_unknown"), [("0", turn.t("bot.nav.menu"))])
        return
    show(turn, complaint)


def show(turn: Turn, complaint: Complaint) -> None:
    found = find_category(complaint.category)
    lines = [
        turn.t(
            "bot.complaint.shown",
            number=complaint.number,
            category=found.label.get(turn.lang) if found else complaint.category,
            received=_moment(turn, complaint, "received_at"),
            status=turn.t(f"bot.complaint.status.{complaint.status}"),
        )
    ]
    if complaint.status == service.Status.OPEN:
        lines.append(turn.t("bot.complaint.shown_due", deadline=deadline_words(turn, complaint)))
    else:
        answer = service.latest_answer(session=turn.session, complaint=complaint)
        if answer:
            lines.append(turn.t("bot.complaint.shown_answer", answer=answer))
    if complaint.rating is not None:
        score = turn.t(f"bot.complaint.rating.{complaint.rating}")
        lines.append(turn.t("bot.complaint.shown_rating", score=f"{complaint.rating} {score}"))
    actions = service.complainant_actions(
        complaint, now=turn.now, policy=service.clock_rules(turn.settings, turn.catalogue)
    )
    options = sorted((_DIGITS[a], turn.t(_LABELS[a])) for a in actions)
    turn.goto(SHOWN, number=complaint.number)
    turn.say("\n".join(lines), [*options, ("0", turn.t("bot.nav.menu"))])


def on_shown_event(turn: Turn, event: InboundEvent) -> bool:
    """Looking at an unsettled ticket, the person's own words and files are meant for it;
    False for a choice of the ticket's menu (the state handler's)."""
    complaint = owned(turn, str(turn.conversation.data.get("number", "")))
    if complaint is None or complaint.status == service.Status.CLOSED:
        return False
    if event.kind == "text" and (event.input.isdigit() or not event.input):
        return False
    if event.kind not in ("text", "photo", "document", "voice", "location"):
        return False
    complaint_thread.attach_to(turn, complaint, event)
    return True


def on_shown(turn: Turn, text: str) -> None:
    complaint = owned(turn, str(turn.conversation.data.get("number", "")))
    if complaint is None:
        menu.on_menu(turn, text)
        return
    if text == _ADD:
        ask_information(turn, complaint)
    elif text == _SETTLE:
        settle(turn, complaint)
    elif text == _REOPEN:
        ask_reason(turn, complaint)
    elif text == _RATE:
        ask_rating(turn, complaint)
    else:
        show(turn, complaint)


# --- Add information ----------------------------------------------------------------------


def ask_information(turn: Turn, complaint: Complaint) -> None:
    turn.goto(ADD_INFO, number=complaint.number)
    turn.say(
        turn.t("bot.complaint.ask_info", number=complaint.number), [("0", turn.t("bot.nav.menu"))]
    )


def on_add_info(turn: Turn, text: str) -> None:
    complaint = owned(turn, str(turn.conversation.data.get("number", "")))
    if complaint is None:
        menu.show(turn)
        return
    add_information(turn, complaint, text)


def add_information(turn: Turn, complaint: Complaint, text: str) -> None:
    if len(text) > service.MAX_TEXT:
        turn.say(
            turn.t("bot.complaint.too_long", length=len(text), limit=service.MAX_TEXT),
            [("0", turn.t("bot.nav.menu"))],
        )
        turn.goto(ADD_INFO, number=complaint.number)
        return
    try:
        service.add_information(session=turn.session, complaint=complaint, text=text, now=turn.now)
    except DomainError as error:
        _refused(turn, error)
        return
    menu.show(turn, intro=turn.t("bot.complaint.info_sent", number=complaint.number))


# --- Settle, reopen, rate -----------------------------------------------------------------


def settle(turn: Turn, complaint: Complaint) -> None:
    try:
        service.settle(session=turn.session, complaint=complaint, now=turn.now)
    except DomainError as error:
        _refused(turn, error)
        return
    ask_rating(turn, complaint, intro=turn.t("bot.complaint.settled", number=complaint.number))


def ask_reason(turn: Turn, complaint: Complaint) -> None:
    turn.goto(REOPEN_REASON, number=complaint.number)
    turn.say(
        turn.t("bot.complaint.ask_reason", number=complaint.number),
        [("0", turn.t("bot.nav.menu"))],
    )


def on_reopen_reason(turn: Turn, text: str) -> None:
    complaint = owned(turn, str(turn.conversation.data.get("number", "")))
    if complaint is None:
        menu.show(turn)
        return
    reopen(turn, complaint, text)


def reopen(turn: Turn, complaint: Complaint, reason: str) -> None:
    try:
        service.reopen(
            session=turn.session,
            complaint=complaint,
            reason=reason,
            now=turn.now,
            policy=service.clock_rules(turn.settings, turn.catalogue),
        )
    except DomainError as error:
        _refused(turn, error)
        return
    menu.show(
        turn,
        intro=turn.t(
            "bot.complaint.reopened",
            number=complaint.number,
            deadline=deadline_words(turn, complaint),
        ),
    )


def _scores(turn: Turn) -> list[tuple[str, str]]:
    return [(str(n), turn.t(f"bot.complaint.rating.{n}")) for n in (1, 2, 3, 4)]


def ask_rating(turn: Turn, complaint: Complaint, *, intro: str = "") -> None:
    if complaint.status != service.Status.CLOSED:
        _refused(turn, Conflict("complaint.error.not_closed", number=complaint.number))
        return
    question = turn.t("bot.complaint.ask_rating", number=complaint.number)
    turn.goto(RATE, number=complaint.number)
    turn.say(f"{intro}\n\n{question}" if intro else question, _scores(turn))


def on_rate(turn: Turn, text: str) -> None:
    number = str(turn.conversation.data.get("number", ""))
    if text not in {"1", "2", "3", "4"}:
        turn.say(turn.t("bot.complaint.rating_unknown"), _scores(turn))
        return
    turn.goto(RATE_COMMENT, number=number, score=int(text))
    turn.say(turn.t("bot.complaint.ask_comment"), [(SKIP, turn.t("bot.complaint.skip"))])


def on_rate_comment(turn: Turn, text: str) -> None:
    data = turn.conversation.data
    complaint = owned(turn, str(data.get("number", "")))
    if complaint is None:
        menu.show(turn)
        return
    comment = "" if text.lower() in SKIP_WORDS else text
    try:
        service.rate(
            session=turn.session,
            complaint=complaint,
            score=int(data.get("score", 0)),
            comment=comment,
            now=turn.now,
        )
    except DomainError as error:
        _refused(turn, error)
        return
    menu.show(turn, intro=turn.t("bot.complaint.rated", number=complaint.number))
