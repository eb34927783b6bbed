"""Engine and sessions. SQLite runs in WAL mode so the web process and workers share it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine


def make_engine(url: str, *, echo: bool = False) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite opens transactions lazily, which lets two writers both read then
        # collide; BEGIN IMMEDIATE takes the write lock up front so claims are atomic.
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=10)


READ_ONLY = "sigap_read_only"


def _sqlite_begin(conn: Connection) -> None:
    # Reads that write nothing (health, metrics: `engine.execution_options(sigap_read_only=
    # True)`) take a snapshot without the write lock, so a probe never waits for a writer.
    read_only = conn.get_execution_options().get(READ_ONLY, False)
    conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see make_engine)
    # A row written before inbound text was cleaned may hold invalid UTF-8 (SQLite's JSON
    # functions turn an escaped lone surrogate into such bytes). Read strictly, one such row
    # fails every query that touches it, on every pass, after every restart; read with U+FFFD
    # in place of the bad bytes, it is one odd name, and the bot goes on answering.
    dbapi_connection.text_factory = _lenient_text
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _lenient_text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def read_only(engine: Engine) -> Engine:
    """The same engine and pool, for reads alone: on SQLite its transactions take no write
    lock (they must then write nothing)."""
    return engine.execution_options(**{READ_ONLY: True})


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    """The one owner of a transaction: commits on success, rolls back on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
