"""The database's clock, as seconds since the epoch: the one clock all workers share.

Leases and rate budgets are compared against it inside the statements that take them, so a
worker whose own clock runs fast or slow can neither steal a lease nor overspend a budget.
"""

from __future__ import annotations

from sqlalchemy import Engine, Float, literal_column
from sqlalchemy.sql.elements import ColumnElement

# clock_timestamp(), not now(): now() stands still at the start of the transaction.
_POSTGRES = "extract(epoch from clock_timestamp())::float8"
# julianday('now') has millisecond precision: days since noon of 24 November 4714 BC.
_SQLITE = "((julianday('now') - 2440587.5) * 86400.0)"


def now_expression(engine: Engine) -> ColumnElement[float]:
    sql = _POSTGRES if engine.dialect.name == "postgresql" else _SQLITE
    return literal_column(sql, type_=Float)


def now_sql(engine: Engine) -> str:
    """The same, as SQL text, for statements written as text."""
    return now_sql_for(engine.dialect.name)


def now_sql_for(dialect: str) -> str:
    """The same for a dialect's name, for statements built once per dialect."""
    return _POSTGRES if dialect == "postgresql" else _SQLITE
