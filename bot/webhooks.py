"""What every channel's webhook does once it has checked the request: store, commit, wake."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from app.db import unit_of_work
from bot.inbound import InboundEvent
from bot.store import store_inbound
from models import utcnow


def error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error": code, "message": message}, status_code=status)


def parse_json_object(body: bytes) -> dict[str, Any] | None:
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    return payload if isinstance(payload, dict) else None


async def accept(
    app: FastAPI, *, channel: str, platform_id: str, payload: dict[str, Any], event: InboundEvent
) -> int | None:
    """Commit the update before the caller answers 2xx; None means it was a repeat."""

    def _store() -> int | None:
        with unit_of_work(app.state.engine) as session:
            return store_inbound(
                session,
                channel=channel,
                platform_id=platform_id,
                payload=payload,
                event=event,
                now=utcnow(),
            )

    # The database driver blocks; keep it off the event loop that serves other requests.
    inbound_id = await run_in_threadpool(_store)
    runtime = getattr(app.state, "bot", None)
    if inbound_id is not None and runtime is not None:
        runtime.notify_inbound()
    return inbound_id
