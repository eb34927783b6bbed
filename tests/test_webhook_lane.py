"""The webhook lane (app/webhook_lane.py) answers exactly as the whole application would.

Each request is sent twice, once through the lane and once through FastAPI's own stack (the
same application, the same database): status, body, every header and the request-latency
metric must be the same, for every kind of answer a webhook gives.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from starlette.types import ASGIApp, Receive, Scope, Send

from app.main import create_app
from app.webhook_lane import LanedFastAPI, build_lane
from core.db import make_engine
from core.settings import Settings

SECRET = "lane-secret"
APP_SECRET = "lane-app-secret"
PHONE_ID = "1555000"
LIMIT = 2048
FULL = "x-test-full-stack"  # a header of the tests' own: send this request the long way


class _Seen:
    """A middleware the test adds, as any application may: the lane must run it too. It notes
    whether FastAPI's own stack ran (its exit stack leaves a mark in the scope)."""

    calls: ClassVar[list[tuple[str, bool]]] = []

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)
        if scope["type"] == "http":
            self.calls.append((scope["path"], "fastapi_middleware_astack" in scope))


def _both_ways(app: FastAPI) -> ASGIApp:
    async def dispatch(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and any(name == FULL.encode() for name, _ in scope["headers"]):
            await FastAPI.__call__(app, scope, receive, send)
        else:
            await app(scope, receive, send)

    return dispatch


def _settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        demo_mode=True,
        run_workers=False,
        telegram_webhook_secret=SECRET,  # type: ignore[arg-type]
        whatsapp_app_secret=APP_SECRET,  # type: ignore[arg-type]
        whatsapp_phone_number_id=PHONE_ID,
        webhook_max_bytes=LIMIT,
    )


@pytest.fixture
def lane(database_url: str) -> Iterator[tuple[FastAPI, TestClient]]:
    app = create_app(_settings(database_url))
    app.add_middleware(_Seen)
    _Seen.calls = []
    with TestClient(_both_ways(app), raise_server_exceptions=False) as client:
        yield app, client


def _update(update_id: int, text: str = "halo") -> bytes:
    chat = {"id": 5000 + update_id, "type": "private", "first_name": "Siti"}
    message = {"message_id": update_id, "date": 1763000000, "chat": chat, "text": text}
    return json.dumps({"update_id": update_id, "message": {**message, "from": chat}}).encode()


def _whatsapp(message_id: str) -> bytes:
    value = {
        "metadata": {"phone_number_id": PHONE_ID},
        "contacts": [{"wa_id": "6281200", "profile": {"name": "Siti"}}],
        "messages": [
            {"from": "6281200", "id": message_id, "timestamp": "1763000000", "type": "text",
             "text": {"body": "halo"}}
        ],
    }  # fmt: skip
    return json.dumps({"entry": [{"changes": [{"value": value}]}]}).encode()


def _signed(body: bytes, secret: str = APP_SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}"}


TG = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
# (name, path, body for the lane, body for the full stack, headers, expected status): each
# body is sent once, so that a stored update is not a repeat the second time.
SIGNED: dict[str, str] = {}  # signed with the app secret, whichever body is sent
CASES: list[tuple[str, str, bytes, bytes, dict[str, str], int]] = [
    ("stored", "/webhooks/telegram", _update(1), _update(2), TG, 200),
    ("repeat", "/webhooks/telegram", _update(1), _update(1), TG, 200),
    ("no secret", "/webhooks/telegram", _update(3), _update(4), {}, 401),
    ("wrong secret", "/webhooks/telegram", _update(3), _update(4),
     {"X-Telegram-Bot-Api-Secret-Token": "guess"}, 403),
    ("not JSON", "/webhooks/telegram", b"{nope", b"{nope", TG, 400),
    ("NaN", "/webhooks/telegram", b'{"update_id": NaN}', b'{"update_id": NaN}', TG, 400),
    ("a list", "/webhooks/telegram", b"[1]", b"[1]", TG, 400),
    ("no update id", "/webhooks/telegram", b'{"message": {}}', b'{"message": {}}', TG, 400),
    ("too large", "/webhooks/telegram", b" " * (LIMIT + 1), b" " * (LIMIT + 1), TG, 413),
    ("too deep", "/webhooks/telegram", b"[" * 40 + b"]" * 40, b"[" * 40 + b"]" * 40, TG, 400),
    ("whatsapp stored", "/webhooks/whatsapp", _whatsapp("wamid.1"), _whatsapp("wamid.2"), SIGNED,
     200),
    ("whatsapp unsigned", "/webhooks/whatsapp", _whatsapp("wamid.3"), _whatsapp("wamid.4"), {},
     401),
    ("whatsapp forged", "/webhooks/whatsapp", _whatsapp("wamid.3"), _whatsapp("wamid.4"),
     _signed(b"other"), 403),
    ("whatsapp too large", "/webhooks/whatsapp", b" " * (LIMIT + 1), b" " * (LIMIT + 1),
     SIGNED, 413),
]  # fmt: skip


