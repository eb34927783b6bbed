"""What every channel's webhook does once it has checked the request: store, commit, wake.

And what every webhook does before: read a bounded body, and make of it a JSON object the
database can store. Anything a platform (or someone pretending to be one) sends that is not
that gets a 4xx here, never a 5xx further on.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.requests import Request

from bot.inbound import InboundEvent
from bot.ingest import Arrival, IngestWriter, Refused
from bot.text import MAX_JSON_DEPTH, TooDeep, storable_json


def error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error": code, "message": message}, status_code=status)


class BadRequest(Exception):
    """The request is refused with this 4xx; the webhook answers :meth:`response`."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code

    def response(self) -> JSONResponse:
        return error(self.status, self.code, str(self))


async def read_body(request: Request) -> bytes:
    """The body, read no further than ``WEBHOOK_MAX_BYTES``: a larger one is a 413 before it
    costs more memory than the limit (a declared length over it, before a byte is read)."""
    limit: int = request.app.state.settings.webhook_max_bytes
    too_large = BadRequest(413, "body_too_large", f"body must be at most {limit} bytes")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large
    return bytes(body)


def parse_json_object(body: bytes) -> dict[str, Any]:
    """The body as a JSON object whose every string the database can store.

    NUL and lone surrogates ("\\u0000", "\\ud800", legal JSON) become U+FFFD in keys and values
    alike, so that the stored payload itself, and not only what an adapter reads from it, is
    safe on SQLite and PostgreSQL."""
    malformed = BadRequest(
        400, "malformed_json", f"body must be a JSON object nested at most {MAX_JSON_DEPTH} deep"
    )
    try:
        text = body.decode("utf-8")
        payload = json.loads(text, parse_constant=_not_json)
        # json.loads itself runs out of stack on "[[[[…" a few thousand deep.
    except (ValueError, RecursionError):
        raise malformed from None
    if not isinstance(payload, dict):
        raise malformed
    # The common case, at the cost of three scans in C: valid UTF-8 holds no surrogate and
    # strict JSON no raw NUL, so without a "\u" escape there is nothing to clean; and with no
    # more brackets than levels allowed, none can be too deep.
    if "\\u" not in text and text.count("{") + text.count("[") <= MAX_JSON_DEPTH:
        return payload
    try:
        cleaned: dict[str, Any] = storable_json(payload)
    except TooDeep:
        raise malformed from None
    return cleaned


def _not_json(constant: str) -> Any:
    # Python reads NaN and Infinity, which JSON (and the database's JSON type) does not.
    raise ValueError(f"{constant} is not JSON")


async def accept(
    app: FastAPI, *, channel: str, platform_id: str, payload: dict[str, Any], event: InboundEvent
) -> int | None:
    """Commit the update before the caller answers 2xx; None means it was a repeat.

    Raises :class:`BadRequest` when the database refused this update alone (the others of its
    batch are stored); any other error means nothing could be stored, and is a 5xx."""
    writer: IngestWriter | None = getattr(app.state, "ingest", None)
    if writer is None:
        waiting = getattr(app.state, "webhooks_waiting", None)
        writer = app.state.ingest = IngestWriter(app.state.engine, waiting)
    try:
        inbound_id = await writer.store(Arrival(channel, platform_id, payload, event))
    except Refused as exc:
        raise BadRequest(400, "unstorable_update", str(exc)) from exc
    runtime = getattr(app.state, "bot", None)
    if inbound_id is not None and runtime is not None:
        runtime.notify_inbound()
    return inbound_id
