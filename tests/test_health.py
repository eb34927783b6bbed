"""Liveness and readiness, on a real database at, behind and without its head migration."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.migrate import downgrade, head_revision, upgrade
from core.settings import Settings


def _client(database_url: str) -> TestClient:
    return TestClient(
        create_app(Settings(database_url=database_url, demo_mode=True, run_workers=False)),
        raise_server_exceptions=False,
    )


def test_a_database_at_the_head_migration_is_ready(database_url: str) -> None:
    with _client(database_url) as client:
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json() == {"status": "ready", "database": "ok", "schema": head_revision()}
        assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


@pytest.fixture
def one_behind(database_url: str) -> Iterator[str]:
    """The database one migration behind the code, brought back up afterwards (the
    PostgreSQL schema is shared by the tests of a run)."""
    downgrade(database_url, "-1")
    try:
        yield database_url
    finally:
        upgrade(database_url, "head")


def test_a_database_one_migration_behind_is_alive_but_not_ready(one_behind: str) -> None:
    from alembic.script import ScriptDirectory

    from app.migrate import alembic_config

    head = head_revision()
    previous = ScriptDirectory.from_config(alembic_config(one_behind)).get_revision(head)
    assert previous is not None and isinstance(previous.down_revision, str)
    client = _client(one_behind)  # no lifespan: a process that came up before the upgrade
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json() == {
        "status": "not_ready",
        "reason": f"schema at {previous.down_revision}, head is {head}",
    }
    # Alive all the same: a liveness probe must not restart a process that waits for a
    # migration.
    assert client.get("/healthz").status_code == 200


def test_a_database_never_migrated_is_not_ready(tmp_path: Path) -> None:
    client = _client(f"sqlite:///{tmp_path / 'empty.db'}")
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["reason"] == (
        f"schema not created (run 'sigap db upgrade'), head is {head_revision()}"
    )


@pytest.mark.parametrize(
    "unreachable",
    [
        # A SQLite file that is no database (a wrong path, a disk gone bad), and a
        # PostgreSQL port nobody listens on.
        "sqlite",
        "postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=2",
    ],
)
def test_an_unreachable_database_is_neither_alive_nor_ready(
    unreachable: str, tmp_path: Path
) -> None:
    if unreachable == "sqlite":
        (tmp_path / "sigap.db").write_bytes(b"not a database " * 512)
        unreachable = f"sqlite:///{tmp_path / 'sigap.db'}"
    client = _client(unreachable)
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json() == {"status": "not_ready", "reason": "database unreachable"}
    assert client.get("/healthz").status_code == 503


def test_readiness_on_sqlite_does_not_wait_for_a_writer(tmp_path: Path) -> None:
    import sqlite3

    url = f"sqlite:///{tmp_path / 'sigap.db'}"
    upgrade(url)
    holder = sqlite3.connect(tmp_path / "sigap.db", isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # a writer in the middle of a long transaction
        ready = _client(url).get("/readyz")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    # A probe that wanted the write lock would have waited for it, then reported the
    # database unreachable.
    assert ready.status_code == 200
