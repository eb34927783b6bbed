"""The schema comes from migrations; they go up and down on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect, text
from sqlmodel import Session, SQLModel, select

from app.migrate import downgrade, upgrade
from core.db import make_engine
from models import (
    Complaint,
    InboundMessage,
    Notice,
    NoticeRecipient,
    NoticeRound,
    NumberCounter,
    Office,
    OutboxMessage,
    Programme,
    Proposal,
)
from services.catalogue import load_catalogue
from services.catalogue_sync import apply_catalogue
from services.complaints import complaint_by_number
from services.numbering import next_number
from services.outbox import ensure_conversation


def test_migrations_match_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
        dialect = conn.dialect.name
    engine.dispose()
    if dialect == "postgresql":
        # Migration 0020 drops the outbox's foreign keys on PostgreSQL only (a check a row of
        # a notice's fan-out); the models keep them, and SQLite does.
        differences = [d for d in differences if not _outbox_key(d)]
    assert differences == []


def _outbox_key(difference: object) -> bool:
    if not (isinstance(difference, tuple) and difference[0] == "add_fk"):
        return False
    key = difference[1]
    return key.parent.name == "outbox_message" and {c.name for c in key.columns} <= {
        "conversation_id",
        "inbound_id",
    }


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


def _office_at_0012(conn: Connection, code: str, slug: str) -> int:
    conn.execute(
        text(
            "INSERT INTO office (code, slug, name, address, phone, email, website, hours,"
            " timezone, created_at) VALUES (:code, :slug, 'Dinas Sosial', '', '', '', '', '',"
            " 'Asia/Makassar', CURRENT_TIMESTAMP)"
        ),
        {"code": code, "slug": slug},
    )
    return int(conn.execute(text("SELECT id FROM office WHERE code = :c"), {"c": code}).scalar())


def test_numbers_given_before_stay_valid_and_counting_goes_on_after_them(
    database_url: str,
) -> None:
    downgrade(database_url, "0012")
    engine = make_engine(database_url)
    with engine.begin() as conn:
        buton = _office_at_0012(conn, "74.14", "buton-tengah")
        bone = _office_at_0012(conn, "73.08", "bone")
    received = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    # Numbers were shared by every office: Buton Tengah has 3 and 7 of 2026, Bone 5.
    given = {"ADU-2025-00009": buton, "ADU-2026-00003": buton, "ADU-2026-00005": bone}
    given["ADU-2026-00007"] = buton
    with Session(engine) as session:
        for number, office_id in given.items():
            session.add(
                Complaint(
                    number=number,
                    office_id=office_id,
                    category="lainnya",
                    channel="walk_in",
                    description="Bantuan belum masuk.",
                    received_at=received,
                    due_at=received,
                )
            )
        programme = Programme(
            code="uep-lamandau", office_id=bone, kind="uep", name="UEP", applicant_kind="person"
        )
        session.add(programme)
        session.flush()
        session.add(
            Proposal(
                number="UEP-2026-0004",
                programme_id=programme.id or 0,
                office_id=bone,
                step_position=1,
                step_entered_at=received,
                submitted_at=received,
            )
        )
        session.commit()
    engine.dispose()

    upgrade(database_url, "head")
    engine = make_engine(database_url)
    with Session(engine) as session:
        counters = {
            (c.prefix, c.office_id, c.year): c.value
            for c in session.exec(select(NumberCounter)).all()
        }
        assert counters == {
            ("ADU", buton, 2025): 9,
            ("ADU", buton, 2026): 7,
            ("ADU", bone, 2026): 5,
            ("UEP", bone, 2026): 4,
        }
        apply_catalogue(session=session, catalogue=load_catalogue())
        office = session.get(Office, buton)
        assert office is not None and office.short_code == "BTG"
        new = next_number(session, prefix="ADU", office=office, now=received, width=5)
        assert new == "ADU-BTG-2026-00008"
        old = complaint_by_number(session=session, number="adu 2026 7")
        assert old is not None and old.number == "ADU-2026-00007"
        session.rollback()
    engine.dispose()


def test_the_tables_that_grow_with_every_message_take_ids_past_two_billion(
    database_url: str,
) -> None:
    engine = make_engine(database_url)
    past = 2**31
    with Session(engine) as session:
        conversation_id = ensure_conversation(
            session, channel="sim", chat_id="1001", now=datetime.now(UTC)
        )
        if engine.dialect.name == "postgresql":
            for table in ("inbound_message", "outbox_message"):
                session.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {past - 1})")
                )
        else:
            session.add(InboundMessage(id=past - 1, channel="sim", platform_id="old"))
            session.add(OutboxMessage(id=past - 1, conversation_id=conversation_id, text="old"))
        inbound = InboundMessage(channel="sim", platform_id="1", conversation_id=conversation_id)
        session.add(inbound)
        session.flush()
        reply = OutboxMessage(conversation_id=conversation_id, inbound_id=inbound.id, text="Halo")
        session.add(reply)
        session.commit()
        assert (inbound.id, reply.id, reply.inbound_id) == (past, past, past)
    engine.dispose()


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


def test_notices_to_chats_become_notices_to_persons_on_the_way_up(database_url: str) -> None:
    """A notice for one programme with its reminder, told to a linked chat before 0017: its
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
