"""What steps produce, recorded as the catalogue lists them, and the reports an aided KUBE in
Bekasi owes each quarter and at the year's end, with due dates and lateness."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, select

from models import BeneficiaryGroup, Office, Programme, Proposal, ProposalEvent, StaffUser
from services.catalogue import Catalogue, load_catalogue
from services.catalogue_sync import apply_catalogue
from services.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.proposal_records import (
    NewGroupReport,
    NewOutput,
    outputs_of,
    period_end,
    record_group_report,
    record_output,
    report_schedule,
)
from services.roles import Role
from services.staff import create_staff

MONDAY = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def _setup(
    session: Session, catalogue: Catalogue, code: str
) -> tuple[Office, dict[Role, StaffUser]]:
    apply_catalogue(session=session, catalogue=catalogue)
    office = session.exec(select(Office).where(Office.code == code)).one()
    staff = {
        role: create_staff(
            session=session,
            office_id=office.id or 0,
            username=f"{office.slug}.{role}",
            full_name=str(role),
            role=role,
            password="password-123",
        )
        for role in Role
    }
    return office, staff


def _group_proposal(session: Session, office: Office, code: str, position: int) -> Proposal:
    group = BeneficiaryGroup(office_id=office.id or 0, name="KUBE Mawar")
    session.add(group)
    session.flush()
    programme = session.exec(select(Programme).where(Programme.code == code)).one()
    proposal = Proposal(
        number=f"T-{group.id}",
        programme_id=programme.id or 0,
        office_id=office.id or 0,
        applicant_group_id=group.id,
        step_position=position,
        step_entered_at=MONDAY,
        submitted_at=MONDAY,
    )
    session.add(proposal)
    session.flush()
    return proposal


class TestOutputs:
    def test_a_decree_with_its_number_at_its_own_step(
        self, session: Session, catalogue: Catalogue
    ) -> None:
        office, staff = _setup(session, catalogue, "73.08")
        proposal = _group_proposal(session, office, "kube-bone", position=8)
        output = record_output(
            session=session,
            staff=staff[Role.OPERATOR],
            catalogue=catalogue,
            proposal_id=proposal.id or 0,
            data=NewOutput(
                kind="sk-bupati",
                step_position=7,
                number="188.4/123/X/2026",
                issued_on=date(2026, 10, 30),
                file_path="scan/2026/sk-bupati-123.pdf",
            ),
            now=MONDAY,
        )
        assert (output.step_position, output.kind, output.number) == (
            7,
            "sk-bupati",
            "188.4/123/X/2026",
        )
        # The current step's own output, under the kind "output", needs no number.
        record_output(
            session=session,
            staff=staff[Role.OPERATOR],
            catalogue=catalogue,
            proposal_id=proposal.id or 0,
            data=NewOutput(kind="output"),
            now=MONDAY,
        )
        assert [
            o.step_position for o in outputs_of(session=session, proposal_id=proposal.id or 0)
        ] == [7, 8]

    def test_what_the_step_does_not_list_or_has_not_reached_is_refused(
        self, session: Session, catalogue: Catalogue
    ) -> None:
        office, staff = _setup(session, catalogue, "73.08")
        proposal = _group_proposal(session, office, "kube-bone", position=3)
        operator = staff[Role.OPERATOR]

        def record(data: NewOutput, who: StaffUser = operator) -> None:
            record_output(
                session=session,
                staff=who,
                catalogue=catalogue,
                proposal_id=proposal.id or 0,
                data=data,
                now=MONDAY,
            )

        with pytest.raises(InvalidInput) as wrong_kind:
            record(NewOutput(kind="sk-bupati"))  # step 3 produces no decree
        assert wrong_kind.value.key == "proposal.output.kind"
        with pytest.raises(InvalidInput) as ahead:
            record(NewOutput(kind="sk-bupati", step_position=7, number="1"))
        assert ahead.value.key == "proposal.output.step"
        for path in ("/etc/passwd", "../../secret.pdf", "scan/../../x"):
            with pytest.raises(InvalidInput):
                record(NewOutput(kind="output", file_path=path))
        with pytest.raises(Forbidden):
            record(NewOutput(kind="output"), staff[Role.COMPLAINT_OFFICER])

    def test_a_numbered_kind_needs_its_number_and_another_office_sees_nothing(
        self, session: Session, catalogue: Catalogue
    ) -> None:
        office, staff = _setup(session, catalogue, "32.75")
        proposal = _group_proposal(session, office, "kube-bekasi", position=2)
        with pytest.raises(InvalidInput) as missing:
            record_output(
                session=session,
                staff=staff[Role.OPERATOR],
                catalogue=catalogue,
                proposal_id=proposal.id or 0,
                data=NewOutput(kind="ba-verifikasi-validasi"),
                now=MONDAY,
            )
        assert missing.value.key == "proposal.output.number_required"
        said = missing.value.as_dict()
        assert said["message"].startswith("Berita Acara")
        assert said["message_en"].endswith("needs its number.")
        assert "Berita Acara" not in said["message_en"]
        other = session.exec(select(Office).where(Office.code == "73.08")).one()
        stranger = create_staff(
            session=session,
            office_id=other.id or 0,
            username="bone.op",
            full_name="x",
            role=Role.OPERATOR,
            password="password-123",
        )
        with pytest.raises(NotFound):
            record_output(
                session=session,
                staff=stranger,
                catalogue=catalogue,
                proposal_id=proposal.id or 0,
                data=NewOutput(kind="ba-verifikasi-validasi", number="1"),
                now=MONDAY,
            )


class TestGroupReports:
    def test_periods_end_on_their_last_day(self) -> None:
        assert period_end("2026-Q1") == date(2026, 3, 31)
        assert period_end("2026-Q4") == date(2026, 12, 31)
        assert period_end("2026") == date(2026, 12, 31)
        with pytest.raises(InvalidInput):
            period_end("2026-Q5")

    def test_owed_from_the_handover_each_quarter_and_at_the_year_end(
        self, session: Session, catalogue: Catalogue
    ) -> None:
        office, staff = _setup(session, catalogue, "32.75")
        proposal = _group_proposal(session, office, "kube-bekasi", position=5)
        group_id = proposal.applicant_group_id or 0
        operator = staff[Role.OPERATOR]

        def schedule(today: date) -> list[tuple[str, str, date, int, bool]]:
            return [
                (d.kind.kind, d.period, d.due_on, d.days_late, d.report is not None)
                for d in report_schedule(
                    session=session,
                    staff=operator,
                    catalogue=catalogue,
                    group_id=group_id,
                    programme_code="kube-bekasi",
                    today=today,
                )
            ]

        assert schedule(date(2026, 9, 1)) == []  # the goods are not handed over yet
        # Handed over (step 4 passed) on 20 August 2026.
        session.add(
            ProposalEvent(
                proposal_id=proposal.id or 0,
                at=datetime(2026, 8, 20, 3, 0, tzinfo=UTC),
                action="advanced",
                from_position=4,
                to_position=5,
            )
        )
        session.flush()
        record_group_report(
            session=session,
            staff=operator,
            catalogue=catalogue,
            group_id=group_id,
            data=NewGroupReport(
                programme_code="kube-bekasi",
                kind="laporan-aset",
                period="2026-Q3",
                submitted_on=date(2026, 10, 5),
            ),
            now=MONDAY,
        )
        owed = schedule(date(2026, 11, 2))
        periods = sorted({p for _, p, _, _, _ in owed})
        assert periods == ["2026", "2026-Q3", "2026-Q4"]
        assert len(owed) == 3 * 3  # the Juknis's three kinds for each period
        by_key = {(k, p): (due, late, done) for k, p, due, late, done in owed}
        assert by_key[("laporan-aset", "2026-Q3")] == (date(2026, 9, 30), 5, True)
        assert by_key[("laporan-pelaksanaan", "2026-Q3")] == (date(2026, 9, 30), 33, False)
        assert by_key[("laporan-bantuan-sosial", "2026-Q4")] == (date(2026, 12, 31), 0, False)

        with pytest.raises(Conflict):
            record_group_report(
                session=session,
                staff=operator,
                catalogue=catalogue,
                group_id=group_id,
                data=NewGroupReport(
                    programme_code="kube-bekasi",
                    kind="laporan-aset",
                    period="2026-Q3",
                    submitted_on=date(2026, 10, 6),
                ),
                now=MONDAY,
            )
        with pytest.raises(InvalidInput):
            record_group_report(
                session=session,
                staff=operator,
                catalogue=catalogue,
                group_id=group_id,
                data=NewGroupReport(
                    programme_code="kube-bekasi",
                    kind="laporan-keuangan",
                    period="2026-Q3",
                    submitted_on=date(2026, 10, 6),
                ),
                now=MONDAY,
            )

    def test_a_programme_without_group_reports_refuses_them(
        self, session: Session, catalogue: Catalogue
    ) -> None:
        office, staff = _setup(session, catalogue, "73.08")
        proposal = _group_proposal(session, office, "kube-bone", position=1)
        with pytest.raises(InvalidInput) as refused:
            report_schedule(
                session=session,
                staff=staff[Role.OPERATOR],
                catalogue=catalogue,
                group_id=proposal.applicant_group_id or 0,
                programme_code="kube-bone",
                today=date(2026, 11, 2),
            )
        assert refused.value.key == "group_report.none"
