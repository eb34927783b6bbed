"""Helpers for the WhatsApp tests: a real app on a real database, signed Cloud API webhooks as
Meta sends them, and a fake Graph API on loopback for the replies."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from app.main import create_app
from bot.channels import Sender
from bot.outbox import send_pending
from bot.processor import process_pending
from bot.whatsapp.sender import make_sender
from core.settings import Settings
from models import InboundMessage, OutboxMessage
from services.catalogue import Catalogue
from services.catalogue_sync import sync_catalogue
from tests.bot.chat_harness import MORNING, WORKER
from tests.fakes.whatsapp_server import PHONE_NUMBER_ID, FakeWhatsApp, running_fake_whatsapp

APP_SECRET = "whatsapp-app-secret-for-tests"
VERIFY_TOKEN = "verify-token-for-tests"
SITI = "6281234567001"
BUDI = "6281234567002"


@pytest.fixture
def fake_whatsapp() -> Iterator[FakeWhatsApp]:
    with running_fake_whatsapp() as fake:
        fake.app_secret = APP_SECRET  # what Meta signs its webhooks with
        yield fake


@pytest.fixture
def wa_settings(database_url: str, fake_whatsapp: FakeWhatsApp) -> Settings:
    return Settings(
        database_url=database_url,
        whatsapp_access_token=fake_whatsapp.access_token,  # type: ignore[arg-type]
        whatsapp_phone_number_id=fake_whatsapp.phone_number_id,
        whatsapp_app_secret=APP_SECRET,  # type: ignore[arg-type]
        whatsapp_verify_token=VERIFY_TOKEN,  # type: ignore[arg-type]
        whatsapp_api_base_url=fake_whatsapp.url,
        run_workers=False,
        demo_mode=True,
        conversation_timeout_minutes=30,
    )


# --- Cloud API webhook payloads, as Meta sends them ---------------------------------------


def envelope(
    *messages: dict[str, Any],
    statuses: list[dict[str, Any]] | None = None,
    name: str = "Siti",
    phone_number_id: str = PHONE_NUMBER_ID,
) -> dict[str, Any]:
    """A Cloud API webhook to ``phone_number_id`` (ours unless told), from people called
    ``name``."""
    senders = dict.fromkeys(
        m["from"] for m in messages if isinstance(m, dict) and isinstance(m.get("from"), str)
    )
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281100000000", "phone_number_id": phone_number_id},
    }
    if messages:
        value["contacts"] = [{"profile": {"name": name}, "wa_id": wa_id} for wa_id in senders]
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = statuses
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA-1", "changes": [{"field": "messages", "value": value}]}],
    }


def cloud_message(wamid: str, wa_id: str, kind: str, **content: Any) -> dict[str, Any]:
    timestamp = str(int(MORNING.timestamp()))
    return {"from": wa_id, "id": wamid, "timestamp": timestamp, "type": kind, **content}


def text_message(wamid: str, wa_id: str, body: str) -> dict[str, Any]:
    return cloud_message(wamid, wa_id, "text", text={"body": body})


def reply_message(
    wamid: str, wa_id: str, reply_id: str, *, kind: str = "list_reply"
) -> dict[str, Any]:
    reply = {"id": reply_id, "title": f"{reply_id}. ..."}
    return cloud_message(wamid, wa_id, "interactive", interactive={"type": kind, kind: reply})


def sticker_message(wamid: str, wa_id: str) -> dict[str, Any]:
    sticker = {"mime_type": "image/webp", "sha256": "abc", "id": "STICKER-1", "animated": False}
    return cloud_message(wamid, wa_id, "sticker", sticker=sticker)


def _writers(payload: dict[str, Any]) -> list[str]:
    try:
        return [
            message["from"]
            for entry in payload["entry"]
            for change in entry["changes"]
            for message in change["value"].get("messages", [])
            if isinstance(message.get("from"), str)
        ]
    except (KeyError, TypeError, AttributeError):  # a payload a test made malformed
        return []


def sign(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass
class WhatsAppHarness:
    """Drives the app like Meta does, then runs the workers at an explicit ``now``."""

    client: httpx.AsyncClient
    engine: Engine
    settings: Settings
    catalogue: Catalogue
    fake: FakeWhatsApp
    senders: dict[str, Sender]
    now: datetime = MORNING
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def wamid(self) -> str:
        return f"wamid.HBgNNjI4MTIzNDU2NzAwMRUCABIYFjNFQjA{next(self._ids):06d}"

    async def post(
        self, payload: dict[str, Any], *, signature: str | None = "good"
    ) -> httpx.Response:
        body = json.dumps(payload).encode()
        response = await self.post_raw(body, signature=signature)
        # WhatsApp itself saw these people write now: their 24-hour windows open.
        for wa_id in _writers(payload):
            self.fake.wrote(wa_id, self.now)
        return response

    async def post_raw(self, body: bytes, *, signature: str | None = "good") -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers["X-Hub-Signature-256"] = sign(body) if signature == "good" else signature
        return await self.client.post("/webhooks/whatsapp", content=body, headers=headers)

    def process(self, *, now: datetime | None = None) -> int:
        return process_pending(
            self.engine, self.catalogue, self.settings, now=now or self.now, worker_id=WORKER
        )

    async def deliver(self, *, now: datetime | None = None) -> int:
        return await send_pending(self.engine, self.senders, now=now or self.now, worker_id=WORKER)

    async def exchange(self, wa_id: str, payload: dict[str, Any]) -> list[str]:
        """Post a webhook; returns what then reaches ``wa_id``'s phone."""
        before = len(self.fake.texts(wa_id))
        response = await self.post(payload)
        assert response.status_code == 200, response.text
        self.process()
        await self.deliver()
        return self.fake.texts(wa_id)[before:]

    async def says(self, wa_id: str, text: str) -> list[str]:
        return await self.exchange(wa_id, envelope(text_message(self.wamid(), wa_id, text)))

    async def picks(self, wa_id: str, reply_id: str, *, kind: str = "list_reply") -> list[str]:
        message = reply_message(self.wamid(), wa_id, reply_id, kind=kind)
        return await self.exchange(wa_id, envelope(message))

    def stored(self) -> int:
        with Session(self.engine) as session:
            return int(session.exec(select(func.count()).select_from(InboundMessage)).one())

    def outbox(self) -> list[OutboxMessage]:
        with Session(self.engine) as session:
            return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())


@pytest.fixture
async def wa(
    engine: Engine, wa_settings: Settings, catalogue: Catalogue, fake_whatsapp: FakeWhatsApp
) -> AsyncIterator[WhatsAppHarness]:
    sync_catalogue(engine, catalogue)
    app = create_app(wa_settings)
    sender = make_sender(wa_settings)
    assert sender is not None
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sigap.test") as client:
        yield WhatsAppHarness(
            client=client,
            engine=engine,
            settings=wa_settings,
            catalogue=catalogue,
            fake=fake_whatsapp,
            senders={"whatsapp": sender},
        )
        ingest = getattr(app.state, "ingest", None)
        if ingest is not None:
            await ingest.close()
    await sender.aclose()
    app.state.engine.dispose()
