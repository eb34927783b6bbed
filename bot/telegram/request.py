"""python-telegram-bot's Bot API calls over aiohttp instead of httpx.

PTB lets a bot bring its own HTTP client (``telegram.request.BaseRequest``); the Bot, its
methods and its errors stay PTB's. aiohttp is here for what one call costs: httpx goes
through httpcore, anyio and h11 for every request (timeouts, pool bookkeeping, event objects,
``getpeername`` on each use of a connection), which made the HTTP client most of the sender's
CPU time; aiohttp's pool and HTTP parser are a few dictionary look-ups and C.

The parameters go as a JSON body (``application/json``, which the Bot API accepts for every
call without a file), not as the form fields PTB's httpx client posts: the same calls, for a
fraction of the encoding's cost.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

JSON = "application/json"


class AiohttpRequest(BaseRequest):
    """One aiohttp session with a pool of ``connections``, opened on first use in the event
    loop that uses it (and opened anew when a later loop does, as tests start one per case)."""

    __slots__ = (
        "_connect_timeout",
        "_connections",
        "_default",
        "_headers",
        "_loop",
        "_pool_timeout",
        "_read_timeout",
        "_session",
        "_write_timeout",
    )

    def __init__(
        self,
        *,
        connections: int = 8,
        connect_timeout: float | None = 5.0,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
    ) -> None:
        self._connections = connections
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._default = self._timeout(read_timeout, write_timeout, connect_timeout, pool_timeout)
        self._headers = {"User-Agent": self.USER_AGENT}

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        self._open()

    async def shutdown(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    def _open(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            self._loop = loop
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections, limit_per_host=0),
                headers=self._headers,
                # Nothing of the environment: the Bot API's address is configured.
                trust_env=False,
            )
        return self._session

    @staticmethod
    def _timeout(
        read: float | None, write: float | None, connect: float | None, pool: float | None
    ) -> aiohttp.ClientTimeout:
        # aiohttp has no write timeout of its own: the whole call is bounded by all four.
        parts = (read, write, connect, pool)
        total = None if any(p is None for p in parts) else sum(p for p in parts if p)
        acquire = None if connect is None or pool is None else connect + pool
        return aiohttp.ClientTimeout(
            total=total, connect=acquire, sock_connect=connect, sock_read=read
        )

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._open()
        timeout = self._default
        given = (read_timeout, write_timeout, connect_timeout, pool_timeout)
        if any(value is not BaseRequest.DEFAULT_NONE for value in given):
            timeout = self._timeout(
                *(
                    default if value is BaseRequest.DEFAULT_NONE else value
                    for value, default in zip(
                        given,
                        (
                            self._read_timeout,
                            self._write_timeout,
                            self._connect_timeout,
                            self._pool_timeout,
                        ),
                        strict=True,
                    )
                )
            )
        data: Any = None
        headers: dict[str, str] | None = None
        if request_data is not None:
            if request_data.contains_files:
                # Sigap uploads nothing to Telegram; should it one day, this is the place.
                raise NotImplementedError("file uploads are not supported by AiohttpRequest")
            # The parameters as one JSON object (nested values as they are), which the Bot
            # API takes as it takes form fields: encoding a message's text as a form, a
            # character at a time in urllib, cost more than the rest of the request.
            data = json.dumps(request_data.parameters, ensure_ascii=False).encode()
            headers = {"Content-Type": JSON}
        try:
            async with session.request(
                method, url, data=data, headers=headers, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except TimeoutError as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc
