"""Complaints (pengaduan): one place for their states, who may see and act on them, and the
clock that promises an answer.

**States.** A complaint is ``open`` (waiting for an answer), ``answered`` or ``closed`` (the
complainant confirmed it settled). Every change — a claim, an answer, settling, reopening — goes
through :func:`transition`: a ``match`` over (status, move), a guarded UPDATE (the status and
clock cycle the caller saw, so two writers race in the database and the loser gets a 409), and
the event row. The functions :func:`claim`, :func:`answer`, :func:`settle` and :func:`reopen`
only name the move.

**Who.** :func:`readable` is the one query a staff member may read complaints from, and
:func:`for_staff` the one way to fetch one (another office's answers as one that does not exist).
A chat sees its own complaints and those of the person it is linked to (:func:`for_chat`,
:func:`of_chat`). What may be done next is returned as :class:`Action` values
(:func:`staff_actions`, :func:`complainant_actions`); the bot and the pages render their own
buttons from them, and messages queued here carry the actions, never a command to parse back.

**The clock.** ``due_at = clock_started_at + response_hours`` in calendar hours, as the Buton
Tengah SOP states it ("paling lama 2x24 jam"). Before the deadline the officers are reminded;
at the deadline the supervisor (Kabid) is told; later the head (Kadis) and the PPID officer.
Each of those is a *milestone*, written once per clock cycle under a unique key, so a sweep
that runs twice, or on two workers at once, still tells everyone exactly once.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Engine, false, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, or_, select
from sqlmodel.sql.expression import SelectOfScalar

import messages
from models import (
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
    Conversation,
    Office,
    OutboxMessage,
    Person,
    Programme,
    StaffUser,
)
from services import audit, office_settings
from services.complaint_categories import category as find_category

# Re-exported: callers know the clock as part of the complaint.
from services.complaint_clock import ClockPolicy as ClockPolicy
from services.complaint_clock import ClockRules as ClockRules
from services.complaint_clock import clock_policy as clock_policy
from services.complaint_clock import clock_rules as clock_rules
from services.complaint_clock import hours_left
from services.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.nik import mask_nik
from services.numbering import COMPLAINT_PREFIX, COMPLAINT_WIDTH, complaint_number, next_number
from services.outbox import queue, queue_to_address, template
from services.roles import Role
from services.staff import require_office, require_role
from services.timefmt import format_moment

log = logging.getLogger(__name__)
MAX_TEXT = 2000
# Every channel the seed SOPs name besides the bot: the complaint book and the suggestion box
# at the office, a walk-in, the office's phone, SMS 1708 (SP4N-LAPOR!), e-mail, the website,
# Facebook, Instagram, the admin WhatsApp numbers (people's own, not the bot), SP4N-LAPOR!.
OFFLINE_CHANNELS = frozenset(
    {
        "book", "box", "walk_in", "phone", "sms", "email", "website", "facebook", "instagram",
        "whatsapp_admin", "lapor",
    }
)  # fmt: skip
# Where the answer can reach the complainant without a contact: SP4N-LAPOR! answers in its
# own system, and a suggestion box is anonymous.
CONTACT_OPTIONAL = frozenset({"lapor", "box"})


class AnswerVia(StrEnum):
    """How an answer reached the complainant."""

    CHAT = "chat"  # sent to the chat the complaint came from
    LINKED_CHAT = "linked_chat"  # sent to a chat the person linked later (the receipt's code)
    PHONE_CALL = "phone_call"
    LETTER = "letter"
    IN_PERSON = "in_person"
    EMAIL = "email"
    SMS = "sms"
    LAPOR = "lapor"  # entered in SP4N-LAPOR!


SENT_VIA = frozenset({AnswerVia.CHAT, AnswerVia.LINKED_CHAT})
HANDLERS = frozenset({Role.COMPLAINT_OFFICER, Role.SUPERVISOR, Role.HEAD, Role.ADMIN})
REASSIGNERS = frozenset({Role.SUPERVISOR, Role.HEAD, Role.ADMIN})
RECORDERS = frozenset({Role.OPERATOR, *HANDLERS})


class Status(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


# A complaint's clock: one office's policy, or every office's rules to look it up in.
Clock = ClockPolicy | ClockRules


def policy_of(session: Session, complaint: Complaint, clock: Clock) -> ClockPolicy:
    """The clock rule of the complaint's office (and programme, which may override it)."""
    if isinstance(clock, ClockPolicy):
        return clock
    office = session.get_one(Office, complaint.office_id)
    programme = session.get(Programme, complaint.programme_id) if complaint.programme_id else None
    rules = office_settings.with_settings(session=session, rules=clock)
    return rules.for_complaint(office.code, programme.code if programme else None)


def _reopen_days(clock: Clock) -> int:
    return clock.reopen_days if isinstance(clock, ClockPolicy) else clock.default.reopen_days


@dataclass(frozen=True)
class Milestone:
    kind: str  # "remind-24", "escalate-supervisor", "escalate-head"
    at: datetime


@dataclass
class NewComplaint:
    office_id: int
    category: str
    description: str
    channel: str
    programme_id: int | None = None
    confidential: bool = False
    complainant_name: str = ""
    complainant_contact: str = ""
    person_id: int | None = None
    conversation_id: int | None = None
    photo_ref: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    lapor_tracking: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    # Photos, documents, voice notes and locations sent with it.
    attachments: list[NewAttachment] = field(default_factory=list)
    source_detail: str = ""


@dataclass(frozen=True)
class NewAttachment:
    kind: str  # photo, document, voice, location
    channel: str
    platform_ref: str | None = None
    file_name: str = ""
    mime_type: str = ""
    latitude: float | None = None
    longitude: float | None = None


def milestones(complaint: Complaint, policy: ClockPolicy) -> list[Milestone]:
    due = complaint.due_at
    marks = [Milestone(f"remind-{h}", due - timedelta(hours=h)) for h in policy.reminder_hours]
    marks += [Milestone(e.kind, due + timedelta(hours=e.after_hours)) for e in policy.escalations]
    return sorted(marks, key=lambda m: m.at)