def _count(app: FastAPI, route: str, status: int) -> float:
    labels = {"method": "POST", "route": route, "status": str(status)}
    found = app.state.metrics.get_sample_value("sigap_http_request_duration_seconds_count", labels)
    return float(found or 0)


def _post(client: TestClient, path: str, body: bytes, headers: dict[str, str]) -> Any:
    if headers is SIGNED:
        headers = _signed(body)
    return client.post(path, content=body, headers={"Content-Type": "application/json", **headers})


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_each_answer_is_the_whole_applications(
    lane: tuple[FastAPI, TestClient], case: tuple[str, str, bytes, bytes, dict[str, str], int]
) -> None:
    app, client = lane
    name, path, body, full_body, headers, status = case
    if name == "repeat":  # stored once before, through each way
        _post(client, path, body, headers)
    before = _count(app, path, status)

    through_lane = _post(client, path, body, headers)
    after_lane = _count(app, path, status)
    whole = _post(
        client,
        path,
        full_body,
        {**(headers or {}), FULL: "1"}
        if headers is not SIGNED
        else {**_signed(full_body), FULL: "1"},
    )

    assert through_lane.status_code == whole.status_code == status, name
    assert through_lane.json() == whole.json(), name
    assert dict(through_lane.headers) == dict(whole.headers), name
    # Both were timed under the route's template and their status, once each.
    assert after_lane == before + 1
    assert _count(app, path, status) == before + 2
    # The lane was taken, and ran the middleware the test added; the long way ran FastAPI's.
    assert _Seen.calls[-2:] == [(path, False), (path, True)]


def test_the_security_headers_are_on_every_webhook_answer(
    lane: tuple[FastAPI, TestClient],
) -> None:
    _, client = lane
    for headers in (TG, {}):
        answer = client.post("/webhooks/telegram", content=_update(9), headers=headers)
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "no-referrer"
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert _Seen.calls[-1] == ("/webhooks/telegram", False)


def test_only_webhook_posts_take_the_lane(lane: tuple[FastAPI, TestClient]) -> None:
    app, client = lane
    assert isinstance(app, LanedFastAPI)
    built = build_lane(app)
    assert built is not None
    assert set(built.endpoints) == {"/webhooks/telegram", "/webhooks/whatsapp"}
    # Meta's verification handshake is a GET, the simulator an APIRoute: the long way.
    client.get("/webhooks/whatsapp", params={"hub.mode": "subscribe"})
    client.post("/webhooks/sim", json={"chat_id": "x", "text": "halo"})
    slash = client.post(
        "/webhooks/telegram/", content=_update(11), headers=TG, follow_redirects=False
    )
    assert slash.status_code == 307  # the router's redirect, as before
    assert [seen for _, seen in _Seen.calls[-3:]] == [True, True, True]


def test_an_unexpected_error_is_the_same_json_500(sqlite_template: Path, tmp_path: Path) -> None:
    """The database gone from under a running server: the lane's 500 is the application's."""
    path = tmp_path / "sigap.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    app = create_app(_settings(url))
    with TestClient(_both_ways(app), raise_server_exceptions=False) as client:
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE inbound_message"))
        engine.dispose()
        through_lane = _post(client, "/webhooks/telegram", _update(1), TG)
        whole = _post(client, "/webhooks/telegram", _update(2), {**TG, FULL: "1"})
    assert through_lane.status_code == whole.status_code == 500
    assert through_lane.json() == whole.json()
    assert through_lane.json()["error"] == "error.internal"
    assert dict(through_lane.headers) == dict(whole.headers)
    assert _count(app, "/webhooks/telegram", 500) == 2
