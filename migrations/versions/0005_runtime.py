"""runtime: outbound leases on the database's clock, per-chat pace, priorities, rate budgets

The inbound lease columns go: a chat's updates are now taken under a row lock of the
conversation (PostgreSQL) or SQLite's single writer, for one transaction per pass.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 09:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.base

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUEUED = sa.text("status = 'queued'")


def upgrade() -> None:
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.drop_column("inbound_lease_until")
        batch_op.drop_column("inbound_lease_owner")
        batch_op.drop_column("outbound_lease_until")
        batch_op.add_column(sa.Column("outbound_lease_expires", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("outbound_next_at", sa.Float(), nullable=True))
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("priority", sa.Integer(), server_default="0", nullable=False))
    op.create_index(
        "ix_outbox_queued",
        "outbox_message",
        ["priority", "id"],
        sqlite_where=QUEUED,
        postgresql_where=QUEUED,
    )
    op.create_table(
        "send_rate",
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("tat", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("channel"),
    )
    # Updates that failed for good were "failed"; they are now kept as "quarantined".
    op.execute("UPDATE inbound_message SET status = 'quarantined' WHERE status = 'failed'")


def downgrade() -> None:
    op.execute("UPDATE inbound_message SET status = 'failed' WHERE status = 'quarantined'")
    op.drop_table("send_rate")
    op.drop_index("ix_outbox_queued", table_name="outbox_message")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("priority")
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.drop_column("outbound_next_at")
        batch_op.drop_column("outbound_lease_expires")
        batch_op.add_column(
            sa.Column("outbound_lease_until", models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "inbound_lease_owner", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column("inbound_lease_until", models.base.UTCDateTime(timezone=True), nullable=True)
        )
