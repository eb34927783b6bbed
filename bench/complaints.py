"""The complaint clock at scale: one sweep and ticket look-ups with 1,000,000 complaints.

Goal (issue 5): under 100 ms a sweep, p95 under 5 ms a look-up, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import random
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, insert
from sqlmodel import Session

from bench.common import databases, fresh_database, summary_ms
from core.db import make_engine
from models import Complaint, Office
from services.complaints import ClockPolicy, complaint_by_number, sweep

TOTAL = int(os.environ.get("BENCH_COMPLAINTS", "1000000"))
DUE_NOW = 50  # complaints whose first reminder falls due at the measured moment
LOOKUPS = 2000
NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
BATCH = 20_000


def _populate(engine: Engine) -> None:
    with Session(engine) as session:
        office = Office(
            code="74.14", slug="buton-tengah", short_code="BTG", name="Dinas Sosial Buton Tengah"
        )
        session.add(office)
        session.commit()
        office_id = office.id
    rng = random.Random(7)
    table = Complaint.__table__  # type: ignore[attr-defined]
    for start in range(0, TOTAL, BATCH):
        rows = []
        for i in range(start, min(start + BATCH, TOTAL)):
            received = NOW - timedelta(minutes=rng.randint(60, 60 * 24 * 700))
            # Most complaints are long settled; a few are open, 50 of them due right now.
            is_open = i % 1000 == 0
            due_now = i < DUE_NOW
            next_check = None
            if is_open:
                # Received in the last day: its first reminder is still ahead.
                received = NOW - timedelta(minutes=rng.randint(10, 60 * 20))
            if due_now:
                received = NOW - timedelta(hours=25)
            if is_open or due_now:
                next_check = received + timedelta(hours=24)
            rows.append(
                {
                    "number": f"ADU-BTG-{received.year}-{i + 1:05d}",
                    "office_id": office_id,
                    "category": "lainnya",
                    "channel": "telegram",
                    "description": "Bantuan belum diterima.",
                    "confidential": False,
                    "complainant_name": "",
                    "complainant_contact": "",
                    "status": "open" if (is_open or due_now) else "closed",
                    "cycle": 1,
                    "received_at": received,
                    "clock_started_at": received,
                    "due_at": received + timedelta(hours=48),
                    "next_check_at": next_check if (is_open or due_now) else None,
                    "first_response_at": None
                    if (is_open or due_now)
                    else received + timedelta(hours=5),
                }
            )
        with engine.begin() as conn:
            conn.execute(insert(table), rows)


def run() -> None:
    print(f"== complaint clock with {TOTAL:,} complaints ==")
    for kind in databases():
        with fresh_database(kind) as url:
            engine = make_engine(url)
            started = time.perf_counter()
            _populate(engine)
            print(f"[{kind}] loaded in {time.perf_counter() - started:.1f} s")
            policy = ClockPolicy()

            t0 = time.perf_counter()
            fired = sweep(engine=engine, now=NOW, policy=policy)
            busy = time.perf_counter() - t0
            idle_samples = []
            for _ in range(20):
                t0 = time.perf_counter()
                sweep(engine=engine, now=NOW, policy=policy)
                idle_samples.append(time.perf_counter() - t0)
            print(
                f"[{kind}] sweep firing {fired} due reminders: {busy * 1000:.1f} ms; "
                f"sweep with nothing due: {summary_ms(idle_samples)}"
            )

            rng = random.Random(11)
            numbers = [f"ADU-BTG-%d-{rng.randint(1, TOTAL):05d}" for _ in range(LOOKUPS)]
            samples = []
            with Session(engine) as session:
                for pattern in numbers:
                    for year in (2026, 2025, 2024):
                        t0 = time.perf_counter()
                        found = complaint_by_number(session=session, number=pattern % year)
                        samples.append(time.perf_counter() - t0)
                        if found:
                            break
            print(f"[{kind}] ticket look-up ({len(samples)} queries): {summary_ms(samples)}")
            engine.dispose()
