"""GET /webhooks/whatsapp: Meta's verification handshake.
POST /webhooks/whatsapp: check the signature, store each message, record each delivery
status, answer 200.

The signature is checked on a body read no further than ``WEBHOOK_MAX_BYTES``. Messages to
another phone number id than ours are acknowledged and dropped (Meta would send them again
after any other answer), as is a message the database refuses, once its neighbours are stored.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from bot.outbox import StatusRecorder
from bot.statuses import hold_unmatched
from bot.webhooks import BadRequest, accept, error, parse_json_object, read_body
from bot.whatsapp import CHANNEL
from bot.whatsapp.adapter import messages, platform_id, route, statuses

log = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-Hub-Signature-256"


async def whatsapp_verify(request: Request) -> Response:
    """Meta calls this once when the webhook is configured, and echoes our verify token."""
    configured = request.app.state.settings.whatsapp_verify_token
    expected = configured.get_secret_value() if configured is not None else ""
    params = request.query_params
    given = params.get("hub.verify_token", "")
    # An unset token must not turn into "an empty token matches".
    if (
        params.get("hub.mode") != "subscribe"
        or not expected
        or not hmac.compare_digest(given.encode(), expected.encode())
    ):
        return PlainTextResponse("forbidden", status_code=403)
    return PlainTextResponse(params.get("hub.challenge", ""))


async def whatsapp_webhook(request: Request) -> JSONResponse:
    given = request.headers.get(SIGNATURE_HEADER)
    if given is None:
        return error(401, "signature_missing", f"{SIGNATURE_HEADER} header is required")
    try:
        body = await read_body(request)
    except BadRequest as exc:
        return exc.response()
    configured = request.app.state.settings.whatsapp_app_secret
    secret = configured.get_secret_value() if configured is not None else ""
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    # An unset secret must not let anyone sign with the empty key.
    if not secret or not hmac.compare_digest(given.strip().encode(), expected.encode()):
        return error(403, "signature_wrong", "webhook signature does not match")
    try:
        payload = parse_json_object(body)
    except BadRequest as exc:
        return exc.response()

    ours = request.app.state.settings.whatsapp_phone_number_id
    # Status updates (sent, delivered, read, failed) are no message: nobody is answered. They
    # update their outbox rows directly, committed before the 200, rather than through the
    # inbound path: that path is ordered per chat and runs the conversation, which a
    # broadcast's two or three statuses for every message would only slow for the people
    # talking to the bot, and a status needs neither (moving only forward, it is the same
    # in whatever order they come). A status about a row not yet recorded as sent (the
    # sender records in batches) is held first, and applied once the row has its id
    # (bot/statuses.py).
    reported = statuses(payload, phone_number_id=ours)
    if reported:
        engine = request.app.state.engine
        await asyncio.to_thread(hold_unmatched, engine, reported, now=datetime.now(UTC))
        recorder: StatusRecorder | None = getattr(request.app.state, "statuses", None)
        if recorder is None:
            recorder = request.app.state.statuses = StatusRecorder(engine)
        await recorder.record(reported)

    # One row per message, all committed before the 200 (the ingest groups them in one commit).
    found = messages(payload, phone_number_id=ours)
    stored = await asyncio.gather(
        *(
            accept(
                request.app,
                channel=CHANNEL,
                platform_id=platform_id(item),
                payload=item,
                event=route(item),
            )
            for item in found
        ),
        return_exceptions=True,
    )
    for item, outcome in zip(found, stored, strict=True):
        if isinstance(outcome, BadRequest):
            # Meta sends a webhook again until it gets a 2xx, and this message will never be
            # stored: its neighbours are, and the envelope is acknowledged.
            log.error("whatsapp message %s dropped: %s", platform_id(item), outcome)
        elif isinstance(outcome, BaseException):
            raise outcome  # nothing could be stored: a 5xx, and Meta sends the webhook again
        elif outcome is None:
            log.info("whatsapp message %s received again; already stored", platform_id(item))
    return JSONResponse({"ok": True})
