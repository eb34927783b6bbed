"""delivery statuses held until their message is recorded as sent (held_status)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 17:00:00.000000

A new table alone: nothing existing is touched on the way up or down.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.base

# revision identifiers, used by Alembic.
revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Moment = models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "held_status",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "platform_message_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False
        ),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("window_closed", sa.Boolean(), nullable=False),
        sa.Column("received_at", Moment, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform_message_id", "status"),
    )
    with op.batch_alter_table("held_status", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_held_status_received_at"), ["received_at"], unique=False
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("held_status", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_held_status_received_at"))
    op.drop_table("held_status")
