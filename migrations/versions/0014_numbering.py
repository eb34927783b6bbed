"""numbers that do not run out: each office's short code, one counter per (prefix, office,
year) started after the numbers already given, and 64-bit ids for the tables that grow with
every message, event, session and attempt (PostgreSQL)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 09:00:00

"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A number as stored, before ("ADU-2026-00012") and after ("ADU-BTG-2026-00012") per-office
# counting. Kept here rather than imported: a migration must read the same way forever.
_STORED = re.compile(r"^([A-Z][A-Z0-9]*)(?:-[A-Z][A-Z0-9]*)?-([0-9]{4})-([0-9]+)$")

# The columns that become BIGINT on PostgreSQL, per table (one rewrite of each table).
_BIG = {
    "inbound_message": ("id",),
    "outbox_message": ("id", "inbound_id"),
    "proof_attempt": ("id",),
    "complaint_event": ("id",),
    "complaint_attachment": ("id", "event_id"),
    "proposal_event": ("id",),
    "audit_log": ("id", "entity_id"),
    "staff_session": ("id",),
    "login_failure": ("id",),
    "link_code": ("id",),
    "notice_delivery": ("id",),
}


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("office", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("short_code", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True)
        )
        batch_op.create_index(batch_op.f("ix_office_short_code"), ["short_code"], unique=True)

    counter = op.create_table(
        "number_counter",
        sa.Column("prefix", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["office.id"],
        ),
        sa.PrimaryKeyConstraint("prefix", "office_id", "year"),
    )
    _seed_counters(counter)

    if op.get_bind().dialect.name == "postgresql":
        _retype("BIGINT")


def _seed_counters(counter: sa.Table) -> None:
    """Start every (prefix, office, year) after the highest number its office already has:
    numbers given before were shared by all offices, so a new ``ADU-BTG-2026-00013`` never
    stands beside an older ``ADU-2026-00013`` of the same office."""
    bind = op.get_bind()
    highest: dict[tuple[str, int, int], int] = {}
    for table in ("complaint", "proposal"):
        rows = bind.execute(sa.text(f"SELECT office_id, number FROM {table}"))
        for office_id, number in rows:
            found = _STORED.match(number or "")
            if found is None:
                continue
            key = (found[1], int(office_id), int(found[2]))
            highest[key] = max(highest.get(key, 0), int(found[3]))
    if highest:
        op.bulk_insert(
            counter,
            [
                {"prefix": prefix, "office_id": office_id, "year": year, "value": value}
                for (prefix, office_id, year), value in sorted(highest.items())
            ],
        )


def _retype(sql_type: str) -> None:
    """PostgreSQL: the columns of ``_BIG`` and the sequences behind their ids."""
    bind = op.get_bind()
    for table, columns in _BIG.items():
        changes = ", ".join(f"ALTER COLUMN {c} TYPE {sql_type}" for c in columns)
        op.execute(f"ALTER TABLE {table} {changes}")
        sequence = bind.execute(
            sa.text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table}
        ).scalar()
        if sequence:
            # A serial's sequence is typed too, and would stop at 2**31 - 1 on its own.
            op.execute(f"ALTER SEQUENCE {sequence} AS {sql_type}")


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name == "postgresql":
        _retype("INTEGER")
    op.drop_table("number_counter")
    with op.batch_alter_table("office", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_office_short_code"))
    # SQLite drops the column in place (3.35+): a batch copy of the office table would trip
    # over every row that refers to an office.
    op.execute("ALTER TABLE office DROP COLUMN short_code")
