"""One-time link codes: the office hands one out, the chat that sends it back is linked.

A code links a chat to a person (who then sees their proposals there), makes it a staff
member's own chat (reminders and escalations go there) or an office's officers' chat (new
complaints are announced there).

The form: 15 digits read in three groups of five, ``48213 90577 12406``. Fourteen are random
(46.5 bits, above the 40 asked for) and the last is a Damm check digit, which catches every
single mistyped digit and every swap of two neighbours. Digits, because they are typed on any
phone's number pad, are read aloud without ambiguity in Bahasa Indonesia (letters are not:
*be*, *de*, *pe*, *te*, *ve* sound alike), and Indonesians already type long digit groups
(PLN tokens, virtual account numbers). Fifteen, because sixteen digits is a NIK and fourteen
or fewer could be an Indonesian phone number with its country code.

Only a keyed hash (HMAC-SHA256 under ``SECRET_KEY``) is stored: 46 bits are few enough to try
every code against a plain hash of a leaked table, not against a key the database never held.
Codes are single use, expire, and a new code for the same target replaces the older one. A
wrong code counts as a failed attempt of the chat; a used, replaced or expired one also of
the person it was for (:mod:`services.attempts`), and the answer is the same for all three,
so it never tells whether a code once existed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from core.settings import Settings
from models import Complaint, Conversation, LinkCode, Office, Person, StaffUser
from services import attempts, audit, chat_links
from services.complaints import follow_in_chat
from services.errors import InvalidInput, NotFound
from services.roles import CASE_WRITERS, DECIDERS
from services.staff import require_office, require_role

RANDOM_DIGITS = 14
LENGTH = RANDOM_DIGITS + 1
# What people put between the groups when they type or paste a code.
_SEPARATORS = re.compile(r"[\s.\-_/]+")

# Damm's quasigroup of order 10 (weakly totally anti-symmetric): the check digit makes the
# running interim digit 0.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)


class Kind(StrEnum):
    PERSON = "person"
    STAFF = "staff"
    OFFICERS = "officers"
    # The chat follows one complaint: an offline complaint's receipt carries this code.
    COMPLAINT = "complaint"


def _damm(digits: str) -> int:
    interim = 0
    for digit in digits:
        interim = _DAMM[interim][int(digit)]
    return interim


def new_code() -> str:
    """Fifteen digits: fourteen from the system's secure random source and a check digit."""
    body = f"{secrets.randbelow(10**RANDOM_DIGITS):0{RANDOM_DIGITS}d}"
    return body + str(_damm(body))


def display(code: str) -> str:
    """``482139057712406`` as people read it: ``48213 90577 12406``."""
    return " ".join(code[i : i + 5] for i in range(0, len(code), 5))


def parse(text: str) -> str | None:
    """The code's fifteen digits when ``text`` has the shape of a code (any separators),
    whether or not its check digit is right; None when it is something else."""
    compact = _SEPARATORS.sub("", text)
    if len(compact) == LENGTH and compact.isascii() and compact.isdigit():
        return compact
    return None


def well_formed(code: str) -> bool:
    return len(code) == LENGTH and _damm(code) == 0


def _hash(code: str, secret: str) -> str:
    return hmac.new(secret.encode(), f"sigap-link:{code}".encode(), hashlib.sha256).hexdigest()


def lifetime(kind: Kind, settings: Settings) -> timedelta:
    """A person's code waits on a printed receipt; a staff member's is used by who asked."""
    if kind in (Kind.PERSON, Kind.COMPLAINT):
        return timedelta(days=settings.link_code_person_days)
    return timedelta(hours=settings.link_code_staff_hours)


@dataclass(frozen=True)
class Issued:
    code: str  # the fifteen digits; show it with display()
    expires_at: datetime
    link: LinkCode


