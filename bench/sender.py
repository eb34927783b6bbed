"""The sender against the platform's limit: 10,000 queued messages to 10,000 chats.

The messages are queued in the database before Sigap starts (conversations and outbox rows
made through the models and services/outbox.py, so any column added later gets its
default), as a broadcast notice leaves them. Sigap then runs as it does by default (workers
on) with TELEGRAM_SEND_RATE=1000, against the fake Bot API in its own process, which admits
1,000 sendMessage a second (a token bucket holding one second's worth) and answers Telegram's
429 above that. Scenarios: one process on each database; two processes on one PostgreSQL
(`sigap worker` beside the web process when that command exists, else two web processes);
and the platform taking 80 ms to answer each call.

The achieved rate runs from the first accepted send to the last. A run that has not
delivered everything BENCH_SENDER_TIMEOUT seconds after Sigap was ready (its worker running)
is stopped there and shows what it reached, at the rate it was sending, and how long before
the end its last message went: a sender that stopped sending shows a long silence, one that
was still sending a short one. (The timeout once ran from the start of the processes, which
take 10 to 30 s to start on a loaded machine: a run then stopped after a second or two of
sending looked like a sender that stalled.)

Goal (issue 9): at least 98 % of the rate, no 429, no message sent twice.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from sqlalchemy import text

from bench.common import databases, fresh_database, sized
from bench.fakes import FakeBotApi, fake_bot_api
from bench.processes import (
    SIGAP_APP,
    Process,
    sigap_env,
    sigap_worker_command,
    uvicorn_command,
)
from core.db import make_engine, unit_of_work
from models import BULK, Conversation, utcnow
from services.outbox import queue

MESSAGES = int(sized("BENCH_SENDER_MESSAGES", 10_000))
RATE = sized("BENCH_SENDER_RATE", 1000)
SLOW = sized("BENCH_SENDER_SLOW_SECONDS", 0.08)  # a platform taking 80 ms a call
TIMEOUT = sized("BENCH_SENDER_TIMEOUT", 60)  # a sender keeping the rate needs ~10 s
QUIET = 2.0  # seconds of nothing new after the last message, for late duplicates to show
FIRST_CHAT = 20_000_000


@dataclass(frozen=True)
class Scenario:
    kind: str
    processes: int
    delay: float

    @property
    def label(self) -> str:
        slow = f", {self.delay * 1000:.0f} ms a call" if self.delay else ""
        return f"{self.kind}, {self.processes} process{'es' if self.processes > 1 else ''}{slow}"


@dataclass(frozen=True)
class Outcome:
    accepted: int
    seconds: float
    rate: float
    too_many: int
    duplicates: int
    complete: bool
    outbox: dict[str, int]
    start: float  # seconds from starting the processes to their being ready
    first: float | None  # seconds from ready to the first accepted send
    silent: float  # seconds from the last accepted send to the end of the run


def scenarios(kinds: list[str]) -> list[Scenario]:
    found = []
    for kind in kinds:
        found += [Scenario(kind, 1, 0.0), Scenario(kind, 1, SLOW)]
        if kind == "postgres":  # SQLite is one file on one machine: one process is its case
            found += [Scenario(kind, 2, 0.0), Scenario(kind, 2, SLOW)]
    return found


def _queue_messages(url: str) -> None:
    engine = make_engine(url)
    now = utcnow()
    try:
        with unit_of_work(engine) as session:
            chats = [
                Conversation(channel="telegram", chat_id=str(FIRST_CHAT + i), updated_at=now)
                for i in range(MESSAGES)
            ]
            session.add_all(chats)
            session.flush()
            for number, chat in enumerate(chats, start=1):
                queue(
                    session,
                    conversation_id=chat.id or 0,
                    priority=BULK,
                    extra={"broadcast": True},
                    text=f"Pemberitahuan {number}: pencairan bantuan tahap II dimulai Senin "
                    "di kantor desa. Bawa KTP dan KKS. Balas 0 untuk menu.",
                    now=now,
                )
        # As on an office's database, where autovacuum keeps them: without statistics,
        # PostgreSQL reads a fresh table as holding a row or two, and plans the claim from
        # the conversations rather than from the front of the queue.
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    finally:
        engine.dispose()


def _outbox(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT status, count(*) FROM outbox_message GROUP BY 1"))
            return {str(status): int(count) for status, count in rows}
    finally:
        engine.dispose()


@contextmanager
def _sigap_processes(count: int, env: dict[str, str]) -> Iterator[list[Process]]:
    """``count`` processes on one database, started together so none has a head start."""
    worker = sigap_worker_command() if count > 1 else None
    with ExitStack() as stack:
        processes = []
        for index in range(count):
            if index and worker is not None:
                processes.append(Process("sigap worker", worker, env, None))
            else:
                command, base = uvicorn_command(SIGAP_APP, factory=True)
                processes.append(Process(f"Sigap {index + 1}", command, env, f"{base}/healthz"))
            stack.callback(processes[-1].stop)
        for process in processes:
            process.wait_ready()
        yield processes


def _watch(fake: FakeBotApi, processes: list[Process], ready: float) -> None:
    """Until every message is accepted and a quiet spell has passed, or time runs out."""
    deadline = ready + TIMEOUT
    while time.monotonic() < deadline and all(p.alive() for p in processes):
        stats = fake.stats()
        if stats["accepted"] >= MESSAGES and stats["now"] - (stats["last_at"] or 0) >= QUIET:
            return
        time.sleep(0.2)


def _measure(fake: FakeBotApi, scenario: Scenario) -> Outcome:
    with fresh_database(scenario.kind) as url:
        _queue_messages(url)
        fake.limit(RATE, delay=scenario.delay)
        fake.reset()
        env = sigap_env(url, fake.url) | {"TELEGRAM_SEND_RATE": str(int(RATE))}
        started = time.monotonic()
        with _sigap_processes(scenario.processes, env) as processes:
            ready = time.monotonic()
            _watch(fake, processes, ready)
            ended = time.monotonic()
            dead = [p.name for p in processes if not p.alive()]
            if dead:
                print(f"   ({', '.join(dead)} died:\n{processes[0].tail()})")
        # Read once the processes are stopped, so what they sent while being stopped is
        # counted too, and the fake's figures agree with the outbox table's.
        stats = fake.stats()
        outbox = _outbox(url)
    first, last = stats["first_at"], stats["last_at"]
    return Outcome(
        accepted=stats["accepted"],
        seconds=last - first if first is not None else 0.0,
        rate=stats["rate"],
        too_many=stats["too_many"],
        duplicates=stats["duplicates"],
        complete=stats["accepted"] >= MESSAGES,
        outbox=outbox,
        start=ready - started,
        first=first - ready if first is not None else None,
        silent=ended - (last if last is not None else ready),
    )


def _line(scenario: Scenario, outcome: Outcome) -> str:
    late = "" if outcome.complete else f"   [gave up after {TIMEOUT:.0f} s]"
    first = "-" if outcome.first is None else f"{outcome.first:.1f} s"
    timing = (
        f"   (ready in {outcome.start:.1f} s, first send {first} later, "
        f"silent {outcome.silent:.1f} s at the end)"
    )
    outbox = ", ".join(f"{status} {count:,}" for status, count in sorted(outcome.outbox.items()))
    return (
        f"{scenario.label:37} {outcome.accepted:>6,}/{MESSAGES:,} in {outcome.seconds:6.1f} s "
        f"{outcome.rate:7.0f}/s {outcome.rate / RATE:6.1%}   429s {outcome.too_many:>6,}   "
        f"duplicates {outcome.duplicates:>4}   outbox: {outbox}{late}{timing}"
    )


def run() -> None:
    print(
        f"== sender: {MESSAGES:,} queued messages to {MESSAGES:,} chats, TELEGRAM_SEND_RATE="
        f"{RATE:.0f}, fake Bot API refusing above {RATE:.0f}/s (429) =="
    )
    print("   (accepted by the fake, seconds first to last, achieved rate and % of the limit)")
    with fake_bot_api() as fake:
        for scenario in scenarios(databases()):
            print(_line(scenario, _measure(fake, scenario)), flush=True)
