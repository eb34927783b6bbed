"""The applicant hears of each step change in her chat, and her status shows why a proposal
came back and what its steps produced (a chat transcript)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from models import Office, Proposal, StaffUser
from services.link_codes import Kind
from services.proposal_records import NewOutput, record_output
from services.proposals import Action, transition
from services.roles import Role
from services.staff import create_staff
from tests.bot.chat_harness import Harness, People, issue

SITI = 9601


def _staff(harness: Harness, role: Role) -> StaffUser:
    with Session(harness.engine, expire_on_commit=False) as session:
        office = session.exec(select(Office).where(Office.code == "62.09")).one()
        staff = create_staff(
            session=session,
            office_id=office.id or 0,
            username=f"lamandau.{role}",
            full_name=str(role),
            role=role,
            password="password-123",
        )
        session.commit()
        return staff


def _move(
    harness: Harness, staff: StaffUser, proposal_id: int, action: Action, note: str = ""
) -> None:
    with Session(harness.engine) as session:
        proposal = session.get_one(Proposal, proposal_id)
        transition(
            session=session,
            staff=staff,
            proposal_id=proposal_id,
            action=action,
            expected_version=proposal.version,
            now=harness.now,
            note=note,
        )
        session.commit()


async def test_a_returned_proposal_tells_her_why_and_her_status_says_so(
    harness: Harness, people: People
) -> None:
    await harness.says(SITI, issue(harness, Kind.PERSON, person=people.siti))
    operator, kabid = _staff(harness, Role.OPERATOR), _staff(harness, Role.SUPERVISOR)
    uep = people.uep.id or 0

    _move(harness, operator, uep, Action.ADVANCE)
    await harness.deliver()
    [advanced] = harness.fake.texts(SITI)[-1:]
    assert f"Kabar usulan {people.uep.number}" in advanced
    assert "Sekarang di tahap 3 dari 6: Penetapan SK penerima bantuan" in advanced
    # The SOP's "3 Hari", counted as working days: the news says that is Sigap's reading.
    assert '3 hari kerja (bacaan Sigap; SOP menulis "3 Hari"): paling lambat' in advanced

    harness.now += timedelta(hours=2)
    _move(harness, kabid, uep, Action.RETURN, note="KK belum lengkap")
    await harness.deliver()
    [returned] = harness.fake.texts(SITI)[-1:]
    assert "dikembalikan ke tahap 2 dari 6" in returned and "Alasan: KK belum lengkap" in returned

    with Session(harness.engine) as session:
        record_output(
            session=session,
            staff=operator,
            catalogue=harness.catalogue,
            proposal_id=uep,
            data=NewOutput(kind="proposal-disposisi", step_position=1, issued_on=date(2026, 3, 2)),
            now=harness.now,
        )
        session.commit()
    [pick] = await harness.says(SITI, "cek status")
    [status] = await harness.says(SITI, "1" if pick.index("UEP") < pick.index("KUBE") else "2")
    assert "Tahap 2 dari 6" in status
    assert "Dikembalikan pada 10 Maret 2026. Alasan: KK belum lengkap" in status
    assert "Hasil tahapan yang tercatat:" in status
    assert "- Proposal Usulan yang sudah didisposisi oleh pimpinan, tanggal 2 Maret 2026" in status
    [back] = await harness.says(SITI, "kembali")
    assert "Pilih salah satu" in back  # her proposals again
