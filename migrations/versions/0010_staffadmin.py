"""staff administration: a forced password change after a reset, sessions that end when
idle, and failed log-ins counted for throttling

Existing sessions count as seen when they were created.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 09:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.base

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )

    with op.batch_alter_table("staff_session", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("last_seen_at", models.base.UTCDateTime(timezone=True), nullable=True)
        )
    op.execute("UPDATE staff_session SET last_seen_at = created_at")
    with op.batch_alter_table("staff_session", schema=None) as batch_op:
        batch_op.alter_column(
            "last_seen_at", existing_type=models.base.UTCDateTime(timezone=True), nullable=False
        )
        batch_op.create_index(batch_op.f("ix_staff_session_expires_at"), ["expires_at"])

    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_failure_at"), ["at"])
        batch_op.create_index(batch_op.f("ix_login_failure_username"), ["username"])
        batch_op.create_index(batch_op.f("ix_login_failure_address"), ["address"])


def downgrade() -> None:
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_failure_address"))
        batch_op.drop_index(batch_op.f("ix_login_failure_username"))
        batch_op.drop_index(batch_op.f("ix_login_failure_at"))
    op.drop_table("login_failure")

    with op.batch_alter_table("staff_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_session_expires_at"))
        batch_op.drop_column("last_seen_at")

    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")
