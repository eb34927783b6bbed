"""Complaints (pengaduan) and the promise of an answer within 2×24 hours.

The clock: ``due_at = clock_started_at + response_hours`` in calendar hours, as the Buton
Tengah SOP states it ("paling lama 2x24 jam"). Before the deadline the officers are reminded;
at the deadline the supervisor (Kabid) is told; later the head (Kadis) and the PPID officer.
Each of those is a *milestone*, written once per clock cycle under a unique key, so a sweep
that runs twice, or on two workers at once, still tells everyone exactly once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

import messages
from core.settings import Settings
from models import Complaint, ComplaintEvent, Conversation, Office, Person, Programme, StaffUser
from services import audit
from services.catalogue import ComplaintCategory, find_category, load_complaint_categories
from services.errors import Conflict, InvalidInput, NotFound
from services.nik import mask_nik
from services.numbering import insert_numbered, normalise_number
from services.outbox import queue, queue_to_address
from services.roles import Role
from services.staff import require_office, require_role
from services.timefmt import format_moment

log = logging.getLogger(__name__)
MAX_TEXT = 2000
OFFLINE_CHANNELS = frozenset({"book", "walk_in", "phone", "email", "lapor", "box"})
HANDLERS = frozenset({Role.COMPLAINT_OFFICER, Role.SUPERVISOR, Role.HEAD, Role.ADMIN})
RECORDERS = frozenset({Role.OPERATOR, *HANDLERS})


class Status(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


@dataclass(frozen=True)
class ClockPolicy:
    """How complaints are handled: their clock, and the categories one may be filed under."""

    response_hours: int = 48
    reminder_hours: tuple[int, ...] = (24, 4)
    head_after_hours: int = 24
    reopen_days: int = 7
    categories: tuple[ComplaintCategory, ...] = field(default_factory=load_complaint_categories)


def clock_policy(settings: Settings) -> ClockPolicy:
    """The office's complaint clock as the settings describe it, with the categories of the
    catalogue in CATALOGUE_DIR."""
    return ClockPolicy(
        response_hours=settings.complaint_response_hours,
        reminder_hours=tuple(settings.complaint_reminder_hours),
        head_after_hours=settings.complaint_head_escalation_hours,
        reopen_days=settings.complaint_reopen_days,
        categories=load_complaint_categories(settings.catalogue_dir),
    )


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


def milestones(complaint: Complaint, policy: ClockPolicy) -> list[Milestone]:
    due = complaint.due_at
    marks = [Milestone(f"remind-{h}", due - timedelta(hours=h)) for h in policy.reminder_hours]
    marks.append(Milestone("escalate-supervisor", due))
    marks.append(Milestone("escalate-head", due + timedelta(hours=policy.head_after_hours)))
    return sorted(marks, key=lambda m: m.at)


def _milestone_key(complaint: Complaint, kind: str) -> str:
    return f"{complaint.id}:{complaint.cycle}:{kind}"


def _next_check(session: Session, complaint: Complaint, policy: ClockPolicy) -> datetime | None:
    return _first_pending(complaint, policy, _milestones_done(session, [complaint.id or 0]))


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
    policy: ClockPolicy,
    recorded_by: StaffUser | None = None,
) -> Complaint:
    if find_category(policy.categories, data.category) is None:
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
    if data.programme_id is not None:
        programme = session.get(Programme, data.programme_id)
        if programme is None or programme.office_id != office.id:
            raise InvalidInput("complaint.error.programme")
    complaint = insert_numbered(
        session,
        Complaint(
            number="",
            office_id=office.id or 0,
            programme_id=data.programme_id,
            category=data.category,
            channel=data.channel,
            lapor_tracking=(data.lapor_tracking or "").strip() or None,
            description=_clean_text(data.description, what="description"),
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
            due_at=now + timedelta(hours=policy.response_hours),
            recorded_by_id=recorded_by.id if recorded_by else None,
        ),
        prefix=f"ADU-{now.year}-",
        width=5,
    )
    session.add(
        ComplaintEvent(
            complaint_id=complaint.id or 0,
            at=now,
            kind="received",
            staff_id=recorded_by.id if recorded_by else None,
            text=complaint.description,
        )
    )
    complaint.next_check_at = _next_check(session, complaint, policy)
    _announce_to_officers(session, complaint, office, now, policy)
    session.flush()
    return complaint


def record_offline(
    *,
    session: Session,
    staff: StaffUser,
    data: NewComplaint,
    now: datetime,
    policy: ClockPolicy,
) -> Complaint:
    """A complaint from the book, a walk-in, the phone, e-mail or SP4N-LAPOR!."""
    require_role(staff, RECORDERS)
    require_office(staff, data.office_id, what="Office")
    if data.channel not in OFFLINE_CHANNELS:
        raise InvalidInput("complaint.error.channel", channel=data.channel)
    return file_complaint(session=session, data=data, now=now, policy=policy, recorded_by=staff)


def get_complaint(*, session: Session, complaint_id: int) -> Complaint:
    complaint = session.get(Complaint, complaint_id)
    if complaint is None:
        raise NotFound("error.not_found", what="Complaint")
    return complaint


def complaint_by_number(*, session: Session, number: str) -> Complaint | None:
    cleaned = normalise_number(number)
    return session.exec(select(Complaint).where(Complaint.number == cleaned)).first()


def _for_staff(session: Session, staff: StaffUser, complaint_id: int) -> Complaint:
    require_role(staff, HANDLERS)
    complaint = get_complaint(session=session, complaint_id=complaint_id)
    require_office(staff, complaint.office_id, what="Complaint")
    return complaint


def claim(*, session: Session, staff: StaffUser, complaint_id: int, now: datetime) -> Complaint:
    complaint = _for_staff(session, staff, complaint_id)
    if complaint.status == Status.CLOSED:
        raise Conflict("complaint.error.closed", number=complaint.number)
    if complaint.claimed_by_id not in (None, staff.id):
        holder = session.get(StaffUser, complaint.claimed_by_id)
        raise Conflict(
            "complaint.error.claimed",
            number=complaint.number,
            name=holder.full_name if holder else "?",
        )
    complaint.claimed_by_id = staff.id
    complaint.claimed_at = now
    session.add(
        ComplaintEvent(complaint_id=complaint.id or 0, at=now, kind="claimed", staff_id=staff.id)
    )
    session.flush()
    return complaint


def answer(
    *,
    session: Session,
    staff: StaffUser,
    complaint_id: int,
    text: str,
    now: datetime,
) -> Complaint:
    """The officer's answer reaches the complainant's chat and stops the clock."""
    complaint = _for_staff(session, staff, complaint_id)
    if complaint.status == Status.CLOSED:
        raise Conflict("complaint.error.closed", number=complaint.number)
    body = _clean_text(text, what="answer")
    if complaint.claimed_by_id is None:
        complaint.claimed_by_id, complaint.claimed_at = staff.id, now
    if complaint.first_response_at is None:
        complaint.first_response_at = now
    complaint.status = Status.ANSWERED
    complaint.answered_at = now
    complaint.next_check_at = None
    session.add(
        ComplaintEvent(
            complaint_id=complaint.id or 0, at=now, kind="answered", staff_id=staff.id, text=body
        )
    )
    _tell_complainant(
        session,
        complaint,
        "complaint.answer_to_complainant",
        now,
        buttons=[
            [{"label": "complaint.button.settled", "value": f"selesai {complaint.number}"}],
            [{"label": "complaint.button.reopen", "value": f"buka {complaint.number}"}],
        ],
        answer=body,
        number=complaint.number,
    )
    session.flush()
    return complaint


def add_information(
    *, session: Session, complaint: Complaint, text: str, now: datetime
) -> Complaint:
    """More detail from the complainant; it never restarts or stops the clock."""
    if complaint.status == Status.CLOSED:
        raise Conflict("complaint.error.closed", number=complaint.number)
    body = _clean_text(text, what="information")
    session.add(
        ComplaintEvent(complaint_id=complaint.id or 0, at=now, kind="information", text=body)
    )
    office = session.get(Office, complaint.office_id)
    assert office is not None
    for address in _officer_addresses(session, complaint, office):
        queue_to_address(
            session,
            address=address,
            text=messages.render(
                "complaint.officer.information", "id", number=complaint.number, text=body
            ),
            now=now,
            # A reply to this notice answers the complaint, as a reply to the first one does.
            extra={"complaint": complaint.number},
        )
    session.flush()
    return complaint


def settle(*, session: Session, complaint: Complaint, now: datetime) -> Complaint:
    if complaint.status != Status.ANSWERED:
        raise Conflict("complaint.error.not_answered", number=complaint.number)
    complaint.status = Status.CLOSED
    complaint.closed_at = now
    session.add(ComplaintEvent(complaint_id=complaint.id or 0, at=now, kind="settled"))
    session.flush()
    return complaint


def reopen(
    *, session: Session, complaint: Complaint, reason: str, now: datetime, policy: ClockPolicy
) -> Complaint:
    """Only an answered or settled complaint, within the reopen window; a new clock starts."""
    if complaint.status == Status.OPEN or complaint.answered_at is None:
        raise Conflict("complaint.error.still_open", number=complaint.number)
    if now > complaint.answered_at + timedelta(days=policy.reopen_days):
        raise Conflict(
            "complaint.error.reopen_window", number=complaint.number, days=policy.reopen_days
        )
    body = _clean_text(reason, what="reason")
    complaint.status = Status.OPEN
    complaint.cycle += 1
    complaint.clock_started_at = now
    complaint.due_at = now + timedelta(hours=policy.response_hours)
    complaint.answered_at = None
    complaint.closed_at = None
    complaint.rating = None
    complaint.rating_comment = None
    session.add(ComplaintEvent(complaint_id=complaint.id or 0, at=now, kind="reopened", text=body))
    session.flush()
    complaint.next_check_at = _next_check(session, complaint, policy)
    office = session.get(Office, complaint.office_id)
    assert office is not None
    _announce_to_officers(session, complaint, office, now, policy, key="complaint.officer.reopened")
    session.flush()
    return complaint


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
    *, session: Session, staff: StaffUser, now: datetime, include_answered: bool = False
) -> list[Complaint]:
    """The office's complaints, the nearest deadline first; the list is a read of each."""
    require_role(staff, HANDLERS)
    statuses = [Status.OPEN, Status.ANSWERED] if include_answered else [Status.OPEN]
    query = (
        select(Complaint)
        .where(Complaint.office_id == staff.office_id, col(Complaint.status).in_(statuses))
        .order_by(col(Complaint.due_at), col(Complaint.id))
    )
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


