"""`sigap person export` and `sigap person erase`, as an administrator runs them, on both
databases; each is audited under "cli". The command runs in this process (Typer's runner, with
the database in the environment as a shell would set it): starting an interpreter per call
costs seconds on a busy machine."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.cli import cli
from core.settings import get_settings
from models import AuditLog, Person
from tests import privacy_world as build


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    """Settings are read once per process; each run here reads the environment it is given."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _sigap(database_url: str, *args: str) -> Result:
    get_settings.cache_clear()
    env = {"DATABASE_URL": database_url, "DEMO_MODE": "true"}
    return CliRunner().invoke(cli, list(args), env=env)


def _person(engine: Engine) -> tuple[int, str]:
    with Session(engine) as session:
        office = build.offices(session)["buton-tengah"]
        person = build.person(session, office, 31, phone="0812-7000-0031")
        build.proposal(session, office, person, "T-0001")
        session.commit()
        return person.id or 0, person.nik


def test_export_as_json_and_csv_then_erase(
    database_url: str, engine: Engine, tmp_path: Path
) -> None:
    person_id, nik = _person(engine)

    shown = _sigap(database_url, "person", "export", "--nik", nik)
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert data["person"]["nik"] == nik
    assert [p["number"] for p in data["proposals"]] == ["T-0001"]

    out = tmp_path / "sitti.csv"
    written = _sigap(
        database_url, "person", "export", "--nik", nik, "--format", "csv", "--out", str(out)
    )
    assert written.exit_code == 0, written.output
    assert out.read_text(encoding="utf-8").startswith("section,item,field,value")
    assert nik not in written.output

    unconfirmed = _sigap(database_url, "person", "erase", "--nik", nik)
    assert unconfirmed.exit_code != 0 and "--yes" in unconfirmed.stderr
    erased = _sigap(database_url, "person", "erase", "--nik", nik, "--yes")
    assert erased.exit_code == 0, erased.output
    assert f"person #{person_id} erased" in erased.stdout
    again = _sigap(database_url, "person", "erase", "--nik", nik, "--yes")
    # Erased, the NIK is no longer on file.
    assert again.exit_code != 0 and "No person" in again.output

    with Session(engine) as session:
        person = session.get_one(Person, person_id)
        assert person.erased_at is not None and person.nik != nik
        trail = session.exec(
            select(AuditLog.action, AuditLog.actor).where(AuditLog.entity_id == person_id)
        ).all()
    assert sorted(tuple(row) for row in trail) == [
        ("erase", "cli"), ("export", "cli"), ("export", "cli"),
    ]  # fmt: skip


def test_an_unknown_nik_or_format_is_refused_without_a_traceback(
    database_url: str, engine: Engine
) -> None:
    _, nik = _person(engine)
    for args in (
        ("export", "--nik", "7414019999990001"),
        ("export", "--nik", nik, "--format", "xml"),
        ("erase", "--nik", "7414019999990001", "--yes"),
    ):
        result = _sigap(database_url, "person", *args)
        assert result.exit_code != 0, args
        assert isinstance(result.exception, SystemExit), result.exception
        assert nik not in result.output
