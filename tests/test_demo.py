"""A newcomer's first minute: demo data for every programme, and staff who can log in."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app.main import create_app
from core.settings import Settings
from models import Complaint, LinkCode, Office, Person, Programme, Proposal, StaffUser
from services import link_codes, phones
from services.catalogue import load_catalogue
from services.catalogue_sync import apply_catalogue
from services.demo import DEMO_PASSWORD, load_demo
from services.proposals import step_view

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def _seed(engine: Engine) -> str:
    catalogue = load_catalogue()
    with Session(engine, expire_on_commit=False) as session:
        apply_catalogue(session=session, catalogue=catalogue)
        summary = load_demo(session=session, catalogue=catalogue, now=NOW)
        session.commit()
    return summary


def test_demo_data_covers_every_programme_with_some_late_and_loads_once(engine: Engine) -> None:
    summary = _seed(engine)
    with Session(engine) as session:
        programmes = session.exec(select(Programme)).all()
        assert len(programmes) == 5
        for programme in programmes:
            proposals = session.exec(
                select(Proposal).where(Proposal.programme_id == programme.id)
            ).all()
            assert sorted(p.step_position for p in proposals) == [1, 2, 3], programme.code
            assert all(p.number in summary for p in proposals)
        late = [
            p.number
            for p in session.exec(select(Proposal)).all()
            if (view := step_view(session=session, proposal=p, now=NOW)).lateness
            and view.lateness.is_late
        ]
        assert late, "some demo proposals must be late against their time standard"
        offices = session.exec(select(Office)).all()
        assert all(o.officers_chat == f"sim:officers-{o.slug}" for o in offices)
        assert session.exec(select(Complaint).where(col(Complaint.status) == "open")).all()
        assert len(session.exec(select(StaffUser)).all()) == 6 * len(offices)
    assert _seed(engine) == "demo data already loaded"


def test_every_demo_role_logs_in_to_the_staff_api(database_url: str, engine: Engine) -> None:
    _seed(engine)
    app = create_app(Settings(database_url=database_url, demo_mode=True, run_workers=False))
    with TestClient(app) as client:
        for suffix in ("operator", "pengaduan", "kabid", "kadis", "ppid", "admin"):
            response = client.post(
                "/api/v1/auth/login",
                json={"username": f"lamandau.{suffix}", "password": DEMO_PASSWORD},
            )
            assert response.status_code == 200, (suffix, response.text)
        assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


def test_each_demo_applicant_has_a_phone_on_file_and_a_printed_link_code(engine: Engine) -> None:
    catalogue = load_catalogue()
    settings = Settings(demo_mode=True, run_workers=False)
    with Session(engine, expire_on_commit=False) as session:
        apply_catalogue(session=session, catalogue=catalogue)
        summary = load_demo(session=session, catalogue=catalogue, now=NOW, settings=settings)
        session.commit()
    lines = [line for line in summary.splitlines() if "NIK " in line]
    assert len(lines) == 15
    with Session(engine) as session:
        for line in lines:
            nik = line.split("NIK ")[1].split()[0]
            phone = line.split("HP ")[1].split()[0]
            code = link_codes.parse(line.split("kode ")[1][:17])
            person = session.exec(select(Person).where(Person.nik == nik)).one()
            assert person.phone == phone and person.phone_e164 == phones.normalise(phone)
            assert code is not None and link_codes.well_formed(code)
        assert len(session.exec(select(LinkCode)).all()) == 15
    # The README's table lists the same NIKs and phones, so a newcomer can try both paths.
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for line in lines:
        nik, phone = line.split("NIK ")[1].split()[0], line.split("HP ")[1].split()[0]
        assert f"| {nik} | {phone} |" in readme, nik
