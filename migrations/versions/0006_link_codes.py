"""link codes: one-time codes that tie a chat to a person, a staff member or an office's
officers; proof attempts name the person they were about, and how they were made

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 17:53:35

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.base

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "link_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("used_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("used_by", sqlmodel.sql.sqltypes.AutoString(length=101), nullable=True),
        sa.Column("revoked_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["office.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("link_code", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_link_code_code_hash"), ["code_hash"], unique=True)
        batch_op.create_index(batch_op.f("ix_link_code_office_id"), ["office_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_link_code_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_link_code_staff_id"), ["staff_id"], unique=False)

    with op.batch_alter_table("proof_attempt", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "method",
                sqlmodel.sql.sqltypes.AutoString(length=12),
                server_default="birth",
                nullable=False,
            )
        )
        batch_op.create_index(batch_op.f("ix_proof_attempt_person_id"), ["person_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_proof_attempt_person_id_person", "person", ["person_id"], ["id"]
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("proof_attempt", schema=None) as batch_op:
        batch_op.drop_constraint("fk_proof_attempt_person_id_person", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_proof_attempt_person_id"))
        batch_op.drop_column("method")
        batch_op.drop_column("person_id")

    with op.batch_alter_table("link_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_link_code_staff_id"))
        batch_op.drop_index(batch_op.f("ix_link_code_person_id"))
        batch_op.drop_index(batch_op.f("ix_link_code_office_id"))
        batch_op.drop_index(batch_op.f("ix_link_code_code_hash"))

    op.drop_table("link_code")
