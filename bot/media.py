"""Downloading a file a platform hands out, with a cap on its size: shared by the channels'
media fetchers (``bot/<channel>/media.py``)."""

from __future__ import annotations

import httpx

from bot.channels import MediaError

# What a download's refusal means: asking again will not help.
PERMANENT_STATUSES = frozenset({400, 401, 403, 404, 410})


async def download(client: httpx.AsyncClient, url: str, max_bytes: int) -> bytes:
    try:
        async with client.stream("GET", url) as response:
            if response.status_code != 200:
                raise MediaError(
                    f"download: HTTP {response.status_code}",
                    permanent=response.status_code in PERMANENT_STATUSES,
                )
            data = bytearray()
            async for chunk in response.aiter_bytes():
                data.extend(chunk)
                if len(data) > max_bytes:
                    raise MediaError("download over the limit", permanent=True)
            return bytes(data)
    except httpx.HTTPError as exc:
        raise MediaError(f"download: {type(exc).__name__}", permanent=False) from None
