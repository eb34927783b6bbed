"""The processes a benchmark measures: started on loopback, waited for, always stopped.

Every server runs as its own process from this checkout (its folder first on the path), with
its output in a log file so a flood of warnings cannot slow the run or bury the figures; the
log's tail is printed when a process fails to start or dies.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from functools import cache
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
START_SECONDS = 60
STOP_SECONDS = 15
WEBHOOK_SECRET = "bench-secret"
BOT_TOKEN = "123456:BENCH-TOKEN"
SIGAP_APP = "app.main:create_app"  # the product as `sigap serve` runs it


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Process:
    def __init__(
        self, name: str, command: list[str], env: dict[str, str], ready: str | None
    ) -> None:
        self.name = name
        self.log = Path(tempfile.mkstemp(prefix="sigap-bench-", suffix=".log")[1])
        environment = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
        # The product in its default configuration: nothing inherited may turn workers off.
        if "RUN_WORKERS" not in env:
            environment.pop("RUN_WORKERS", None)
        with self.log.open("wb") as out:
            self.popen = subprocess.Popen(
                command, cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT
            )
        self.ready = ready

    def wait_ready(self) -> None:
        """Until ``ready`` answers; a process with nothing to ask only has to stay up a while."""
        url = self.ready
        if url is None:
            time.sleep(3)
            if self.popen.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start:\n{self.tail()}")
            return
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start:\n{self.tail()}")
            try:
                httpx.get(url, timeout=2)
                return
            except httpx.TransportError:
                time.sleep(0.1)
        # Its log read before stop(), which removes it.
        tail = self.tail()
        self.stop()
        raise RuntimeError(f"{self.name} did not answer {url} in {START_SECONDS} s:\n{tail}")

    def alive(self) -> bool:
        return self.popen.poll() is None

    def tail(self, lines: int = 30) -> str:
        text = self.log.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(STOP_SECONDS)
        self.log.unlink(missing_ok=True)


@contextmanager
def running(
    name: str, command: list[str], env: dict[str, str], ready: str | None
) -> Iterator[Process]:
    process = Process(name, command, env, ready)
    try:
        process.wait_ready()
        yield process
    finally:
        process.stop()


def uvicorn_command(target: str, *, factory: bool) -> tuple[list[str], str]:
    """The command serving ``target`` on a free port, and the URL that answers when it is up."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", target, "--port", str(port)]
    command += ["--log-level", "warning", "--no-access-log"]
    if factory:
        command.append("--factory")
    return command, f"http://127.0.0.1:{port}"


@contextmanager
def uvicorn(name: str, target: str, env: dict[str, str], *, factory: bool) -> Iterator[str]:
    """One uvicorn process serving ``target``; yields its base URL."""
    command, base = uvicorn_command(target, factory=factory)
    with running(name, command, env, f"{base}/healthz"):
        yield base


def sigap_env(database_url: str, telegram_url: str | None = None) -> dict[str, str]:
    """Sigap as an office runs it, but on loopback: demo mode only so the placeholder secret
    key is allowed; the Bot API is the fake's when one is given."""
    env = {
        "DATABASE_URL": database_url,
        "DEMO_MODE": "true",
        "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
    }
    if telegram_url is not None:
        env |= {"TELEGRAM_BOT_TOKEN": BOT_TOKEN, "TELEGRAM_API_BASE_URL": telegram_url}
    return env


@contextmanager
def sigap(name: str, env: dict[str, str]) -> Iterator[str]:
    with uvicorn(name, SIGAP_APP, env, factory=True) as base:
        yield base


@cache
def sigap_worker_command() -> list[str] | None:
    """``sigap worker`` when this checkout has that command (workers without the web)."""
    command = [sys.executable, "-c", "from app.cli import main; main()"]
    try:
        shown = subprocess.run(
            [*command, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60,
            env={**os.environ, "PYTHONPATH": str(ROOT), "DEMO_MODE": "true"},
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return None
    if re.search(r"^\W*worker\s", shown.stdout, re.MULTILINE):
        return [*command, "worker"]
    return None
