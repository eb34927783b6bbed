"""The notices API: compose with a preview, send, change, pause, cancel, report; bad input is a
4xx naming what is wrong and keeps nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, col, func, select

from models import Notice, NoticeRound, OutboxMessage
from services.nik import mask_nik
from services.notice_fanout import run_due
from tests.api.conftest import BEKASI, BUTON_TENGAH, Clock, People, Staff, StaffFactory

PHONE = "whatsapp"
UNKNOWN = "notice.audience.unknown"


@pytest.fixture
def operator(staff: StaffFactory) -> Staff:
    return staff(BUTON_TENGAH, "operator")


@pytest.fixture
def boneoge(operator: Staff, people: People) -> list[dict[str, Any]]:
    """Three KPM of Boneoge (one without a phone) and one of Lakudo."""
    found = []
    for name, desa, phone in (
        ("Wa Ode Sitti", "Boneoge", "0812-7100-0001"),
        ("Hasnah", "Boneoge", "0812-7100-0002"),
        ("La Ode Hamzah", "Boneoge", ""),
        ("Marlina", "Lakudo", "0812-7100-0004"),
    ):
        body = people.body(BUTON_TENGAH, name=name, desa=desa)
        body["phone"] = phone
        response = operator.post("/api/v1/persons", json=body)
        assert response.status_code == 201, response.text
        found.append(response.json())
    return found


def _body(clock: Clock, **changes: Any) -> dict[str, Any]:
    return {
        "kind": "socialisation",
        "title": "Sosialisasi BPNT",
        "place": "Balai Desa Boneoge",
        "starts_at": (clock.now + timedelta(days=3)).isoformat(),
        "details": "Bawa KTP dan KKS.",
        "audience": {"desa": ["Boneoge"]},
        **changes,
    }


def _notices(db: Engine) -> int:
    with Session(db) as session:
        return session.exec(select(func.count()).select_from(Notice)).one()


class TestComposing:
    def test_preview_then_send_then_report(
        self, operator: Staff, boneoge: list[dict[str, Any]], clock: Clock, db: Engine
    ) -> None:
        preview = operator.post("/api/v1/notices/preview", json=_body(clock))
        assert preview.status_code == 200, preview.text
        shown = preview.json()
        assert shown["reach"] == {
            "recipients": 3, "by_chat": 0, "by_phone": 2, "unreachable": 1, "opted_out": 0,
        }  # fmt: skip
        assert "Balai Desa Boneoge" in shown["texts"]["id"]
        assert shown["template"]["name"] == "sigap_notice"
        assert len(shown["reminders_at"]) == 2  # the day before at 08.00, two hours before
        assert _notices(db) == 0

        created = operator.post("/api/v1/notices", json=_body(clock))
        assert created.status_code == 201, created.text
        notice = created.json()
        assert notice["status"] == "scheduled" and notice["send_at"]
        assert [r["kind"] for r in notice["rounds"]] == ["notice", "reminder-1", "reminder-2"]

        assert run_due(engine=db, now=clock.now, worker_id="w", phone_channel=PHONE) == 2
        report = operator.get(f"/api/v1/notices/{notice['id']}/report")
        assert report.status_code == 200, report.text
        body = report.json()
        assert body["recipients"] == 3
        assert body["counts"]["queued"] == 2 and body["counts"]["unreachable"] == 1
        [missing] = body["not_reached"]
        assert missing["name"] == "La Ode Hamzah" and missing["reason"] == "no phone"
        assert missing["nik_masked"] == mask_nik(boneoge[2]["nik"])
        assert body["per_desa"] == [
            {"desa": "Boneoge", "recipients": 3, "reached": 0, "not_reached": 1,
             "attending": 0, "not_attending": 0},
        ]  # fmt: skip

        # The sender delivers; WhatsApp's receipts say one was read.
        with Session(db) as session:
            session.execute(update(OutboxMessage).values(status="delivered"))
            first = session.exec(select(func.min(OutboxMessage.id))).one()
            session.execute(
                update(OutboxMessage).where(col(OutboxMessage.id) == first).values(status="read")
            )
            session.commit()
        counts = operator.get(f"/api/v1/notices/{notice['id']}/report").json()["counts"]
        assert (counts["delivered"], counts["read"]) == (1, 1)

        csv = operator.get(f"/api/v1/notices/{notice['id']}/report.csv")
        assert csv.status_code == 200
        assert csv.headers["content-type"].startswith("text/csv")
        lines = csv.text.splitlines()
        assert lines[0] == "nama,nik,desa,kecamatan,telepon,status,alasan"
        assert lines[1].startswith("La Ode Hamzah,") and boneoge[2]["nik"] not in csv.text

    def test_a_file_of_niks_becomes_the_audience(
        self, operator: Staff, boneoge: list[dict[str, Any]], clock: Clock, db: Engine
    ) -> None:
        upload = f"nik\n{boneoge[0]['nik']}\n{boneoge[3]['nik']}\n".encode()
        read = operator.post(
            "/api/v1/notices/niks", files={"file": ("niks.csv", upload, "text/csv")}
        )
        assert read.status_code == 200, read.text
        assert read.json()["count"] == 2
        body = _body(clock, audience={"niks": read.json()["niks"]})
        created = operator.post("/api/v1/notices", json=body)
        assert created.status_code == 201, created.text
        run_due(engine=db, now=clock.now, worker_id="w", phone_channel=PHONE)
        report = operator.get(f"/api/v1/notices/{created.json()['id']}/report").json()
        assert report["recipients"] == 2

    def test_a_change_is_one_correction_cancel_tells_it_is_off_pause_holds(
        self, operator: Staff, boneoge: list[dict[str, Any]], clock: Clock, db: Engine
    ) -> None:
        notice = operator.post("/api/v1/notices", json=_body(clock, reminders=[])).json()
        url = f"/api/v1/notices/{notice['id']}"
        run_due(engine=db, now=clock.now, worker_id="w", phone_channel=PHONE)
        changed = operator.client.patch(
            url, headers=operator.headers, json={"place": "Aula Kantor Camat Lakudo"}
        )
        assert changed.status_code == 200, changed.text
        assert changed.json()["revision"] == 2
        assert [r["kind"] for r in changed.json()["rounds"]] == ["notice", "correction-1"]
        assert run_due(engine=db, now=clock.now, worker_id="w", phone_channel=PHONE) == 2

        paused = operator.post(f"{url}/pause")
        assert paused.status_code == 200 and paused.json()["paused"] is True
        assert operator.post(f"{url}/pause").status_code == 409
        with Session(db) as session:
            assert set(session.exec(select(OutboxMessage.status)).all()) == {"paused"}
        assert operator.post(f"{url}/resume").json()["paused"] is False

        with Session(db) as session:
            session.execute(update(OutboxMessage).values(status="sent"))
            session.commit()
        cancelled = operator.post(f"{url}/cancel")
        assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
        assert run_due(engine=db, now=clock.now, worker_id="w", phone_channel=PHONE) == 2
        with Session(db) as session:
            rounds = session.exec(select(NoticeRound.kind, NoticeRound.status)).all()
        assert ("cancellation", "done") in rounds
        assert operator.post(f"{url}/cancel").status_code == 409
        assert (
            operator.client.patch(url, headers=operator.headers, json={"place": "X"}).status_code
            == 409
        )

    def test_another_offices_notice_is_not_found(
        self, operator: Staff, staff: StaffFactory, boneoge: list[dict[str, Any]], clock: Clock
    ) -> None:
        notice = operator.post("/api/v1/notices", json=_body(clock)).json()
        stranger = staff(BEKASI, "operator")
        assert stranger.get(f"/api/v1/notices/{notice['id']}").status_code == 404
        assert stranger.get(f"/api/v1/notices/{notice['id']}/report").status_code == 404
        assert stranger.post(f"/api/v1/notices/{notice['id']}/cancel").status_code == 404
        assert [n["id"] for n in operator.get("/api/v1/notices").json()] == [notice["id"]]


class TestBadInput:
    @pytest.mark.parametrize(
        ("changes", "error", "named"),
        [
            ({"audience": {"desa": ["Atlantis"]}}, UNKNOWN, "Atlantis"),
            ({"audience": {"kecamatan": ["Nowhere"]}}, UNKNOWN, "Nowhere"),
            ({"audience": {"programme": ["kube-bekasi"]}}, UNKNOWN, "kube-bekasi"),
            ({"audience": {"step": ["bpnt-buton-tengah:99"]}}, UNKNOWN, ":99"),
            ({"audience": {"groups": [999]}}, UNKNOWN, "999"),
            ({"audience": {"niks": ["74140112"]}}, UNKNOWN, "7414"),
            ({"audience": {"desa": ["Lakudo"], "programme": ["bpnt-buton-tengah"]}},
             "notice.error.nobody", ""),
            ({"starts_at": "2020-01-01T09:00:00+08:00"}, "notice.error.past", ""),
            ({"send_at": "2030-01-01T09:00:00+08:00"}, "notice.error.send_after_start", ""),
            ({"kind": "party"}, "notice.error.kind", "registration"),
            ({"reminders": [{"days_before": 1}, {"hours_before": 2}, {"hours_before": 3},
                            {"hours_before": 4}]}, "error.validation", ""),
            ({"audience": {"town": ["Boneoge"]}}, "error.validation", "town"),
            ({"starts_at": "2026-03-01T09:00:00"}, "error.validation", "starts_at"),
        ],
    )  # fmt: skip
    def test_refused_with_what_is_wrong_and_nothing_kept(
        self,
        operator: Staff,
        boneoge: list[dict[str, Any]],
        clock: Clock,
        db: Engine,
        changes: dict[str, Any],
        error: str,
        named: str,
    ) -> None:
        for path in ("/api/v1/notices/preview", "/api/v1/notices"):
            response = operator.post(path, json=_body(clock, **changes))
            assert response.status_code == 422, response.text
            body = response.json()
            assert body["error"] == error
            assert named in str(body), body
        assert _notices(db) == 0

    def test_a_file_with_unknown_and_malformed_niks_names_each_line(
        self, operator: Staff, boneoge: list[dict[str, Any]]
    ) -> None:
        upload = f"{boneoge[0]['nik']}\n7414abc\n7414016508800999\n".encode()
        response = operator.post(
            "/api/v1/notices/niks", files={"file": ("niks.csv", upload, "text/csv")}
        )
        assert response.status_code == 422
        lines = sorted(d["line"] for d in response.json()["details"])
        assert lines == [2, 3]

    def test_a_complaint_officer_may_read_but_not_send(
        self, staff: StaffFactory, boneoge: list[dict[str, Any]], clock: Clock
    ) -> None:
        officer = staff(BUTON_TENGAH, "complaint_officer")
        assert officer.post("/api/v1/notices", json=_body(clock)).status_code == 403
        assert officer.get("/api/v1/notices").status_code == 200
