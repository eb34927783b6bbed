"""`sigap import persons FILE --office X [--check]`, as an administrator runs it at the server,
on both databases: the check writes nothing and names each bad row, the import prints its
progress and a summary, and no NIK is printed. Run in this process (Typer's runner)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.cli import cli
from core.db import unit_of_work
from core.settings import get_settings
from models import AuditLog, Person
from tests import privacy_world as build
from tests.services.test_register_import import as_csv, family, nik


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _sigap(database_url: str, *args: str) -> Result:
    get_settings.cache_clear()
    env = {"DATABASE_URL": database_url, "DEMO_MODE": "true"}
    return CliRunner().invoke(cli, list(args), env=env)


@pytest.fixture
def kpm_list(engine: Engine, tmp_path: Path) -> Path:
    with unit_of_work(engine) as session:
        build.offices(session)
    rows = [family(1), family(2, **{"No. HP": "0812"}), family(3), family(4, NIK=nik(1))]
    path = tmp_path / "kpm-lakudo.csv"
    path.write_bytes(as_csv(rows))
    return path


def test_check_then_import(database_url: str, engine: Engine, kpm_list: Path) -> None:
    checked = _sigap(
        database_url, "import", "persons", str(kpm_list), "--office", "74.14", "--check"
    )
    assert checked.exit_code == 1, checked.output  # rows would be rejected
    assert "row 4, telepon: Phone '0812' is no phone number" in checked.stdout
    assert "row 6, nik: The same NIK is already on row 3 of this file." in checked.stdout
    assert "4 rows read (CSV): 2 would be created, 0 would be updated, 0 unchanged, 2 rejected" in (
        checked.stdout
    )
    with Session(engine) as session:
        assert session.exec(select(Person)).all() == []

    imported = _sigap(database_url, "import", "persons", str(kpm_list), "--office", "buton-tengah")
    assert imported.exit_code == 0, imported.output
    assert "importing kpm-lakudo.csv for Dinas Sosial Kabupaten Buton Tengah" in imported.stderr
    assert "4 rows read (up to row 6)" in imported.stderr
    assert "4 rows read (CSV): 2 created, 0 updated, 0 unchanged, 2 rejected" in imported.stdout
    for number in (nik(1), nik(2), nik(3)):
        assert number not in imported.output and number not in checked.output

    again = _sigap(database_url, "import", "persons", str(kpm_list), "--office", "74.14")
    assert "2 unchanged" in again.stdout
    with Session(engine) as session:
        assert {p.nik for p in session.exec(select(Person)).all()} == {nik(1), nik(3)}
        actors = {a.actor for a in session.exec(select(AuditLog)).all()}
    assert actors == {"cli"}


def test_a_file_that_is_no_list_or_an_unknown_office_stops_with_one_line(
    database_url: str, kpm_list: Path, tmp_path: Path
) -> None:
    old = tmp_path / "kpm.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    refused = _sigap(database_url, "import", "persons", str(old), "--office", "74.14")
    assert refused.exit_code == 1
    assert "error: An .xls file (Excel 97–2003) cannot be read" in refused.stderr

    unknown = _sigap(database_url, "import", "persons", str(kpm_list), "--office", "nowhere")
    assert unknown.exit_code != 0
    missing = _sigap(
        database_url, "import", "persons", str(tmp_path / "no.csv"), "--office", "74.14"
    )
    assert missing.exit_code != 0 and "no such file" in missing.output