def visible_name(complaint: Complaint, viewer: StaffUser) -> str:
    """A confidential complainant is hidden from officers; supervisors and up may see them."""
    if complaint.confidential and viewer.role not in (Role.SUPERVISOR, Role.HEAD, Role.ADMIN):
        return messages.render("complaint.hidden_name", "id")
    return complaint.complainant_name


# --- The clock -----------------------------------------------------------------------------


def sweep(*, engine: Engine, now: datetime, policy: ClockPolicy, batch: int = 200) -> int:
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
            with session.no_autoflush:
                for complaint in due:
                    office = offices[complaint.office_id]
                    handled += _fire_due_milestones(session, complaint, office, now, policy, done)
                    complaint.next_check_at = _first_pending(complaint, policy, done)
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
    fired = 0
    for mark in milestones(complaint, policy):
        key = _milestone_key(complaint, mark.kind)
        if mark.at > now or mark.at <= complaint.clock_started_at or key in done:
            continue
        session.add(
            ComplaintEvent(complaint_id=complaint.id or 0, at=now, kind=mark.kind, milestone=key)
        )
        done.add(key)
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
    params = _officer_params(session, complaint, office, policy)
    if mark.kind.startswith("remind-"):
        hours = mark.kind.removeprefix("remind-")
        text = messages.render("complaint.officer.reminder", "id", hours=hours, **params)
        addresses = _officer_addresses(session, complaint, office)
    elif mark.kind == "escalate-supervisor":
        text = messages.render("complaint.officer.escalated_supervisor", "id", **params)
        addresses = _staff_addresses(session, office, roles=[Role.SUPERVISOR])
    else:
        text = messages.render("complaint.officer.escalated_head", "id", **params)
        addresses = _staff_addresses(session, office, roles=[Role.HEAD], ppid=True)
    for address in addresses:
        queue_to_address(session, address=address, text=text, now=now)


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


