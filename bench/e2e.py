"""End to end: 1,000 chats talking to the bot at once, until the fake Bot API has every reply.

Each chat sends ``halo``, ``1``, ``1``, ``0``, ``2`` (open the menu, pick programme
information, the first office, back to the menu, then proposal status), its next message
only after the previous one got a 2xx, 32 requests in flight. Sigap answers each of these
with one message (seen by running the script once), and the anchor, a python-telegram-bot v22
``Application`` with an in-memory queue (bench/ptb_bot.py), answers each text once. So a run
is done when the fake Bot API (its own process) has accepted five messages for every chat;
the time is from the first update posted to the last reply accepted, both read on the fake's
clock. Sigap runs as it does by default, one uvicorn process with its workers on, on a fresh
database each run; the fake has no rate limit, and TELEGRAM_SEND_RATE is set high enough
(BENCH_E2E_SEND_RATE, 1000/s) that the sender's own pacing is not what is measured.

Goal (issue 9): Sigap's replies/s at least 1.0 × the in-memory bot's, on SQLite and
PostgreSQL, with webhook p99 under 50 ms during the burst.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from bench.common import databases, fresh_database, percentile, rounds, sized
from bench.fakes import FakeBotApi, fake_bot_api
from bench.loadgen import Load, conversations
from bench.processes import BOT_TOKEN, WEBHOOK_SECRET, sigap, sigap_env, uvicorn

CHATS = int(sized("BENCH_E2E_CHATS", 1000))
SCRIPT = ["halo", "1", "1", "0", "2"]
IN_FLIGHT = int(sized("BENCH_E2E_IN_FLIGHT", 32))
ROUNDS = rounds("BENCH_E2E_ROUNDS")
TIMEOUT = sized("BENCH_E2E_TIMEOUT", 300)  # seconds a run may take before it is given up
SEND_RATE = str(int(sized("BENCH_E2E_SEND_RATE", 1000)))
ANCHOR = "python-telegram-bot"


@dataclass(frozen=True)
class Run:
    seconds: float
    answered: int
    expected: int
    replies: int
    duplicates: int
    load: Load

    @property
    def complete(self) -> bool:
        return self.answered >= self.expected

    @property
    def rate(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0


def _measure(fake: FakeBotApi, base: str, first_update_id: int) -> Run:
    fake.reset()
    expected = CHATS * len(SCRIPT)
    started = fake.stats()["now"]
    deadline = time.monotonic() + TIMEOUT
    load = asyncio.run(
        conversations(
            base,
            chats=[10_000_000 + i for i in range(CHATS)],
            script=SCRIPT,
            in_flight=IN_FLIGHT,
            first_update_id=first_update_id,
        )
    )
    while True:
        stats = fake.stats(per_chat=len(SCRIPT))
        if stats["answered"] >= expected or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    complete = stats["answered"] >= expected
    ended = stats["last_at"] if complete else stats["now"]
    return Run(
        seconds=ended - started,
        answered=stats["answered"],
        expected=expected,
        replies=stats["accepted"],
        duplicates=stats["duplicates"],
        load=load,
    )


@contextmanager
def _server(name: str, fake: FakeBotApi) -> Iterator[str]:
    if name == ANCHOR:
        env = {
            "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
            "TELEGRAM_API_BASE_URL": fake.url,
            "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
        }
        with uvicorn(name, "bench.ptb_bot:create_app", env, factory=True) as base:
            yield base
        return
    kind = name.removeprefix("Sigap ")
    with fresh_database(kind) as url:
        env = sigap_env(url, fake.url) | {"TELEGRAM_SEND_RATE": SEND_RATE}
        with sigap(name, env) as base:
            yield base


def _line(name: str, runs: list[Run], anchor: list[Run] | None) -> str:
    latencies = [r.load.latencies for r in runs if r.load.latencies]
    p50 = statistics.median(statistics.median(x) for x in latencies) * 1000 if latencies else 0
    p99 = max(percentile(x, 0.99) for x in latencies) * 1000 if latencies else 0
    ratio = ""
    if anchor is not None:
        pairs = [r.rate / a.rate for r, a in zip(runs, anchor, strict=True) if a.rate]
        ratio = f"{statistics.median(pairs):5.2f} ×" if pairs else "n/a"
    incomplete = sum(not r.complete for r in runs)
    notes = []
    if incomplete:
        worst = min(runs, key=lambda r: r.answered)
        notes.append(
            f"{incomplete} run(s) timed out at {TIMEOUT:.0f} s "
            f"({worst.answered:,} of {worst.expected:,} answered)"
        )
    extra = max(r.replies - r.answered for r in runs)
    if extra:
        notes.append(f"up to {extra} replies beyond one per message")
    duplicates = max(r.duplicates for r in runs)
    if duplicates:
        notes.append(f"up to {duplicates} duplicate replies")
    failures = sum(r.load.failures for r in runs)
    if failures:
        notes.append(f"{failures} webhook answers not 2xx (resent)")
    return (
        f"{name:22} {statistics.median(r.seconds for r in runs):7.1f} s "
        f"{statistics.median(r.rate for r in runs):8.0f}/s   "
        f"p50 {p50:6.1f} ms  p99 {p99:7.1f} ms  {ratio:>7}"
        + (f"   [{'; '.join(notes)}]" if notes else "")
    )


def run() -> None:
    print(
        f"== end to end: {CHATS:,} chats × {len(SCRIPT)} messages ({' '.join(SCRIPT)}), "
        f"{IN_FLIGHT} in flight, {ROUNDS} round(s), fake Bot API in its own process =="
    )
    print(
        "   (median time to the last reply and replies/s; webhook latency during the burst: "
        "median p50, worst p99; ratio: median of rounds against python-telegram-bot)"
    )
    names = [ANCHOR] + [f"Sigap {kind}" for kind in databases()]
    results: dict[str, list[Run]] = {name: [] for name in names}
    with fake_bot_api() as fake:
        for round_number in range(ROUNDS):
            for index, name in enumerate(names):
                first_id = (round_number * len(names) + index + 1) * 10_000_000
                with _server(name, fake) as base:
                    results[name].append(_measure(fake, base, first_id))
    anchor = results[ANCHOR]
    for name, runs in results.items():
        print(_line(name, runs, None if name == ANCHOR else anchor))
