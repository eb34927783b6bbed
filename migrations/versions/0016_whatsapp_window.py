"""WhatsApp's 24-hour window and delivery statuses: when each chat last wrote to us, and the
outbox found by the platform's message id

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 10:30:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

# revision identifiers, used by Alembic.
revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("last_inbound_at", models.base.UTCDateTime(timezone=True), nullable=True)
        )
    # A chat that wrote shortly before the upgrade keeps its window: replies already queued to
    # it still go as they are, not as "outside the window".
    op.execute(
        "UPDATE conversation SET last_inbound_at = (SELECT max(received_at) FROM inbound_message"
        " WHERE inbound_message.conversation_id = conversation.id)"
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_platform_message", ["platform_message_id"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_platform_message")
    # Plain ALTER TABLE DROP COLUMN (SQLite 3.35+): rebuilding the conversation table would
    # trip over the rows that point at it (outbox, notice recipients).
    op.drop_column("conversation", "last_inbound_at")
