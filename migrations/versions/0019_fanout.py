"""a notice's recipient rows without foreign keys: a fan-out to 100,000 persons spent 43 % of
PostgreSQL's time checking them (four a row), for ids it had just read from the rows they name

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 17:10:00.000000

Sigap never deletes a notice, a person (erasure blanks the row), a chat or an outbox row, so
nothing could leave a recipient row pointing nowhere. On SQLite, dropping a foreign key
rebuilds ``notice_recipient`` (nothing points at it); ``person`` and ``conversation`` are
untouched either way.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "notice_recipient"
# column -> the table it named
KEYS = {
    "notice_id": "notice",
    "person_id": "person",
    "conversation_id": "conversation",
    "outbox_id": "outbox_message",
}
# SQLite's foreign keys have no names: batch mode gives them these to drop them by.
NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}


def upgrade() -> None:
    """Upgrade schema."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for key in sa.inspect(bind).get_foreign_keys(TABLE):
            if key["constrained_columns"][0] in KEYS and key["name"]:
                op.drop_constraint(key["name"], TABLE, type_="foreignkey")
        return
    with op.batch_alter_table(TABLE, naming_convention=NAMING) as batch_op:
        for column, table in KEYS.items():
            batch_op.drop_constraint(f"fk_{TABLE}_{column}_{table}", type_="foreignkey")


def downgrade() -> None:
    """Downgrade schema."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for column, table in KEYS.items():
            op.create_foreign_key(f"{TABLE}_{column}_fkey", TABLE, table, [column], ["id"])
        return
    with op.batch_alter_table(TABLE) as batch_op:
        for column, table in KEYS.items():
            batch_op.create_foreign_key(f"fk_{TABLE}_{column}_{table}", table, [column], ["id"])
