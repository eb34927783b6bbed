"""`sigap backup` and `sigap restore`: a live SQLite database in WAL mode, copied while it is
being written, then put back."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from app.migrate import upgrade
from core.db import make_engine, unit_of_work
from models import AuditLog

ROOT = Path(__file__).resolve().parent.parent


def _sigap(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "DEMO_MODE": "true"}
    return subprocess.run(
        [sys.executable, "-c", "from app.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def _count(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute("SELECT count(*) FROM audit_log").fetchone()[0])


class Writer(threading.Thread):
    """Commits one audit row after another, as a busy office would, until told to stop."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.engine = make_engine(url)
        self.stop = threading.Event()
        self.written = 0
        self.errors: list[BaseException] = []

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                with unit_of_work(self.engine) as session:
                    session.add(AuditLog(action="read", entity="person", detail="backup test"))
                self.written += 1
        except BaseException as exc:
            self.errors.append(exc)
        finally:
            self.engine.dispose()


def test_a_live_database_is_backed_up_while_written_and_restored(tmp_path: Path) -> None:
    path = tmp_path / "var" / "sigap.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = make_engine(url)
    with unit_of_work(engine) as session:
        # Kept below SQLite's auto-checkpoint: these commits live only in the -wal file,
        # where a copy of sigap.db alone would lose them.
        for n in range(200):
            session.add(AuditLog(action="create", entity="person", entity_id=n))
    assert Path(f"{path}-wal").stat().st_size > 0

    writer = Writer(url)
    writer.start()
    try:
        while writer.written < 20 and not writer.errors:
            threading.Event().wait(0.01)
        before = _count(path)
        backup = tmp_path / "backups" / "sigap-1.db"
        made = _sigap(url, "backup", str(backup))
        assert made.returncode == 0, made.stderr
        assert "backed up to" in made.stdout
        written_during = writer.written
        while writer.written < written_during + 20 and not writer.errors:
            threading.Event().wait(0.01)
    finally:
        writer.stop.set()
        writer.join(timeout=60)
    assert writer.errors == []  # the office was never blocked

    after = _count(path)
    in_backup = _count(backup)
    assert before <= in_backup < after
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        created = copy.execute("SELECT count(*) FROM audit_log WHERE action = 'create'")
        assert created.fetchone()[0] == 200
    assert not Path(f"{backup}-wal").exists()

    again = _sigap(url, "backup", str(backup))
    assert again.returncode == 1 and "already exists" in again.stderr
    assert _count(backup) == in_backup

    restored = _sigap(url, "restore", "--yes", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert _count(path) == in_backup
    with unit_of_work(engine) as session:
        rows = session.exec(select(func.count()).select_from(AuditLog)).one()
        assert rows == in_backup
        session.add(AuditLog(action="read", entity="person", detail="after restore"))
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    engine.dispose()


def test_restore_refuses_a_file_that_is_not_a_sigap_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sigap.db'}"
    upgrade(url)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE t (x)")
    refused = _sigap(url, "restore", "--yes", str(other))
    assert refused.returncode == 1
    assert "not a Sigap database" in refused.stderr and "Traceback" not in refused.stderr


@pytest.mark.parametrize("command", [["backup", "x.db"], ["restore", "--yes", "x.db"]])
def test_postgresql_is_pointed_to_its_own_tools(command: list[str]) -> None:
    refused = _sigap("postgresql://sigap@127.0.0.1:5432/sigap", *command)
    assert refused.returncode == 1
    assert "pg_dump" in refused.stderr and "pg_restore" in refused.stderr
    assert "Traceback" not in refused.stderr
