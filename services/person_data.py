"""A person's data on their request (UU PDP 27/2022): all of it exported, or erased.

Erasure pseudonymises: what names the person (name, NIK, No. KK, phone, address, birth date
and place) is replaced or removed, their chats are unlinked and what they wrote in complaints
is blanked, with the raw messages of their chats. The person's row, their proposals and
complaints with their histories, and the audit trail stay, so the office's counts and reports
still add up and the erasure itself can be shown to have happened.

Both are for the office's head and admin (or the command line), and both are audited.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import update
from sqlmodel import Session, col, select

from models import (
    BeneficiaryGroup,
    Complaint,
    ComplaintEvent,
    Conversation,
    GroupMember,
    InboundMessage,
    LinkCode,
    Notice,
    NoticeRecipient,
    OutboxMessage,
    Person,
    Programme,
    Proposal,
    ProposalEvent,
    StaffUser,
)
from services import audit
from services.errors import Conflict, NotFound
from services.nik import mask_nik
from services.outbox import forget_template_params
from services.persons import search_persons
from services.retention import FINISHED_OUTBOX, HANDLED_INBOUND
from services.roles import PRIVACY_OFFICERS
from services.staff import require_office, require_role

Format = Literal["json", "csv"]
FORMATS: tuple[Format, ...] = ("json", "csv")
# What the complainant wrote (the received text, added information, the reason to reopen);
# staff answers and the clock's milestones stay.
COMPLAINANT_EVENTS = ("received", "information", "reopened")


# --- who may, and whom ---------------------------------------------------------------------


def person_for_staff(*, session: Session, staff: StaffUser, person_id: int) -> Person:
    """A person of the staff member's office, for its head or admin; another office's is 404."""
    require_role(staff, PRIVACY_OFFICERS)
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("error.not_found", what="Person")
    require_office(staff, person.office_id, what="Person")
    return person


def find_for_staff(*, session: Session, staff: StaffUser, nik: str) -> Person:
    """The person with this exact NIK at the staff member's office (an empty NIK finds none)."""
    require_role(staff, PRIVACY_OFFICERS)
    found = (
        search_persons(session=session, office_id=staff.office_id, nik=nik, limit=1)
        if nik.strip()
        else []
    )
    if not found:
        raise NotFound("privacy.person.not_found")
    return found[0]


def by_nik(*, session: Session, nik: str) -> Person:
    """For the command line, which speaks for every office."""
    found = session.exec(select(Person).where(Person.nik == "".join(nik.split()))).first()
    if found is None:
        raise NotFound("privacy.person.not_found")
    return found


# --- what is held about a person ------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    proposals: int
    open_proposals: int
    complaints: int
    open_complaints: int
    chats: int


def _proposals(session: Session, person: Person) -> list[tuple[Proposal, str]]:
    """Their own proposals, and those of the groups they belong to, with how they are in it."""
    group_ids = select(GroupMember.group_id).where(GroupMember.person_id == person.id)
    rows = session.exec(
        select(Proposal)
        .where(
            (col(Proposal.applicant_person_id) == person.id)
            | col(Proposal.applicant_group_id).in_(group_ids)
        )
        .order_by(col(Proposal.id))
    ).all()
    return [(p, "applicant" if p.applicant_person_id == person.id else "group") for p in rows]


def _complaints(session: Session, person: Person) -> list[Complaint]:
    query = select(Complaint).where(Complaint.person_id == person.id).order_by(col(Complaint.id))
    return list(session.exec(query).all())


def _chats(session: Session, person: Person) -> list[Conversation]:
    query = (
        select(Conversation)
        .where(Conversation.person_id == person.id)
        .order_by(col(Conversation.id))
    )
    return list(session.exec(query).all())


