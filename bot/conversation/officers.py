"""Officers handle complaints from the chat: in the office's officers' group, or in their own.

``klaim ADU-BTG-2026-00001`` (or the "Tangani" button on the announcement) claims a complaint;
``jawab ADU-BTG-2026-00001 <text>``, or a reply to the bot's announcement, answers it. Who is
acting is the *sender*, matched to ``StaffUser.chat``; in a group that is not the group's
address, so the channel adapter carries the sender's own id. Everything else said in the
group is the officers' own talk and gets no answer.
"""

from __future__ import annotations

import re

from bot.complaint_buttons import OFFICER_VERBS
from bot.conversation.turn import Turn
from bot.inbound import InboundEvent
from models import Complaint, Office, StaffUser
from services import complaints as service
from services.errors import DomainError
from services.numbering import COMPLAINT_NUMBER, complaint_number

COMMAND = re.compile(
    rf"^/?(?P<verb>{'|'.join(sorted(OFFICER_VERBS))})(?:@\w+)?\s+(?P<number>{COMPLAINT_NUMBER})\b\s*"
    r"(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
VERB_ONLY = re.compile(r"^/?(klaim|jawab)\b", re.IGNORECASE)


def officers_office(turn: Turn) -> Office | None:
    """The office whose officers' chat this conversation is, if any."""
    address = f"{turn.conversation.channel}:{turn.conversation.chat_id}"
    return next((o for o in turn.offices() if o.officers_chat == address), None)


def _staff(turn: Turn, event: InboundEvent) -> StaffUser | None:
    sender = event.sender_id or turn.conversation.chat_id
    address = f"{turn.conversation.channel}:{sender}"
    return service.staff_of_chat(session=turn.session, address=address)


def _replied_complaint(turn: Turn, event: InboundEvent) -> str | None:
    """The complaint number of the bot's message this one replies to, if it announced one."""
    if event.reply_to_platform_message_id is None or event.kind != "text":
        return None
    complaint = service.named_by_message(
        session=turn.session,
        conversation_id=turn.conversation.id or 0,
        platform_message_id=event.reply_to_platform_message_id,
    )
    return complaint.number if complaint else None


def wants(turn: Turn, event: InboundEvent) -> tuple[str, str, str] | None:
    """(verb, number, rest) when ``event`` is an officer's command or reply; else None."""
    if event.kind not in ("text", "choice"):
        return None
    text = event.input
    found = COMMAND.match(text)
    if found is not None:
        number = complaint_number(found["number"]) or found["number"]
        return found["verb"].lower(), number, found["rest"].strip()
    if VERB_ONLY.match(text):
        return "usage", "", ""
    replied = _replied_complaint(turn, event)
    # In a private chat the complainant also gets messages naming a complaint (the answer);
    # their reply to one is theirs to make, not an officer's answer.
    if replied is not None and (event.group or _staff(turn, event) is not None):
        # "Tangani", "ok", "siap": an acknowledgement to the group, not an answer for the
        # complainant; "Tangani" (or "saya ambil") takes the complaint on.
        if service.is_acknowledgement(text):
            return ("klaim" if service.means_claim(text) else "ack"), replied, ""
        return "jawab", replied, text
    return None


def respond(turn: Turn, *, event: InboundEvent, command: tuple[str, str, str]) -> None:
    verb, number, rest = command
    staff = _staff(turn, event)
    if staff is None:
        # Nothing about the complaint: the sender may be anyone who joined the group.
        turn.say(turn.t("bot.officer.not_registered"))
        return
    if verb == "usage" or (verb == "jawab" and not rest):
        turn.say(turn.t("bot.officer.usage"))
        return
    if verb == "ack":
        turn.say(turn.t("bot.officer.ack_not_sent", number=number))
        return
    complaint = service.complaint_by_number(session=turn.session, number=number)
    if complaint is None or complaint.id is None:
        turn.say(turn.t("bot.officer.not_found", number=number))
        return
    try:
        if verb == "klaim":
            service.claim(
                session=turn.session, staff=staff, complaint_id=complaint.id, now=turn.now
            )
            turn.say(turn.t("bot.officer.claimed", number=number, name=staff.full_name))
        else:
            service.answer(
                session=turn.session,
                staff=staff,
                complaint_id=complaint.id,
                text=rest,
                now=turn.now,
            )
            turn.say(_answered(turn, complaint, staff))
    except DomainError as error:
        turn.say(turn.t(error.key, **error.params))


def _answered(turn: Turn, complaint: Complaint, staff: StaffUser) -> str:
    # The service sends an answer given in the chat only to a chat: there is one.
    return turn.t("bot.officer.answered", number=complaint.number, name=staff.full_name)
