"""Durable ingest against a bare endpoint: same load, same machine, same run.

Each server runs as its own uvicorn process on loopback; one asyncio client process sends
real Telegram Update JSON with a fixed concurrency and measures each request. Sigap's
webhook checks the secret, stores the update and commits before it answers; the workers
that process updates are off, so this measures the ingest path a 2xx promises.

Goal (issue 4): Sigap at least 60 % of bare FastAPI's requests/s, p99 under 50 ms.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import httpx

from bench.common import databases, fresh_database, percentile

REQUESTS = int(os.environ.get("BENCH_WEBHOOK_REQUESTS", "4000"))
CONCURRENCY = int(os.environ.get("BENCH_WEBHOOK_CONCURRENCY", "16"))
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


def _update(update_id: int) -> dict[str, object]:
    chat = 100000 + update_id % 500
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_763_000_000,
            "chat": {"id": chat, "type": "private", "first_name": "Siti"},
            "from": {"id": chat, "is_bot": False, "first_name": "Siti"},
            "text": "1",
        },
    }


async def _load(base: str, first_id: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(REQUESTS):
        queue.put_nowait(first_id + i)
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def worker() -> None:
            while not queue.empty():
                update_id = queue.get_nowait()
                t0 = time.perf_counter()
                response = await client.post(
                    "/webhooks/telegram", json=_update(update_id), headers=headers
                )
                latencies.append(time.perf_counter() - t0)
                if response.status_code != 200:
                    raise RuntimeError(f"HTTP {response.status_code}: {response.text[:200]}")

        # Warm up connections and the first code paths outside the measurement.
        for i in range(50):
            await client.post(
                "/webhooks/telegram", json=_update(first_id - 100 + i), headers=headers
            )
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        elapsed = time.perf_counter() - started
    return REQUESTS / elapsed, latencies


def _line(name: str, rate: float, latencies: list[float]) -> str:
    return (
        f"{name:28} {rate:8.0f} req/s   p50 {percentile(latencies, 0.5) * 1000:6.2f} ms   "
        f"p99 {percentile(latencies, 0.99) * 1000:6.2f} ms"
    )


def run() -> None:
    print(f"== webhook ingest: {REQUESTS} updates, {CONCURRENCY} concurrent, loopback ==")
    with _server("bench.bare_app:app", {}, factory=False) as base:
        bare_rate, bare_latencies = asyncio.run(_load(base, 1_000_000))
    print(_line("bare FastAPI", bare_rate, bare_latencies))
    for kind in databases():
        with fresh_database(kind) as url:
            env = {
                "DATABASE_URL": url,
                "DEMO_MODE": "true",
                "RUN_WORKERS": "false",
                "TELEGRAM_WEBHOOK_SECRET": SECRET,
            }
            with _server("app.main:create_app", env, factory=True) as base:
                rate, latencies = asyncio.run(_load(base, 2_000_000))
        print(
            _line(f"Sigap webhook ({kind})", rate, latencies) + f"   {rate / bare_rate:.0%} of bare"
        )
