"""A proposal walks its programme's SOP: in order, by the right roles, one writer at a time."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from models import Office, Proposal, ProposalEvent, StaffUser
from services.catalogue import Catalogue, load_catalogue
from services.catalogue_sync import apply_catalogue
from services.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.nik import make_nik
from services.persons import PersonIn, register_person
from services.proposals import Action, create_proposal, history, step_view, transition
from services.roles import Role
from services.staff import create_staff

# Monday 2 November 2026, 09:00 WIB (Lamandau is on Asia/Pontianak).
MONDAY = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture
def lamandau(session: Session, catalogue: Catalogue) -> dict[str, StaffUser]:
    apply_catalogue(session=session, catalogue=catalogue)
    office = session.exec(select(Office).where(Office.code == "62.09")).one()
    staff = {
        role: create_staff(
            session=session,
            office_id=office.id or 0,
            username=f"lamandau.{role}",
            full_name=role,
            role=role,
            password="password-123",
        )
        for role in Role
    }
    session.commit()
    return staff


def _applicant(session: Session, office_code: str = "62.09") -> int:
    office = session.exec(select(Office).where(Office.code == office_code)).one()
    born = date(1985, 4, 12)
    person = register_person(
        session=session,
        office_id=office.id or 0,
        data=PersonIn(
            nik=make_nik(office_code, 3, born, "P", 17),
            kk_number=make_nik(office_code, 3, date(2001, 1, 1), "L", 9),
            name="Maria Sundari",
            birth_date=born,
            sex="P",
            marital_status="kawin",
            registries=["DTKS"],
        ),
        now=MONDAY,
    )
    session.commit()
    return person.id or 0


def _uep(session: Session, catalogue: Catalogue, staff: StaffUser, now: datetime) -> Proposal:
    proposal = create_proposal(
        session=session,
        staff=staff,
        catalogue=catalogue,
        programme_code="uep-lamandau",
        person_id=_applicant(session),
        now=now,
    )
    session.commit()
    return proposal


def _step_roles(catalogue: Catalogue) -> list[str]:
    programme = catalogue.programme("uep-lamandau")
    assert programme is not None
    return [step.allowed_roles[0] for step in programme.steps]


class TestWalkingTheSop:
    def test_a_uep_proposal_walks_all_six_steps_and_its_history_shows_each(
        self, session: Session, catalogue: Catalogue, lamandau: dict[str, StaffUser]
    ) -> None:
        proposal = _uep(session, catalogue, lamandau[Role.OPERATOR], MONDAY)
        assert proposal.number == f"UEP-LMD-{MONDAY.year}-0001"
        roles = _step_roles(catalogue)
        assert len(roles) == 6
        for position, role in enumerate(roles, start=1):
            action = Action.COMPLETE if position == 6 else Action.ADVANCE
            proposal = transition(
                session=session,
                staff=lamandau[role],
                proposal_id=proposal.id or 0,
                action=action,
                expected_version=proposal.version,
                now=MONDAY + timedelta(hours=position),
            )
            session.commit()
        assert proposal.status == "completed"
        assert proposal.step_position == 6
        events = history(session=session, proposal_id=proposal.id or 0)
        assert [e.action for e in events] == ["submitted"] + ["advanced"] * 5 + ["completed"]
        assert [(e.from_position, e.to_position) for e in events[1:]] == [
            (1, 2),
            (2, 3),
            (3, 4),
            (4, 5),
            (5, 6),
            (6, 6),
        ]

    def test_a_step_cannot_be_skipped_to_completion(
        self, session: Session, catalogue: Catalogue, lamandau: dict[str, StaffUser]
    ) -> None:
        proposal = _uep(session, catalogue, lamandau[Role.OPERATOR], MONDAY)
        with pytest.raises(Conflict) as info:
            transition(
                session=session,
                staff=lamandau[Role.ADMIN],
                proposal_id=proposal.id or 0,
                action=Action.COMPLETE,
                expected_version=proposal.version,
                now=MONDAY,
            )
        assert info.value.key == "error.not_last_step"

    def test_a_role_the_step_does_not_allow_is_refused(
        self, session: Session, catalogue: Catalogue, lamandau: dict[str, StaffUser]
    ) -> None:
        proposal = _uep(session, catalogue, lamandau[Role.OPERATOR], MONDAY)
        programme = catalogue.programme("uep-lamandau")
        assert programme is not None
        wrong = next(
            r for r in Role if r != Role.ADMIN and r not in programme.steps[0].allowed_roles
        )
        with pytest.raises(Forbidden) as info:
            transition(
                session=session,
                staff=lamandau[wrong],
                proposal_id=proposal.id or 0,
                action=Action.ADVANCE,
                expected_version=proposal.version,
                now=MONDAY,
            )
        assert info.value.key == "error.step_role"

    def test_staff_of_another_office_cannot_touch_it(
        self, session: Session, catalogue: Catalogue, lamandau: dict[str, StaffUser]
    ) -> None:
        proposal = _uep(session, catalogue, lamandau[Role.OPERATOR], MONDAY)
        bone = session.exec(select(Office).where(Office.code == "73.08")).one()
        outsider = create_staff(
            session=session,
            office_id=bone.id or 0,
            username="bone.admin",
            full_name="Admin Bone",
            role=Role.ADMIN,
            password="password-123",
        )
        with pytest.raises(NotFound) as info:
            transition(
                session=session,
                staff=outsider,
                proposal_id=proposal.id or 0,
                action=Action.ADVANCE,
                expected_version=proposal.version,
                now=MONDAY,
            )
        assert (info.value.key, info.value.params) == ("error.not_found", {"what": "Proposal"})

    def test_return_and_reject_need_a_decider_and_a_reason(
        self, session: Session, catalogue: Catalogue, lamandau: dict[str, StaffUser]
    ) -> None:
        proposal = _uep(session, catalogue, lamandau[Role.OPERATOR], MONDAY)
        proposal = transition(
            session=session,
            staff=lamandau[Role.ADMIN],
            proposal_id=proposal.id or 0,
            action=Action.ADVANCE,
            expected_version=proposal.version,
            now=MONDAY,
        )
        with pytest.raises(Forbidden):
            transition(
                session=session,
                staff=lamandau[Role.OPERATOR],
                proposal_id=proposal.id or 0,
                action=Action.RETURN,
                expected_version=proposal.version,
                now=MONDAY,
                note="berkas kurang",
            )
        with pytest.raises(InvalidInput):
            transition(
                session=session,
                staff=lamandau[Role.SUPERVISOR],
                proposal_id=proposal.id or 0,
                action=Action.REJECT,
                expected_version=proposal.version,
                now=MONDAY,
                note="  ",
            )
        proposal = transition(
            session=session,
            staff=lamandau[Role.SUPERVISOR],
            proposal_id=proposal.id or 0,
            action=Action.RETURN,
            expected_version=proposal.version,
            now=MONDAY,
            note="KK belum dilampirkan",
        )
        assert proposal.step_position == 1
        proposal = transition(
            session=session,
            staff=lamandau[Role.HEAD],
            proposal_id=proposal.id or 0,
            action=Action.REJECT,
            expected_version=proposal.version,
            now=MONDAY,
            note="Sudah menerima bantuan lain",
        )
        assert (proposal.status, proposal.rejection_reason) == (
            "rejected",
            "Sudah menerima bantuan lain",
        )
        with pytest.raises(Conflict) as info:
            transition(
                session=session,
                staff=lamandau[Role.ADMIN],
                proposal_id=proposal.id or 0,
                action=Action.ADVANCE,
                expected_version=proposal.version,
                now=MONDAY,
            )
        assert info.value.key == "error.proposal_closed"


class TestConcurrentChanges:
    def test_a_stale_version_is_refused(
        self, session: Session, catalogue: Catalogue, lamandau: dict[str, StaffUser]
    ) -> None:
        proposal = _uep(session, catalogue, lamandau[Role.OPERATOR], MONDAY)
        transition(
            session=session,
            staff=lamandau[Role.ADMIN],
            proposal_id=proposal.id or 0,
            action=Action.ADVANCE,
            expected_version=1,
            now=MONDAY,
        )
        session.commit()
        with pytest.raises(Conflict) as info:
            transition(
                session=session,
                staff=lamandau[Role.ADMIN],
                proposal_id=proposal.id or 0,
                action=Action.ADVANCE,
                expected_version=1,
                now=MONDAY,
            )
        assert info.value.key == "error.stale_version"

    def test_two_staff_advancing_at_once_cannot_both_win(
        self,
        engine: Engine,
        session: Session,
        catalogue: Catalogue,
        lamandau: dict[str, StaffUser],
    ) -> None:
        proposal = _uep(session, catalogue, lamandau[Role.OPERATOR], MONDAY)
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def advance() -> None:
            # Meet before touching the database: on SQLite the first read takes the write lock.
            barrier.wait(timeout=30)
            with Session(engine, expire_on_commit=False) as own:
                staff = own.get(StaffUser, lamandau[Role.ADMIN].id)
                assert staff is not None
                try:
                    transition(
                        session=own,
                        staff=staff,
                        proposal_id=proposal.id or 0,
                        action=Action.ADVANCE,
                        expected_version=1,
                        now=MONDAY,
                    )
                    own.commit()
                    outcomes.append("won")
                except Conflict:
                    own.rollback()
                    outcomes.append("conflict")

        threads = [threading.Thread(target=advance) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(outcomes) == ["conflict", "won"]
        session.expire_all()
        stored = session.get(Proposal, proposal.id)
        assert stored is not None and (stored.step_position, stored.version) == (2, 2)
        advanced = session.exec(
            select(ProposalEvent).where(
                ProposalEvent.proposal_id == proposal.id, ProposalEvent.action == "advanced"
            )
        ).all()
        assert len(advanced) == 1


class TestLateness:
    def test_the_verification_step_is_late_after_two_working_days(
        self, session: Session, catalogue: Catalogue, lamandau: dict[str, StaffUser]
    ) -> None:
        # Entered step 2 ("2 hari") on Friday 6 Nov 2026: due Tuesday 10 Nov, not Sunday.
        friday = datetime(2026, 11, 6, 2, 0, tzinfo=UTC)
        proposal = _uep(session, catalogue, lamandau[Role.OPERATOR], friday)
        proposal = transition(
            session=session,
            staff=lamandau[Role.ADMIN],
            proposal_id=proposal.id or 0,
            action=Action.ADVANCE,
            expected_version=proposal.version,
            now=friday,
        )
        monday = friday + timedelta(days=3)
        on_time = step_view(session=session, proposal=proposal, now=monday)
        assert on_time.position == 2 and on_time.lateness is not None
        assert not on_time.lateness.is_late
        assert on_time.lateness.due_at == datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
        wednesday = friday + timedelta(days=5)
        late = step_view(session=session, proposal=proposal, now=wednesday)
        assert late.lateness is not None and late.lateness.is_late
        assert late.lateness.working_days_late == 1