def _milestone_key(complaint: Complaint, kind: str) -> str:
    return f"{complaint.id}:{complaint.cycle}:{kind}"


def _next_check(session: Session, complaint: Complaint, policy: ClockPolicy) -> datetime | None:
    return _first_pending(complaint, policy, _milestones_done(session, [complaint.id or 0]))


def in_parts(text: str, *, what: str, limit: int = MAX_TEXT) -> list[str]:
    """``text`` in parts of at most ``limit`` characters, cut at a line or a space where one
    is near: a long account is kept whole, in order, rather than refused."""
    rest = text.strip()
    if not rest:
        raise InvalidInput("complaint.error.empty", what=what)
    parts: list[str] = []
    while len(rest) > limit:
        cut = max(rest.rfind("\n", 0, limit), rest.rfind(" ", 0, limit))
        if cut < limit // 2:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return [*parts, rest] if rest else parts


def _clean_text(text: str, *, what: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("complaint.error.empty", what=what)
    if len(cleaned) > MAX_TEXT:
        raise InvalidInput("complaint.error.too_long", limit=MAX_TEXT, length=len(cleaned))
    return cleaned


def file_complaint(
    *,
    session: Session,
    data: NewComplaint,
    now: datetime,
    policy: Clock,
    recorded_by: StaffUser | None = None,
) -> Complaint:
    if find_category(data.category) is None:
        raise InvalidInput("complaint.error.category", category=data.category)
    # A chat complaint names the conversation it came from (its channel is whatever the bot
    # registered); anything else must be one of the offline channels staff record.
    conversation = session.get(Conversation, data.conversation_id) if data.conversation_id else None
    chat_channel = conversation is not None and conversation.channel == data.channel
    if not chat_channel and data.channel not in OFFLINE_CHANNELS:
        raise InvalidInput("complaint.error.channel", channel=data.channel)
    if data.channel == "lapor" and not (data.lapor_tracking or "").strip():
        raise InvalidInput("complaint.error.lapor_tracking")
    office = session.get(Office, data.office_id)
    if office is None:
        raise NotFound("error.not_found", what="Office")
    programme = None
    if data.programme_id is not None:
        programme = session.get(Programme, data.programme_id)
        if programme is None or programme.office_id != office.id:
            raise InvalidInput("complaint.error.programme")
    if isinstance(policy, ClockRules):
        # The office's own clock, where it set one (services/office_settings.py).
        rules = office_settings.with_settings(session=session, rules=policy)
        policy = rules.for_complaint(office.code, programme.code if programme else None)
    parts = in_parts(data.description, what="description")
    complaint = Complaint(
        number=next_number(
            session, prefix=COMPLAINT_PREFIX, office=office, now=now, width=COMPLAINT_WIDTH
        ),
        office_id=office.id or 0,
        programme_id=data.programme_id,
        category=data.category,
        channel=data.channel,
        lapor_tracking=(data.lapor_tracking or "").strip() or None,
        description=parts[0],
        photo_ref=data.photo_ref,
        latitude=data.latitude,
        longitude=data.longitude,
        confidential=data.confidential,
        complainant_name=data.complainant_name.strip()[:120],
        complainant_contact=data.complainant_contact.strip()[:120],
        person_id=data.person_id,
        conversation_id=data.conversation_id,
        received_at=now,
        clock_started_at=now,
        due_at=policy.due_at(now, office.timezone),
        clock_rule=policy.rule,
        recorded_by_id=recorded_by.id if recorded_by else None,
        source_detail=data.source_detail.strip()[:120],
    )
    session.add(complaint)
    session.flush()
    received = ComplaintEvent(
        complaint_id=complaint.id or 0,
        at=now,
        kind="received",
        staff_id=recorded_by.id if recorded_by else None,
        text=complaint.description,
        via=data.channel,
    )
    session.add(received)
    for part in parts[1:]:
        # The rest of a long account, in order, as the complainant's own messages.
        session.add(
            ComplaintEvent(
                complaint_id=complaint.id or 0, at=now, kind="message", text=part, via=data.channel
            )
        )
    session.flush()
    add_attachments(session, complaint, received, data.attachments, now)
    complaint.next_check_at = _next_check(session, complaint, policy)
    _announce_to_officers(session, complaint, office, now)
    session.flush()
    return complaint


def record_offline(
    *,
    session: Session,
    staff: StaffUser,
    data: NewComplaint,
    now: datetime,
    policy: Clock,
) -> Complaint:
    """A complaint from any channel but the bot (:data:`OFFLINE_CHANNELS`), with the
    complainant's contact (phone, e-mail or address) unless it came by SP4N-LAPOR! or the
    suggestion box."""
    require_role(staff, RECORDERS)
    require_office(staff, data.office_id, what="Office")
    if data.channel not in OFFLINE_CHANNELS:
        raise InvalidInput("complaint.error.channel", channel=data.channel)
    if data.channel not in CONTACT_OPTIONAL and not data.complainant_contact.strip():
        # Without it the answer has nowhere to go.
        raise InvalidInput("complaint.error.contact")
    return file_complaint(session=session, data=data, now=now, policy=policy, recorded_by=staff)


def get_complaint(*, session: Session, complaint_id: int) -> Complaint:
    complaint = session.get(Complaint, complaint_id)
    if complaint is None:
        raise NotFound("error.not_found", what="Complaint")
    return complaint


def complaint_by_number(*, session: Session, number: str) -> Complaint | None:
    """The complaint a number names, typed in either form (see ``services/numbering.py``)."""
    stored = complaint_number(number)
    if stored is None:
        return None
    return session.exec(select(Complaint).where(Complaint.number == stored)).first()


def add_attachments(
    session: Session,
    complaint: Complaint,
    event: ComplaintEvent,
    attachments: Iterable[NewAttachment],
    now: datetime,
) -> list[ComplaintAttachment]:
    """Rows for what came with ``event``; files wait (pending) for the fetch job, a location
    has no file to fetch."""
    rows = [
        ComplaintAttachment(
            complaint_id=complaint.id or 0,
            event_id=event.id,
            kind=a.kind,
            channel=a.channel,
            platform_ref=a.platform_ref,
            file_name=a.file_name[:200],
            mime_type=a.mime_type[:100],
            latitude=a.latitude,
            longitude=a.longitude,
            status="none" if a.kind == "location" or not a.platform_ref else "pending",
            created_at=now,
        )
        for a in attachments
    ]
    session.add_all(rows)
    return rows


# --- Who may see and act ---------------------------------------------------------------------


class Action(StrEnum):
    """What may be done next with a complaint; the bot and the pages render these."""

    CLAIM = "claim"  # staff: take it, reminders then go to them alone
    ANSWER = "answer"  # staff: answer the complainant
    REASSIGN = "reassign"  # staff: hand it to another officer (a Kabid and up, or its holder)
    ADD_INFO = "add_info"  # complainant: add to the thread
    SETTLE = "settle"  # complainant: the answer solved it
    REOPEN = "reopen"  # complainant: it did not, within the reopen window
    RATE = "rate"  # complainant: the IKM rating, once settled


def may_see(staff: StaffUser, complaint: Complaint) -> bool:
    """Complaint handlers (officers, Kabid, Kadis, admin) of the complaint's office."""
    return staff.role in HANDLERS and staff.office_id == complaint.office_id


def readable(staff: StaffUser) -> SelectOfScalar[Complaint]:
    """The one query a staff member reads complaints from: their office's, if they handle
    complaints; nothing otherwise."""
    query = select(Complaint).where(Complaint.office_id == staff.office_id)
    if staff.role not in HANDLERS:
        query = query.where(false())
    return query


def for_staff(*, session: Session, staff: StaffUser, complaint_id: int) -> Complaint:
    """One complaint the staff member may see; another office's is not found, in the same
    words as one that does not exist."""
    require_role(staff, HANDLERS)
    complaint = get_complaint(session=session, complaint_id=complaint_id)
    require_office(staff, complaint.office_id, what="Complaint")
    return complaint


def staff_actions(staff: StaffUser, complaint: Complaint) -> list[Action]:
    if not may_see(staff, complaint) or complaint.status == Status.CLOSED:
        return []
    found = [Action.ANSWER]
    if complaint.claimed_by_id is None:
        found.insert(0, Action.CLAIM)
    if may_reassign(staff, complaint):
        found.append(Action.REASSIGN)
    return found


def may_reassign(staff: StaffUser, complaint: Complaint) -> bool:
    """A Kabid, the Kadis or the admin hands any complaint of the office to an officer; an
    officer hands on the one they hold."""
    return may_see(staff, complaint) and (
        staff.role in REASSIGNERS or complaint.claimed_by_id == staff.id
    )


def assignable(*, session: Session, staff: StaffUser) -> list[StaffUser]:
    """Who a complaint of the staff member's office may be handed to: its active complaint
    handlers, officers first."""
    rows = session.exec(
        select(StaffUser).where(
            StaffUser.office_id == staff.office_id,
            col(StaffUser.active).is_(True),
            col(StaffUser.role).in_(list(HANDLERS - {Role.ADMIN})),
        )
    ).all()
    order = {Role.COMPLAINT_OFFICER: 0, Role.SUPERVISOR: 1, Role.HEAD: 2}
    return sorted(rows, key=lambda s: (order.get(Role(s.role), 3), s.full_name))


def complainant_actions(complaint: Complaint, *, now: datetime, policy: Clock) -> list[Action]:
    """What the complainant may do next, in the order the bot offers it."""
    found: list[Action] = []
    if complaint.status != Status.CLOSED:
        found.append(Action.ADD_INFO)
    if complaint.status == Status.ANSWERED:
        found.append(Action.SETTLE)
    if complaint.status == Status.CLOSED and complaint.rating is None:
        found.append(Action.RATE)
    if complaint.status != Status.OPEN and _within_reopen_window(complaint, now, policy):
        found.append(Action.REOPEN)
    return found


def _within_reopen_window(complaint: Complaint, now: datetime, policy: Clock) -> bool:
    answered = complaint.answered_at
    return answered is not None and now <= answered + timedelta(days=_reopen_days(policy))


def _chat_condition(conversation: Conversation) -> ColumnElement[bool]:
    condition: ColumnElement[bool] = col(Complaint.conversation_id) == conversation.id
    if conversation.person_id is not None:
        condition = or_(condition, col(Complaint.person_id) == conversation.person_id)
    return condition


def for_chat(*, session: Session, conversation: Conversation, number: str) -> Complaint | None:
    """The complaint if this chat filed it or the person it is linked to is the complainant;
    None for anyone else, as for a number that does not exist."""
    stored = complaint_number(number)
    if stored is None:
        return None
    query = select(Complaint).where(Complaint.number == stored, _chat_condition(conversation))
    return session.exec(query).first()


def of_chat(
    *, session: Session, conversation: Conversation, limit: int, unsettled: bool = False
) -> list[Complaint]:
    """The chat's complaints, newest first; ``unsettled``: only those not yet closed."""
    query = select(Complaint).where(_chat_condition(conversation))
    if unsettled:
        query = query.where(col(Complaint.status).in_([Status.OPEN, Status.ANSWERED]))
    query = query.order_by(col(Complaint.id).desc()).limit(limit)
    return list(session.exec(query).all())


def staff_of_chat(*, session: Session, address: str) -> StaffUser | None:
    """The active staff member whose own chat is ``address`` ("telegram:501")."""
    return session.exec(
        select(StaffUser).where(StaffUser.chat == address, col(StaffUser.active).is_(True))
    ).first()


def named_by_message(
    *, session: Session, conversation_id: int, platform_message_id: str
) -> Complaint | None:
    """The complaint a message the bot sent to this chat was about (an alert, a relayed
    message, an answer), when a person replies to it."""
    extra = session.exec(
        select(OutboxMessage.extra).where(
            OutboxMessage.conversation_id == conversation_id,
            OutboxMessage.platform_message_id == platform_message_id,
        )
    ).first()
    number = (extra or {}).get("complaint")
    return complaint_by_number(session=session, number=str(number)) if number else None


def follow_in_chat(
    *, session: Session, complaint: Complaint, conversation_id: int, now: datetime
) -> None:
    """The complainant follows the complaint in this chat from now on (they sent the code on
    its receipt): they see it there, and answers go there."""
    complaint.conversation_id = conversation_id
    session.add(complaint)
    session.add(
        ComplaintEvent(complaint_id=complaint.id or 0, at=now, kind="chat_linked", via="code")
    )
    session.flush()


def latest_answer(*, session: Session, complaint: Complaint) -> str | None:
    return session.exec(
        select(ComplaintEvent.text)
        .where(ComplaintEvent.complaint_id == complaint.id, ComplaintEvent.kind == "answered")
        .order_by(col(ComplaintEvent.id).desc())
        .limit(1)
    ).first()


# --- The one place a complaint changes -------------------------------------------------------


class Move(StrEnum):
    CLAIM = "claim"
    ANSWER = "answer"
    SETTLE = "settle"
    REOPEN = "reopen"
    REASSIGN = "reassign"


_EVENT_KIND = {
    Move.REASSIGN: "reassigned",
    Move.CLAIM: "claimed",
    Move.ANSWER: "answered",
    Move.SETTLE: "settled",
    Move.REOPEN: "reopened",
}


def transition(
    *,
    session: Session,
    complaint: Complaint,
    move: Move,
    now: datetime,
    staff: StaffUser | None = None,
    text: str = "",
    policy: Clock | None = None,
    via: AnswerVia | None = None,
    assignee: StaffUser | None = None,
) -> Complaint:
    """The one place a complaint changes: claimed, answered, reassigned, settled or reopened.

    ``staff`` makes a claim, an answer or a reassignment to ``assignee`` (and must be allowed
    to); settling and reopening are the complainant's. ``text`` is the answer or the reason;
    ``policy`` the clock (reopening starts a new one).
    """
    policy = policy_of(session, complaint, policy or ClockPolicy())
    previous = Status(complaint.status)
    number = complaint.number
    guard: list[ColumnElement[bool]] = []
    values: dict[str, Any] = {}
    body = ""
    match (previous, move):
        case (Status.CLOSED, Move.CLAIM | Move.ANSWER | Move.REASSIGN):
            raise Conflict("complaint.error.closed", number=number)
        case (_, Move.REASSIGN):
            actor = _acting_staff(staff, complaint)
            if not may_reassign(actor, complaint):
                raise Forbidden("complaint.error.reassign_role", number=number)
            target = _assignee(complaint, assignee)
            holder = complaint.claimed_by_id
            guard.append(
                col(Complaint.claimed_by_id).is_(None)
                if holder is None
                else col(Complaint.claimed_by_id) == holder
            )
            values = {"claimed_by_id": target.id, "claimed_at": now}
            body = target.full_name
        case (_, Move.CLAIM):
            actor = _acting_staff(staff, complaint)
            if complaint.claimed_by_id not in (None, actor.id):
                raise _claimed_by_other(session, complaint)
            guard.append(
                or_(
                    col(Complaint.claimed_by_id).is_(None), col(Complaint.claimed_by_id) == actor.id
                )
            )
            values = {"claimed_by_id": actor.id, "claimed_at": now}
        case (_, Move.ANSWER):
            actor = _acting_staff(staff, complaint)
            body = _clean_text(text, what="answer")
            via = _answer_route(complaint, via)
            values = {
                "status": Status.ANSWERED,
                "answered_at": now,
                "first_response_at": complaint.first_response_at or now,
                "next_check_at": None,
            }
            if complaint.claimed_by_id is None:
                values |= {"claimed_by_id": actor.id, "claimed_at": now}
        case (Status.ANSWERED, Move.SETTLE):
            values = {"status": Status.CLOSED, "closed_at": now}
        case (_, Move.SETTLE):
            raise Conflict("complaint.error.not_answered", number=number)
        case (Status.OPEN, Move.REOPEN):
            raise Conflict("complaint.error.still_open", number=number)
        case (_, Move.REOPEN):
            if not _within_reopen_window(complaint, now, policy):
                raise Conflict(
                    "complaint.error.reopen_window", number=number, days=policy.reopen_days
                )
            body = _clean_text(text, what="reason")
            values = {
                "status": Status.OPEN,
                "cycle": complaint.cycle + 1,
                "clock_started_at": now,
                "due_at": policy.due_at(now, session.get_one(Office, complaint.office_id).timezone),
                "clock_rule": policy.rule,
                "answered_at": None,
                "closed_at": None,
                "rating": None,
                "rating_comment": None,
            }
    # The status and cycle the caller saw: of two writers only one UPDATE matches.
    result = session.execute(
        update(Complaint)
        .where(
            col(Complaint.id) == complaint.id,
            col(Complaint.status) == previous,
            col(Complaint.cycle) == complaint.cycle,
            *guard,
        )
        .values(**values)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("complaint.error.changed", number=number)
    session.add(
        ComplaintEvent(
            complaint_id=complaint.id or 0,
            at=now,
            kind=_EVENT_KIND[move],
            staff_id=staff.id if staff else None,
            text=body,
            via=via if move == Move.ANSWER else None,
        )
    )
    session.flush()
    session.refresh(complaint)
    _after(session, complaint, move, body, now, policy, via)
    session.flush()
    return complaint


def _answer_route(complaint: Complaint, via: AnswerVia | None) -> AnswerVia:
    """How the answer reaches the complainant: their chat when there is one (unless staff say
    they gave it another way); otherwise staff must say how they gave it."""
    chat = AnswerVia.CHAT if complaint.channel not in OFFLINE_CHANNELS else AnswerVia.LINKED_CHAT
    if via is None or via in SENT_VIA:
        if complaint.conversation_id is None:
            raise InvalidInput("complaint.error.answer_via", number=complaint.number)
        return chat
    return via


def _assignee(complaint: Complaint, assignee: StaffUser | None) -> StaffUser:
    """Someone of the complaint's office who handles complaints, and not its holder already."""
    if (
        assignee is None
        or not assignee.active
        or assignee.office_id != complaint.office_id
        or assignee.role not in HANDLERS
        or assignee.role == Role.ADMIN
    ):
        raise InvalidInput("complaint.error.assignee")
    if assignee.id == complaint.claimed_by_id:
        raise Conflict("complaint.error.same_assignee", number=complaint.number)
    return assignee


def _acting_staff(staff: StaffUser | None, complaint: Complaint) -> StaffUser:
    if staff is None:
        raise Forbidden("error.forbidden_role", role="-")
    require_role(staff, HANDLERS)
    require_office(staff, complaint.office_id, what="Complaint")
    return staff


def _claimed_by_other(session: Session, complaint: Complaint) -> Conflict:
    holder = session.get(StaffUser, complaint.claimed_by_id)
    return Conflict(
        "complaint.error.claimed",
        number=complaint.number,
        name=holder.full_name if holder else "?",
    )


def _after(
    session: Session,
    complaint: Complaint,
    move: Move,
    body: str,
    now: datetime,
    policy: ClockPolicy,
    via: AnswerVia | None,
) -> None:
    """Who hears of the move: the complainant of an answer sent to a chat, the officers of a
    reopen."""
    if move == Move.REASSIGN:
        assignee = session.get(StaffUser, complaint.claimed_by_id)
        office = session.get_one(Office, complaint.office_id)
        if assignee is not None and assignee.chat:
            text = messages.render(
                "complaint.officer.reassigned",
                "id",
                **_officer_params(session, complaint, office),
            )
            queue_to_address(
                session,
                address=assignee.chat,
                text=text,
                now=now,
                extra={
                    **alert_extra(complaint, [Action.ANSWER], "id"),
                    **staff_news(complaint, text),
                },
            )
    elif move == Move.ANSWER and via in SENT_VIA:
        _tell_complainant(
            session,
            complaint,
            "complaint.answer_to_complainant",
            now,
            actions=[Action.SETTLE, Action.REOPEN],
            as_template=template("sigap_complaint_answer", complaint.number, body),
            answer=body,
            number=complaint.number,
        )
    elif move == Move.REOPEN:
        complaint.next_check_at = _next_check(session, complaint, policy)
        office = session.get_one(Office, complaint.office_id)
        _announce_to_officers(
            session, complaint, office, now, key="complaint.officer.reopened", reason=body
        )


def claim(*, session: Session, staff: StaffUser, complaint_id: int, now: datetime) -> Complaint:
    complaint = for_staff(session=session, staff=staff, complaint_id=complaint_id)
    return transition(session=session, complaint=complaint, move=Move.CLAIM, now=now, staff=staff)


def answer(
    *,
    session: Session,
    staff: StaffUser,
    complaint_id: int,
    text: str,
    now: datetime,
    via: AnswerVia | None = None,
) -> Complaint:
    """The officer's answer stops the clock; it is sent to the complainant's chat when there
    is one, or recorded with how staff gave it (``via``: a phone call, a letter, in person)."""
    complaint = for_staff(session=session, staff=staff, complaint_id=complaint_id)
    return transition(
        session=session,
        complaint=complaint,
        move=Move.ANSWER,
        now=now,
        staff=staff,
        text=text,
        via=via,
    )


def reassign(
    *, session: Session, staff: StaffUser, complaint_id: int, assignee_id: int, now: datetime
) -> Complaint:
    """Hand the complaint to another officer: reminders then go to them, and they are told."""
    complaint = for_staff(session=session, staff=staff, complaint_id=complaint_id)
    return transition(
        session=session,
        complaint=complaint,
        move=Move.REASSIGN,
        now=now,
        staff=staff,
        assignee=session.get(StaffUser, assignee_id),
    )


def settle(*, session: Session, complaint: Complaint, now: datetime) -> Complaint:
    return transition(session=session, complaint=complaint, move=Move.SETTLE, now=now)


def reopen(
    *, session: Session, complaint: Complaint, reason: str, now: datetime, policy: Clock
) -> Complaint:
    """Only an answered or settled complaint, within the reopen window; a new clock starts."""
    return transition(
        session=session,
        complaint=complaint,
        move=Move.REOPEN,
        now=now,
        text=reason,
        policy=policy,
    )


def add_information(
    *, session: Session, complaint: Complaint, text: str, now: datetime
) -> Complaint:
    """More detail from the complainant ("tambah"); it never restarts or stops the clock."""
    add_message(session=session, complaint=complaint, text=text, now=now, kind="information")
    return complaint


def add_message(
    *,
    session: Session,
    complaint: Complaint,
    text: str,
    now: datetime,
    attachments: Iterable[NewAttachment] = (),
    via: str | None = None,
    kind: str = "message",
) -> ComplaintEvent:
    """What the complainant sends while the complaint is not settled joins its thread and is
    relayed to the officer who claimed it (else the officers' chat). It neither stops nor
    restarts the clock: only an answer stops it, only a reopen restarts it.

    Words over the length limit are kept in parts; a photo or a location alone is a message.
    """
    if complaint.status == Status.CLOSED:
        raise Conflict("complaint.error.closed", number=complaint.number)
    files = list(attachments)
    parts = in_parts(text, what="information") if text.strip() or not files else [""]
    events = [
        ComplaintEvent(complaint_id=complaint.id or 0, at=now, kind=kind, text=part, via=via)
        for part in parts
    ]
    session.add_all(events)
    session.flush()
    rows = add_attachments(session, complaint, events[-1], files, now)
    office = session.get_one(Office, complaint.office_id)
    notes = _attachment_notes(rows)
    for index, part in enumerate(parts, start=1):
        body = part if index < len(parts) else "\n\n".join(p for p in (part, notes) if p)
        label = f" ({index}/{len(parts)})" if len(parts) > 1 else ""
        relayed = messages.render(
            "complaint.officer.message", "id", number=complaint.number + label, text=body
        )
        for address in relay_addresses(session, complaint, office):
            queue_to_address(
                session,
                address=address,
                text=relayed,
                now=now,
                # A reply to this message answers the complaint, as a reply to the alert does.
                extra={**alert_extra(complaint, [], "id"), **staff_news(complaint, relayed)},
            )
    session.flush()
    return events[-1]


# Words that acknowledge an alert rather than answer the complainant ("Tangani", "ok",
# "siap, saya cek"): a reply made only of these never reaches the complainant.
ACKNOWLEDGEMENTS = frozenset(
    {
        "ok", "oke", "okay", "okey", "okeh", "k", "siap", "sip", "baik", "tangani", "ditangani",
        "saya", "sy", "aku", "kami", "noted", "diterima", "terima", "kasih", "makasih",
        "thanks", "thx", "otw", "cek", "dicek", "segera", "laksanakan", "mantap", "iya", "ya",
        "y", "yes", "copy", "roger", "on", "it", "klaim", "ambil", "pak", "bu", "ibu", "bapak",
        "min", "admin", "dulu", "akan", "kita", "sudah", "udah", "lihat", "dilihat", "proses",
        "diproses", "tindak", "lanjuti", "ditindaklanjuti",
    }
)  # fmt: skip
CLAIM_WORDS = frozenset({"tangani", "ditangani", "klaim", "ambil"})


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def is_acknowledgement(text: str) -> bool:
    """A reply that only acknowledges (one word, or only words like "ok", "siap", "saya
    tangani", or no words at all, an emoji): not meant as the answer to the complainant."""
    words = _words(text)
    return len(words) <= 1 or all(w in ACKNOWLEDGEMENTS for w in words)


def means_claim(text: str) -> bool:
    """An acknowledgement that takes the complaint on ("Tangani", "saya ambil")."""
    return any(w in CLAIM_WORDS for w in _words(text))


def map_link(latitude: float, longitude: float) -> str:
    return f"https://www.google.com/maps?q={latitude:.6f},{longitude:.6f}"


def _attachment_notes(rows: Iterable[ComplaintAttachment]) -> str:
    """What came with a message, for the officer: files are on the staff page (never at a
    public address), a place is a map link."""
    lines = []
    for row in rows:
        if row.kind == "location" and row.latitude is not None and row.longitude is not None:
            link = map_link(row.latitude, row.longitude)
            lines.append(messages.render("complaint.officer.location", "id", link=link))
        else:
            what = messages.render(f"complaint.attachment.{row.kind}", "id")
            lines.append(messages.render("complaint.officer.file", "id", what=what))
    return "\n".join(lines)


def relay_addresses(session: Session, complaint: Complaint, office: Office) -> list[str]:
    """Where the complainant's follow-ups go: the officer who claimed the complaint, else the
    office's officers' chat, else every complaint officer's own chat."""
    if complaint.claimed_by_id is not None:
        officer = session.get(StaffUser, complaint.claimed_by_id)
        if officer is not None and officer.active and officer.chat:
            return [officer.chat]
    if office.officers_chat:
        return [office.officers_chat]
    return _staff_addresses(session, office, roles=[Role.COMPLAINT_OFFICER])


def rate(
    *, session: Session, complaint: Complaint, score: int, comment: str, now: datetime
) -> Complaint:
    """The IKM scale: 1 tidak baik, 2 kurang baik, 3 baik, 4 sangat baik."""
    if complaint.status != Status.CLOSED:
        raise Conflict("complaint.error.not_closed", number=complaint.number)
    if score not in (1, 2, 3, 4):
        raise InvalidInput("complaint.error.rating")
    complaint.rating = score
    complaint.rating_comment = comment.strip()[:500] or None
    session.add(
        ComplaintEvent(complaint_id=complaint.id or 0, at=now, kind="rated", text=str(score))
    )
    session.flush()
    return complaint


def inbox(
    *,
    session: Session,
    staff: StaffUser,
    now: datetime,
    include_answered: bool = False,
    statuses: Iterable[Status] | None = None,
    category: str | None = None,
    channel: str | None = None,
    limit: int = 500,
) -> list[Complaint]:
    """The office's complaints, the nearest deadline first; the list is a read of each.

    Open ones by default (and answered ones with ``include_answered``); ``statuses`` names
    the statuses wanted instead, closed ones included."""
    require_role(staff, HANDLERS)
    if statuses is None:
        statuses = [Status.OPEN, Status.ANSWERED] if include_answered else [Status.OPEN]
    query = readable(staff).where(col(Complaint.status).in_([str(s) for s in statuses]))
    if category:
        query = query.where(Complaint.category == category)
    if channel:
        query = query.where(Complaint.channel == channel)
    query = query.order_by(col(Complaint.due_at), col(Complaint.id)).limit(limit)
    found = list(session.exec(query).all())
    record_reads(session=session, staff=staff, complaints=found, now=now, how="list")
    return found


def record_reads(
    *, session: Session, staff: StaffUser, complaints: Iterable[Complaint], now: datetime, how: str
) -> None:
    """Showing staff a complaint shows a person's data (the complainant's name, to a Kabid
    even a confidential one; their own words): one audit row for each, a list's rows too."""
    for complaint in complaints:
        audit.record(
            session=session,
            staff=staff,
            action="read",
            entity="complaint",
            entity_id=complaint.id,
            now=now,
            detail=how,
        )


def events(*, session: Session, complaint_id: int) -> list[ComplaintEvent]:
    query = (
        select(ComplaintEvent)
        .where(ComplaintEvent.complaint_id == complaint_id)
        .order_by(col(ComplaintEvent.id))
    )
    return list(session.exec(query).all())


THREAD_KINDS = frozenset({"received", "message", "information", "answered", "reopened"})


@dataclass(frozen=True)
class ThreadEntry:
    """One message of a complaint's conversation, as staff read it."""

    event: ComplaintEvent
    # "complainant" (received, message, information, reopened) or "officer" (answered).
    side: str
    officer: str | None
    attachments: list[ComplaintAttachment]


def thread(*, session: Session, complaint: Complaint) -> list[ThreadEntry]:
    """The complaint's conversation in order: the complainant's words and files, the
    officers' answers (with how each was given)."""
    found = [e for e in events(session=session, complaint_id=complaint.id or 0)]
    files = attachments(session=session, complaint_id=complaint.id or 0)
    by_event: dict[int | None, list[ComplaintAttachment]] = {}
    for row in files:
        by_event.setdefault(row.event_id, []).append(row)
    names = {
        s.id: s.full_name
        for s in session.exec(
            select(StaffUser).where(col(StaffUser.id).in_({e.staff_id for e in found}))
        ).all()
    }
    return [
        ThreadEntry(
            event=e,
            side="officer" if e.kind == "answered" else "complainant",
            officer=names.get(e.staff_id) if e.kind == "answered" else None,
            attachments=by_event.get(e.id, []),
        )
        for e in found
        if e.kind in THREAD_KINDS
    ]


def attachments(*, session: Session, complaint_id: int) -> list[ComplaintAttachment]:
    query = (
        select(ComplaintAttachment)
        .where(ComplaintAttachment.complaint_id == complaint_id)
        .order_by(col(ComplaintAttachment.id))
    )
    return list(session.exec(query).all())


def visible_name(complaint: Complaint, viewer: StaffUser) -> str:
    """A confidential complainant is hidden from officers; supervisors and up may see them."""
    if complaint.confidential and viewer.role not in (Role.SUPERVISOR, Role.HEAD, Role.ADMIN):
        return messages.render("complaint.hidden_name", "id")
    return complaint.complainant_name


def visible_contact(complaint: Complaint, viewer: StaffUser) -> str:
    """The contact, under the same rule as the name: it would name the person as well."""
    if complaint.confidential and viewer.role not in (Role.SUPERVISOR, Role.HEAD, Role.ADMIN):
        return (
            messages.render("complaint.hidden_name", "id") if complaint.complainant_contact else ""
        )
    return complaint.complainant_contact


# --- The clock -----------------------------------------------------------------------------


def sweep(*, engine: Engine, now: datetime, policy: Clock, batch: int = 200) -> int:
    """Send every reminder and escalation that is due; safe to run anywhere, any number of times.

    On PostgreSQL each worker locks the rows it handles (SKIP LOCKED), so two schedulers share
    the work instead of both doing it; on SQLite the write lock taken at BEGIN serialises them.
    Either way the unique milestone key stops a second notice for the same moment: should two
    ever race past the locks, the loser's transaction fails whole and sends nothing.
    """
    handled = 0
    while True:
        with Session(engine, expire_on_commit=False) as session:
            query = (
                select(Complaint)
                .where(Complaint.status == Status.OPEN, col(Complaint.next_check_at) <= now)
                .order_by(col(Complaint.next_check_at))
                .limit(batch)
            )
            if engine.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            due = list(session.exec(query).all())
            if not due:
                return handled
            done = _milestones_done(session, [c.id or 0 for c in due])
            # One flush at commit writes every new event in a single multi-row INSERT.
            offices = {o.id: o for o in session.exec(select(Office)).all()}
            programmes = {p.id: p.code for p in session.exec(select(Programme)).all()}
            own_clocks = (
                policy
                if isinstance(policy, ClockPolicy)
                else office_settings.with_settings(session=session, rules=policy)
            )
            with session.no_autoflush:
                for complaint in due:
                    office = offices[complaint.office_id]
                    own = (
                        own_clocks
                        if isinstance(own_clocks, ClockPolicy)
                        else own_clocks.for_complaint(
                            office.code, programmes.get(complaint.programme_id)
                        )
                    )
                    handled += _fire_due_milestones(session, complaint, office, now, own, done)
                    complaint.next_check_at = _first_pending(complaint, own, done)
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                log.info("complaint sweep raced another worker; its notices stand")
                return handled
        if len(due) < batch:
            return handled


def _milestones_done(session: Session, complaint_ids: list[int]) -> set[str]:
    rows = session.exec(
        select(ComplaintEvent.milestone).where(
            col(ComplaintEvent.complaint_id).in_(complaint_ids),
            col(ComplaintEvent.milestone).is_not(None),
        )
    ).all()
    return {m for m in rows if m}


def _first_pending(complaint: Complaint, policy: ClockPolicy, done: set[str]) -> datetime | None:
    if complaint.status != Status.OPEN:
        return None
    pending = [
        m.at
        for m in milestones(complaint, policy)
        if _milestone_key(complaint, m.kind) not in done and m.at > complaint.clock_started_at
    ]
    return min(pending) if pending else None


def _fire_due_milestones(
    session: Session,
    complaint: Complaint,
    office: Office,
    now: datetime,
    policy: ClockPolicy,
    done: set[str],
) -> int:
    """Records every milestone that is due; tells people only what is still true now.

    A sweep that runs late (the server was down) finds several due at once: of the reminders
    only the last is sent, with the hours really left, and none once the deadline has passed
    (the breach message goes instead); each is recorded all the same, so none comes later."""
    fired = 0
    due_marks = [
        mark
        for mark in milestones(complaint, policy)
        if mark.at <= now
        and mark.at > complaint.clock_started_at
        and _milestone_key(complaint, mark.kind) not in done
    ]
    reminders = [m for m in due_marks if m.kind.startswith("remind-")]
    for mark in due_marks:
        key = _milestone_key(complaint, mark.kind)
        told = True
        if mark.kind.startswith("remind-"):
            told = mark is reminders[-1] and now < complaint.due_at
        session.add(
            ComplaintEvent(
                complaint_id=complaint.id or 0,
                at=now,
                kind=mark.kind,
                milestone=key,
                text="" if told else "not sent: overtaken",
            )
        )
        done.add(key)
        if told:
            _notify_milestone(session, complaint, office, mark, now, policy)
        fired += 1
    return fired


def _notify_milestone(
    session: Session,
    complaint: Complaint,
    office: Office,
    mark: Milestone,
    now: datetime,
    policy: ClockPolicy,
) -> None:
    params = _officer_params(session, complaint, office)
    if mark.kind.startswith("remind-"):
        hours = hours_left(complaint.due_at, now)
        text = messages.render("complaint.officer.reminder", "id", hours=hours, **params)
        as_template = template(
            "sigap_complaint_due", complaint.number, params["category"], hours, params["deadline"]
        )
        addresses = _officer_addresses(session, complaint, office)
    else:
        step = next(e for e in policy.escalations if e.kind == mark.kind)
        who = [messages.render(f"complaint.role.{role}", "id") for role in step.roles]
        if step.ppid:
            who.append(messages.render("complaint.role.ppid", "id"))
        to, rule = " dan ".join(who), policy.describe("id")
        text = messages.render(
            "complaint.officer.escalated_late"
            if step.after_hours
            else "complaint.officer.escalated",
            "id",
            to=to,
            rule=rule,
            late=step.after_hours,
            **params,
        )
        as_template = template(
            "sigap_complaint_escalated",
            to,
            complaint.number,
            params["category"],
            params["deadline"],
            rule,
        )
        addresses = _staff_addresses(session, office, roles=list(step.roles), ppid=step.ppid)
    for address in addresses:
        # Staff on WhatsApp silent for 24 hours get the template (bot/whatsapp/window.py).
        queue_to_address(session, address=address, text=text, now=now, extra=as_template)


# --- Who hears about it --------------------------------------------------------------------


def _staff_addresses(
    session: Session, office: Office, *, roles: Iterable[str], ppid: bool = False
) -> list[str]:
    # Remembered for the transaction: a sweep asks the same question for every complaint.
    cache: dict[tuple[int, tuple[str, ...], bool], list[str]] = session.info.setdefault(
        "staff_addresses", {}
    )
    key = (office.id or 0, tuple(sorted(roles)), ppid)
    if key not in cache:
        condition: ColumnElement[bool] = col(StaffUser.role).in_(list(key[1]))
        if ppid:
            condition = condition | col(StaffUser.ppid).is_(True)
        query = select(StaffUser.chat).where(
            StaffUser.office_id == office.id,
            col(StaffUser.active).is_(True),
            col(StaffUser.chat).is_not(None),
            condition,
        )
        cache[key] = sorted({chat for chat in session.exec(query).all() if chat})
    return cache[key]


def _officer_addresses(session: Session, complaint: Complaint, office: Office) -> list[str]:
    """The claiming officer if there is one; otherwise the officers' group and every officer."""
    if complaint.claimed_by_id is not None:
        officer = session.get(StaffUser, complaint.claimed_by_id)
        if officer is not None and officer.chat:
            return [officer.chat]
    addresses = [office.officers_chat] if office.officers_chat else []
    return addresses + _staff_addresses(session, office, roles=[Role.COMPLAINT_OFFICER])


def _officer_params(session: Session, complaint: Complaint, office: Office) -> dict[str, str]:
    person = session.get(Person, complaint.person_id) if complaint.person_id else None
    if complaint.confidential:
        who = messages.render("complaint.hidden_name", "id")
    else:
        who = complaint.complainant_name or (person.name if person else "-")
    found = find_category(complaint.category)
    return {
        "number": complaint.number,
        "category": found.label.id if found else complaint.category,
        "channel": messages.render(f"complaint.channel.{complaint.channel}", "id"),
        "who": who,
        "nik": mask_nik(person.nik) if person and not complaint.confidential else "-",
        "deadline": format_moment(complaint.due_at, office.timezone, "id"),
        "description": complaint.description[:500],
    }


def _announce_to_officers(
    session: Session,
    complaint: Complaint,
    office: Office,
    now: datetime,
    key: str = "complaint.officer.new",
    **params: str,
) -> None:
    fields = _officer_params(session, complaint, office)
    text = messages.render(key, "id", **fields, **params)
    as_template = (
        template(
            "sigap_complaint_new",
            complaint.number,
            fields["category"],
            fields["deadline"],
            fields["description"],
        )
        if key == "complaint.officer.new"
        else staff_news(complaint, text)
    )
    for address in _officer_addresses(session, complaint, office):
        queue_to_address(
            session,
            address=address,
            text=text,
            now=now,
            extra={**alert_extra(complaint, [Action.CLAIM], "id"), **as_template},
        )


def staff_news(complaint: Complaint, text: str) -> dict[str, Any]:
    """The template a message to staff about ``complaint`` goes as after their silence: the
    message itself, in one paragraph."""
    return template("sigap_complaint_staff_news", complaint.number, text)


def alert_extra(complaint: Complaint, actions: Iterable[Action], lang: str) -> dict[str, Any]:
    """What an outbox row about ``complaint`` carries: its number (a reply to the message is
    about it) and the actions its reader may take, which the bot renders as its own buttons."""
    return {"complaint": complaint.number, "actions": [str(a) for a in actions], "lang": lang}


def _tell_complainant(
    session: Session,
    complaint: Complaint,
    key: str,
    now: datetime,
    actions: Iterable[Action] = (),
    as_template: dict[str, Any] | None = None,
    **params: object,
) -> None:
    """In the complainant's language; ``as_template``: what it goes as where the complainant's
    platform takes only templates after a silence (services.outbox.template)."""
    if complaint.conversation_id is None:
        return
    conversation = session.get(Conversation, complaint.conversation_id)
    lang = conversation.language if conversation else "id"
    queue(
        session,
        conversation_id=complaint.conversation_id,
        text=messages.render(key, lang, **params),
        now=now,
        extra={**alert_extra(complaint, actions, lang), **(as_template or {})},
    )
