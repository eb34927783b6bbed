"""A proposal's timeline: each SOP step numbered as the SOP numbers it, with every stay at it
(a return makes a second), who moved it, how late against its standard, and its outputs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from models import Office, Person, StaffUser
from services.catalogue import Catalogue, load_catalogue
from services.catalogue_sync import apply_catalogue
from services.nik import make_nik
from services.persons import GroupIn, PersonIn, register_group, register_person
from services.proposal_records import NewOutput, record_output
from services.proposal_timeline import timeline
from services.proposals import Action, create_proposal, transition
from services.roles import Role
from services.staff import create_staff

# Monday 2 November 2026, 09:00 WIB in Lamandau (Asia/Pontianak).
MONDAY = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def _staff(session: Session, office_code: str, slug: str) -> dict[str, StaffUser]:
    office = session.exec(select(Office).where(Office.code == office_code)).one()
    return {
        role: create_staff(
            session=session,
            office_id=office.id or 0,
            username=f"{slug}.{role}",
            full_name=f"{role.title()} {slug}",
            role=role,
            password="password-123",
        )
        for role in Role
    }


def _person(session: Session, office_code: str, serial: int) -> int:
    office = session.exec(select(Office).where(Office.code == office_code)).one()
    born = date(1980 + serial % 10, 3, 1 + serial % 20)
    person = register_person(
        session=session,
        office_id=office.id or 0,
        data=PersonIn(
            nik=make_nik(office_code, 1, born, "P", serial),
            kk_number=make_nik(office_code, 1, date(2001, 1, 1), "L", serial)[:12]
            + f"{serial:04d}",
            name=f"Warga {serial}",
            birth_date=born,
            sex="P",
            marital_status="kawin",
            desa="Desa Uji",
            registries=["DTKS"],
        ),
        now=MONDAY,
    )
    return person.id or 0


def test_a_returned_step_has_two_stays_and_lateness_is_said_in_its_own_unit(
    session: Session, catalogue: Catalogue
) -> None:
    apply_catalogue(session=session, catalogue=catalogue)
    staff = _staff(session, "62.09", "lamandau")
    proposal = create_proposal(
        session=session,
        staff=staff[Role.OPERATOR],
        catalogue=catalogue,
        programme_code="uep-lamandau",
        person_id=_person(session, "62.09", 11),
        now=MONDAY,
    )
    # Step 1 (five minutes) took an hour; step 2 went back to it, then on again.
    moves = [
        (Role.OPERATOR, Action.ADVANCE, MONDAY + timedelta(hours=1), ""),
        (Role.SUPERVISOR, Action.RETURN, MONDAY + timedelta(hours=2), "KK belum lengkap"),
        (Role.OPERATOR, Action.ADVANCE, MONDAY + timedelta(hours=2, minutes=3), ""),
    ]
    for role, action, when, note in moves:
        proposal = transition(
            session=session,
            staff=staff[role],
            proposal_id=proposal.id or 0,
            action=action,
            expected_version=proposal.version,
            now=when,
            note=note,
        )
    record_output(
        session=session,
        staff=staff[Role.OPERATOR],
        catalogue=catalogue,
        proposal_id=proposal.id or 0,
        data=NewOutput(kind="proposal-disposisi", step_position=1, number="005/12/2026"),
        now=MONDAY + timedelta(hours=3),
    )
    session.commit()

    steps = timeline(
        session=session, catalogue=catalogue, proposal=proposal, now=MONDAY + timedelta(hours=4)
    )
    assert [s.sop_label for s in steps] == ["1", "2", "3", "4", "5", "6"]
    assert [s.state for s in steps] == [
        "done",
        "current",
        "waiting",
        "waiting",
        "waiting",
        "waiting",
    ]
    first, second = steps[0], steps[1]
    assert first.actor is not None and first.actor.id == "Desa/Kelurahan"
    assert [v.left_how for v in first.visits] == ["advanced", "advanced"]
    assert first.visits[0].left_by == f"{Role.OPERATOR.title()} lamandau"
    assert first.visits[1].entered_how == "returned"
    late = first.visits[0].lateness
    assert late is not None and late.is_late and late.late_by == timedelta(minutes=55)
    assert first.visits[1].lateness is not None and not first.visits[1].lateness.is_late
    assert [o.number for o in first.outputs] == ["005/12/2026"]
    assert [v.left_how for v in second.visits] == ["returned", None]
    assert second.visits[0].note == "KK belum lengkap"
    assert steps[2].visits == []


def test_bones_split_step_is_5a_and_5b_of_eight(session: Session, catalogue: Catalogue) -> None:
    apply_catalogue(session=session, catalogue=catalogue)
    staff = _staff(session, "73.08", "bone")
    spec = catalogue.programme("kube-bone")
    assert spec is not None
    members = [_person(session, "73.08", serial) for serial in range(31, 31 + 10)]
    people = session.exec(select(Office).where(Office.code == "73.08")).one()

    niks = [session.get_one(Person, m).nik for m in members]
    group = register_group(
        session=session,
        office_id=people.id or 0,
        data=GroupIn(name="KUBE Uji", kind=spec.kind, member_niks=niks),
        now=MONDAY,
    )
    proposal = create_proposal(
        session=session,
        staff=staff[Role.ADMIN],
        catalogue=catalogue,
        programme_code="kube-bone",
        group_id=group.id,
        now=MONDAY,
    )
    steps = timeline(session=session, catalogue=catalogue, proposal=proposal, now=MONDAY)
    assert [s.sop_label for s in steps] == ["1", "2", "3", "4", "5a", "5b", "6", "7", "8"]
    assert {s.sop_total for s in steps} == {8}
