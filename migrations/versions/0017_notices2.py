"""notices to persons, not chats: an audience (programme, kecamatan, desa, step, groups,
NIKs), a list of reminders, corrections, pause and cancel; each fan-out a round done in
chunks under a lease; one recipient row per person and round; opting out of broadcasts

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 09:00:00.000000

On SQLite, dropping columns of ``notice`` rebuilds the table, which foreign keys from rows
that point at it would refuse: what refers to a notice (its deliveries, later its rounds and
recipients) is set aside in a temporary table first and written back after.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.base

# revision identifiers, used by Alembic.
revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Moment = models.base.UTCDateTime(timezone=True)


def _notices(*columns: str) -> sa.TableClause:
    types: dict[str, Any] = {
        "id": sa.Integer,
        "programme_id": sa.Integer,
        "status": sa.String,
        "audience": sa.JSON,
        "reminders": sa.JSON,
    }
    return sa.table("notice", *(sa.column(c, types.get(c, Moment)) for c in columns))


def upgrade() -> None:
    """Upgrade schema."""
    # Plain ALTER TABLE ADD COLUMN on both databases: nothing is rebuilt.
    op.add_column("person", sa.Column("broadcasts_stopped_at", Moment, nullable=True))
    op.add_column("conversation", sa.Column("broadcasts_stopped_at", Moment, nullable=True))
    op.add_column("notice", sa.Column("audience", sa.JSON(), nullable=True))
    op.add_column("notice", sa.Column("reminders", sa.JSON(), nullable=True))
    op.add_column("notice", sa.Column("revision", sa.Integer(), server_default="1", nullable=False))
    op.add_column("notice", sa.Column("paused_at", Moment, nullable=True))
    op.add_column("notice", sa.Column("cancelled_at", Moment, nullable=True))
    op.add_column("notice", sa.Column("updated_at", Moment, nullable=True))

    rounds = _carry_notices_over()
    # The chats each notice was told to, as their persons (one row per notice, person, kind).
    op.execute(
        "CREATE TEMPORARY TABLE notice_told AS"
        " SELECT d.notice_id AS notice_id, c.person_id AS person_id,"
        " CASE d.kind WHEN 'reminder' THEN 'reminder-1' WHEN 'cancel' THEN 'cancellation'"
        " ELSE 'notice' END AS kind, d.conversation_id AS conversation_id,"
        " d.queued_at AS created_at"
        " FROM notice_delivery d JOIN conversation c ON c.id = d.conversation_id"
        " WHERE c.person_id IS NOT NULL AND d.id = (SELECT MIN(d2.id) FROM notice_delivery d2"
        " JOIN conversation c2 ON c2.id = d2.conversation_id WHERE d2.notice_id = d.notice_id"
        " AND d2.kind = d.kind AND c2.person_id = c.person_id)"
    )
    with op.batch_alter_table("notice_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_delivery_notice_id"))
    op.drop_table("notice_delivery")

    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.alter_column("audience", existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column("reminders", existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column("updated_at", existing_type=Moment, nullable=False)
        batch_op.drop_index("ix_notice_reminder_due")
        batch_op.drop_column("remind_at")
        batch_op.drop_column("reminded_at")
        batch_op.drop_column("programme_id")

    op.create_table(
        "notice_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("due_at", Moment, nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("cursor", sa.Integer(), nullable=False),
        sa.Column(
            "upto_recipient_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("lease_owner", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("lease_expires", Moment, nullable=True),
        sa.Column("started_at", Moment, nullable=True),
        sa.Column("finished_at", Moment, nullable=True),
        sa.ForeignKeyConstraint(["notice_id"], ["notice.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("notice_id", "kind"),
    )
    with op.batch_alter_table("notice_round", schema=None) as batch_op:
        batch_op.create_index("ix_notice_round_due", ["status", "due_at"], unique=False)

    op.create_table(
        "notice_recipient",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("outbox_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("via", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("attendance", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
        sa.Column("answered_at", Moment, nullable=True),
        sa.Column("created_at", Moment, nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversation.id"]),
        sa.ForeignKeyConstraint(["notice_id"], ["notice.id"]),
        sa.ForeignKeyConstraint(["outbox_id"], ["outbox_message.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("notice_id", "kind", "person_id"),
    )
    with op.batch_alter_table("notice_recipient", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notice_recipient_chat", ["notice_id", "kind", "conversation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_notice_recipient_person_id"), ["person_id"], unique=False
        )

    table = sa.table(
        "notice_round",
        sa.column("notice_id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("due_at", Moment),
        sa.column("status", sa.String),
        sa.column("cursor", sa.Integer),
    )
    if rounds:
        op.get_bind().execute(table.insert(), rounds)
    # Those told before are told already: 'sent' (their message went out under the old code).
    op.execute(
        "INSERT INTO notice_recipient (notice_id, person_id, kind, conversation_id, via, status,"
        " reason, created_at) SELECT notice_id, person_id, kind, conversation_id, 'chat',"
        " 'sent', '', created_at FROM notice_told"
    )
    op.execute("DROP TABLE notice_told")


def _carry_notices_over() -> list[dict[str, Any]]:
    """Each notice's programme becomes its audience and its one reminder a list of one; what
    was still to be sent becomes a round (returned, written once the table exists)."""
    bind = op.get_bind()
    notices = _notices(
        "id",
        "programme_id",
        "starts_at",
        "send_at",
        "remind_at",
        "reminded_at",
        "status",
        "created_at",
        "audience",
        "reminders",
        "updated_at",
    )
    codes = dict(bind.execute(sa.text("SELECT id, code FROM programme")).all())
    rounds: list[dict[str, Any]] = []
    for row in bind.execute(sa.select(notices)).all():
        audience = {"programme": [codes[row.programme_id]]} if row.programme_id in codes else {}
        reminders = []
        if row.remind_at is not None:
            hours = max(1, round((row.starts_at - row.remind_at).total_seconds() / 3600))
            reminders = [{"hours_before": hours}]
        bind.execute(
            notices.update()
            .where(notices.c.id == row.id)
            .values(audience=audience, reminders=reminders, updated_at=row.created_at)
        )
        due: list[tuple[str, datetime, str]] = [
            ("notice", row.send_at, "scheduled" if row.status == "scheduled" else "done")
        ]
        if row.remind_at is not None:
            reminded = row.reminded_at is not None or row.status == "cancelled"
            due.append(("reminder-1", row.remind_at, "done" if reminded else "scheduled"))
        rounds.extend(
            {"notice_id": row.id, "kind": kind, "due_at": at, "status": status, "cursor": 0}
            for kind, at, status in due
        )
    return rounds


def downgrade() -> None:
    """Downgrade schema."""
    op.execute(
        "CREATE TEMPORARY TABLE notice_told AS"
        " SELECT notice_id, conversation_id, CASE WHEN kind = 'reminder-1' THEN 'reminder'"
        " WHEN kind = 'cancellation' THEN 'cancel' ELSE 'notice' END AS kind,"
        " MIN(created_at) AS queued_at FROM notice_recipient WHERE conversation_id IS NOT NULL"
        " AND kind IN ('notice', 'reminder-1', 'cancellation')"
        " GROUP BY notice_id, conversation_id, kind"
    )
    back = _carry_notices_back()
    with op.batch_alter_table("notice_recipient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_recipient_person_id"))
        batch_op.drop_index("ix_notice_recipient_chat")
    op.drop_table("notice_recipient")
    with op.batch_alter_table("notice_round", schema=None) as batch_op:
        batch_op.drop_index("ix_notice_round_due")
    op.drop_table("notice_round")

    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("programme_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reminded_at", Moment, nullable=True))
        batch_op.add_column(sa.Column("remind_at", Moment, nullable=True))
        batch_op.create_foreign_key(
            "fk_notice_programme_id_programme", "programme", ["programme_id"], ["id"]
        )
        batch_op.create_index("ix_notice_reminder_due", ["status", "remind_at"], unique=False)
        batch_op.drop_column("updated_at")
        batch_op.drop_column("cancelled_at")
        batch_op.drop_column("paused_at")
        batch_op.drop_column("revision")
        batch_op.drop_column("reminders")
        batch_op.drop_column("audience")
    notices = _notices("id", "programme_id", "remind_at", "status")
    bind = op.get_bind()
    for notice_id, values in back:
        bind.execute(notices.update().where(notices.c.id == notice_id).values(**values))
    bind.execute(notices.update().where(notices.c.status == "sending").values(status="sent"))

    op.create_table(
        "notice_delivery",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("queued_at", Moment, nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversation.id"]),
        sa.ForeignKeyConstraint(["notice_id"], ["notice.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("notice_id", "conversation_id", "kind"),
    )
    with op.batch_alter_table("notice_delivery", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notice_delivery_notice_id"), ["notice_id"], unique=False
        )
    op.execute(
        "INSERT INTO notice_delivery (notice_id, conversation_id, kind, queued_at)"
        " SELECT notice_id, conversation_id, kind, queued_at FROM notice_told"
    )
    op.execute("DROP TABLE notice_told")

    # Plain ALTER TABLE DROP COLUMN (SQLite 3.35+): rebuilding these much-referenced tables
    # would trip over the rows that point at them.
    op.drop_column("conversation", "broadcasts_stopped_at")
    op.drop_column("person", "broadcasts_stopped_at")


def _carry_notices_back() -> list[tuple[int, dict[str, Any]]]:
    """The first programme of an audience, the first reminder given in hours."""
    bind = op.get_bind()
    codes = {code: pid for pid, code in bind.execute(sa.text("SELECT id, code FROM programme"))}
    notices = _notices("id", "audience", "reminders", "starts_at")
    back = []
    for notice_id, audience, reminders, starts_at in bind.execute(sa.select(notices)).all():
        programmes = [codes[c] for c in (audience or {}).get("programme", []) if c in codes]
        hours = next((r["hours_before"] for r in reminders or [] if "hours_before" in r), None)
        values: dict[str, Any] = {"programme_id": programmes[0] if programmes else None}
        if hours:
            values["remind_at"] = starts_at - timedelta(hours=hours)
        back.append((int(notice_id), values))
    return back
