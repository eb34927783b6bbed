"""GET /webhooks/whatsapp: Meta's verification handshake.
POST /webhooks/whatsapp: check the signature, store each message, answer 200."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from bot.webhooks import accept, error, parse_json_object
from bot.whatsapp import CHANNEL
from bot.whatsapp.adapter import messages, platform_id, route

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
    body = await request.body()
    configured = request.app.state.settings.whatsapp_app_secret
    secret = configured.get_secret_value() if configured is not None else ""
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    # An unset secret must not let anyone sign with the empty key.
    if not secret or not hmac.compare_digest(given.strip().encode(), expected.encode()):
        return error(403, "signature_wrong", "webhook signature does not match")

    payload = parse_json_object(body)
    if payload is None:
        return error(400, "malformed_json", "body must be a JSON object")

    # One row per message, all committed before the 200 (the ingest groups them in one commit).
    # Status updates (sent, delivered, read) carry no message: nothing to store or answer.
    found = messages(payload)
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
        )
    )
    for item, inbound_id in zip(found, stored, strict=True):
        if inbound_id is None:
            log.info("whatsapp message %s received again; already stored", platform_id(item))
    return JSONResponse({"ok": True})
