"""The fake Bot API as its own process, and how a benchmark reads its ledger.

The fake (tests/fakes/telegram_server.py) counts what it accepted and refused; a benchmark
resets it before a run, sets its limits, and polls ``/_stats`` until the run is done.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from bench.processes import BOT_TOKEN, free_port, running


class FakeBotApi:
    def __init__(self, url: str) -> None:
        self.url = url
        self._client = httpx.Client(base_url=url, timeout=10)

    def stats(self, per_chat: int | None = None) -> dict[str, Any]:
        params = {"per_chat": per_chat} if per_chat is not None else {}
        answer = self._client.get("/_stats", params=params)
        answer.raise_for_status()
        return dict(answer.json())

    def reset(self) -> None:
        self._client.post("/_reset").raise_for_status()

    def limit(
        self,
        rate: float | None = None,
        *,
        delay: float = 0.0,
        per_chat_interval: float | None = None,
    ) -> None:
        body = {"rate": rate, "delay": delay, "per_chat_interval": per_chat_interval}
        self._client.post("/_limit", json=body).raise_for_status()

    def close(self) -> None:
        self._client.close()


@contextmanager
def _fake(name: str, module: str, token: str) -> Iterator[FakeBotApi]:
    """One fake platform (``tests.fakes.<module>``) as its own process, with no limits yet."""
    port = free_port()
    command = [sys.executable, "-m", f"tests.fakes.{module}", "--port", str(port)]
    command += ["--token", token]
    url = f"http://127.0.0.1:{port}"
    with running(name, command, {}, f"{url}/_stats"):
        fake = FakeBotApi(url)
        try:
            yield fake
        finally:
            fake.close()


@contextmanager
def fake_bot_api() -> Iterator[FakeBotApi]:
    """A fake Telegram Bot API process accepting ``BOT_TOKEN``, with no limits yet."""
    with _fake("fake Bot API", "telegram_server", BOT_TOKEN) as fake:
        yield fake


GRAPH_TOKEN = "BENCH-GRAPH-ACCESS-TOKEN"


@contextmanager
def fake_graph_api() -> Iterator[FakeBotApi]:
    """A fake WhatsApp Cloud API (tests/fakes/whatsapp_server.py) process accepting
    ``GRAPH_TOKEN``, with no limits yet; its control routes are the Bot API fake's, so the
    same client reads its ledger. Its ``url`` is the server's root: the API is under
    ``/v21.0``."""
    with _fake("fake Graph API", "whatsapp_server", GRAPH_TOKEN) as fake:
        yield fake
