"""Logging a staff member in, for the staff API and the staff pages alike.

Two short transactions around the password check (services/staff.py says why): the hash is
computed in a thread of its own limiter, with no transaction open, so a flood of wrong
passwords neither holds SQLite's write lock nor takes the threads every other request needs.
"""

from __future__ import annotations

import asyncio
import weakref
from datetime import datetime

import anyio
from fastapi import Request
from starlette.concurrency import run_in_threadpool

from core.db import unit_of_work
from models import StaffUser
from services import staff as staff_service

# One limiter per event loop (tests run several loops in one process).
_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = (
    weakref.WeakKeyDictionary()
)


def _hashing_limiter() -> anyio.CapacityLimiter:
    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = anyio.CapacityLimiter(2)
    return limiter


def client_address(request: Request) -> str:
    """The client as the server sees it: behind a proxy listed in FORWARDED_ALLOW_IPS,
    uvicorn has already put the forwarded address here."""
    return request.client.host if request.client else ""


async def authenticate(
    request: Request, username: str, password: str, now: datetime
) -> tuple[str, StaffUser]:
    """A new session token and its staff member; raises TooManyAttempts (429) or
    Unauthorized (401) with the same words whether or not the username exists."""
    engine = request.app.state.engine
    settings = request.app.state.settings
    address = client_address(request)

    def begin() -> staff_service.LoginAttempt:
        with unit_of_work(engine) as session:
            return staff_service.begin_log_in(
                session=session, username=username, address=address, now=now, settings=settings
            )

    attempt = await run_in_threadpool(begin)
    ok = await anyio.to_thread.run_sync(
        staff_service.password_matches,
        attempt.password_hash,
        password,
        limiter=_hashing_limiter(),
    )

    def finish() -> tuple[str, StaffUser]:
        with unit_of_work(engine) as session:
            return staff_service.finish_log_in(
                session=session,
                attempt=attempt,
                password_ok=ok,
                now=now,
                hours=settings.session_hours,
            )

    return await run_in_threadpool(finish)
