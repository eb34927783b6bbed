"""What every benchmark shares: databases to run on, and figures to print."""

from __future__ import annotations

import os
import statistics
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from app.migrate import upgrade
from core.db import make_engine

PG_URL = os.environ.get(
    "BENCH_DATABASE_URL",
    os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"),
)


def _pg(url: str) -> str:
    return "postgresql+psycopg://" + url.removeprefix("postgresql://")


def postgres_available() -> bool:
    engine = make_engine(_pg(PG_URL))
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        return True
    except Exception:
        return False
    finally:
        engine.dispose()


@contextmanager
def fresh_database(kind: str, schema: str = "sigap_bench") -> Iterator[str]:
    """An empty migrated database: a temporary SQLite file, or the bench PostgreSQL wiped."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
            upgrade(url)
            yield url
        return
    # Its own schema, so a benchmark never touches tables a test run is using.
    engine = make_engine(_pg(PG_URL))
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = _pg(PG_URL) + f"?options=-csearch_path%3D{schema}"
    upgrade(url)
    try:
        yield url
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        engine.dispose()


def databases() -> list[str]:
    kinds = ["sqlite"]
    if postgres_available():
        kinds.append("postgres")
    else:
        print(f"(PostgreSQL not reachable at {PG_URL}: measuring SQLite only)")
    return kinds


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


def summary_ms(samples: list[float]) -> str:
    return (
        f"p50 {statistics.median(samples) * 1000:.2f} ms, "
        f"p95 {percentile(samples, 0.95) * 1000:.2f} ms, "
        f"p99 {percentile(samples, 0.99) * 1000:.2f} ms"
    )


def sized(name: str, default: float) -> float:
    """A size or time from the environment (``BENCH_...``), so a quick run can be small."""
    return float(os.environ.get(name) or default)


def rounds(name: str, default: int = 3) -> int:
    """Rounds of a benchmark: its own variable, else ``BENCH_ROUNDS``, else ``default``."""
    return int(os.environ.get(name) or os.environ.get("BENCH_ROUNDS") or default)
