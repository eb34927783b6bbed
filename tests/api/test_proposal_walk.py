"""A UEP Lamandau proposal walks its SOP; the API guards order, roles, offices and versions."""

from __future__ import annotations

import csv
import io
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from models import Proposal

LAMANDAU, BONE = "62.09", "73.08"


def file_uep(staff: Any, people: Any) -> dict[str, Any]:
    operator = staff(LAMANDAU, "operator")
    person = people.register(operator, born=date(1986, 4, 9))
    response = operator.post(
        "/api/v1/proposals",
        json={"programme_code": "uep-lamandau", "person_id": person["id"], "note": "Dari desa"},
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def move(who: Any, proposal: dict[str, Any], action: str, note: str = "") -> Any:
    return who.post(
        f"/api/v1/proposals/{proposal['id']}/transitions",
        json={"action": action, "version": proposal["version"], "note": note},
    )


def test_a_uep_lamandau_proposal_walks_all_six_steps_by_the_right_roles(
    staff: Any, people: Any, clock: Any
) -> None:
    proposal = file_uep(staff, people)
    assert proposal["total_steps"] == 6
    assert proposal["number"] == "UEP-LMD-2026-0001"
    assert proposal["current_step"]["position"] == 1

    # (who records the step, action): the SOP's actors, step by step.
    walk = [
        ("operator", "advance"),
        ("operator", "advance"),
        ("head", "advance"),
        ("supervisor", "advance"),
        ("operator", "advance"),
        ("operator", "complete"),
    ]
    for role, action in walk:
        clock.advance(hours=1)
        response = move(staff(LAMANDAU, role), proposal, action, note=f"{role} {action}")
        assert response.status_code == 200, response.text
        proposal = response.json()

    assert proposal["status"] == "completed"
    assert proposal["version"] == 7
    history = staff(LAMANDAU, "operator").get(f"/api/v1/proposals/{proposal['id']}/history")
    events = history.json()
    assert [(e["action"], e["to_position"]) for e in events] == [
        ("submitted", 1),
        ("advanced", 2),
        ("advanced", 3),
        ("advanced", 4),
        ("advanced", 5),
        ("advanced", 6),
        ("completed", 6),
    ]
    assert events[3]["staff_username"] == "head.6209"
    assert all(e["to_step"] for e in events)


def test_a_step_past_its_standard_shows_how_many_working_days_late(
    staff: Any, people: Any, clock: Any
) -> None:
    proposal = file_uep(staff, people)
    operator = staff(LAMANDAU, "operator")
    clock.advance(minutes=10)  # step 1 has five minutes
    late = operator.get(f"/api/v1/proposals/{proposal['id']}").json()
    assert late["current_step"]["is_late"] is True

    proposal = move(operator, proposal, "advance").json()
    assert proposal["current_step"]["is_late"] is False
    assert proposal["next_step"]["position"] == 3
    # Step 2 has two working days: entered Monday, due Wednesday, and Friday is two days late.
    clock.advance(days=4)
    assert operator.get("/api/v1/auth/me").status_code == 401  # twelve-hour sessions
    operator.log_in_again()
    friday = operator.get(f"/api/v1/proposals/{proposal['id']}").json()
    assert friday["current_step"]["is_late"] is True
    assert friday["current_step"]["working_days_late"] == 2


def test_a_role_the_step_does_not_allow_is_forbidden(staff: Any, people: Any) -> None:
    proposal = file_uep(staff, people)
    # Step 1 is the operator's; a Kepala Dinas does not record it.
    response = move(staff(LAMANDAU, "head"), proposal, "advance")
    assert response.status_code == 403
    assert response.json()["error"] == "error.step_role"


def test_staff_of_another_office_cannot_see_or_move_the_proposal(staff: Any, people: Any) -> None:
    proposal = file_uep(staff, people)
    outsider = staff(BONE, "operator")
    for response in (
        outsider.get(f"/api/v1/proposals/{proposal['id']}"),
        outsider.get(f"/api/v1/proposals/{proposal['id']}/history"),
        move(outsider, proposal, "advance"),
    ):
        # As if there were no such proposal: 403 would say there is one.
        assert response.status_code == 404
        assert response.json()["error"] == "error.not_found"
    assert outsider.get("/api/v1/proposals", params={"number": proposal["number"]}).json() == []


def test_completing_before_the_last_step_is_a_conflict(staff: Any, people: Any) -> None:
    proposal = file_uep(staff, people)
    response = move(staff(LAMANDAU, "operator"), proposal, "complete")
    assert response.status_code == 409
    assert response.json()["error"] == "error.not_last_step"


def test_two_transitions_from_the_same_version_one_wins_one_gets_409(
    staff: Any, people: Any
) -> None:
    proposal = file_uep(staff, people)
    operator = staff(LAMANDAU, "operator")
    admin = staff(LAMANDAU, "admin")
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(move, who, proposal, "advance") for who in (operator, admin)]
        statuses = sorted(f.result().status_code for f in futures)
    assert statuses == [200, 409]
    after = operator.get(f"/api/v1/proposals/{proposal['id']}").json()
    assert (after["version"], after["current_step"]["position"]) == (2, 2)


