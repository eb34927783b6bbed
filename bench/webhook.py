"""Durable ingest with the workers on, against a bare endpoint: same load, same machine, same run.

Each server runs as its own uvicorn process on loopback; wrk (Debian's package) sends real
Telegram Update JSON, a unique update_id each, at a fixed number of connections (without wrk,
bench/loadgen.py sends the same load, and says so). Sigap runs as it does by default: one
process, workers on, so the same process that checks the secret, stores the update and
commits before it answers also processes every update and sends its reply, to the fake Bot
API in its own process (TELEGRAM_SEND_RATE high enough not to pace it). After each of its
rounds Sigap is given time to work off what it stored (until the fake sees no new reply for
a while, at most BENCH_WEBHOOK_DRAIN seconds): the time it took is shown, a measure of
whether processing keeps up. Each Sigap round has a fresh database and process, so nothing
left over runs while the next server is measured.

Goal (issue 9): Sigap at least 60 % of bare FastAPI's requests/s, p99 under 50 ms, on SQLite
and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass, replace
from pathlib import Path

from bench.common import databases, fresh_database, percentile, rounds, sized
from bench.fakes import FakeBotApi, fake_bot_api
from bench.loadgen import flood
from bench.processes import sigap, sigap_env, uvicorn

SECONDS = int(sized("BENCH_WEBHOOK_SECONDS", 8))
ROUNDS = rounds("BENCH_WEBHOOK_ROUNDS")
CONCURRENCY = int(sized("BENCH_WEBHOOK_CONCURRENCY", 16))
DRAIN = sized("BENCH_WEBHOOK_DRAIN", 60)
QUIET = 2.0  # seconds without a new reply that count as "worked off"
SEND_RATE = "1000"
SCRIPT = Path(__file__).resolve().parent / "telegram_updates.lua"
BARE = "bare FastAPI"


@dataclass(frozen=True)
class Result:
    rate: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int = 0  # time-outs, broken connections and non-2xx answers
    drain_seconds: float | None = None  # None: nothing to drain; inf: gave up


def _wrk(base: str, run: int) -> Result:
    """wrk, one client thread (the other core serves), unique update ids per request."""
    wrk = shutil.which("wrk")
    assert wrk is not None
    warm = [wrk, "-t1", "-c4", "-d2s", "-s", str(SCRIPT), base, "--", str(run * 2)]
    subprocess.run(warm, check=True, capture_output=True, text=True, timeout=60)
    command = [
        wrk, "-t1", f"-c{CONCURRENCY}", f"-d{SECONDS}s", "-s", str(SCRIPT), base, "--",
        str(run * 2 + 1),
    ]  # fmt: skip
    output = subprocess.run(
        command, check=True, capture_output=True, text=True, timeout=SECONDS + 60
    ).stdout
    line = next(x for x in output.splitlines() if x.startswith("RESULT "))
    rate, p50, p99, requests, errors = line.split()[1:]
    return Result(float(rate), float(p50), float(p99), int(requests), int(errors))


def _loadgen(base: str, run: int) -> Result:
    """The same load from Python, when wrk is not installed (the ids are wrk's too)."""
    asyncio.run(flood(base, seconds=2, connections=4, first_update_id=run * 2 * 10**8))
    load = asyncio.run(
        flood(
            base,
            seconds=SECONDS,
            connections=CONCURRENCY,
            first_update_id=(run * 2 + 1) * 10**8,
        )
    )
    latencies = load.latencies or [0.0]
    return Result(
        load.rate,
        statistics.median(latencies) * 1000,
        percentile(latencies, 0.99) * 1000,
        len(load.latencies),
        load.failures,
    )


def _drain(fake: FakeBotApi) -> float:
    """Seconds until the fake has seen no new reply for QUIET seconds (inf past DRAIN)."""
    started = time.monotonic()
    seen, since = -1, started
    while time.monotonic() - started < DRAIN:
        accepted = fake.stats()["accepted"]
        now = time.monotonic()
        if accepted != seen:
            seen, since = accepted, now
        elif now - since >= QUIET:
            return since - started
        time.sleep(0.2)
    return float("inf")


def _line(name: str, results: list[Result]) -> str:
    rate = statistics.median(r.rate for r in results)
    p50 = statistics.median(r.p50_ms for r in results)
    p99 = max(r.p99_ms for r in results)
    requests = sum(r.requests for r in results)
    errors = sum(r.errors for r in results)
    failed = f", {errors} failed" if errors else ""
    return (
        f"{name:26} {rate:7.0f} req/s   p50 {p50:7.2f} ms   "
        f"p99 {p99:8.2f} ms   ({requests} requests{failed})"
    )


def _drained(results: list[Result]) -> str:
    times = [r.drain_seconds for r in results if r.drain_seconds is not None]
    if not times:
        return ""
    if any(t == float("inf") for t in times):
        return f"   backlog not worked off within {DRAIN:.0f} s"
    return f"   backlog worked off in {statistics.median(times):.1f} s"


def run() -> None:
    # BENCH_LOADGEN=python uses the Python generator even where wrk is installed.
    use_wrk = shutil.which("wrk") and os.environ.get("BENCH_LOADGEN") != "python"
    load = _wrk if use_wrk else _loadgen
    tool = "wrk" if use_wrk else "Python load generator (wrk is faster: apt-get install wrk)"
    print(
        f"== webhook ingest, workers on: {tool}, {CONCURRENCY} connections, {ROUNDS} round(s) "
        f"of {SECONDS} s per server, loopback =="
    )
    print("   (median requests/s and p50 over the rounds, worst p99; ratio: median of rounds)")
    kinds = {f"Sigap webhook ({kind})": kind for kind in databases()}
    results: dict[str, list[Result]] = {name: [] for name in [BARE, *kinds]}
    with fake_bot_api() as fake, uvicorn(BARE, "bench.bare_app:app", {}, factory=False) as bare:
        # Rounds take turns between the servers, so a slow spell of a shared machine falls
        # on all of them alike rather than on whichever happened to run then.
        for round_number in range(ROUNDS):
            for index, name in enumerate(results):
                run_id = round_number * len(results) + index + 1
                if name == BARE:
                    results[name].append(load(bare, run_id))
                    continue
                # A fresh database and process each round: what one round left unprocessed
                # ends with it, and never weighs on the next server's round.
                with fresh_database(kinds[name]) as url:
                    env = sigap_env(url, fake.url) | {"TELEGRAM_SEND_RATE": SEND_RATE}
                    with sigap(name, env) as base:
                        fake.reset()
                        result = load(base, run_id)
                        results[name].append(replace(result, drain_seconds=_drain(fake)))
    bare = results.pop(BARE)
    print(_line(BARE, bare))
    for name, sigap_results in results.items():
        ratio = statistics.median(s.rate / b.rate for s, b in zip(sigap_results, bare, strict=True))
        print(_line(name, sigap_results) + f"   {ratio:4.0%} of bare" + _drained(sigap_results))
