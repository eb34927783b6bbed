"""Files people sent on Telegram: ``getFile`` names the file's path, then the file is
downloaded from ``<api>/file/bot<token>/<path>`` (the Bot API hands out files up to 20 MB)."""

from __future__ import annotations

import mimetypes
from typing import Any

import httpx

from bot.channels import Media, MediaError
from bot.media import download
from core.settings import Settings

TIMEOUT = httpx.Timeout(30.0, connect=5.0)


async def fetch_media(settings: Settings, ref: str, max_bytes: int) -> Media:
    if settings.telegram_bot_token is None:
        raise MediaError("telegram is not configured", permanent=False)
    token = settings.telegram_bot_token.get_secret_value()
    base = settings.telegram_api_base_url.rstrip("/")
    async with httpx.AsyncClient(timeout=TIMEOUT) as client:
        try:
            found = await client.post(f"{base}/bot{token}/getFile", json={"file_id": ref})
            body: dict[str, Any] = found.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise MediaError(f"getFile: {type(exc).__name__}", permanent=False) from None
        if not body.get("ok"):
            code = body.get("error_code")
            # 400: the file id is unknown or too big to hand out; 429 and 5xx pass.
            raise MediaError(f"getFile: {code}", permanent=code == 400)
        result = body.get("result") or {}
        path, size = result.get("file_path"), result.get("file_size")
        if isinstance(size, int) and size > max_bytes:
            raise MediaError(f"file of {size} bytes is over the limit", permanent=True)
        if not isinstance(path, str) or not path:
            raise MediaError("getFile gave no file_path", permanent=True)
        data = await download(client, f"{base}/file/bot{token}/{path}", max_bytes)
    guessed, _ = mimetypes.guess_type(path)
    return Media(data=data, mime_type=guessed or "", file_name=path.rsplit("/", 1)[-1])