def test_returning_or_rejecting_needs_a_reason(staff: Any, people: Any) -> None:
    proposal = file_uep(staff, people)
    proposal = move(staff(LAMANDAU, "operator"), proposal, "advance").json()
    supervisor = staff(LAMANDAU, "supervisor")

    for action in ("return", "reject"):
        response = move(supervisor, proposal, action, note="  ")
        assert response.status_code == 422
        assert response.json()["error"] == "error.reason_required"

    returned = move(supervisor, proposal, "return", note="KTP tidak terbaca")
    assert returned.status_code == 200
    assert returned.json()["current_step"]["position"] == 1
    rejected = move(supervisor, returned.json(), "reject", note="Sudah menerima bantuan lain")
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["rejection_reason"] == "Sudah menerima bantuan lain"


def test_an_operator_may_not_return_a_proposal(staff: Any, people: Any) -> None:
    proposal = file_uep(staff, people)
    proposal = move(staff(LAMANDAU, "operator"), proposal, "advance").json()
    response = move(staff(LAMANDAU, "operator"), proposal, "return", note="salah")
    assert response.status_code == 403


def test_a_transition_with_a_bad_body_is_a_422(staff: Any, people: Any) -> None:
    proposal = file_uep(staff, people)
    operator = staff(LAMANDAU, "operator")
    url = f"/api/v1/proposals/{proposal['id']}/transitions"
    for body in (
        {"action": "teleport", "version": 1},
        {"action": "advance", "version": "satu"},
        {"action": "advance", "version": 10**20},
        {"action": "advance", "version": 1, "note": "x" * 501},
    ):
        assert operator.post(url, json=body).status_code == 422, body


def test_proposals_are_found_by_number_nik_and_name(staff: Any, people: Any) -> None:
    proposal = file_uep(staff, people)
    operator = staff(LAMANDAU, "operator")
    nik = proposal["applicant"]["nik"]
    for params in (
        {"number": proposal["number"].lower()},
        {"nik": nik},
        {"name": "aminah"},
        {"programme": "uep-lamandau", "status": "in_progress"},
    ):
        found = operator.get("/api/v1/proposals", params=params).json()
        assert [p["number"] for p in found] == [proposal["number"]], params
    assert operator.get("/api/v1/proposals", params={"nik": nik[:10]}).json() == []


def test_a_number_is_found_as_people_type_it_and_in_its_form_from_before(
    staff: Any, people: Any, db: Engine
) -> None:
    proposal = file_uep(staff, people)
    operator = staff(LAMANDAU, "operator")

    def found(number: str) -> list[str]:
        answer = operator.get("/api/v1/proposals", params={"number": number})
        assert answer.status_code == 200, answer.text
        return [p["number"] for p in answer.json()]

    assert found("uep lmd 2026 1") == ["UEP-LMD-2026-0001"]
    assert found("UEP / LMD / 2026 / 0001") == ["UEP-LMD-2026-0001"]
    assert found("UEP-BON-2026-0001") == []  # another office's numbering
    assert found("bukan nomor") == []
    # A proposal numbered before each office counted its own.
    with Session(db) as session:
        row = session.get_one(Proposal, proposal["id"])
        row.number = "UEP-2026-0007"
        session.add(row)
        session.commit()
    assert found("uep 2026 7") == ["UEP-2026-0007"]


def test_the_report_counts_open_proposals_per_step_as_json_and_csv(staff: Any, people: Any) -> None:
    first = file_uep(staff, people)
    file_uep(staff, people)
    move(staff(LAMANDAU, "operator"), first, "advance")
    supervisor = staff(LAMANDAU, "supervisor")

    report = supervisor.get("/api/v1/reports/proposals-per-step").json()
    assert [(r["programme_code"], r["step_position"], r["count"]) for r in report] == [
        ("uep-lamandau", 1, 1),
        ("uep-lamandau", 2, 1),
    ]
    as_csv = supervisor.get("/api/v1/reports/proposals-per-step", params={"format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [(r["step_position"], r["count"]) for r in rows] == [("1", "1"), ("2", "1")]
    # Another office's report does not see Lamandau's proposals.
    assert staff(BONE, "supervisor").get("/api/v1/reports/proposals-per-step").json() == []


def test_programmes_of_my_office_list_steps_and_time_standards(staff: Any) -> None:
    operator = staff(LAMANDAU, "operator")
    listed = operator.get("/api/v1/programmes").json()
    assert [p["code"] for p in listed] == ["uep-lamandau"]
    steps = listed[0]["steps"]
    assert len(steps) == 6
    assert steps[0]["time_standard"] == {"minutes": 5, "working_days": None}
    assert steps[2]["allowed_roles"] == ["head"]
    assert operator.get("/api/v1/programmes/kube-bone").status_code == 404
    assert operator.get("/api/v1/programmes/tidak-ada").status_code == 404
