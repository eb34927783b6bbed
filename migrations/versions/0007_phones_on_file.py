"""phones on file in E.164, so a chat's verified number can be matched to a person

Existing numbers are normalised here with the rules of the time (libphonenumber, region ID);
what is no valid number stays "" and matches nothing.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 18:06:55

"""

from collections.abc import Sequence

import phonenumbers
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _e164(text: str) -> str:
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "phone_e164",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="",
            )
        )
        batch_op.create_index(batch_op.f("ix_person_phone_e164"), ["phone_e164"], unique=False)
    person = sa.table("person", sa.column("id"), sa.column("phone"), sa.column("phone_e164"))
    connection = op.get_bind()
    rows = connection.execute(sa.select(person.c.id, person.c.phone).where(person.c.phone != ""))
    for person_id, phone in rows.all():
        if _e164(phone):
            connection.execute(
                person.update().where(person.c.id == person_id).values(phone_e164=_e164(phone))
            )


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_phone_e164"))
        batch_op.drop_column("phone_e164")
