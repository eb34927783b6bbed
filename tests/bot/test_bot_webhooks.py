"""What every webhook (Telegram, WhatsApp, the simulator) does before it stores anything: it
reads no more than WEBHOOK_MAX_BYTES, and a body that is no JSON object, or one nested too
deep, is a 400 — never a 5xx, never a row."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from models import InboundMessage
from tests.bot.chat_harness import SECRET, text_update
from tests.bot.whatsapp_harness import SITI, envelope, sign, text_message

LIMIT = 1_048_576  # the default, so these stories also say what production does
CHUNK = 64 * 1024
WEBHOOKS = ["telegram", "whatsapp", "sim"]


def _valid(webhook: str) -> dict[str, Any]:
    if webhook == "telegram":
        return text_update(1, 5001, "halo")
    if webhook == "whatsapp":
        return envelope(text_message("wamid.LIMIT1", SITI, "halo"))
    return {"chat_id": "sim-1", "text": "halo"}


async def _post(
    client: httpx.AsyncClient,
    webhook: str,
    body: bytes | AsyncIterator[bytes],
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """As the platform would post it: the right secret, or a correct signature of the body (a
    streamed one is signed wrongly: the body must be refused before its signature matters)."""
    sent = {"Content-Type": "application/json", **(headers or {})}
    if webhook == "telegram":
        sent["X-Telegram-Bot-Api-Secret-Token"] = SECRET
    if webhook == "whatsapp":
        wrong = "sha256=" + "0" * 64
        sent["X-Hub-Signature-256"] = sign(body) if isinstance(body, bytes) else wrong
    return await client.post(f"/webhooks/{webhook}", content=body, headers=sent)


def _stored(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(InboundMessage)).one())


class Endless:
    """A body of ``size`` bytes, made only as the server reads it; counts what it read."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.read = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.read < self.size:
            self.read += CHUNK
            yield b" " * CHUNK


@pytest.mark.parametrize("webhook", WEBHOOKS)
class TestBodyLimit:
    async def test_a_body_declared_larger_than_the_limit_is_refused_before_a_byte_is_read(
        self, channels_client: httpx.AsyncClient, engine: Engine, webhook: str
    ) -> None:
        body = Endless(200 * 1024 * 1024)
        response = await _post(channels_client, webhook, body, {"Content-Length": str(body.size)})
        assert response.status_code == 413
        assert response.json()["error"] == "body_too_large"
        assert body.read == 0
        assert _stored(engine) == 0

    async def test_a_streamed_body_is_read_no_further_than_the_limit(
        self, channels_client: httpx.AsyncClient, engine: Engine, webhook: str
    ) -> None:
        # 200 MB with no length given, and (for WhatsApp) a signature that cannot match.
        body = Endless(200 * 1024 * 1024)
        response = await _post(channels_client, webhook, body)
        assert response.status_code == 413
        assert body.read <= LIMIT + CHUNK
        assert _stored(engine) == 0

    async def test_a_body_of_exactly_the_limit_is_read_and_stored(
        self, channels_client: httpx.AsyncClient, engine: Engine, webhook: str
    ) -> None:
        payload = _valid(webhook)
        payload["padding"] = ""
        payload["padding"] = "x" * (LIMIT - len(json.dumps(payload).encode()))
        body = json.dumps(payload).encode()
        assert len(body) == LIMIT
        response = await _post(channels_client, webhook, body)
        assert response.status_code == 200, response.text
        assert _stored(engine) == 1


def _nested(depth: int) -> bytes:
    """A JSON object ``depth`` levels deep, counting itself: {"x": [[...]]}."""
    return b'{"x": ' + b"[" * (depth - 1) + b"]" * (depth - 1) + b"}"


@pytest.mark.parametrize("webhook", WEBHOOKS)
class TestShape:
    @pytest.mark.parametrize(
        "body",
        [b"[]", b'"halo"', b"5", b"null", _nested(33), _nested(100_000)],
        ids=["list", "string", "number", "null", "33-deep", "100000-deep"],
    )
    async def test_what_is_no_json_object_of_at_most_32_levels_is_a_400(
        self, channels_client: httpx.AsyncClient, engine: Engine, webhook: str, body: bytes
    ) -> None:
        response = await _post(channels_client, webhook, body)
        assert response.status_code == 400
        assert response.json()["error"] == "malformed_json"
        assert _stored(engine) == 0

    async def test_an_update_32_levels_deep_is_stored(
        self, channels_client: httpx.AsyncClient, engine: Engine, webhook: str
    ) -> None:
        payload = _valid(webhook)
        payload["x"] = json.loads(_nested(31))  # 31 levels under the update's own
        response = await _post(channels_client, webhook, json.dumps(payload).encode())
        assert response.status_code == 200, response.text
        assert _stored(engine) == 1


async def test_a_simulator_chat_id_longer_than_its_column_is_a_400(
    channels_client: httpx.AsyncClient, engine: Engine
) -> None:
    # Cut to 80 it would be someone else's chat; it names none.
    body = json.dumps({"chat_id": "9" * 81, "text": "halo"}).encode()
    response = await _post(channels_client, "sim", body)
    assert response.status_code == 400
    assert response.json()["error"] == "chat_id_missing"
    assert _stored(engine) == 0
