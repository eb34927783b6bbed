"""One app taking every channel at once (Telegram, WhatsApp, the simulator), each against its
fake, for the stories about what all webhooks share."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import Engine

from app.main import create_app
from core.settings import Settings


@pytest.fixture
def channels_settings(settings: Settings, wa_settings: Settings) -> Settings:
    """Telegram, WhatsApp and the simulator at once, each against its fake."""
    whatsapp = ("access_token", "phone_number_id", "app_secret", "api_base_url")
    return settings.model_copy(
        update={f"whatsapp_{k}": getattr(wa_settings, f"whatsapp_{k}") for k in whatsapp}
    )


@pytest.fixture
async def channels_client(
    engine: Engine, channels_settings: Settings
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of that app, in process (workers off: the stories run them at their ``now``)."""
    app = create_app(channels_settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sigap.test") as client:
        yield client
        ingest = getattr(app.state, "ingest", None)
        if ingest is not None:
            await ingest.close()
    app.state.engine.dispose()
