"""Step outputs and group reports over the staff API."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.api.test_proposal_walk import file_uep, move

LAMANDAU = "62.09"


def test_a_decree_is_recorded_with_its_number_at_its_step(
    staff: Any, people: Any, clock: Any
) -> None:
    proposal = file_uep(staff, people)
    operator, head = staff(LAMANDAU, "operator"), staff(LAMANDAU, "head")
    url = f"/api/v1/proposals/{proposal['id']}/outputs"

    disposed = operator.post(url, json={"kind": "proposal-disposisi", "issued_on": "2026-02-02"})
    assert disposed.status_code == 201, disposed.text
    assert disposed.json()["name"] == "Proposal Usulan yang sudah didisposisi oleh pimpinan"
    early = operator.post(url, json={"kind": "sk-penerima", "step_position": 3, "number": "1"})
    assert early.status_code == 422 and early.json()["error"] == "proposal.output.step"

    for role in ("operator", "operator"):
        clock.advance(hours=1)
        proposal = move(staff(LAMANDAU, role), proposal, "advance").json()
    unnumbered = head.post(url, json={"kind": "sk-penerima"})
    assert unnumbered.status_code == 422
    assert unnumbered.json()["error"] == "proposal.output.number_required"
    decree = head.post(
        url,
        json={
            "kind": "sk-penerima",
            "number": "188.45/77/2026",
            "issued_on": "2026-02-03",
            "file_path": "sk/2026/188-45-77.pdf",
        },
    )
    assert decree.status_code == 201, decree.text
    listed = staff(LAMANDAU, "complaint_officer").get(url).json()
    assert [(o["step_position"], o["kind"], o["number"]) for o in listed] == [
        (1, "proposal-disposisi", ""),
        (3, "sk-penerima", "188.45/77/2026"),
    ]
    refused = staff(LAMANDAU, "complaint_officer").post(url, json={"kind": "output"})
    assert refused.status_code == 403


def test_a_bekasi_group_reports_its_quarters(staff: Any, people: Any, clock: Any) -> None:
    operator = staff("32.75", "operator")
    members = [
        people.register(operator, name=f"Anggota {n}", born=date(1980, 1, n), kecamatan=1)
        for n in range(1, 11)
    ]
    group = people.group(operator, members, name="KUBE Sejahtera")
    url = f"/api/v1/groups/{group['id']}/reports"
    none_yet = operator.get(url, params={"programme": "kube-bekasi"})
    assert none_yet.status_code == 200 and none_yet.json() == []
    report = operator.post(
        url,
        json={
            "programme_code": "kube-bekasi",
            "kind": "laporan-aset",
            "period": "2026-Q1",
            "submitted_on": "2026-04-03",
        },
    )
    assert report.status_code == 201, report.text
    assert report.json()["due_on"] == "2026-03-31" and report.json()["days_late"] == 3
    again = operator.post(
        url,
        json={
            "programme_code": "kube-bekasi",
            "kind": "laporan-aset",
            "period": "2026-Q1",
            "submitted_on": "2026-04-04",
        },
    )
    assert again.status_code == 409
    bad = operator.post(
        url,
        json={
            "programme_code": "kube-bekasi",
            "kind": "laporan-aset",
            "period": "Q1",
            "submitted_on": "2026-04-04",
        },
    )
    assert bad.status_code == 422 and bad.json()["error"] == "group_report.period"