def summary(*, session: Session, person: Person) -> Summary:
    proposals = [p for p, _ in _proposals(session, person)]
    complaints = _complaints(session, person)
    return Summary(
        proposals=len(proposals),
        open_proposals=sum(p.status == "in_progress" for p in proposals),
        complaints=len(complaints),
        open_complaints=sum(c.status != "closed" for c in complaints),
        chats=len(_chats(session, person)),
    )


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def collect(*, session: Session, person: Person, now: datetime) -> dict[str, Any]:
    """Everything Sigap holds about the person, as plain data (what the export writes)."""
    household = (
        session.exec(
            select(Person)
            .where(Person.kk_number == person.kk_number, Person.id != person.id)
            .order_by(col(Person.id))
        ).all()
        if person.kk_number
        else []
    )
    memberships = session.exec(
        select(BeneficiaryGroup, GroupMember)
        .join(GroupMember, col(GroupMember.group_id) == BeneficiaryGroup.id)
        .where(GroupMember.person_id == person.id)
        .order_by(col(GroupMember.id))
    ).all()
    programmes = {p.id: p.name for p in session.exec(select(Programme)).all()}
    complaints = _complaints(session, person)
    chats = _chats(session, person)
    delivered = session.exec(
        select(NoticeRecipient, Notice)
        .join(Notice, col(Notice.id) == NoticeRecipient.notice_id)
        .where(NoticeRecipient.person_id == person.id)
        .order_by(col(NoticeRecipient.created_at), col(NoticeRecipient.id))
    ).all()
    return {
        "exported_at": now.isoformat(),
        "person": {
            "nik": person.nik,
            "kk_number": person.kk_number,
            "name": person.name,
            "birth_place": person.birth_place,
            "birth_date": _when(person.birth_date),
            "sex": person.sex,
            "marital_status": person.marital_status,
            "education": person.education,
            "occupation": person.occupation,
            "address": person.address,
            "desa": person.desa,
            "kecamatan": person.kecamatan,
            "phone": person.phone,
            "registries": person.registries,
            "head_of_family": person.head_of_family,
            "spouse_name": person.spouse_name,
            "household_members": person.household_members,
            "dtks_id": person.dtks_id,
            "kks_number": person.kks_number,
            "registered_at": _when(person.created_at),
            "updated_at": _when(person.updated_at),
            "erased_at": _when(person.erased_at),
        },
        # Others on the same Kartu Keluarga are persons in their own right: named, NIK masked.
        "household": [{"name": p.name, "nik": mask_nik(p.nik)} for p in household],
        "groups": [{"name": g.name, "kind": g.kind, "role": m.role} for g, m in memberships],
        "proposals": [
            {
                "number": p.number,
                "programme": programmes.get(p.programme_id, ""),
                "as": how,
                "status": p.status,
                "step": p.step_position,
                "submitted_at": _when(p.submitted_at),
                "closed_at": _when(p.closed_at),
                "rejection_reason": p.rejection_reason,
                "history": [
                    {
                        "at": _when(e.at),
                        "action": e.action,
                        "from_step": e.from_position,
                        "to_step": e.to_position,
                        "note": e.note,
                    }
                    for e in session.exec(
                        select(ProposalEvent)
                        .where(ProposalEvent.proposal_id == p.id)
                        .order_by(col(ProposalEvent.at), col(ProposalEvent.id))
                    ).all()
                ],
            }
            for p, how in _proposals(session, person)
        ],
        "complaints": [
            {
                "number": c.number,
                "category": c.category,
                "channel": c.channel,
                "status": c.status,
                "received_at": _when(c.received_at),
                "due_at": _when(c.due_at),
                "answered_at": _when(c.answered_at),
                "closed_at": _when(c.closed_at),
                "description": c.description,
                "photo": c.photo_ref,
                "location": (
                    {"latitude": c.latitude, "longitude": c.longitude}
                    if c.latitude is not None and c.longitude is not None
                    else None
                ),
                "confidential": c.confidential,
                "complainant_name": c.complainant_name,
                "complainant_contact": c.complainant_contact,
                "rating": c.rating,
                "rating_comment": c.rating_comment,
                "events": [
                    {"at": _when(e.at), "kind": e.kind, "text": e.text}
                    for e in session.exec(
                        select(ComplaintEvent)
                        .where(ComplaintEvent.complaint_id == c.id)
                        .order_by(col(ComplaintEvent.at), col(ComplaintEvent.id))
                    ).all()
                ],
            }
            for c in complaints
        ],
        "chats": [
            {
                "channel": c.channel,
                "chat_id": c.chat_id,
                "display_name": c.display_name,
                "language": c.language,
                "last_used_at": _when(c.updated_at),
            }
            for c in chats
        ],
        "notices": [
            {
                "title": n.title,
                "kind": n.kind,
                "place": n.place,
                "starts_at": _when(n.starts_at),
                "sent_as": d.kind,
                "queued_at": _when(d.created_at),
                "status": d.status,
                "attendance": d.attendance or "",
            }
            for d, n in delivered
        ],
    }


# --- export ---------------------------------------------------------------------------------


