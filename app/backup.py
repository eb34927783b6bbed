"""`sigap backup` and `sigap restore` for a SQLite database.

A SQLite file in WAL mode cannot be copied with `cp` while Sigap runs: recent transactions
sit in the -wal file, and a copy taken between the two is torn. SQLite's online backup API
copies a consistent snapshot while the web server and workers go on writing (readers never
block writers in WAL mode), and the copy is made a single self-contained file.

PostgreSQL has its own tools (pg_dump, pg_restore); these commands refuse it and say so.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

POSTGRES_HINT = (
    "sigap backup and restore are for SQLite; on PostgreSQL use its own tools:\n"
    "  pg_dump --format=custom --file=sigap.dump DATABASE_URL\n"
    "  pg_restore --clean --if-exists --no-owner --dbname=DATABASE_URL sigap.dump"
)


class BackupError(Exception):
    """Says in one line what is wrong; the command prints it and exits non-zero."""


def sqlite_path(url: str) -> Path:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise BackupError(POSTGRES_HINT)
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("DATABASE_URL names no SQLite file")
    return Path(parsed.database)


def _check(connection: sqlite3.Connection, what: Path) -> None:
    """A readable SQLite database with Sigap's schema, not torn."""
    try:
        (result,) = connection.execute("PRAGMA integrity_check").fetchone()
        migrated = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{what}: not a SQLite database ({exc})") from None
    if result != "ok":
        raise BackupError(f"{what}: damaged ({result})")
    if migrated is None:
        raise BackupError(f"{what}: not a Sigap database (no alembic_version table)")


def backup(url: str, target: Path) -> int:
    """Copy the live database into ``target`` (which must not exist); returns its size."""
    source_path = sqlite_path(url)
    if not source_path.is_file():
        raise BackupError(f"{source_path}: no such database")
    if target.exists():
        raise BackupError(f"{target}: already exists; give a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(source_path, timeout=30)
    copy = sqlite3.connect(target)
    try:
        # One step (pages=-1): the whole snapshot under one read transaction, so writers
        # committing meanwhile neither restart the copy nor tear it.
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
        _check(copy, target)
    except BaseException:
        copy.close()
        target.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    copy.close()
    return target.stat().st_size


def restore(url: str, source_path: Path) -> None:
    """Replace the database's content with the backup's, in one transaction."""
    target_path = sqlite_path(url)
    if not source_path.is_file():
        raise BackupError(f"{source_path}: no such file")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    try:
        _check(source, source_path)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(target_path, timeout=30)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=WAL")  # as Sigap runs it (core/db.py)
        finally:
            target.close()
    finally:
        source.close()
