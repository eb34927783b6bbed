"""A complaint is a conversation: what the complainant sends while it is not settled joins it.

Outside a flow (in the menu, or looking at a ticket), text the menu does not understand, and
any photo, document, voice note or location, goes to the complainant's unsettled complaint:
the officer who claimed it (else the officers' chat) gets it at once, and it shows in the
complaint's thread on the staff pages. With several unsettled complaints the bot asks which
one, keeping what was sent (and anything sent meanwhile) until the person chooses. A reply to
a message of the bot about a complaint (its answer, say) goes to that complaint directly.
"""

from __future__ import annotations

from typing import Any

from bot.conversation import menu
from bot.conversation.turn import Turn
from bot.inbound import FILE_KINDS, InboundEvent
from models import Complaint
from services import complaints as service
from services.complaints import NewAttachment
from services.errors import DomainError

WHICH = "complaint_which"
MAX_ASKED = 8
_MEDIA = FILE_KINDS | {"location"}


def pending(event: InboundEvent) -> dict[str, Any]:
    """An event as kept in the conversation while the person picks the complaint."""
    return {
        "kind": event.kind,
        "text": event.input if event.kind in ("text", "choice") else event.text,
        "ref": event.media_ref,
        "file_name": event.file_name,
        "mime_type": event.mime_type,
        "location": list(event.location) if event.location else None,
        "channel": event.channel,
    }


def attachments_of(item: dict[str, Any]) -> list[NewAttachment]:
    kind, channel = str(item.get("kind")), str(item.get("channel") or "")
    if kind == "location" and item.get("location"):
        latitude, longitude = item["location"]
        return [NewAttachment("location", channel, latitude=latitude, longitude=longitude)]
    if kind in FILE_KINDS and item.get("ref"):
        return [
            NewAttachment(
                kind,
                channel,
                platform_ref=str(item["ref"]),
                file_name=str(item.get("file_name") or ""),
                mime_type=str(item.get("mime_type") or ""),
            )
        ]
    return []


def _unsettled(turn: Turn) -> list[Complaint]:
    return service.of_chat(
        session=turn.session, conversation=turn.conversation, limit=MAX_ASKED, unsettled=True
    )


def wants(turn: Turn, event: InboundEvent) -> bool:
    """Whether ``event``, outside any flow, is a follow-up to an unsettled complaint."""
    if event.kind in _MEDIA:
        return bool(_unsettled(turn))
    if event.kind != "text" or not event.input or menu.understands(event.input):
        return False
    return bool(_unsettled(turn))


def on_follow_up(turn: Turn, event: InboundEvent) -> None:
    complaints = _unsettled(turn)
    if len(complaints) == 1:
        attach(turn, complaints[0], [pending(event)])
        return
    ask_which(turn, complaints, [pending(event)])


def try_reply(turn: Turn, event: InboundEvent) -> bool:
    """A reply to the bot's message about one of this chat's complaints joins that one."""
    if event.reply_to_platform_message_id is None or event.kind not in ("text", *_MEDIA):
        return False
    named = service.named_by_message(
        session=turn.session,
        conversation_id=turn.conversation.id or 0,
        platform_message_id=event.reply_to_platform_message_id,
    )
    if named is None or named.status == service.Status.CLOSED:
        return False
    complaint = service.for_chat(
        session=turn.session, conversation=turn.conversation, number=named.number
    )
    if complaint is None:
        return False
    attach(turn, complaint, [pending(event)])
    return True


def attach_to(turn: Turn, complaint: Complaint, event: InboundEvent) -> None:
    """``event`` joins ``complaint`` (the one the person is looking at)."""
    attach(turn, complaint, [pending(event)])


def ask_which(turn: Turn, complaints: list[Complaint], kept: list[dict[str, Any]]) -> None:
    turn.goto(WHICH, numbers=[c.number for c in complaints], pending=kept)
    options = [(str(i), c.number) for i, c in enumerate(complaints, start=1)]
    turn.say(turn.t("bot.complaint.thread.which"), [*options, ("0", turn.t("bot.nav.menu"))])


def on_which(turn: Turn, event: InboundEvent) -> None:
    data = turn.conversation.data
    numbers = [str(n) for n in data.get("numbers", [])]
    kept = list(data.get("pending", []))
    text = event.input if event.kind in ("text", "choice") else ""
    index = int(text) - 1 if text.isdigit() else -1
    if 0 <= index < len(numbers):
        complaint = service.for_chat(
            session=turn.session, conversation=turn.conversation, number=numbers[index]
        )
        if complaint is not None:
            attach(turn, complaint, kept)
            return
    if event.kind in _MEDIA or (event.kind == "text" and text and not text.isdigit()):
        # More said before choosing: kept with the rest, nothing is dropped.
        kept.append(pending(event))
    turn.goto(WHICH, numbers=numbers, pending=kept)
    options = [(str(i), n) for i, n in enumerate(numbers, start=1)]
    turn.say(turn.t("bot.complaint.thread.which"), [*options, ("0", turn.t("bot.nav.menu"))])


def attach(turn: Turn, complaint: Complaint, items: list[dict[str, Any]]) -> None:
    try:
        for item in items:
            service.add_message(
                session=turn.session,
                complaint=complaint,
                text=str(item.get("text") or ""),
                now=turn.now,
                attachments=attachments_of(item),
                via=str(item.get("channel") or turn.conversation.channel),
            )
    except DomainError as error:
        menu.show(turn, intro=turn.t(error.key, **error.params))
        return
    turn.goto(menu.MENU)
    turn.say(
        turn.t("bot.complaint.thread.relayed", number=complaint.number),
        [("0", turn.t("bot.nav.menu"))],
    )
