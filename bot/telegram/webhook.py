"""POST /webhooks/telegram: check the secret, store the update, answer 200."""

from __future__ import annotations

import hmac
import logging

from starlette.requests import Request
from starlette.responses import JSONResponse

from bot.telegram import CHANNEL
from bot.telegram.adapter import MalformedUpdate, platform_id, route
from bot.webhooks import accept, error, parse_json_object

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


async def telegram_webhook(request: Request) -> JSONResponse:
    configured = request.app.state.settings.telegram_webhook_secret
    given = request.headers.get(SECRET_HEADER)
    if given is None:
        return error(401, "secret_missing", f"{SECRET_HEADER} header is required")
    expected = configured.get_secret_value() if configured is not None else ""
    # An unset secret must not turn into "any header matches the empty string".
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return error(403, "secret_wrong", "webhook secret does not match")

    payload = parse_json_object(await request.body())
    if payload is None:
        return error(400, "malformed_json", "body must be a JSON object")
    try:
        update_id = platform_id(payload)
    except MalformedUpdate as exc:
        return error(400, "malformed_update", str(exc))

    stored = await accept(
        request.app, channel=CHANNEL, platform_id=update_id, payload=payload, event=route(payload)
    )
    if stored is None:
        log.info("telegram update %s received again; already stored", update_id)
    return JSONResponse({"ok": True})
