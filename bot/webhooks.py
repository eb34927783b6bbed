"""What every channel's webhook does once it has checked the request: store, commit, wake."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from bot.inbound import InboundEvent
from bot.ingest import Arrival, IngestWriter


def error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error": code, "message": message}, status_code=status)


def parse_json_object(body: bytes) -> dict[str, Any] | None:
    try:
        payload = json.loads(body, parse_constant=_not_json)
    except (ValueError, UnicodeDecodeError):
        return None
    return payload if isinstance(payload, dict) else None


def _not_json(constant: str) -> Any:
    # Python reads NaN and Infinity, which JSON (and the database's JSON type) does not.
    raise ValueError(f"{constant} is not JSON")


async def accept(
    app: FastAPI, *, channel: str, platform_id: str, payload: dict[str, Any], event: InboundEvent
) -> int | None:
    """Commit the update before the caller answers 2xx; None means it was a repeat."""
    writer: IngestWriter | None = getattr(app.state, "ingest", None)
    if writer is None:
        writer = app.state.ingest = IngestWriter(app.state.engine)
    inbound_id = await writer.store(Arrival(channel, platform_id, payload, event))
    runtime = getattr(app.state, "bot", None)
    if inbound_id is not None and runtime is not None:
        runtime.notify_inbound()
    return inbound_id