def issue(
    *,
    session: Session,
    kind: Kind,
    office: Office,
    now: datetime,
    valid_for: timedelta,
    secret: str,
    issued_by: str,
    person: Person | None = None,
    staff: StaffUser | None = None,
    issuer: StaffUser | None = None,
    complaint: Complaint | None = None,
) -> Issued:
    """A new code for ``person`` (kind person), ``staff`` (kind staff) or the office's
    officers' chat (kind officers); an older unused code for the same target stops working.

    ``issued_by`` names who asked ("cli", "staff:3"); ``issuer`` is that staff member, if one.
    """
    if kind == Kind.PERSON:
        fits = person is not None and staff is None and person.office_id == office.id
    elif kind == Kind.STAFF:
        fits = staff is not None and person is None and staff.office_id == office.id
    elif kind == Kind.COMPLAINT:
        fits = (
            complaint is not None
            and person is None
            and staff is None
            and complaint.office_id == office.id
        )
    else:
        fits = person is None and staff is None and complaint is None
    if not fits:
        raise InvalidInput("error.link_code_target")
    same_target: list[ColumnElement[bool]] = [
        col(LinkCode.kind) == kind,
        col(LinkCode.office_id) == office.id,
        col(LinkCode.used_at).is_(None),
        col(LinkCode.revoked_at).is_(None),
    ]
    if person is not None:
        same_target.append(col(LinkCode.person_id) == person.id)
    if staff is not None:
        same_target.append(col(LinkCode.staff_id) == staff.id)
    if complaint is not None:
        same_target.append(col(LinkCode.complaint_id) == complaint.id)
    for older in session.exec(select(LinkCode).where(*same_target)).all():
        older.revoked_at = now
        session.add(older)
    while True:
        code = new_code()
        code_hash = _hash(code, secret)
        # 10^14 codes: a clash is all but impossible, and costs one more draw.
        clash = session.exec(select(LinkCode.id).where(LinkCode.code_hash == code_hash)).first()
        if clash is None:
            break
    link = LinkCode(
        code_hash=code_hash,
        kind=kind,
        office_id=office.id or 0,
        person_id=person.id if person else None,
        staff_id=staff.id if staff else None,
        complaint_id=complaint.id if complaint else None,
        created_at=now,
        expires_at=now + valid_for,
        issued_by=issued_by[:80],
    )
    session.add(link)
    session.flush()
    _audit(
        session,
        link,
        action="link_code",
        now=now,
        issuer=issuer,
        actor="" if issuer else issued_by,
        detail=f"link code {link.id} issued, valid until {link.expires_at.isoformat()}",
    )
    return Issued(code=code, expires_at=link.expires_at, link=link)


def issue_by_staff(
    *,
    session: Session,
    staff: StaffUser,
    kind: Kind,
    now: datetime,
    settings: Settings,
    person_id: int | None = None,
) -> Issued:
    """A code from the staff pages: for a person of the staff member's office (operators and
    up, with the person before them), for the office's officers' chat (the Kabid and up), or
    for the staff member's own chat (anyone, for themselves)."""
    office = session.get_one(Office, staff.office_id)
    person = None
    if kind == Kind.PERSON:
        require_role(staff, CASE_WRITERS)
        person = session.get(Person, person_id) if person_id is not None else None
        if person is None:
            raise NotFound("error.not_found", what="Person")
        require_office(staff, person.office_id, what="Person")
    elif kind == Kind.OFFICERS:
        require_role(staff, DECIDERS)
    return issue(
        session=session,
        kind=kind,
        office=office,
        person=person,
        staff=staff if kind == Kind.STAFF else None,
        now=now,
        valid_for=lifetime(kind, settings),
        secret=settings.secret_key.get_secret_value(),
        issued_by=f"staff:{staff.id}",
        issuer=staff,
    )


def _audit(
    session: Session,
    link: LinkCode,
    *,
    action: str,
    now: datetime,
    actor: str,
    detail: str,
    issuer: StaffUser | None = None,
) -> None:
    """Issuing and using a code are recorded against what the code is for."""
    if link.person_id is not None:
        entity, entity_id = "person", link.person_id
    elif link.complaint_id is not None:
        entity, entity_id = "complaint", link.complaint_id
    elif link.staff_id is not None:
        entity, entity_id = "staff_user", link.staff_id
    else:
        entity, entity_id = "office", link.office_id
    audit.record(
        session=session,
        action=action,
        entity=entity,
        entity_id=entity_id,
        now=now,
        staff=issuer,
        actor=actor,
        detail=detail,
    )


@dataclass(frozen=True)
class Linked:
    """What the chat has become."""

    kind: Kind
    office: Office
    person: Person | None = None
    staff: StaffUser | None = None
    complaint: Complaint | None = None


@dataclass(frozen=True)
class Refused:
    # invalid: wrong, used, replaced or expired (counted); malformed: the check digit is
    # wrong, a typo (not counted: a guesser computes check digits anyway); locked: too many
    # failures of the chat or of the person; shared: a person's or a staff member's code sent
    # in a group or an officers' chat, where others would read what follows.
    reason: Literal["invalid", "malformed", "locked", "shared"]
    until: datetime | None = None
    left: int = 0


