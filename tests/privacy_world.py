"""A small office of real rows for the personal-data tests: built directly, without the demo
loader (which hashes every demo password), so each test pays only for what it uses."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, select

from models import (
    Complaint,
    ComplaintEvent,
    Conversation,
    Office,
    Person,
    Programme,
    Proposal,
    ProposalEvent,
    StaffUser,
)
from services.catalogue import load_catalogue
from services.catalogue_sync import apply_catalogue
from services.nik import make_nik

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def offices(session: Session) -> dict[str, Office]:
    apply_catalogue(session=session, catalogue=load_catalogue())
    session.flush()
    return {o.slug: o for o in session.exec(select(Office)).all()}


def staff(session: Session, office: Office, role: str, username: str) -> StaffUser:
    member = StaffUser(
        office_id=office.id or 0,
        username=username,
        full_name=f"Petugas {username}",
        role=role,
        password_hash="not-a-hash: these tests never log in",
    )
    session.add(member)
    session.flush()
    return member


def person(
    session: Session,
    office: Office,
    serial: int,
    *,
    name: str = "Wa Ode Sitti",
    kk: str | None = None,
    phone: str = "",
) -> Person:
    born = date(1991, 8, 5)
    regency = office.code
    row = Person(
        office_id=office.id or 0,
        nik=make_nik(regency, 1, born, "P", serial),
        kk_number=kk or f"{regency.replace('.', '')}010101{serial:06d}",
        name=name,
        birth_place="Labungkari",
        birth_date=born,
        sex="P",
        marital_status="kawin",
        address="Jl. Poros Lakudo No. 7",
        desa="Lakudo",
        kecamatan="Lakudo",
        phone=phone,
        phone_e164=f"+62{phone.lstrip('0').replace('-', '')}" if phone else "",
    )
    session.add(row)
    session.flush()
    return row


def proposal(session: Session, office: Office, applicant: Person, number: str) -> Proposal:
    programme = session.exec(
        select(Programme)
        .where(Programme.office_id == office.id, Programme.applicant_kind == "person")
        .order_by(col(Programme.id))
    ).first()
    if programme is None:  # an office whose programmes are all for groups
        programme = session.exec(
            select(Programme).where(Programme.office_id == office.id).order_by(col(Programme.id))
        ).one()
    row = Proposal(
        number=number,
        programme_id=programme.id or 0,
        office_id=office.id or 0,
        applicant_person_id=applicant.id,
        submitted_at=NOW - timedelta(days=10),
        step_entered_at=NOW - timedelta(days=10),
    )
    session.add(row)
    session.flush()
    session.add(
        ProposalEvent(
            proposal_id=row.id or 0, at=row.submitted_at, action="submitted", to_position=1
        )
    )
    session.flush()
    return row


def chat(
    session: Session, chat_id: str, who: Person | None = None, channel: str = "sim"
) -> Conversation:
    row = Conversation(
        channel=channel,
        chat_id=chat_id,
        display_name="Sitti",
        person_id=who.id if who else None,
        office_id=who.office_id if who else None,
        updated_at=NOW - timedelta(days=1),
    )
    session.add(row)
    session.flush()
    return row


def complaint(
    session: Session, office: Office, who: Person | None, number: str, via: Conversation | None
) -> Complaint:
    row = Complaint(
        number=number,
        office_id=office.id or 0,
        category="bantuan-terlambat",
        channel=via.channel if via else "walk_in",
        description="Bantuan saya belum masuk; rumah saya di Jl. Poros Lakudo No. 7.",
        photo_ref="photo-file-id-1",
        latitude=-5.3,
        longitude=122.6,
        complainant_name="Wa Ode Sitti",
        complainant_contact="0812-7000-0031",
        person_id=who.id if who else None,
        conversation_id=via.id if via else None,
        received_at=NOW - timedelta(days=5),
        clock_started_at=NOW - timedelta(days=5),
        due_at=NOW - timedelta(days=3),
        rating_comment="Petugasnya ramah",
    )
    session.add(row)
    session.flush()
    session.add_all(
        [
            ComplaintEvent(
                complaint_id=row.id or 0, at=row.received_at, kind="received", text=row.description
            ),
            ComplaintEvent(
                complaint_id=row.id or 0,
                at=row.received_at + timedelta(hours=1),
                kind="information",
                text="Nomor kartu saya 6032...",
            ),
            ComplaintEvent(
                complaint_id=row.id or 0,
                at=row.received_at + timedelta(hours=2),
                kind="answered",
                text="Bantuan akan masuk minggu depan.",
            ),
        ]
    )
    session.flush()
    return row
