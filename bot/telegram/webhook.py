"""POST /webhooks/telegram: check the secret, store the update, answer 200.

A body too large is a 413, one that is no Telegram update a 400; an update the database
refuses (none should be, once cleaned) a 400 for it alone."""

from __future__ import annotations

import hmac
import logging

from starlette.requests import Request
from starlette.responses import JSONResponse

from bot.telegram import CHANNEL
from bot.telegram.adapter import MalformedUpdate, platform_id, route
from bot.webhooks import BadRequest, accept, error, parse_json_object, read_body

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

    try:
        payload = parse_json_object(await read_body(request))
        update_id = platform_id(payload)
        stored = await accept(
            request.app,
            channel=CHANNEL,
            platform_id=update_id,
            payload=payload,
            event=route(payload),
        )
    except MalformedUpdate as exc:
        return error(400, "malformed_update", str(exc))
    except BadRequest as exc:
        return exc.response()
    if stored is None:
        log.info("telegram update %s received again; already stored", update_id)
    return JSONResponse({"ok": True})
