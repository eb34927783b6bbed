"""The `sigap` command as an administrator uses it on a fresh server."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from click.testing import Result
from sqlalchemy import Engine
from sqlmodel import Session, col, create_engine, select
from typer.testing import CliRunner

from app.cli import cli
from core.settings import get_settings
from models import AuditLog, LinkCode, Office, Person, StaffUser

ROOT = Path(__file__).resolve().parent.parent


def _sigap(
    database: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DEMO_MODE": "true",
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-c", "from app.cli import main; main()", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_an_administrator_migrates_seeds_and_adds_a_staff_member(tmp_path: Path) -> None:
    database = tmp_path / "sigap.db"
    assert _sigap(database, "db", "upgrade").returncode == 0
    seeded = _sigap(database, "seed-demo")
    assert seeded.returncode == 0, seeded.stderr
    assert "UEP-" in seeded.stdout and "sigap-demo" in seeded.stdout

    created = _sigap(
        database,
        "create-staff",
        "bone.ayu",
        "--office",
        "bone",
        "--role",
        "complaint_officer",
        "--name",
        "Ayu Puspitasari",
        stdin="rahasia-panjang-1\nrahasia-panjang-1\n",
        # As an office runs it: the suite's cheap hashes (tests/conftest.py) not set.
        env={"PASSWORD_HASH_PROFILE": "default"},
    )
    assert created.returncode == 0, created.stderr
    assert "rahasia-panjang-1" not in created.stdout + created.stderr
    engine = create_engine(f"sqlite:///{database}")
    with Session(engine) as session:
        staff = session.exec(select(StaffUser).where(StaffUser.username == "bone.ayu")).one()
        assert (staff.role, staff.full_name) == ("complaint_officer", "Ayu Puspitasari")
        # Argon2id at RFC 9106's low-memory cost: 64 MiB, three passes.
        assert staff.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    engine.dispose()

    unknown_role = _sigap(
        database,
        "create-staff",
        "bone.x",
        "--office",
        "bone",
        "--role",
        "raja",
        stdin="rahasia-panjang-1\nrahasia-panjang-1\n",
    )
    assert unknown_role.returncode != 0
    assert "Traceback" not in unknown_role.stderr


def test_link_codes_for_a_person_an_officers_chat_and_a_staff_member(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    # In this process (the command's process is the test above's): nine start-ups of Python
    # and the app took a third of a minute.
    database = tmp_path / "sigap.db"
    for name, value in {
        "DATABASE_URL": f"sqlite:///{database}",
        "DEMO_MODE": "true",
        "TELEGRAM_BOT_USERNAME": "SigapDemoBot",
        "WHATSAPP_DISPLAY_NUMBER": "+62 811-0000-1234",
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    request.addfinalizer(get_settings.cache_clear)
    runner = CliRunner()

    def _link(*args: str) -> Result:
        return runner.invoke(cli, list(args))

    assert _link("db", "upgrade").exit_code == 0
    assert _link("seed-demo").exit_code == 0
    person = _link("link-code", "--person", "7414014508910031")
    officers = _link("link-code", "--office", "buton-tengah", "--officers")
    staff = _link("link-code", "--office", "bone", "--staff", "bone.pengaduan")
    for result in (person, officers, staff):
        assert result.exit_code == 0, result.output
    code = person.stdout.split("code: ")[1].splitlines()[0]
    digits = code.replace(" ", "")
    assert [len(group) for group in code.split(" ")] == [5, 5, 5]
    assert "7414014508910031" not in person.stdout  # the NIK is masked
    assert "valid until: " in person.stdout and "WITA" in person.stdout
    assert f"telegram: https://t.me/SigapDemoBot?start={digits}" in person.stdout
    assert f"whatsapp: https://wa.me/6281100001234?text={digits}" in person.stdout
    # An officers' chat is a group on Telegram: the link asks which group to add the bot to.
    assert "https://t.me/SigapDemoBot?startgroup=" in officers.stdout
    assert "the officers' chat at Dinas Sosial Kabupaten Buton Tengah" in officers.stdout
    assert "bone.pengaduan" in staff.stdout

    engine = create_engine(f"sqlite:///{database}")
    with Session(engine) as session:
        query = select(LinkCode).where(LinkCode.issued_by == "cli").order_by(col(LinkCode.id))
        rows = session.exec(query).all()
    engine.dispose()
    assert [row.kind for row in rows] == ["person", "officers", "staff"]
    assert all(digits not in row.code_hash for row in rows)
    assert rows[0].expires_at - rows[0].created_at == timedelta(days=14)
    assert rows[1].expires_at - rows[1].created_at == timedelta(hours=24)

    for wrong in (
        ("--person", "7414014508910099"),
        ("--officers",),
        ("--office", "bone", "--staff", "lamandau.pengaduan"),
        ("--office", "bone", "--officers", "--person", "7414014508910031"),
    ):
        refused = _link("link-code", *wrong)
        assert refused.exit_code != 0, wrong
        assert isinstance(refused.exception, SystemExit), (wrong, refused.exception)
        assert "Traceback" not in refused.output, wrong


REAL = {"DEMO_MODE": "false", "SECRET_KEY": "a-real-secret-for-the-tests-0123456789"}


@pytest.fixture
def sigap(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The `sigap` command in this process, on a fresh database of each kind, outside demo
    mode (standard input is not a terminal, as in a script)."""
    for name, value in {**REAL, "DATABASE_URL": database_url}.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    runner = CliRunner()

    def run(*args: str, stdin: str = "") -> Result:
        return runner.invoke(cli, list(args), input=stdin)

    yield run
    get_settings.cache_clear()


