"""Files people sent on WhatsApp: ``GET /<media id>`` gives a short-lived URL and the type,
then the file is downloaded from that URL with the same bearer token (Cloud API media)."""

from __future__ import annotations

from typing import Any

import httpx

from bot.channels import Media, MediaError
from bot.media import download
from core.settings import Settings

TIMEOUT = httpx.Timeout(30.0, connect=5.0)


async def fetch_media(settings: Settings, ref: str, max_bytes: int) -> Media:
    if settings.whatsapp_access_token is None:
        raise MediaError("whatsapp is not configured", permanent=False)
    headers = {"Authorization": f"Bearer {settings.whatsapp_access_token.get_secret_value()}"}
    base = settings.whatsapp_api_base_url.rstrip("/")
    async with httpx.AsyncClient(timeout=TIMEOUT, headers=headers) as client:
        try:
            found = await client.get(f"{base}/{ref}")
            body: dict[str, Any] = found.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise MediaError(f"media: {type(exc).__name__}", permanent=False) from None
        if found.status_code != 200:
            code = (body.get("error") or {}).get("code")
            # 4xx: the media id is unknown or expired (Meta keeps media 30 days).
            raise MediaError(
                f"media: HTTP {found.status_code} ({code})",
                permanent=400 <= found.status_code < 500 and found.status_code != 429,
            )
        url, size = body.get("url"), body.get("file_size")
        if isinstance(size, int) and size > max_bytes:
            raise MediaError(f"file of {size} bytes is over the limit", permanent=True)
        if not isinstance(url, str) or not url:
            raise MediaError("media gave no url", permanent=True)
        data = await download(client, url, max_bytes)
    mime = body.get("mime_type")
    return Media(data=data, mime_type=mime if isinstance(mime, str) else "")
