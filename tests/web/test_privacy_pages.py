"""The personal-data pages in a real browser. The audit log: the Kadis reads the office's
trail in words, narrows it by staff member, action, dates and a person's NIK (posted, never in
a URL, shown masked), downloads it as CSV; reading it is itself on the trail. A person's data:
found by NIK, exported as JSON and CSV, erased after a typed confirmation. An operator gets
neither page."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from models import AuditLog, Office, Person, Proposal, StaffUser
from services import audit
from tests import privacy_world as build
from tests.web.conftest import LiveSigap, log_in


def _seed_trail(live: LiveSigap) -> tuple[Person, str]:
    """Three rows of Buton Tengah, one of Bone; returns the person they are about and their NIK."""
    now = datetime.now(UTC)
    with Session(live.engine, expire_on_commit=False) as session:
        office = session.exec(select(Office).where(Office.slug == "buton-tengah")).one()
        operator = session.exec(
            select(StaffUser).where(StaffUser.username == "buton-tengah.operator")
        ).one()
        proposal = session.exec(
            select(Proposal)
            .where(Proposal.office_id == office.id, col(Proposal.applicant_person_id).is_not(None))
            .order_by(col(Proposal.id))
        ).first()
        assert proposal is not None
        person = session.get_one(Person, proposal.applicant_person_id)
        other = session.exec(
            select(Person).where(Person.office_id == office.id, Person.id != person.id)
        ).first()
        assert other is not None
        rows = [
            ("read", "person", person.id, now - timedelta(days=9), "trail-test: old read"),
            ("link_code", "person", person.id, now - timedelta(hours=2), "trail-test: a code"),
            ("read", "person", other.id, now - timedelta(hours=1), "trail-test: someone else"),
        ]
        for action, entity, entity_id, at, detail in rows:
            audit.record(
                session=session, staff=operator, action=action, entity=entity,
                entity_id=entity_id, now=at, detail=detail,
            )  # fmt: skip
        session.commit()
        return person, person.nik


def test_the_kadis_reads_narrows_and_downloads_the_trail(
    page: Page, live_sigap: LiveSigap, tmp_path: Path
) -> None:
    person, nik = _seed_trail(live_sigap)
    asked: list[str] = []
    posted: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.on("request", lambda request: posted.append(request.post_data or ""))
    log_in(page, "buton-tengah.kadis")
    page.get_by_role("link", name="Administrasi").click()
    page.get_by_role("link", name="Log audit").click()
    table = page.locator("#audit")
    expect(table).to_contain_text("trail-test: someone else")
    expect(table).to_contain_text("membuat kode tautan")  # words, not the code "link_code"
    expect(table).not_to_contain_text("link_code")
    expect(table).to_contain_text("(buton-tengah.operator)")

    # By action.
    page.get_by_label("Aksi").select_option(label="membuat kode tautan")
    page.get_by_role("button", name="Saring", exact=True).click()
    expect(table).to_contain_text("trail-test: a code")
    expect(table).not_to_contain_text("trail-test: someone else")
    assert "action=link_code" in page.url

    # By person: the NIK is posted, the page shows it masked and names the person by id.
    page.get_by_label("Aksi").select_option(label="Semua aksi")
    page.get_by_role("button", name="Saring", exact=True).click()
    page.get_by_label("NIK orang").fill(nik)
    page.get_by_role("button", name="Saring menurut orang").click()
    expect(page.locator("#person-filter")).to_contain_text(nik[:4] + "*" * 12)
    expect(table).to_contain_text("trail-test: a code")
    expect(table).to_contain_text("trail-test: old read")
    expect(table).not_to_contain_text("trail-test: someone else")
    assert f"person={person.id}" in page.url
    assert nik not in page.content()

    # By dates: the old read falls outside the last three days.
    start = (datetime.now(UTC) - timedelta(days=3)).date().isoformat()
    page.get_by_label("Dari tanggal").fill(start)
    page.get_by_role("button", name="Saring", exact=True).click()
    expect(table).to_contain_text("trail-test: a code")
    expect(table).not_to_contain_text("trail-test: old read")

    # The CSV file has what the page shows.
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh CSV").click()
    saved = tmp_path / "audit.csv"
    download.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"))))
    details = {row["detail"] for row in rows}
    assert "trail-test: a code" in details
    assert not details & {"trail-test: old read", "trail-test: someone else"}
    assert {row["action"] for row in rows if row["action_code"] == "link_code"} == {
        "membuat kode tautan"
    }
    assert nik not in saved.read_text(encoding="utf-8")

    # The NIK went out in a form body only; no address the browser asked for holds it.
    assert any(nik in body for body in posted)
    assert not any(nik in url for url in asked)
    with Session(live_sigap.engine) as session:
        kadis = session.exec(
            select(StaffUser).where(StaffUser.username == "buton-tengah.kadis")
        ).one()
        seen = session.exec(
            select(AuditLog).where(
                AuditLog.staff_id == kadis.id,
                col(AuditLog.action).in_(["view_audit", "export_audit"]),
            )
        ).all()
    assert {r.action for r in seen} == {"view_audit", "export_audit"}
    assert any(r.entity == "person" and r.entity_id == person.id for r in seen)
    assert all(nik not in r.detail for r in seen)


def test_an_unknown_nik_says_so_without_repeating_it(page: Page, live_sigap: LiveSigap) -> None:
    log_in(page, "buton-tengah.admin", then="/staff/audit")
    page.get_by_label("NIK orang").fill("7414019999990001")
    page.get_by_role("button", name="Saring menurut orang").click()
    expect(page.locator("#e-nik")).to_contain_text("Tidak ada orang dengan NIK itu")
    assert "7414019999990001" not in page.content().replace('value=""', "")


def test_impossible_dates_are_refused_as_input(page: Page, live_sigap: LiveSigap) -> None:
    log_in(page, "buton-tengah.admin")
    for query in ("end=9999-12-31", "start=0001-01-01", "start=2026-13-01", "upto=x"):
        response = page.goto(f"/staff/audit?{query}")
        assert response is not None and response.status == 422, query


def test_an_operator_has_no_audit_log(page: Page, live_sigap: LiveSigap) -> None:
    log_in(page, "buton-tengah.operator", then="/staff/admin")
    expect(page.get_by_role("link", name="Log audit")).to_have_count(0)
    response = page.goto("/staff/audit")
    assert response is not None and response.status == 403
    response = page.goto("/staff/audit.csv")
    assert response is not None and response.status == 403


def test_another_offices_person_is_not_found(page: Page, live_sigap: LiveSigap) -> None:
    with Session(live_sigap.engine) as session:
        bone = session.exec(select(Office).where(Office.slug == "bone")).one()
        stranger = session.exec(select(Person).where(Person.office_id == bone.id)).first()
    assert stranger is not None
    log_in(page, "buton-tengah.kadis")
    response = page.goto(f"/staff/audit?person={stranger.id}")
    assert response is not None and response.status == 404


def _applicant_at_the_desk(live: LiveSigap) -> tuple[int, str]:
    """A person of Buton Tengah with a proposal and a linked chat, made for this story."""
    with Session(live.engine, expire_on_commit=False) as session:
        office = session.exec(select(Office).where(Office.slug == "buton-tengah")).one()
        person = build.person(session, office, 9001, name="Wa Ode Erasmi", phone="0812-7000-9001")
        build.proposal(session, office, person, f"WEB-{person.id}")
        build.chat(session, f"web-erase-{person.id}", person)
        session.commit()
        return person.id or 0, person.nik


def test_the_kadis_exports_then_erases_a_persons_data(
    page: Page, live_sigap: LiveSigap, tmp_path: Path
) -> None:
    person_id, nik = _applicant_at_the_desk(live_sigap)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    log_in(page, "buton-tengah.kadis")
    page.get_by_role("link", name="Administrasi").click()
    page.get_by_role("link", name="Data pribadi").click()
    page.get_by_label("NIK orang itu").fill(nik)
    page.get_by_role("button", name="Cari").click()
    page.wait_for_url(f"**/staff/persons/{person_id}/data")
    section = page.locator("#person")
    expect(section).to_contain_text("Wa Ode Erasmi, NIK " + nik[:4] + "*" * 12)
    expect(page.locator("#held")).to_contain_text("1 usulan")
    expect(page.locator("#held")).to_contain_text("1 chat terhubung")

    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh JSON").click()
    saved = tmp_path / "data.json"
    download.value.save_as(saved)
    assert download.value.suggested_filename.startswith(f"data-pribadi-{person_id}-")
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert (data["person"]["nik"], data["person"]["name"]) == (nik, "Wa Ode Erasmi")
    assert [p["number"] for p in data["proposals"]] == [f"WEB-{person_id}"]
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh CSV").click()
    download.value.save_as(tmp_path / "data.csv")
    assert nik in (tmp_path / "data.csv").read_text(encoding="utf-8")

    page.get_by_label("Ketik HAPUS untuk memastikan").fill("ya")
    page.get_by_role("button", name="Hapus data pribadi").click()
    expect(page.locator("#e-confirm")).to_contain_text("Ketik HAPUS")
    with Session(live_sigap.engine) as session:
        assert session.get_one(Person, person_id).erased_at is None

    page.get_by_label("Ketik HAPUS untuk memastikan").fill("hapus")
    page.get_by_role("button", name="Hapus data pribadi").click()
    expect(page.get_by_role("status")).to_contain_text("telah dihapus")
    expect(section).not_to_contain_text("Wa Ode Erasmi")
    expect(page.get_by_role("button", name="Hapus data pribadi")).to_have_count(0)
    assert not any(nik in url for url in asked)
    with Session(live_sigap.engine) as session:
        person = session.get_one(Person, person_id)
        assert person.name == f"ANONIM-{person_id}" and person.phone == ""
        actions = session.exec(
            select(AuditLog.action).where(
                AuditLog.entity == "person", AuditLog.entity_id == person_id
            )
        ).all()
    assert actions.count("export") == 2 and actions.count("erase") == 1
    assert "read" in actions


def test_an_operator_has_no_personal_data_page(page: Page, live_sigap: LiveSigap) -> None:
    log_in(page, "buton-tengah.operator", then="/staff/admin")
    expect(page.get_by_role("link", name="Data pribadi")).to_have_count(0)
    response = page.goto("/staff/persons/data")
    assert response is not None and response.status == 403
