"""Durable ingest against a bare endpoint: same load, same machine, same run.

Each server runs as its own uvicorn process on loopback; wrk (Debian's package) sends real
Telegram Update JSON, a unique update_id each, at a fixed number of connections. Sigap's
webhook checks the secret, stores the update and commits before it answers; the workers
that process updates are off, so this measures the ingest path a 2xx promises.

Goal (issue 4): Sigap at least 60 % of bare FastAPI's requests/s, p99 under 50 ms.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.common import databases, fresh_database

SECONDS = int(os.environ.get("BENCH_WEBHOOK_SECONDS", "8"))
ROUNDS = int(os.environ.get("BENCH_WEBHOOK_ROUNDS", "3"))
CONCURRENCY = int(os.environ.get("BENCH_WEBHOOK_CONCURRENCY", "16"))
SCRIPT = Path(__file__).resolve().parent / "telegram_updates.lua"
SECRET = "bench-secret"
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _server(target: str, env: dict[str, str], factory: bool) -> Iterator[str]:
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        target,
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    if factory:
        command.append("--factory")
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{base}/docs", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(10)


@dataclass(frozen=True)
class Result:
    rate: float
    p50_ms: float
    p99_ms: float
    requests: int


def _load(base: str, run: int) -> Result:
    """wrk, one client thread (the other core serves), unique update ids per request."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("the webhook benchmark needs wrk: apt-get install wrk (make bench does)")
    warm = [wrk, "-t1", "-c4", "-d2s", "-s", str(SCRIPT), base, "--", str(run * 2)]
    subprocess.run(warm, check=True, capture_output=True, text=True)
    command = [
        wrk, "-t1", f"-c{CONCURRENCY}", f"-d{SECONDS}s", "-s", str(SCRIPT), base, "--",
        str(run * 2 + 1),
    ]  # fmt: skip
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = next(x for x in output.splitlines() if x.startswith("RESULT "))
    rate, p50, p99, requests, errors = line.split()[1:]
    if int(errors):
        raise RuntimeError(f"{errors} failed requests against {base}:\n{output}")
    return Result(float(rate), float(p50), float(p99), int(requests))


def _line(name: str, results: list[Result]) -> str:
    rate = statistics.median(r.rate for r in results)
    p50 = statistics.median(r.p50_ms for r in results)
    p99 = max(r.p99_ms for r in results)
    requests = sum(r.requests for r in results)
    return (
        f"{name:26} {rate:7.0f} req/s   p50 {p50:6.2f} ms   "
        f"p99 {p99:6.2f} ms   ({requests} requests)"
    )


def run() -> None:
    print(
        f"== webhook ingest: wrk, {CONCURRENCY} connections, {ROUNDS} rounds of {SECONDS} s "
        "per server, loopback =="
    )
    print("   (median requests/s and p50 over the rounds, worst p99; ratio: median of rounds)")
    with ExitStack() as stack:
        servers = {"bare FastAPI": stack.enter_context(_server("bench.bare_app:app", {}, False))}
        for kind in databases():
            url = stack.enter_context(fresh_database(kind))
            env = {
                "DATABASE_URL": url,
                "DEMO_MODE": "true",
                "RUN_WORKERS": "false",
                "TELEGRAM_WEBHOOK_SECRET": SECRET,
            }
            name = f"Sigap webhook ({kind})"
            servers[name] = stack.enter_context(_server("app.main:create_app", env, True))
        # Rounds take turns between the servers, so a slow spell of a shared machine falls
        # on all of them alike rather than on whichever happened to run then.
        results: dict[str, list[Result]] = {name: [] for name in servers}
        for round_number in range(ROUNDS):
            for index, (name, base) in enumerate(servers.items()):
                results[name].append(_load(base, round_number * len(servers) + index + 1))
    bare = results.pop("bare FastAPI")
    print(_line("bare FastAPI", bare))
    for name, sigap in results.items():
        ratio = statistics.median(s.rate / b.rate for s, b in zip(sigap, bare, strict=True))
        print(_line(name, sigap) + f"   {ratio:.0%} of bare")
