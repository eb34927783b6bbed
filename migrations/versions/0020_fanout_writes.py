"""fewer index entries and checks written per row of a notice's fan-out (issue 12): the outbox's
platform-id index and the chat's person index only over rows that have one, a recipient's
unique key led by the person (it replaces the person's own index), and on PostgreSQL the
outbox's foreign keys gone

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 20:00:00.000000

A fan-out to 100,000 persons writes about 95,000 chats, 95,000 outbox rows and 100,000
recipient rows; each index entry and each foreign-key check is work per row. Queued messages
have no platform id and the chats a fan-out creates no person, so those indexes skip them;
every query by either names a value. The outbox's foreign keys are dropped on PostgreSQL only,
where each check also locked the chat's row (a write): Sigap deletes no chat, inbound message
or outbox row, and every writer of an outbox row has read its chat in the same transaction.
SQLite keeps them (dropping one there rebuilds the outbox, every message ever sent), and
``tests/test_migrations.py`` allows that one difference from the models.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0020"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# outbox_message's foreign keys dropped on PostgreSQL: column -> the table it names
OUTBOX_KEYS = {"conversation_id": "conversation", "inbound_id": "inbound_message"}
OLD_UNIQUE = ["notice_id", "kind", "person_id"]
NEW_UNIQUE = ["person_id", "notice_id", "kind"]
# SQLite's unique constraints have no names: batch mode gives them these to drop them by.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_N_name)s"}


def _partial(table: str, index: str, column: str, *, where: bool) -> None:
    op.drop_index(index, table_name=table)
    condition = sa.text(f"{column} IS NOT NULL") if where else None
    op.create_index(
        index, table, [column], unique=False, sqlite_where=condition, postgresql_where=condition
    )


def _unique_name(columns: list[str]) -> str:
    return f"notice_recipient_{'_'.join(columns)}_key"


def _swap_unique(old: list[str], new: list[str]) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for unique in sa.inspect(bind).get_unique_constraints("notice_recipient"):
            if unique["column_names"] == old and unique["name"]:
                op.drop_constraint(unique["name"], "notice_recipient", type_="unique")
        op.create_unique_constraint(_unique_name(new), "notice_recipient", new)
        return
    with op.batch_alter_table("notice_recipient", naming_convention=NAMING) as batch_op:
        batch_op.drop_constraint(f"uq_notice_recipient_{'_'.join(old)}", type_="unique")
        batch_op.create_unique_constraint(f"uq_notice_recipient_{'_'.join(new)}", new)


def upgrade() -> None:
    """Upgrade schema."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for key in sa.inspect(bind).get_foreign_keys("outbox_message"):
            if key["constrained_columns"][0] in OUTBOX_KEYS and key["name"]:
                op.drop_constraint(key["name"], "outbox_message", type_="foreignkey")
    _partial("outbox_message", "ix_outbox_platform_message", "platform_message_id", where=True)
    _partial("conversation", "ix_conversation_person_id", "person_id", where=True)
    op.drop_index("ix_notice_recipient_person_id", table_name="notice_recipient")
    _swap_unique(OLD_UNIQUE, NEW_UNIQUE)


def downgrade() -> None:
    """Downgrade schema."""
    _swap_unique(NEW_UNIQUE, OLD_UNIQUE)
    op.create_index("ix_notice_recipient_person_id", "notice_recipient", ["person_id"])
    _partial("conversation", "ix_conversation_person_id", "person_id", where=False)
    _partial("outbox_message", "ix_outbox_platform_message", "platform_message_id", where=False)
    if op.get_bind().dialect.name == "postgresql":
        for column, table in OUTBOX_KEYS.items():
            op.create_foreign_key(
                f"outbox_message_{column}_fkey", "outbox_message", table, [column], ["id"]
            )
