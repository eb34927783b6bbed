"""The `sigap` command as an administrator uses it on a fresh server."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, col, create_engine, select

from models import LinkCode, StaffUser

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


def test_link_codes_for_a_person_an_officers_chat_and_a_staff_member(tmp_path: Path) -> None:
    database = tmp_path / "sigap.db"
    assert _sigap(database, "db", "upgrade").returncode == 0
    assert _sigap(database, "seed-demo").returncode == 0
    links = {
        "TELEGRAM_BOT_USERNAME": "SigapDemoBot",
        "WHATSAPP_DISPLAY_NUMBER": "+62 811-0000-1234",
    }
    person = _sigap(database, "link-code", "--person", "7414014508910031", env=links)
    officers = _sigap(database, "link-code", "--office", "buton-tengah", "--officers", env=links)
    staff = _sigap(
        database, "link-code", "--office", "bone", "--staff", "bone.pengaduan", env=links
    )
    for result in (person, officers, staff):
        assert result.returncode == 0, result.stderr
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
        refused = _sigap(database, "link-code", *wrong)
        assert refused.returncode != 0, wrong
        assert "Traceback" not in refused.stderr, wrong