def redeem(
    *,
    session: Session,
    conversation: Conversation,
    code: str,
    shared: bool,
    now: datetime,
    secret: str,
    limit: int,
) -> Linked | Refused:
    """Link ``conversation`` by ``code`` (its fifteen digits), or say why not.

    ``shared``: the chat is a group or an office's officers' chat. ``limit``: failures per
    hour, of a chat and of a person, before they are locked."""
    conversation_id = conversation.id or 0
    until = attempts.chat_locked_until(
        session=session, conversation_id=conversation_id, now=now, limit=limit
    )
    if until is not None:
        return Refused("locked", until=until)
    if not well_formed(code):
        return Refused("malformed")
    link = session.exec(select(LinkCode).where(LinkCode.code_hash == _hash(code, secret))).first()
    address = f"{conversation.channel}:{conversation.chat_id}"
    if link is not None and _holds(session, link, conversation, address):
        # The same code again from the chat it linked (a deep link opened twice): no change.
        return _linked(session, link)
    if link is None or link.used_at or link.revoked_at or link.expires_at <= now:
        return _failed(
            session,
            conversation_id=conversation_id,
            person_id=link.person_id if link else None,
            now=now,
            limit=limit,
        )
    if link.person_id is not None:
        until = attempts.person_locked_until(
            session=session, person_id=link.person_id, now=now, limit=limit
        )
        if until is not None:
            return Refused("locked", until=until)
    if shared and link.kind != Kind.OFFICERS:
        return Refused("shared")
    link.used_at = now
    link.used_by = address[:101]
    session.add(link)
    linked = _linked(session, link)
    if linked.person is not None:
        chat_links.link(
            session=session, conversation=conversation, person=linked.person, now=now, how="code"
        )
        return linked
    if linked.complaint is not None:
        follow_in_chat(
            session=session, complaint=linked.complaint, conversation_id=conversation_id, now=now
        )
    else:
        _make_staff_or_officers_chat(session, linked, address)
    attempts.record(
        session=session, conversation_id=conversation_id, now=now, succeeded=True, method="code"
    )
    _audit(
        session,
        link,
        action="link",
        now=now,
        actor=f"chat:{address}"[:80],
        detail=f"chat linked by link code {link.id}",
    )
    return linked


def _failed(
    session: Session, *, conversation_id: int, person_id: int | None, now: datetime, limit: int
) -> Refused:
    until, left = attempts.fail(
        session=session,
        conversation_id=conversation_id,
        now=now,
        limit=limit,
        method="code",
        person_id=person_id,
    )
    return Refused("locked", until=until) if until else Refused("invalid", left=left)


def _linked(session: Session, link: LinkCode) -> Linked:
    office = session.get_one(Office, link.office_id)
    person = session.get(Person, link.person_id) if link.person_id else None
    staff = session.get(StaffUser, link.staff_id) if link.staff_id else None
    complaint = session.get(Complaint, link.complaint_id) if link.complaint_id else None
    return Linked(
        kind=Kind(link.kind), office=office, person=person, staff=staff, complaint=complaint
    )


def _holds(session: Session, link: LinkCode, conversation: Conversation, address: str) -> bool:
    """Whether the code was used by this chat and the chat is still what it made it."""
    if link.used_by != address:
        return False
    if link.kind == Kind.PERSON:
        return link.person_id is not None and conversation.person_id == link.person_id
    if link.kind == Kind.STAFF:
        staff = session.get(StaffUser, link.staff_id) if link.staff_id else None
        return staff is not None and staff.chat == address
    if link.kind == Kind.COMPLAINT:
        complaint = session.get(Complaint, link.complaint_id) if link.complaint_id else None
        return complaint is not None and complaint.conversation_id == conversation.id
    return session.get_one(Office, link.office_id).officers_chat == address


def _make_staff_or_officers_chat(session: Session, linked: Linked, address: str) -> None:
    if linked.staff is not None:
        # A chat is one person's: whoever had it before no longer gets alerts there.
        for other in session.exec(select(StaffUser).where(StaffUser.chat == address)).all():
            other.chat = None
            session.add(other)
        linked.staff.chat = address
        session.add(linked.staff)
        return
    for office in session.exec(select(Office).where(Office.officers_chat == address)).all():
        office.officers_chat = None
        session.add(office)
    linked.office.officers_chat = address
    session.add(linked.office)
