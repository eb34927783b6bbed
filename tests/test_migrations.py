"""The schema comes from migrations; they go up and down on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import Session, SQLModel, select

from app.migrate import downgrade, upgrade
from core.db import make_engine
from models import Notice, NoticeRecipient, NoticeRound


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


def test_notices_to_chats_become_notices_to_persons_on_the_way_up(database_url: str) -> None:
    """A notice for one programme with its reminder, told to a linked chat before 0016: its
    audience names the programme, its reminder is a list of one, the reminder still to come
    is a round, and the chat told is its person's recipient row."""
    downgrade(database_url, "0012")
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO office (id, code, slug, name, address, phone, email, website, hours,"
                " timezone, created_at) VALUES (1, '74.14', 'buton-tengah', 'Dinas Sosial', '',"
                " '', '', '', '', 'Asia/Makassar', CURRENT_TIMESTAMP)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO programme (id, code, office_id, kind, name, applicant_kind, active)"
                " VALUES (1, 'bpnt-buton-tengah', 1, 'bpnt', 'BPNT', 'person', true)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO person (id, office_id, nik, kk_number, name, birth_place,"
                " birth_date, sex, marital_status, education, occupation, address, desa,"
                " kecamatan, kecamatan_code, regency_code, phone, phone_e164, registries,"
                " created_at, updated_at) VALUES (1, 1, '7414015708800007', '7414010101260007',"
                " 'Rosmini', '', '1980-08-17', 'P', 'kawin', '', '', '', 'Boneoge', '', '', '',"
                " '', '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO conversation (id, channel, chat_id, display_name, language, state,"
                " data, person_id, office_id, updated_at) VALUES (1, 'telegram', '501', '',"
                " 'id', 'menu', '{}', 1, 1, CURRENT_TIMESTAMP)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO notice (id, office_id, programme_id, kind, title, place, starts_at,"
                " details, send_at, remind_at, status, sent_at, created_at) VALUES (1, 1, 1,"
                " 'socialisation', 'Sosialisasi BPNT', 'Aula', '2026-11-26 01:00:00', '',"
                " '2026-11-23 01:00:00', '2026-11-25 01:00:00', 'sent', '2026-11-23 01:00:00',"
                " '2026-11-23 00:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO notice_delivery (notice_id, conversation_id, kind, queued_at)"
                " VALUES (1, 1, 'notice', '2026-11-23 01:00:00')"
            )
        )
    engine.dispose()
    upgrade(database_url, "head")
    engine = make_engine(database_url)
    with Session(engine) as session:
        notice = session.exec(select(Notice)).one()
        rounds = session.exec(select(NoticeRound.kind, NoticeRound.status)).all()
        recipients = session.exec(select(NoticeRecipient)).all()
    engine.dispose()
    assert notice.audience == {"programme": ["bpnt-buton-tengah"]}
    assert notice.reminders == [{"hours_before": 24}]
    assert sorted(rounds) == [("notice", "done"), ("reminder-1", "scheduled")]
    [told] = recipients
    assert (told.person_id, told.kind, told.conversation_id) == (1, "notice", 1)
    # And back down, with the rows in place: the delivery and the programme return.
    downgrade(database_url, "0012")
    engine = make_engine(database_url)
    with engine.connect() as conn:
        deliveries = conn.execute(
            text("SELECT notice_id, conversation_id, kind FROM notice_delivery")
        )
        assert [tuple(r) for r in deliveries] == [(1, 1, "notice")]
        assert conn.execute(text("SELECT programme_id FROM notice")).scalar_one() == 1
    engine.dispose()
    upgrade(database_url, "head")
