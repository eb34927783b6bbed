"""Shared fixtures: real databases (SQLite always, PostgreSQL when reachable or in CI)."""

from __future__ import annotations

import os

# Before anything imports services/staff.py: the suite creates and logs in hundreds of
# accounts, and Argon2 at its real cost would make that a fifth of a second of a core each.
os.environ.setdefault("PASSWORD_HASH_PROFILE", "cheapest")

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, SQLModel

import models  # noqa: F401  (registers every table)
from app.migrate import upgrade
from core.db import make_engine

os.environ.setdefault("DEMO_MODE", "true")
os.environ.setdefault("RUN_WORKERS", "false")

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _sqlalchemy_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test: migrations are the schema's one source."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


def _in_schema(url: str, schema: str) -> str:
    """The same database, but every table of this test run in its own schema.

    Several test runs (or a benchmark) may share one PostgreSQL database; each gets its own
    schema so none drops another's tables.
    """
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    base = _sqlalchemy_url(PG_URL)
    engine = make_engine(base)
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:
        engine.dispose()
        reason = f"PostgreSQL not reachable at {PG_URL}: {type(exc).__name__}"
        if IN_CI:
            pytest.fail(f"{reason} (CI=true requires it)", pytrace=False)
        pytest.skip(f"{reason}; set TEST_DATABASE_URL or run PostgreSQL to include these tests")
    schema = f"sigap_test_{os.getpid()}"
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = _in_schema(base, schema)
    upgrade(url)
    yield url
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    engine.dispose()


def _empty_all(engine: Engine) -> None:
    """Every table emptied and every sequence back at 1, as TRUNCATE ... RESTART IDENTITY
    would; but DELETE, children first: a test leaves a few rows, and TRUNCATE of all tables
    (new files for each) took a fifth to half a second a test, a quarter of the suite."""
    with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())
        conn.execute(
            text(
                "SELECT setval(c.oid, 1, false) FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE c.relkind = 'S' AND n.nspname = current_schema()"
            )
        )


@pytest.fixture(scope="session")
def postgres_cleaner(postgres_url: str) -> Iterator[Engine]:
    """One engine for emptying the tables before each test (a new connection each time cost
    more than the emptying)."""
    engine = make_engine(postgres_url)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty, migrated database of each kind."""
    if request.param == "sqlite":
        path = tmp_path / "sigap.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("postgres_url")
    _empty_all(request.getfixturevalue("postgres_cleaner"))
    yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session
