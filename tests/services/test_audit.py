"""The office's audit trail as its head or admin reads it: only the office's rows, narrowed
by staff member, person, action and dates, newest first; reading it is on the trail too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

import messages
from models import AuditLog, Complaint, Person, Proposal, StaffUser
from services import audit
from services.errors import Forbidden
from tests import privacy_world as build
from tests.privacy_world import NOW


@dataclass
class World:
    kadis: StaffUser
    admin: StaffUser
    kabid: StaffUser
    operator: StaffUser
    officer: StaffUser
    person: Person
    other: Person
    stranger: Person
    proposal: Proposal
    complaint: Complaint


@pytest.fixture
def world(session: Session) -> World:
    office = build.offices(session)
    buteng, bone = office["buton-tengah"], office["bone"]
    roles = ("head", "admin", "supervisor", "operator", "complaint_officer")
    members = [build.staff(session, buteng, role, f"t.{role}") for role in roles]
    person = build.person(session, buteng, 31)
    proposal = build.proposal(session, buteng, person, "T-0001")
    complaint = build.complaint(session, buteng, person, "T-ADU-1", None)
    world = World(
        *members,
        person=person,
        other=build.person(session, buteng, 32, name="La Ode Hamid"),
        stranger=build.person(session, bone, 33),
        proposal=proposal,
        complaint=complaint,
    )
    session.commit()
    return world


def _row(session: Session, staff: StaffUser | None, action: str, entity: str, entity_id: int | None,
         at: datetime, detail: str, actor: str = "") -> None:  # fmt: skip
    audit.record(
        session=session, staff=staff, action=action, entity=entity, entity_id=entity_id,
        now=at, detail=detail, actor=actor,
    )  # fmt: skip


class TestReadTrail:
    def test_only_the_offices_rows_newest_first_and_the_reading_is_recorded(
        self, session: Session, world: World
    ) -> None:
        at = NOW - timedelta(hours=3)
        _row(session, world.operator, "read", "person", world.person.id, at, "older")
        _row(session, None, "read", "proposal", world.proposal.id, NOW - timedelta(hours=1),
             "newer", actor="chat:telegram:42")  # fmt: skip
        _row(session, None, "link", "person", world.stranger.id, NOW, "another office")
        session.commit()

        trail = audit.read_trail(
            session=session, staff=world.kadis, filters=audit.Filters(), now=NOW
        )
        assert [r.detail for r in trail.rows] == ["newer", "older"]
        assert trail.total == 2
        session.commit()
        viewed = session.exec(select(AuditLog).where(AuditLog.action == "view_audit")).one()
        assert (viewed.staff_id, viewed.entity, viewed.at) == (world.kadis.id, "audit_log", NOW)

    def test_pages_follow_one_another(self, session: Session, world: World) -> None:
        for n in range(5):
            at = NOW - timedelta(minutes=n)
            _row(session, world.operator, "read", "person", world.person.id, at, f"r{n}")
        session.commit()
        first = audit.read_trail(
            session=session, staff=world.admin, filters=audit.Filters(), now=NOW, page_size=2
        )
        session.commit()
        # Reading a page wrote a row of its own; the next pages are read as the first one was.
        later = audit.Filters(upto_id=first.upto_id)
        pages = [first] + [
            audit.read_trail(
                session=session, staff=world.admin, filters=later, now=NOW,
                page=page, page_size=2,
            )
            for page in (2, 3)
        ]  # fmt: skip
        assert [[r.detail for r in p.rows] for p in pages] == [["r0", "r1"], ["r2", "r3"], ["r4"]]
        assert {p.total for p in pages} == {5}

    def test_narrowed_by_person_their_proposals_and_complaints_count(
        self, session: Session, world: World
    ) -> None:
        at = NOW - timedelta(days=1)
        admin = world.admin
        _row(session, admin, "read", "person", world.person.id, at, "the person")
        _row(session, admin, "read", "proposal", world.proposal.id, at, "their proposal")
        _row(session, admin, "read", "complaint", world.complaint.id, at, "their complaint")
        _row(session, admin, "read", "person", world.other.id, at, "someone else")
        session.commit()

        filters = audit.Filters(person_id=world.person.id)
        trail = audit.read_trail(session=session, staff=admin, filters=filters, now=NOW)
        assert {r.detail for r in trail.rows} == {"the person", "their proposal", "their complaint"}
        session.commit()
        viewed = session.exec(select(AuditLog).where(AuditLog.action == "view_audit")).one()
        # The person's own trail shows who looked at it.
        assert (viewed.entity, viewed.entity_id) == ("person", world.person.id)

    def test_narrowed_by_staff_member_action_and_dates(
        self, session: Session, world: World
    ) -> None:
        operator, officer, person_id = world.operator, world.officer, world.person.id
        day = datetime(2026, 11, 20, 16, 30, tzinfo=UTC)
        _row(session, operator, "read", "person", person_id, day, "operator read")
        _row(session, operator, "link_code", "person", person_id, day, "operator code")
        _row(session, officer, "read", "person", person_id, day, "officer read")
        _row(session, operator, "read", "person", person_id, day + timedelta(days=2), "later")
        session.commit()

        def details(filters: audit.Filters) -> set[str]:
            rows = audit.search(session=session, office_id=world.kadis.office_id, filters=filters)
            return {r.detail for r in rows}

        assert details(audit.Filters(staff_id=operator.id)) == {
            "operator read", "operator code", "later",
        }  # fmt: skip
        assert details(audit.Filters(action="link_code")) == {"operator code"}
        assert details(audit.Filters(action="no-such-action")) == set()
        window = audit.Filters(start=day - timedelta(hours=1), end=day + timedelta(days=1))
        assert details(window) == {"operator read", "operator code", "officer read"}
        assert details(audit.Filters(end=day)) == set()  # the end is exclusive
        assert details(audit.Filters(staff_id=operator.id, action="read", start=day)) == {
            "operator read", "later",
        }  # fmt: skip

    def test_only_the_head_and_the_admin_may_read_it(self, session: Session, world: World) -> None:
        for member in (world.operator, world.kabid, world.officer):
            with pytest.raises(Forbidden):
                audit.read_trail(session=session, staff=member, filters=audit.Filters(), now=NOW)
            with pytest.raises(Forbidden):
                audit.export_trail(
                    session=session, staff=member, filters=audit.Filters(), now=NOW, limit=10
                )

    def test_the_export_is_recorded_with_its_size(self, session: Session, world: World) -> None:
        for n in range(3):
            at = NOW - timedelta(minutes=n)
            _row(session, world.kadis, "read", "person", world.person.id, at, f"r{n}")
        session.commit()
        rows = audit.export_trail(
            session=session, staff=world.kadis, filters=audit.Filters(), now=NOW, limit=2
        )
        assert [r.detail for r in rows] == ["r0", "r1"]
        session.commit()
        exported = session.exec(select(AuditLog).where(AuditLog.action == "export_audit")).one()
        assert exported.detail.startswith("2 rows as CSV")


def test_every_action_has_words_in_both_languages() -> None:
    for code in audit.ACTIONS:
        assert messages.has(f"privacy.action.{code}")
        assert messages.render(f"privacy.action.{code}", "en") != messages.render(
            f"privacy.action.{code}", "id"
        )
