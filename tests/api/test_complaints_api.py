"""Complaint officers work the inbox from the staff API; supervisors read the on-time report."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models import AuditLog, Complaint, Conversation, OutboxMessage
from services.complaints import NewAttachment, add_message
from tests.api.conftest import BUTON_TENGAH, START, Clock, StaffFactory

WALK_IN = {
    "channel": "walk_in",
    "category": "bantuan-terlambat",
    "description": "Saldo BPNT bulan ini belum masuk ke KKS.",
    "complainant_name": "Wa Ode Sitti",
    "complainant_contact": "0812-3456-7001",
}


def test_an_offline_lapor_complaint_needs_its_tracking_number(staff: StaffFactory) -> None:
    operator = staff(BUTON_TENGAH, "operator")
    body = {**WALK_IN, "channel": "lapor"}
    refused = operator.post("/api/v1/complaints/offline", json=body)
    assert refused.status_code == 422
    assert refused.json()["error"] == "complaint.error.lapor_tracking"
    body["lapor_tracking"] = "LAPOR-8812345"
    created = operator.post("/api/v1/complaints/offline", json=body)
    assert created.status_code == 201, created.text
    complaint = created.json()
    assert complaint["number"] == "ADU-BTG-2026-00001"
    assert complaint["lapor_tracking"] == "LAPOR-8812345"
    assert complaint["due_at"] == (START + timedelta(hours=48)).isoformat().replace("+00:00", "Z")


def test_the_inbox_is_sorted_by_deadline_and_hides_confidential_names_from_officers(
    staff: StaffFactory, clock: Clock
) -> None:
    operator = staff(BUTON_TENGAH, "operator")
    first = operator.post("/api/v1/complaints/offline", json={**WALK_IN, "confidential": True})
    clock.advance(hours=3)
    operator.post("/api/v1/complaints/offline", json={**WALK_IN, "complainant_name": "La Ode"})
    officer = staff(BUTON_TENGAH, "complaint_officer")
    inbox = officer.get("/api/v1/complaints").json()
    assert [c["number"] for c in inbox] == [first.json()["number"], inbox[1]["number"]]
    assert inbox[0]["complainant"] == "(dirahasiakan)"
    assert inbox[1]["complainant"] == "La Ode"
    kabid = staff(BUTON_TENGAH, "supervisor")
    seen_by_kabid = kabid.get(f"/api/v1/complaints/{inbox[0]['id']}").json()
    assert seen_by_kabid["complainant"] == "Wa Ode Sitti"


def test_every_complaint_a_list_or_a_claim_shows_is_an_audited_read(
    staff: StaffFactory, db: Engine
) -> None:
    operator = staff(BUTON_TENGAH, "operator")
    first = operator.post("/api/v1/complaints/offline", json={**WALK_IN, "confidential": True})
    second = operator.post("/api/v1/complaints/offline", json=WALK_IN)
    kabid = staff(BUTON_TENGAH, "supervisor")
    listed = kabid.get("/api/v1/complaints").json()
    assert {c["complainant"] for c in listed} == {"Wa Ode Sitti"}  # the confidential one too
    claimed = kabid.post(f"/api/v1/complaints/{second.json()['id']}/claim")
    assert claimed.status_code == 200, claimed.text

    def reads() -> list[tuple[int | None, int | None, str]]:
        with Session(db) as session:
            rows = session.exec(
                select(AuditLog)
                .where(AuditLog.action == "read", AuditLog.entity == "complaint")
                .order_by(col(AuditLog.id))
            ).all()
            return [(r.staff_id, r.entity_id, r.detail) for r in rows]

    who = kabid.info["id"]
    ids = first.json()["id"], second.json()["id"]
    assert reads() == [(who, ids[0], "list"), (who, ids[1], "list"), (who, ids[1], "claim")]


def test_an_answer_reaches_the_complainants_chat_and_a_closed_complaint_cannot_be_answered(
    staff: StaffFactory, clock: Clock, db: Engine
) -> None:
    operator = staff(BUTON_TENGAH, "operator")
    created = operator.post(
        "/api/v1/complaints/offline", json={**WALK_IN, "chat": "telegram:777001"}
    ).json()
    officer = staff(BUTON_TENGAH, "complaint_officer")
    clock.advance(hours=5)
    answered = officer.post(
        f"/api/v1/complaints/{created['id']}/answer",
        json={"text": "Saldo masuk tanggal 20; silakan cek di e-warung."},
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["status"] == "answered"
    with Session(db) as session:
        texts = session.exec(
            select(OutboxMessage.text)
            .join(Conversation, col(Conversation.id) == OutboxMessage.conversation_id)
            .where(Conversation.chat_id == "777001")
        ).all()
    assert len(texts) == 1 and "Saldo masuk tanggal 20" in texts[0]
    # Officers of another office see nothing of it.
    outsider = staff("73.08", "complaint_officer")
    assert outsider.get(f"/api/v1/complaints/{created['id']}").status_code == 404


def test_bad_input_is_a_clear_4xx(staff: StaffFactory) -> None:
    operator = staff(BUTON_TENGAH, "operator")
    unknown = operator.post("/api/v1/complaints/offline", json={**WALK_IN, "category": "x"})
    assert unknown.status_code == 422
    assert unknown.json()["error"] == "complaint.error.category"
    empty = operator.post("/api/v1/complaints/offline", json={**WALK_IN, "description": "  "})
    assert empty.status_code == 422
    officer = staff(BUTON_TENGAH, "complaint_officer")
    assert officer.get("/api/v1/complaints/99999").status_code == 404
    assert officer.post("/api/v1/complaints/1/answer", json={}).status_code == 422


def test_the_report_counts_answers_within_48_hours(staff: StaffFactory, clock: Clock) -> None:
    operator = staff(BUTON_TENGAH, "operator")
    officer = staff(BUTON_TENGAH, "complaint_officer")
    ids = [operator.post("/api/v1/complaints/offline", json=WALK_IN).json()["id"] for _ in range(3)]
    clock.advance(hours=10)
    first = {"text": "Sudah.", "via": "phone_call"}
    assert officer.post(f"/api/v1/complaints/{ids[0]}/answer", json=first).is_success
    clock.advance(hours=40)  # 50 h after receipt: past the deadline
    officer.log_in_again()
    late = officer.post(
        f"/api/v1/complaints/{ids[1]}/answer", json={"text": "Maaf terlambat.", "via": "letter"}
    )
    assert late.status_code == 200, late.text
    kabid = staff(BUTON_TENGAH, "supervisor")
    report = kabid.get(
        "/api/v1/complaints/reports/summary", params={"start": "2026-02-01", "end": "2026-02-28"}
    )
    assert report.status_code == 200, report.text
    body = report.json()
    assert body["total"] == 3
    assert body["answered_on_time"] == 1
    assert body["on_time_share"] == round(1 / 3, 4)
    assert body["median_first_response_hours"] == 30.0
    assert (body["open_now"], body["breached_now"]) == (1, 1)
    assert body["by_channel"] == {"walk_in": 3}
    assert (body["rated"], body["ikm_index"], body["ikm_grade"]) == (0, None, None)
    as_csv = kabid.get(
        "/api/v1/complaints/reports/summary",
        params={"start": "2026-02-01", "end": "2026-02-28", "format": "csv"},
    )
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert "on_time_share,,0.3333" in as_csv.text


def test_an_officer_finds_a_complaint_by_its_ticket_number(staff: StaffFactory) -> None:
    created = staff(BUTON_TENGAH, "operator").post("/api/v1/complaints/offline", json=WALK_IN)
    number = created.json()["number"]
    officer = staff(BUTON_TENGAH, "complaint_officer")
    found = officer.get(f"/api/v1/complaints/by-number/{number.lower()}")
    assert found.status_code == 200, found.text
    assert found.json()["id"] == created.json()["id"]
    assert [e["kind"] for e in found.json()["events"]] == ["received"]
    assert officer.get("/api/v1/complaints/by-number/ADU-BTG-2026-99999").status_code == 404
    outsider = staff("73.08", "complaint_officer")
    assert outsider.get(f"/api/v1/complaints/by-number/{number}").status_code == 404


def test_a_ticket_is_found_as_typed_and_in_its_form_from_before(
    staff: StaffFactory, db: Engine
) -> None:
    created = staff(BUTON_TENGAH, "operator").post("/api/v1/complaints/offline", json=WALK_IN)
    assert created.json()["number"] == "ADU-BTG-2026-00001"
    officer = staff(BUTON_TENGAH, "complaint_officer")

    def found(number: str) -> int:
        answer = officer.get(f"/api/v1/complaints/by-number/{number}")
        return answer.json()["id"] if answer.status_code == 200 else answer.status_code

    assert found("adu btg 2026 1") == created.json()["id"]
    assert found("ADU-BTG-2026-1") == created.json()["id"]
    assert found("bukan-nomor") == 404
    # A ticket numbered before each office counted its own.
    with Session(db) as session:
        complaint = session.get_one(Complaint, created.json()["id"])
        complaint.number = "ADU-2026-00012"
        session.add(complaint)
        session.commit()
    assert found("ADU-2026-00012") == created.json()["id"]
    assert found("adu 2026 12") == created.json()["id"]
    assert found("ADU-BTG-2026-00001") == 404


def test_the_thread_shows_the_complainants_words_files_and_places_and_the_answers(
    staff: StaffFactory, db: Engine
) -> None:
    operator = staff(BUTON_TENGAH, "operator")
    created = operator.post(
        "/api/v1/complaints/offline", json={**WALK_IN, "chat": "telegram:777002"}
    ).json()
    with Session(db) as session:
        complaint = session.get_one(Complaint, created["id"])
        add_message(
            session=session,
            complaint=complaint,
            text="Ini foto kartunya.",
            now=START + timedelta(hours=1),
            attachments=[
                NewAttachment("photo", "telegram", platform_ref="PHOTO-9", mime_type="image/jpeg"),
                NewAttachment("location", "telegram", latitude=-5.25, longitude=122.51),
            ],
            via="telegram",
        )
        session.commit()
    officer = staff(BUTON_TENGAH, "complaint_officer")
    officer.post(f"/api/v1/complaints/{created['id']}/answer", json={"text": "Kami cek besok."})
    thread = officer.get(f"/api/v1/complaints/{created['id']}").json()["thread"]
    assert [(m["kind"], m["side"], m["text"]) for m in thread] == [
        ("received", "complainant", WALK_IN["description"]),
        ("message", "complainant", "Ini foto kartunya."),
        ("answered", "officer", "Kami cek besok."),
    ]
    photo, place = thread[1]["attachments"]
    # Not fetched yet: no address to open it at.
    assert (photo["kind"], photo["status"], photo["url"]) == ("photo", "pending", None)
    assert place["map_url"] == "https://www.google.com/maps?q=-5.250000,122.510000"
    assert thread[2]["officer"] == officer.info["full_name"]


def test_every_channel_the_seeds_name_is_recorded_with_the_complainants_contact(
    staff: StaffFactory,
) -> None:
    operator = staff(BUTON_TENGAH, "operator")
    seeds = ["book", "box", "walk_in", "phone", "sms", "email", "website", "facebook",
             "instagram", "whatsapp_admin"]  # fmt: skip
    for channel in seeds:
        body = {**WALK_IN, "channel": channel, "source_detail": "Admin 2 (082349133203)"}
        created = operator.post("/api/v1/complaints/offline", json=body)
        assert created.status_code == 201, (channel, created.text)
        assert created.json()["complainant_contact"] == "0812-3456-7001"
        assert created.json()["source_detail"] == "Admin 2 (082349133203)"
    # Without a contact the answer would have nowhere to go; the box is anonymous.
    nowhere = operator.post(
        "/api/v1/complaints/offline", json={**WALK_IN, "complainant_contact": ""}
    )
    assert nowhere.status_code == 422
    assert nowhere.json()["error"] == "complaint.error.contact"
    box = {**WALK_IN, "channel": "box", "complainant_contact": ""}
    assert operator.post("/api/v1/complaints/offline", json=box).status_code == 201


def test_an_answer_outside_the_chat_records_how_it_was_given_and_sends_nothing(
    staff: StaffFactory, db: Engine
) -> None:
    operator = staff(BUTON_TENGAH, "operator")
    created = operator.post("/api/v1/complaints/offline", json=WALK_IN).json()
    assert created["in_chat"] is False
    officer = staff(BUTON_TENGAH, "complaint_officer")
    url = f"/api/v1/complaints/{created['id']}/answer"
    # The complainant has no chat: saying it was "sent" is refused.
    refused = officer.post(url, json={"text": "Saldo masuk tanggal 20."})
    assert refused.status_code == 422
    assert refused.json()["error"] == "complaint.error.answer_via"
    answered = officer.post(url, json={"text": "Saldo masuk tanggal 20.", "via": "phone_call"})
    assert answered.status_code == 200, answered.text
    body = answered.json()
    assert body["status"] == "answered" and body["first_response_at"] is not None
    assert body["thread"][-1]["via"] == "phone_call"
    with Session(db) as session:
        assert session.exec(select(OutboxMessage)).all() == []