def spreadsheet_safe(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return f"'{value}"
    return value


def _flat(section: str, item: str, value: Any) -> Iterator[tuple[str, str, str, Any]]:
    """(section, item, field, value) rows: nested lists become numbered items of their own."""
    for field, inner in value.items():
        if isinstance(inner, list):
            for n, element in enumerate(inner, 1):
                yield from _flat(section, f"{item} {field} {n}".strip(), element)
        elif isinstance(inner, dict):
            yield from _flat(section, f"{item} {field}".strip(), inner)
        else:
            yield section, item, field, inner


def render(data: dict[str, Any], fmt: Format) -> str:
    """JSON as collected; CSV as one row per value (section, item, field, value), which any
    spreadsheet opens without losing the nesting."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "item", "field", "value"])
    writer.writerow(["export", "", "exported_at", data["exported_at"]])
    for section, value in data.items():
        if isinstance(value, dict):
            rows = _flat(section, "", value)
        elif isinstance(value, list):
            rows = (row for n, e in enumerate(value, 1) for row in _flat(section, str(n), e))
        else:
            continue
        for row in rows:
            writer.writerow([*row[:3], spreadsheet_safe("" if row[3] is None else row[3])])
    return out.getvalue()


def export(
    *,
    session: Session,
    person: Person,
    fmt: Format,
    now: datetime,
    staff: StaffUser | None = None,
    actor: str = "",
) -> str:
    """The person's data as a file's text; the export is audited under who asked for it."""
    text = render(collect(session=session, person=person, now=now), fmt)
    audit.record(
        session=session,
        action="export",
        entity="person",
        entity_id=person.id,
        now=now,
        staff=staff,
        actor=actor,
        detail=f"personal data exported as {fmt} on request",
    )
    return text


# --- erasure --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Erased:
    chats: int
    complaints: int
    link_codes: int


def pseudonym(person_id: int) -> tuple[str, str]:
    """The name and NIK an erased person is left with: unique, and never a real NIK (a NIK
    has only digits)."""
    return f"ANONIM-{person_id}", f"X{person_id:015d}"


def erase(
    *,
    session: Session,
    person: Person,
    now: datetime,
    staff: StaffUser | None = None,
    actor: str = "",
) -> Erased:
    """Pseudonymise the person (see the module's docstring); once only."""
    if person.erased_at is not None:
        raise Conflict("privacy.erase.already")
    person_id = person.id or 0
    chats = _chats(session, person)
    complaints = _complaints(session, person)

    person.name, person.nik = pseudonym(person_id)
    person.kk_number = ""
    person.phone = person.phone_e164 = ""
    person.address = person.birth_place = ""
    # The household as a register listed it names others and numbers the family.
    person.head_of_family = person.spouse_name = person.household_members = ""
    person.dtks_id = person.kks_number = ""
    # The year stays for counts by age; the day and month go.
    person.birth_date = date(person.birth_date.year, 1, 1)
    person.updated_at = person.erased_at = now
    session.add(person)

    # Their chats: those linked now, and those their complaints came from that no one else
    # is linked in since.
    earlier = {c.conversation_id for c in complaints} - {c.id for c in chats} - {None}
    former = (
        session.exec(
            select(Conversation).where(
                col(Conversation.id).in_(earlier), col(Conversation.person_id).is_(None)
            )
        ).all()
        if earlier
        else []
    )
    chat_ids = [c.id or 0 for c in (*chats, *former)]
    for chat in (*chats, *former):
        chat.person_id = None
        chat.display_name = ""
        chat.state, chat.data = "menu", {}
        session.add(chat)
    if chat_ids:
        # What the chats sent and were sent (names, the words typed) goes with them; rows not
        # yet handled or sent are left to their workers.
        session.execute(
            update(InboundMessage)
            .where(
                col(InboundMessage.conversation_id).in_(chat_ids),
                col(InboundMessage.status).in_(HANDLED_INBOUND),
            )
            .values(payload={})
        )
        sent = (
            col(OutboxMessage.conversation_id).in_(chat_ids),
            col(OutboxMessage.status).in_(FINISHED_OUTBOX),
        )
        session.execute(update(OutboxMessage).where(*sent).values(text="", buttons=[]))
        forget_template_params(session, *sent)

    for complaint in complaints:
        complaint.description = ""
        complaint.photo_ref = None
        complaint.latitude = complaint.longitude = None
        complaint.complainant_name = complaint.complainant_contact = ""
        complaint.rating_comment = None
        complaint.conversation_id = None
        session.add(complaint)
    if complaints:
        session.execute(
            update(ComplaintEvent)
            .where(
                col(ComplaintEvent.complaint_id).in_([c.id for c in complaints]),
                col(ComplaintEvent.kind).in_(COMPLAINANT_EVENTS),
            )
            .values(text="")
        )

    unused = session.exec(
        select(LinkCode).where(
            LinkCode.person_id == person_id,
            col(LinkCode.used_at).is_(None),
            col(LinkCode.revoked_at).is_(None),
        )
    ).all()
    for link in unused:
        link.revoked_at = now
        session.add(link)

    audit.record(
        session=session,
        action="erase",
        entity="person",
        entity_id=person_id,
        now=now,
        staff=staff,
        actor=actor,
        detail=(
            f"erased on request: {len(chats)} chats unlinked, {len(complaints)} complaints "
            f"blanked, {len(unused)} link codes revoked"
        ),
    )
    session.flush()
    return Erased(chats=len(chats), complaints=len(complaints), link_codes=len(unused))
