"""The real server is killed with SIGKILL in the middle of a burst, and restarted.

Every update the server acknowledged with a 2xx must be answered exactly once after the restart.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.bot.chat_harness import SECRET, text_update
from tests.fakes.loopback import free_port
from tests.fakes.telegram_server import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]
BURST = 80
KILL_AFTER = 30


def _start_server(database_url: str, fake: FakeTelegram, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_BASE_URL": fake.url,
        "DEMO_MODE": "true",
        "RUN_WORKERS": "true",
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "app.main:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    # A web process and its worker import everything first: on a busy two-core machine that
    # has taken a minute.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # bounded: the only way to know a process is up
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            pass  # not listening yet: try again shortly
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not become healthy")


@pytest.mark.timeout(400)
def test_sigkill_mid_burst_loses_and_duplicates_nothing(
    database_url: str, fake_telegram: FakeTelegram
) -> None:
    port = free_port()
    # While the burst runs, Telegram answers 500: so at the instant of the kill no reply can be
    # accepted by Telegram yet unrecorded by us (the one window no Bot API call can close; see
    # bot/outbox.py). Updates, conversations and the outbox are all mid-flight when it dies.
    fake_telegram.fail_all(500)
    server = _start_server(database_url, fake_telegram, port)
    acknowledged: list[int] = []

    def post(n: int) -> None:
        chat_id = 60000 + n  # one person per update, so each answer names its update
        try:
            response = httpx.post(
                f"http://127.0.0.1:{port}/webhooks/telegram",
                json=text_update(n, chat_id, "/start"),
                headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                timeout=5,
            )
        except httpx.TransportError:
            return
        if response.is_success:
            acknowledged.append(chat_id)
            if len(acknowledged) == KILL_AFTER:
                server.send_signal(signal.SIGKILL)

    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(post, range(1, BURST + 1)))
        server.wait(timeout=10)
        assert server.returncode == -signal.SIGKILL
        assert KILL_AFTER <= len(acknowledged) < BURST

        fake_telegram.fail_all(None)
        server = _start_server(database_url, fake_telegram, port)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            answered = {int(p["chat_id"]) for p in fake_telegram.sent()}
            if answered >= set(acknowledged):
                break
            time.sleep(0.2)
        # Let the workers finish anything else in flight before counting duplicates.
        time.sleep(2)
    finally:
        server.kill()
        server.wait(timeout=10)

    sent_per_chat: dict[int, int] = {}
    for params in fake_telegram.sent():
        chat_id = int(params["chat_id"])
        sent_per_chat[chat_id] = sent_per_chat.get(chat_id, 0) + 1
    missing = [c for c in acknowledged if c not in sent_per_chat]
    assert missing == []
    assert {c: n for c, n in sent_per_chat.items() if n != 1} == {}
