"""`sigap serve`: several web processes beside one worker process, logging JSON lines."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.bot.chat_harness import SECRET, text_update
from tests.fakes.loopback import free_port
from tests.fakes.telegram_server import FakeTelegram, running_fake_telegram

ROOT = Path(__file__).resolve().parent.parent


def _sigap(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", "from app.cli import main; main()", *args],
        cwd=ROOT,
        env={**os.environ, "DEMO_MODE": "true", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_several_web_processes_on_sqlite_are_refused_in_one_line(tmp_path: Path) -> None:
    process = _sigap(
        "serve", "--workers", "2", env={"DATABASE_URL": f"sqlite:///{tmp_path / 'sigap.db'}"}
    )
    _, err = process.communicate(timeout=60)
    assert process.returncode != 0
    assert "several web processes need PostgreSQL" in err
    assert "Traceback" not in err


def _wait_ready(url: str, process: subprocess.Popen[str]) -> None:
    # Three processes start and import everything: on a busy two-core machine that takes a while.
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline:  # bounded: the only way to know the server is up
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass  # not listening yet
        time.sleep(0.2)
    raise AssertionError("the server did not become ready")


def _answered(fake: FakeTelegram, chat_id: int) -> bool:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if fake.texts(chat_id):
            return True
        time.sleep(0.1)
    return False


@pytest.mark.timeout(300)
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_two_web_processes_and_one_worker_answer_and_log_json_lines(database_url: str) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running_fake_telegram() as fake:
        env = {
            "DATABASE_URL": database_url,
            "LOG_FORMAT": "json",
            "RUN_WORKERS": "true",
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "TELEGRAM_API_BASE_URL": fake.url,
        }
        server = _sigap("serve", "--workers", "2", "--port", str(port), env=env)
        try:
            _wait_ready(url, server)
            for n in (1, 2):
                response = httpx.post(
                    f"{url}/webhooks/telegram",
                    json=text_update(n, 8100 + n, "/start"),
                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                    timeout=10,
                )
                assert response.status_code == 200
            # Whichever web process stored it, the one worker process answers it.
            answered = all(_answered(fake, 8100 + n) for n in (1, 2))
        finally:
            server.send_signal(signal.SIGTERM)
            _, err = server.communicate(timeout=60)
    assert answered, err
    lines = [json.loads(line) for line in err.splitlines() if line.strip()]
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    messages = [line["message"] for line in lines]
    web = {m for m in messages if m.startswith("Started server process")}
    assert len(web) == 2, messages
    assert sum(1 for m in messages if m.startswith("worker ") and m.endswith(" started")) == 1
