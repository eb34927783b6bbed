"""The schema comes from migrations; they go up and down on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from app.migrate import downgrade, upgrade
from core.db import make_engine


def test_migrations_match_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert differences == []


def test_migrations_go_down_to_nothing_and_up_again(database_url: str) -> None:
    downgrade(database_url, "base")
    engine = make_engine(database_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()

    upgrade(database_url, "head")
    engine = make_engine(database_url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"office", "programme", "programme_step", "person", "proposal"} <= tables
    assert {"proposal_event", "staff_user", "audit_log", "inbound_message"} <= tables
    assert {"outbox_message", "conversation"} <= tables