def _officer_params(
    session: Session, complaint: Complaint, office: Office, policy: ClockPolicy
) -> dict[str, str]:
    person = session.get(Person, complaint.person_id) if complaint.person_id else None
    if complaint.confidential:
        who = messages.render("complaint.hidden_name", "id")
    else:
        who = complaint.complainant_name or (person.name if person else "-")
    found = find_category(policy.categories, complaint.category)
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
    policy: ClockPolicy,
    key: str = "complaint.officer.new",
) -> None:
    text = messages.render(key, "id", **_officer_params(session, complaint, office, policy))
    buttons = [[{"label": messages.render("complaint.officer.claim_button", "id"),
                 "value": f"klaim {complaint.number}"}]]  # fmt: skip
    for address in _officer_addresses(session, complaint, office):
        queue_to_address(
            session,
            address=address,
            text=text,
            now=now,
            buttons=buttons,
            extra={"complaint": complaint.number},
        )


def _tell_complainant(
    session: Session,
    complaint: Complaint,
    key: str,
    now: datetime,
    buttons: list[list[dict[str, str]]] | None = None,
    **params: object,
) -> None:
    """In the complainant's language; button labels are message keys rendered here too."""
    if complaint.conversation_id is None:
        return
    conversation = session.get(Conversation, complaint.conversation_id)
    lang = conversation.language if conversation else "id"
    queue(
        session,
        conversation_id=complaint.conversation_id,
        text=messages.render(key, lang, **params),
        now=now,
        buttons=[
            [{"label": messages.render(b["label"], lang), "value": b["value"]} for b in row]
            for row in buttons or []
        ],
        extra={"complaint": complaint.number},
    )