def _one_line_error(result: Any, *words: str) -> None:
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])


class TestFirstAdmin:
    def test_a_real_office_gets_its_first_admin_on_a_fresh_database(
        self, sigap: Any, engine: Engine
    ) -> None:
        upgraded = sigap("db", "upgrade")
        assert upgraded.exit_code == 0, upgraded.output
        assert "buton-tengah" in upgraded.stdout  # offices come from the catalogue

        _one_line_error(sigap("seed-demo"), "DEMO_MODE")

        def create(username: str, office: str, role: str, password: str) -> Any:
            return sigap(
                "create-staff", username, "--office", office, "--role", role,
                "--name", "Andi Baso", stdin=f"{password}\n",
            )  # fmt: skip

        first = create("bone.admin", "bone", "admin", "rahasia-panjang-1")
        assert first.exit_code == 0, first.output
        assert "rahasia-panjang-1" not in first.output
        _one_line_error(create("bone.x", "bone", "admin", "pendek"), "short")
        _one_line_error(create("bone.x", "bone", "admin", "1234567890"), "guess")
        _one_line_error(create("bone.x", "atlantis", "admin", "rahasia-panjang-1"), "atlantis")
        _one_line_error(create("bone.x", "bone", "raja", "rahasia-panjang-1"), "raja")
        _one_line_error(create("bone.admin", "bone", "admin", "rahasia-panjang-2"), "bone.admin")
        _one_line_error(create("bone.x", "bone", "admin", ""), "standard input")

        with Session(engine) as session:
            staff = session.exec(select(StaffUser)).all()
            assert [(s.username, s.role) for s in staff] == [("bone.admin", "admin")]
            assert PasswordHasher().verify(staff[0].password_hash, "rahasia-panjang-1")
            assert session.exec(select(Person)).first() is None  # no demo people
            assert len(session.exec(select(Office)).all()) == 5


class TestStaffCommands:
    def test_an_administrator_manages_accounts_from_the_command_line(
        self, sigap: Any, engine: Engine
    ) -> None:
        assert sigap("db", "upgrade").exit_code == 0
        created = sigap(
            "staff", "create", "lamandau.rina", "--office", "lamandau", "--role", "operator",
            "--name", "Rina", stdin="sebuah-kata-sandi-1\n",
        )  # fmt: skip
        assert created.exit_code == 0, created.output
        promoted = sigap("staff", "set-role", "lamandau.rina", "supervisor", "--ppid")
        assert promoted.exit_code == 0, promoted.output
        assert sigap("staff", "disable", "lamandau.rina").exit_code == 0
        listed = sigap("staff", "list", "--office", "lamandau")
        assert "lamandau.rina" in listed.stdout and "disabled" in listed.stdout
        assert "supervisor (ppid)" in listed.stdout
        assert sigap("staff", "enable", "lamandau.rina").exit_code == 0
        reset = sigap("staff", "reset-password", "lamandau.rina")
        temporary = reset.stdout.split("lamandau.rina: ")[1].split()[0]
        _one_line_error(sigap("staff", "disable", "lamandau.nobody"), "nobody")
        _one_line_error(sigap("staff", "set-role", "lamandau.rina", "raja"), "raja")

        with Session(engine) as session:
            rina = session.exec(
                select(StaffUser).where(StaffUser.username == "lamandau.rina")
            ).one()
            assert (rina.role, rina.ppid, rina.active) == ("supervisor", True, True)
            assert rina.must_change_password
            assert PasswordHasher().verify(rina.password_hash, temporary)
            trail = session.exec(
                select(AuditLog.action, AuditLog.actor)
                .where(AuditLog.entity_id == rina.id, AuditLog.entity == "staff_user")
                .order_by(col(AuditLog.id))
            ).all()
        assert [action for action, _ in trail] == [
            "create", "set_role", "disable", "enable", "reset_password",
        ]  # fmt: skip
        assert {actor for _, actor in trail} == {"cli"}


def test_a_database_that_was_never_migrated_is_one_line(tmp_path: Path) -> None:
    result = _sigap(tmp_path / "empty.db", "staff", "list", env=REAL)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "sigap db upgrade" in result.stderr
