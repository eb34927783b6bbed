"""Where a worker's database calls run: any thread on PostgreSQL, one thread on SQLite.

SQLite has one writer at a time, and a connection that finds the database locked sleeps in
steps (1, 2, 5 ... 100 ms) before it looks again; against a processor whose passes follow one
another closely, a sender waiting like that would hardly ever get in. Queued in one thread,
the calls of the processor and the senders take turns in the order they were made.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy import Engine

T = TypeVar("T")


class DatabaseThread:
    def __init__(self, engine: Engine) -> None:
        self._executor = (
            ThreadPoolExecutor(1, thread_name_prefix="sigap-db")
            if engine.dialect.name == "sqlite"
            else None
        )

    async def __call__(self, function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        if self._executor is None:
            return await asyncio.to_thread(function, *args, **kwargs)
        call = functools.partial(function, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False)
