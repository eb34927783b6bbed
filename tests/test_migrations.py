"""The schema comes from migrations; they go up and down on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
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


def test_phones_already_on_file_are_normalised_on_the_way_up(database_url: str) -> None:
    downgrade(database_url, "0006")
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO office (code, slug, name, address, phone, email, website, hours,"
                " timezone, created_at) VALUES ('62.09', 'lamandau', 'Dinas Sosial', '', '', '',"
                " '', '', 'Asia/Pontianak', CURRENT_TIMESTAMP)"
            )
        )
        for nik, phone in (("6209015708800007", "0812-3456-7001"), ("6209015708800008", "?")):
            conn.execute(
                text(
                    "INSERT INTO person (office_id, nik, kk_number, name, birth_place,"
                    " birth_date, sex, marital_status, education, occupation, address, desa,"
                    " kecamatan, kecamatan_code, regency_code, phone, registries, created_at,"
                    " updated_at) VALUES (1, :nik, '6209010101260007', 'Siti', '', '1980-08-17',"
                    " 'P', 'kawin', '', '', '', '', '', '', '', :phone, '', CURRENT_TIMESTAMP,"
                    " CURRENT_TIMESTAMP)"
                ),
                {"nik": nik, "phone": phone},
            )
    engine.dispose()
    upgrade(database_url, "head")
    engine = make_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT phone, phone_e164 FROM person ORDER BY nik")).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [("0812-3456-7001", "+6281234567001"), ("?", "")]


def test_a_chat_keeps_its_whatsapp_window_across_the_upgrade(database_url: str) -> None:
    downgrade(database_url, "0012")
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO conversation (id, channel, chat_id, display_name, language, state,"
                " data, updated_at) VALUES (1, 'whatsapp', '6281234567001', '', 'id', 'menu',"
                " '{}', '2026-03-10 02:00:00+00'), (2, 'whatsapp', '6281234567002', '', 'id',"
                " 'menu', '{}', '2026-03-10 02:00:00+00')"
            )
        )
        for n, at in ((1, "2026-03-09 08:00:00+00"), (2, "2026-03-10 01:30:00+00")):
            conn.execute(
                text(
                    "INSERT INTO inbound_message (channel, platform_id, conversation_id,"
                    " received_at, payload, status, attempts) VALUES ('whatsapp', :id, 1, :at,"
                    " '{}', 'done', 0)"
                ),
                {"id": f"wamid.{n}", "at": at},
            )
    engine.dispose()
    upgrade(database_url, "head")
    engine = make_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, last_inbound_at FROM conversation ORDER BY id")).all()
    engine.dispose()
    # The latest message of the chat that wrote; nothing for the one that never did.
    assert [row[0] for row in rows] == [1, 2]
    assert rows[0][1] is not None and str(rows[0][1]).startswith("2026-03-10 01:30:00")
    assert rows[1][1] is None
