"""A person's data on request: exported whole (JSON and CSV), or erased, pseudonymised with
the office's records and the audit trail kept; each audited; only for the head and admin."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlmodel import Session, col, select

from models import (
    AuditLog,
    Complaint,
    ComplaintEvent,
    Conversation,
    InboundMessage,
    LinkCode,
    Notice,
    NoticeRecipient,
    Office,
    OutboxMessage,
    Person,
    Proposal,
    StaffUser,
)
from services import person_data
from services.errors import Conflict, Forbidden, NotFound
from services.persons import person_by_nik
from tests import privacy_world as build
from tests.privacy_world import NOW


@dataclass
class World:
    kadis: StaffUser
    operator: StaffUser
    stranger_admin: StaffUser
    person: Person
    sibling: Person
    chat: Conversation
    proposal: Proposal
    complaint: Complaint
    nik: str


@pytest.fixture
def world(session: Session) -> World:
    office = build.offices(session)
    buteng = office["buton-tengah"]
    person = build.person(session, buteng, 31, phone="0812-7000-0031")
    # The household as the KPM register lists it.
    person.head_of_family, person.spouse_name = "Wa Ode Sitti", "La Ode Ali"
    person.household_members, person.dtks_id = "Ani; Budi", "7414-000031"
    person.kks_number = "6013011234567890"
    session.add(person)
    sibling = build.person(session, buteng, 32, name="La Ode Hamid", kk=person.kk_number)
    chat = build.chat(session, "person-data-1", person)
    proposal = build.proposal(session, buteng, person, "T-0001")
    complaint = build.complaint(session, buteng, person, "T-ADU-1", chat)
    notice = Notice(
        office_id=buteng.id or 0, kind="distribution", title="Penyaluran BPNT Desember",
        place="Balai Desa Lakudo", starts_at=NOW + timedelta(days=3), send_at=NOW,
    )  # fmt: skip
    session.add(notice)
    session.flush()
    session.add_all(
        [
            NoticeRecipient(
                notice_id=notice.id or 0, person_id=person.id or 0, kind="notice",
                conversation_id=chat.id, via="chat", created_at=NOW - timedelta(hours=1),
            ),
            InboundMessage(
                channel="sim", platform_id="pd-1", conversation_id=chat.id,
                payload={"text": "Nama saya Wa Ode Sitti"}, status="done",
            ),
            OutboxMessage(
                conversation_id=chat.id or 0, text="Usulan Ibu Wa Ode Sitti di tahap 1.",
                status="read", extra={"template": {
                    "name": "sigap_proposal_step", "params": ["UEP-1", "UEP", "Ibu Wa Ode"],
                }},
            ),
            LinkCode(
                code_hash="a" * 64, kind="person", office_id=buteng.id or 0,
                person_id=person.id, expires_at=NOW + timedelta(days=14),
            ),
            AuditLog(at=NOW - timedelta(days=2), action="read", entity="person",
                     entity_id=person.id, detail="earlier read"),
        ]
    )  # fmt: skip
    world = World(
        kadis=build.staff(session, buteng, "head", "t.kadis"),
        operator=build.staff(session, buteng, "operator", "t.operator"),
        stranger_admin=build.staff(session, office["bone"], "admin", "bone.t.admin"),
        person=person,
        sibling=sibling,
        chat=chat,
        proposal=proposal,
        complaint=complaint,
        nik=person.nik,
    )
    session.commit()
    return world


class TestExport:
    def test_json_holds_the_person_household_proposals_complaints_chats_and_notices(
        self, session: Session, world: World
    ) -> None:
        text = person_data.export(
            session=session, person=world.person, fmt="json", now=NOW, staff=world.kadis
        )
        data = json.loads(text)
        assert data["person"]["nik"] == world.nik
        assert data["person"]["phone"] == "0812-7000-0031"
        assert data["person"]["spouse_name"] == "La Ode Ali"
        assert data["person"]["household_members"] == "Ani; Budi"
        assert (data["person"]["dtks_id"], data["person"]["kks_number"]) == (
            "7414-000031",
            "6013011234567890",
        )
        assert data["household"] == [
            {"name": "La Ode Hamid", "nik": world.sibling.nik[:4] + "*" * 12}
        ]
        [proposal] = data["proposals"]
        assert (proposal["number"], proposal["as"]) == (world.proposal.number, "applicant")
        assert [e["action"] for e in proposal["history"]] == ["submitted"]
        [complaint] = data["complaints"]
        assert complaint["number"] == world.complaint.number
        assert [e["kind"] for e in complaint["events"]] == ["received", "information", "answered"]
        assert data["chats"] == [
            {"channel": "sim", "chat_id": "person-data-1", "display_name": "Sitti",
             "language": "id", "last_used_at": world.chat.updated_at.isoformat()}
        ]  # fmt: skip
        assert [n["title"] for n in data["notices"]] == ["Penyaluran BPNT Desember"]
        session.commit()
        row = session.exec(select(AuditLog).where(AuditLog.action == "export")).one()
        assert (row.staff_id, row.entity, row.entity_id) == (
            world.kadis.id,
            "person",
            world.person.id,
        )
        assert world.nik not in row.detail

    def test_csv_has_a_row_per_value_and_keeps_formulas_as_text(
        self, session: Session, world: World
    ) -> None:
        world.complaint.description = '=HYPERLINK("http://x")'
        session.flush()
        text = person_data.export(
            session=session, person=world.person, fmt="csv", now=NOW, actor="cli"
        )
        rows = list(csv.DictReader(io.StringIO(text)))
        values = {(r["section"], r["item"], r["field"]): r["value"] for r in rows}
        assert values[("person", "", "nik")] == world.nik
        assert values[("proposals", "1", "number")] == world.proposal.number
        assert values[("proposals", "1 history 1", "action")] == "submitted"
        assert values[("complaints", "1", "description")].startswith("'=")
        assert values[("complaints", "1 location", "latitude")] == "-5.3"
        assert values[("notices", "1", "title")] == "Penyaluran BPNT Desember"
        session.commit()
        row = session.exec(select(AuditLog).where(AuditLog.action == "export")).one()
        assert (row.staff_id, row.actor) == (None, "cli")


class TestErase:
    def test_the_person_is_pseudonymised_and_the_records_and_trail_kept(
        self, session: Session, world: World
    ) -> None:
        erased = person_data.erase(session=session, person=world.person, now=NOW, staff=world.kadis)
        session.commit()
        assert (erased.chats, erased.complaints, erased.link_codes) == (1, 1, 1)
        session.expire_all()

        person = session.get_one(Person, world.person.id)
        assert (person.name, person.nik) == person_data.pseudonym(person.id or 0)
        assert (person.kk_number, person.phone, person.phone_e164) == ("", "", "")
        assert (person.address, person.birth_place) == ("", "")
        household = (person.head_of_family, person.spouse_name, person.household_members)
        assert household == ("", "", "")
        assert (person.dtks_id, person.kks_number) == ("", "")
        assert person.birth_date == date(1991, 1, 1)
        assert person.erased_at == NOW
        assert person_by_nik(session=session, nik=world.nik) is None

        chat = session.get_one(Conversation, world.chat.id)
        assert (chat.person_id, chat.display_name) == (None, "")
        assert session.exec(select(InboundMessage.payload)).all() == [{}]
        assert session.exec(select(OutboxMessage.text)).all() == [""]
        [extra] = session.exec(select(OutboxMessage.extra)).all()
        assert extra == {"template": {"name": "sigap_proposal_step", "params": []}}

        complaint = session.get_one(Complaint, world.complaint.id)
        assert (complaint.description, complaint.photo_ref, complaint.latitude) == ("", None, None)
        assert (complaint.complainant_name, complaint.complainant_contact) == ("", "")
        assert complaint.conversation_id is None and complaint.rating_comment is None
        assert complaint.person_id == person.id  # still theirs, for counts
        events = session.exec(
            select(ComplaintEvent.kind, ComplaintEvent.text)
            .where(ComplaintEvent.complaint_id == complaint.id)
            .order_by(col(ComplaintEvent.id))
        ).all()
        assert [tuple(e) for e in events] == [
            ("received", ""), ("information", ""),
            ("answered", "Bantuan akan masuk minggu depan."),
        ]  # fmt: skip

        assert session.get_one(Proposal, world.proposal.id).applicant_person_id == person.id
        assert session.exec(select(LinkCode.revoked_at)).all() == [NOW]
        trail = session.exec(select(AuditLog.action).order_by(col(AuditLog.id))).all()
        assert trail == ["read", "erase"]
        # The household keeps its own data.
        assert session.get_one(Person, world.sibling.id).kk_number != ""

        after = json.loads(
            person_data.export(session=session, person=person, fmt="json", now=NOW, actor="cli")
        )
        text = json.dumps(after)
        for gone in (world.nik, "Wa Ode Sitti", "0812-7000-0031", "Poros Lakudo", "Labungkari"):
            assert gone not in text
        assert after["chats"] == [] and after["person"]["erased_at"] == NOW.isoformat()

    def test_chats_their_complaints_came_from_are_blanked_unless_someone_else_uses_them(
        self, session: Session, world: World
    ) -> None:
        office = session.get_one(Office, world.person.office_id)
        lapsed = build.chat(session, "person-data-lapsed")  # linked once, since lapsed
        now_theirs = build.chat(session, "person-data-sibling", world.sibling)
        build.complaint(session, office, world.person, "T-ADU-2", lapsed)
        build.complaint(session, office, world.person, "T-ADU-3", now_theirs)
        session.commit()
        person_data.erase(session=session, person=world.person, now=NOW, actor="cli")
        session.commit()
        session.expire_all()
        assert session.get_one(Conversation, lapsed.id).display_name == ""
        sibling_chat = session.get_one(Conversation, now_theirs.id)
        assert (sibling_chat.person_id, sibling_chat.display_name) == (world.sibling.id, "Sitti")

    def test_a_second_erasure_is_refused(self, session: Session, world: World) -> None:
        person_data.erase(session=session, person=world.person, now=NOW, actor="cli")
        session.commit()
        with pytest.raises(Conflict):
            person_data.erase(session=session, person=world.person, now=NOW, actor="cli")


class TestWhoMay:
    def test_the_head_finds_a_person_of_the_office_by_exact_nik(
        self, session: Session, world: World
    ) -> None:
        found = person_data.find_for_staff(session=session, staff=world.kadis, nik=world.nik)
        assert found.id == world.person.id
        for typed in ("", "   ", world.nik[:12]):
            with pytest.raises(NotFound):
                person_data.find_for_staff(session=session, staff=world.kadis, nik=typed)

    def test_an_operator_is_refused_and_another_office_sees_nothing(
        self, session: Session, world: World
    ) -> None:
        with pytest.raises(Forbidden):
            person_data.person_for_staff(
                session=session, staff=world.operator, person_id=world.person.id or 0
            )
        with pytest.raises(NotFound):
            person_data.person_for_staff(
                session=session, staff=world.stranger_admin, person_id=world.person.id or 0
            )
        with pytest.raises(NotFound):
            person_data.find_for_staff(session=session, staff=world.stranger_admin, nik=world.nik)
