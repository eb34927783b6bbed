"""complaints as conversations: thread attachments, drafts, offline sources, answer routes,
the clock rule that set a deadline, and link codes that follow one complaint

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 06:51:41.673891

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.base

# revision identifiers, used by Alembic.
revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "complaint_draft",
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversation.id"],
        ),
        sa.PrimaryKeyConstraint("conversation_id"),
    )
    op.create_table(
        "complaint_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("platform_ref", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("mime_type", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("storage_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("fetched_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["complaint_event.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("complaint_attachment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_attachment_complaint_id"), ["complaint_id"], unique=False
        )
        batch_op.create_index("ix_complaint_attachment_fetch", ["status", "id"], unique=False)

    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "source_detail",
                sqlmodel.sql.sqltypes.AutoString(length=120),
                server_default="",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column(
                "clock_rule",
                sqlmodel.sql.sqltypes.AutoString(length=40),
                server_default="",
                nullable=False,
            )
        )

    with op.batch_alter_table("complaint_event", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("via", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True)
        )

    with op.batch_alter_table("link_code", schema=None) as batch_op:
        batch_op.add_column(sa.Column("complaint_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_link_code_complaint_id"), ["complaint_id"], unique=False
        )
        batch_op.create_foreign_key(
            "fk_link_code_complaint_id_complaint", "complaint", ["complaint_id"], ["id"]
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("link_code", schema=None) as batch_op:
        batch_op.drop_constraint("fk_link_code_complaint_id_complaint", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_link_code_complaint_id"))
        batch_op.drop_column("complaint_id")

    with op.batch_alter_table("complaint_event", schema=None) as batch_op:
        batch_op.drop_column("via")

    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.drop_column("clock_rule")
        batch_op.drop_column("source_detail")

    with op.batch_alter_table("complaint_attachment", schema=None) as batch_op:
        batch_op.drop_index("ix_complaint_attachment_fetch")
        batch_op.drop_index(batch_op.f("ix_complaint_attachment_complaint_id"))

    op.drop_table("complaint_attachment")
    op.drop_table("complaint_draft")
