"""The office's report for a period: complaints month by month (in the office's own months),
answered on time or late, how fast, by desa, the IKM; proposals that entered each step and
were late at it; how far notices reached."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from models import (
    Complaint,
    Notice,
    NoticeRecipient,
    Office,
    Person,
    Programme,
    Proposal,
    ProposalEvent,
)
from services.office_report import office_report, percentile, period
from tests import privacy_world as build
from tests.privacy_world import NOW

WIB = ZoneInfo("Asia/Pontianak")


def _complaint(
    session: Session,
    office: Office,
    number: str,
    received: datetime,
    *,
    answered_after: timedelta | None = None,
    due_after: timedelta = timedelta(hours=48),
    who: Person | None = None,
    rating: int | None = None,
    channel: str = "walk_in",
) -> Complaint:
    row = Complaint(
        number=number,
        office_id=office.id or 0,
        category="bantuan-terlambat",
        channel=channel,
        description="-",
        person_id=who.id if who else None,
        received_at=received,
        clock_started_at=received,
        due_at=received + due_after,
        first_response_at=received + answered_after if answered_after else None,
        status="answered" if answered_after else "open",
        rating=rating,
    )
    session.add(row)
    session.flush()
    return row


def _walk(
    session: Session, office: Office, number: str, moves: list[tuple[str, int, datetime]]
) -> None:
    """A UEP proposal whose history is ``moves`` (action, step it goes to, when)."""
    programme = session.exec(select(Programme).where(Programme.code == "uep-lamandau")).one()
    applicant = build.person(session, office, 100 + int(number[-1]), name=number)
    last_action, last_step, last_at = moves[-1]
    proposal = Proposal(
        number=number,
        programme_id=programme.id or 0,
        office_id=office.id or 0,
        applicant_person_id=applicant.id,
        step_position=last_step,
        step_entered_at=last_at,
        submitted_at=moves[0][2],
        status="completed" if last_action == "completed" else "in_progress",
        closed_at=last_at if last_action == "completed" else None,
    )
    session.add(proposal)
    session.flush()
    previous = None
    for action, step, at in moves:
        session.add(
            ProposalEvent(
                proposal_id=proposal.id or 0,
                at=at,
                action=action,
                from_position=previous,
                to_position=step,
            )
        )
        previous = step
    session.flush()


def test_the_report_of_a_quarter(session: Session) -> None:
    office = build.offices(session)["lamandau"]
    nanga = build.person(session, office, 41, name="Maria")
    nanga.desa = "Nanga Bulik"
    start, end = period(date(2026, 9, 1), date(2026, 11, 30), office.timezone)

    # October: answered in 5 hours (rated 4); November: answered after its deadline (rated
    # 3), one still open, and one at 00.30 on 1 November in Lamandau (31 October in UTC).
    _complaint(session, office, "A1", datetime(2026, 10, 15, 9, tzinfo=WIB),
               answered_after=timedelta(hours=5), who=nanga, rating=4)  # fmt: skip
    _complaint(session, office, "A2", datetime(2026, 11, 2, 9, tzinfo=WIB),
               answered_after=timedelta(hours=60), rating=3, channel="phone")  # fmt: skip
    _complaint(session, office, "A3", datetime(2026, 11, 20, 9, tzinfo=WIB))
    _complaint(session, office, "A4", datetime(2026, 11, 1, 0, 30, tzinfo=WIB))
    _complaint(session, office, "A0", datetime(2026, 8, 31, 23, tzinfo=WIB))  # before it

    # UEP step 1 has five minutes, step 2 two working days, step 3 three.
    t0 = datetime(2026, 10, 5, 9, tzinfo=WIB)  # a Monday
    _walk(session, office, "UEP-1", [("submitted", 1, t0)])  # still at step 1: late
    _walk(session, office, "UEP-2", [
        ("submitted", 1, t0),
        ("advanced", 2, t0 + timedelta(minutes=2)),
        ("advanced", 3, t0 + timedelta(days=1)),
    ])  # fmt: skip

    notice = Notice(office_id=office.id or 0, kind="socialisation", title="Sosialisasi",
                    place="Aula", starts_at=NOW, send_at=NOW - timedelta(days=3),
                    status="sent", sent_at=NOW - timedelta(days=3))  # fmt: skip
    session.add(notice)
    session.flush()
    # Two persons told on their chats and reminded once; a third had no phone: not reached.
    for index, kind in enumerate(("notice", "notice", "reminder-1", "notice")):
        kpm = build.person(session, office, 60 + index, name=f"KPM {index}")
        chat = build.chat(session, f"n{index}") if index < 3 else None
        session.add(NoticeRecipient(notice_id=notice.id or 0, person_id=kpm.id or 0, kind=kind,
                                    conversation_id=chat.id if chat else None,
                                    via="chat" if chat else "", status="queued" if chat else
                                    "unreachable"))  # fmt: skip
    session.flush()

    report = office_report(
        session=session, office_id=office.id or 0, timezone=office.timezone,
        start=start, end=end, now=NOW, response_hours=48,
    )  # fmt: skip

    assert [(m.month, m.received, m.answered_on_time, m.answered_late, m.unanswered)
            for m in report.months] == [
        ("2026-09", 0, 0, 0, 0),
        ("2026-10", 1, 1, 0, 0),
        ("2026-11", 3, 0, 1, 2),
    ]  # fmt: skip
    assert report.complaints.total == 4
    assert (report.complaints.ikm_index, report.complaints.ikm_grade) == (87.5, "B")
    assert report.complaints.rated == 2
    assert report.percentiles == {0.5: 5.0, 0.75: 60.0, 0.9: 60.0}
    assert report.answered == 2
    assert report.by_desa == {"": 3, "Nanga Bulik": 1}
    assert report.complaints.by_channel == {"walk_in": 3, "phone": 1}

    steps = {row.position: row for row in report.steps if row.programme_code == "uep-lamandau"}
    assert (steps[1].entered, steps[1].late, steps[1].open_now) == (2, 1, 1)
    assert (steps[2].entered, steps[2].late, steps[2].open_now) == (1, 0, 0)
    assert (steps[3].entered, steps[3].late, steps[3].open_now) == (1, 1, 1)
    assert all(row.timed for row in steps.values())

    assert (report.notices.sent, report.notices.chats, report.notices.reminders) == (1, 2, 1)


def test_percentiles_are_values_that_occurred() -> None:
    assert percentile([], 0.5) is None
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.9) == 4.0
