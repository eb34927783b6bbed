"""Load for the webhooks: Telegram updates over keep-alive HTTP/1.1, light on the CPU.

A benchmark on two cores shares them with the server it measures, so the client is a few
lines of asyncio streams rather than a general HTTP library: a request is one write and a
response is a status line, headers and a body of known length. Two shapes of load:

* ``conversations``: each chat sends its script one message at a time, the next only after
  the previous got a 2xx (a failed one is sent again, as Telegram redelivers), with a fixed
  number of requests in flight across chats taken in turn, so one chat's messages are spread
  over the run as a person's would be;
* ``flood``: a fixed number of connections posting unique updates for a fixed time, for the
  ingest benchmark when wrk is not installed.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bench.processes import WEBHOOK_SECRET

PATH = "/webhooks/telegram"
REQUEST_SECONDS = 30
ATTEMPTS = 5  # per message, before the chat is given up on


def text_update(update_id: int, chat_id: int, text: str) -> bytes:
    """A private chat's text message, as Telegram posts it."""
    person = {"id": chat_id, "is_bot": False, "first_name": "Siti", "language_code": "id"}
    return json.dumps(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 1763000000,
                "chat": {"id": chat_id, "type": "private", "first_name": "Siti"},
                "from": person,
                "text": text,
            },
        }
    ).encode()


class _Connection:
    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes) -> int:
        """The response's status; raises OSError (or TimeoutError) when the exchange fails."""
        try:
            return await asyncio.wait_for(self._exchange(path, body), REQUEST_SECONDS)
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError):
            self.close()  # the next request starts on a fresh connection
            raise OSError("request failed") from None

    async def _exchange(self, path: str, body: bytes) -> int:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        assert self._reader is not None
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            f"X-Telegram-Bot-Api-Secret-Token: {WEBHOOK_SECRET}\r\n\r\n"
        )
        self._writer.write(head.encode() + body)
        status = int((await self._reader.readline()).split()[1])
        length, chunked, closing = 0, False, False
        while (line := await self._reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value
            elif name == b"connection":
                closing = value == b"close"
        if chunked:
            while size := int((await self._reader.readline()).split(b";")[0], 16):
                await self._reader.readexactly(size + 2)
            await self._reader.readline()
        else:
            await self._reader.readexactly(length)
        if closing:
            self.close()
        return status

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None


@dataclass
class Load:
    """What a load run saw: one latency per answered request, in seconds."""

    latencies: list[float] = field(default_factory=list)
    failures: int = 0  # non-2xx answers and broken exchanges, each retried in conversations
    given_up: int = 0  # chats whose message kept failing
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


async def conversations(
    base: str,
    *,
    chats: list[int],
    script: list[str],
    in_flight: int,
    first_update_id: int,
    body: Callable[[int, int, str], bytes] = text_update,
) -> Load:
    load = Load()
    ids = itertools.count(first_update_id)
    waiting: asyncio.Queue[tuple[int, int] | None] = asyncio.Queue()
    for chat in chats:
        waiting.put_nowait((chat, 0))
    unfinished = len(chats)

    def finished() -> None:
        nonlocal unfinished
        unfinished -= 1
        if unfinished == 0:
            for _ in range(in_flight):
                waiting.put_nowait(None)

    async def worker() -> None:
        connection = _Connection(base)
        while (item := await waiting.get()) is not None:
            chat, step = item
            update_id = next(ids)  # a redelivery keeps its id, as Telegram's does
            for _ in range(ATTEMPTS):
                started = time.perf_counter()
                try:
                    status = await connection.post(PATH, body(update_id, chat, script[step]))
                except OSError:
                    status = 0
                if 200 <= status < 300:
                    load.latencies.append(time.perf_counter() - started)
                    break
                load.failures += 1
            else:
                load.given_up += 1
                finished()
                continue
            if step + 1 < len(script):
                waiting.put_nowait((chat, step + 1))
            else:
                finished()
        connection.close()

    started = time.perf_counter()
    if chats:
        await asyncio.gather(*(worker() for _ in range(in_flight)))
    load.seconds = time.perf_counter() - started
    return load


async def flood(
    base: str, *, seconds: float, connections: int, first_update_id: int, chats: int = 500
) -> Load:
    load = Load()
    ids = itertools.count(first_update_id)
    stop_at = time.perf_counter() + seconds

    async def worker() -> None:
        connection = _Connection(base)
        while time.perf_counter() < stop_at:
            update_id = next(ids)
            started = time.perf_counter()
            try:
                status = await connection.post(
                    PATH, text_update(update_id, 100000 + update_id % chats, "1")
                )
            except OSError:
                status = 0
            if 200 <= status < 300:
                load.latencies.append(time.perf_counter() - started)
            else:
                load.failures += 1
        connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    load.seconds = time.perf_counter() - started
    return load
