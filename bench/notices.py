"""A notice to 100,000 people: how long the fan-out takes to queue it, and how much memory.

The register is built before the clock starts: BENCH_NOTICE_RECIPIENTS persons of one office
in 50 desa, one in ten with a linked Telegram chat, one in twenty without a phone, the rest
with a phone the phone channel reaches (its chat is created by the fan-out, as in a real
first notice). One notice for the whole office is then fanned out by the notice job's own
code (services/notice_fanout.py: chunks of INSERT … SELECT under a lease) in a process of its
own, so its peak memory is the fan-out's and not the set-up's. Reported: enqueue time (from
the claim to the last chunk), the longest chunk (the longest the write lock is held at once),
the process's peak RSS, and a check that every person has exactly one recipient row and
every reachable chat exactly one message.

Goal (issue 12): enqueue ≤ 5 s and peak RSS < 200 MB for 100,000 recipients, on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import multiprocessing
import resource
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, text

from bench.common import databases, fresh_database, sized
from core.db import make_engine
from models import Conversation, Notice, NoticeRound, Office, Person
from services import notice_fanout

RECIPIENTS = int(sized("BENCH_NOTICE_RECIPIENTS", 100_000))
CHUNK = int(sized("BENCH_NOTICE_CHUNK", notice_fanout.CHUNK))
NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
BATCH = 10_000
GOAL_SECONDS, GOAL_MB = 5.0, 200.0


def populate(url: str, *, recipients: int = RECIPIENTS, now: datetime = NOW) -> None:
    """The register of one office (``recipients`` persons, mixed as the module says) and one
    notice to all of them, due at ``now``."""
    engine = make_engine(url)
    persons = Person.__table__  # type: ignore[attr-defined]
    chats = Conversation.__table__  # type: ignore[attr-defined]
    with engine.begin() as conn:
        office_id = conn.execute(
            insert(Office.__table__).returning(Office.__table__.c.id),  # type: ignore[attr-defined]
            {
                "code": "74.14",
                "slug": "buton-tengah",
                "name": "Dinas Sosial Kabupaten Buton Tengah",
                "timezone": "Asia/Makassar",
                "created_at": now,
            },
        ).scalar_one()
    for start in range(0, recipients, BATCH):
        rows = []
        for i in range(start, min(start + BATCH, recipients)):
            phone = "" if i % 20 == 19 else f"+62812{i:08d}"
            rows.append(
                {
                    "office_id": office_id,
                    "nik": f"7414{i:012d}",
                    "kk_number": f"7414{i:012d}",
                    "name": f"KPM {i}",
                    "birth_date": datetime(1980, 1, 1).date(),
                    "sex": "P",
                    "marital_status": "kawin",
                    "desa": f"Desa {i % 50}",
                    "kecamatan": f"Kecamatan {i % 7}",
                    "phone": phone,
                    "phone_e164": phone,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        with engine.begin() as conn:
            ids = conn.execute(
                insert(persons).returning(persons.c.id, sort_by_parameter_order=True), rows
            ).scalars()
            linked = [
                {
                    "channel": "telegram",
                    "chat_id": f"{30_000_000 + i}",
                    "display_name": "",
                    "language": "id",
                    "state": "menu",
                    "data": {},
                    "person_id": person_id,
                    "office_id": office_id,
                    "updated_at": now - timedelta(days=1),
                }
                for i, person_id in enumerate(ids, start=start)
                if i % 10 == 0
            ]
            conn.execute(insert(chats), linked)
    with engine.begin() as conn:
        notice_id = conn.execute(
            insert(Notice.__table__).returning(Notice.__table__.c.id),  # type: ignore[attr-defined]
            {
                "office_id": office_id,
                "kind": "socialisation",
                "title": "Sosialisasi BPNT",
                "place": "Aula Kantor Camat Lakudo",
                "starts_at": now + timedelta(days=3),
                "details": "Bawa KTP dan KKS.",
                "send_at": now,
                "audience": {},
                "reminders": [],
                "status": "scheduled",
                "revision": 1,
                "created_at": now,
                "updated_at": now,
            },
        ).scalar_one()
        conn.execute(
            insert(NoticeRound.__table__),  # type: ignore[attr-defined]
            {"notice_id": notice_id, "kind": "notice", "due_at": now, "status": "scheduled",
             "cursor": 0},
        )  # fmt: skip
        # An office's register is not new when a notice goes out: the planner knows its size.
        conn.execute(text("ANALYZE"))
    engine.dispose()


def _fan_out(url: str, answer: Any) -> None:
    """In a process of its own: the job's claim and chunks, each chunk timed."""
    engine = make_engine(url)
    started = time.perf_counter()
    round_id = notice_fanout._claim(engine, now=NOW, worker_id="bench")
    assert round_id is not None
    chunks: list[float] = []
    queued = 0
    while True:
        t0 = time.perf_counter()
        step = notice_fanout._chunk(
            engine, round_id, now=NOW, worker_id="bench", phone_channel="whatsapp", size=CHUNK
        )
        chunks.append(time.perf_counter() - t0)
        queued += step.queued
        if not step.more:
            break
    seconds = time.perf_counter() - started
    engine.dispose()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    answer.send((seconds, max(chunks), len(chunks), queued, peak_mb))


def _check(url: str) -> tuple[int, int, int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        recipients, persons = conn.execute(
            text("SELECT count(*), count(DISTINCT person_id) FROM notice_recipient")
        ).one()
        duplicates = conn.execute(
            text(
                "SELECT count(*) FROM (SELECT conversation_id FROM outbox_message"
                " GROUP BY conversation_id HAVING count(*) > 1) AS twice"
            )
        ).scalar_one()
    engine.dispose()
    return int(recipients), int(persons), int(duplicates)


def run() -> None:
    print(f"== notice fan-out to {RECIPIENTS:,} persons, chunks of {CHUNK:,} ==")
    context = multiprocessing.get_context("spawn")
    for kind in databases():
        with fresh_database(kind) as url:
            t0 = time.perf_counter()
            populate(url)
            print(f"[{kind}] register built in {time.perf_counter() - t0:.1f} s")
            mine, theirs = context.Pipe(duplex=False)
            process = context.Process(target=_fan_out, args=(url, theirs))
            process.start()
            seconds, longest, chunks, queued, peak_mb = mine.recv()
            process.join()
            recipients, persons, duplicates = _check(url)
            ok = recipients == persons == RECIPIENTS and duplicates == 0
            once = "yes" if ok else f"NO ({recipients} rows, {persons} persons, {duplicates} twice)"
            verdict = "ok" if seconds <= GOAL_SECONDS and peak_mb < GOAL_MB else "over goal"
            print(
                f"[{kind}] enqueue {seconds:.2f} s ({RECIPIENTS / seconds:,.0f} recipients/s), "
                f"{queued:,} messages, {chunks} chunks, longest chunk {longest * 1000:.0f} ms, "
                f"peak RSS {peak_mb:.0f} MB ({verdict}; goal ≤ {GOAL_SECONDS:.0f} s, "
                f"< {GOAL_MB:.0f} MB); one row per person and one message per chat: "
                f"{once}",
                flush=True,
            )
