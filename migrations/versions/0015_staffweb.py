"""the staff web: an office's own settings (opening hours, contacts, its complaint clock where
its SOP states none) over its catalogue entry

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 12:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.base

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "office_setting",
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("hours_id", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("hours_en", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("website", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("clock_kind", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("clock_amount", sa.Integer(), nullable=True),
        sa.Column(
            "clock_office_hours", sqlmodel.sql.sqltypes.AutoString(length=11), nullable=False
        ),
        sa.Column("updated_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"]),
        sa.ForeignKeyConstraint(["updated_by_id"], ["staff_user.id"]),
        sa.PrimaryKeyConstraint("office_id"),
    )


def downgrade() -> None:
    op.drop_table("office_setting")
