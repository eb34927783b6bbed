"""The `sigap` command as an administrator uses it on a fresh server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import Session, create_engine, select

from models import StaffUser

ROOT = Path(__file__).resolve().parent.parent


def _sigap(database: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEMO_MODE": "true"}
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
    )
    assert created.returncode == 0, created.stderr
    assert "rahasia-panjang-1" not in created.stdout + created.stderr
    engine = create_engine(f"sqlite:///{database}")
    with Session(engine) as session:
        staff = session.exec(select(StaffUser).where(StaffUser.username == "bone.ayu")).one()
        assert (staff.role, staff.full_name) == ("complaint_officer", "Ayu Puspitasari")
        assert staff.password_hash.startswith("$argon2")
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
