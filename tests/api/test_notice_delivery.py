"""A notice goes out on WhatsApp, and what WhatsApp later says of each message reaches the
notice's report: a ``failed`` status, with its error, is counted and names the person in the
API's report, its CSV and the staff page.

End to end over real HTTP: the staff API composes the notice, the fan-out and the WhatsApp
sender run at the test's clock against the fake Graph API on loopback, and the fake's signed
status webhooks come in through ``/webhooks/whatsapp``.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from app.api.deps import get_now
from app.main import create_app
from bot.outbox import send_pending
from bot.statuses import apply_held
from bot.whatsapp.sender import make_sender
from core.settings import Settings
from services.notice_fanout import run_due
from tests.api.conftest import BUTON_TENGAH, PASSWORD, Clock, People, Staff, StaffFactory
from tests.fakes.whatsapp_server import FakeWhatsApp, running_fake_whatsapp

APP_SECRET = "whatsapp-app-secret-for-notices"
HASNAH, WA_ODE = "6281271000012", "6281271000011"
UNDELIVERABLE = "131026 Message undeliverable (Unable to deliver message to this recipient)"


@pytest.fixture
def fake() -> Iterator[FakeWhatsApp]:
    with running_fake_whatsapp() as fake:
        fake.app_secret = APP_SECRET
        yield fake


@pytest.fixture
def settings(database_url: str, fake: FakeWhatsApp) -> Settings:
    return Settings(
        database_url=database_url,
        demo_mode=True,
        run_workers=False,
        session_idle_minutes=720,
        whatsapp_access_token=fake.access_token,  # type: ignore[arg-type]
        whatsapp_phone_number_id=fake.phone_number_id,
        whatsapp_app_secret=APP_SECRET,  # type: ignore[arg-type]
        whatsapp_api_base_url=fake.url,
    )


@pytest.fixture
def app(settings: Settings, clock: Clock) -> FastAPI:
    """The API's app (tests/api/conftest.py), with WhatsApp configured."""
    app = create_app(settings)
    app.dependency_overrides[get_now] = lambda: clock.now
    return app


def _status(operator: Staff, fake: FakeWhatsApp, wamid: str, status: str, code: int) -> None:
    """WhatsApp's status webhook about ``wamid``, signed as Meta signs it."""
    body = json.dumps(fake.status_webhook(wamid, status, error_code=code or None)).encode()
    signature = hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    response = operator.client.post(
        "/webhooks/whatsapp",
        content=body,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={signature}"},
    )
    assert response.status_code == 200, response.text


def test_a_failed_status_reaches_the_report_with_its_error(
    staff: StaffFactory,
    people: People,
    clock: Clock,
    db: Engine,
    fake: FakeWhatsApp,
    settings: Settings,
) -> None:
    operator = staff(BUTON_TENGAH, "operator")
    for name, phone in (("Wa Ode Sitti", "0812-7100-0011"), ("Hasnah", "0812-7100-0012")):
        body = people.body(BUTON_TENGAH, name=name, desa="Boneoge")
        body["phone"] = phone
        assert operator.post("/api/v1/persons", json=body).status_code == 201
    created = operator.post(
        "/api/v1/notices",
        json={
            "kind": "socialisation",
            "title": "Sosialisasi BPNT",
            "place": "Balai Desa Boneoge",
            "starts_at": (clock.now + timedelta(days=3)).isoformat(),
            "audience": {"desa": ["Boneoge"]},
        },
    )
    assert created.status_code == 201, created.text
    notice = created.json()["id"]

    assert run_due(engine=db, now=clock.now, worker_id="w", phone_channel="whatsapp") == 2
    sender = make_sender(settings)
    assert sender is not None
    sent = asyncio.run(send_pending(db, {"whatsapp": sender}, now=clock.now, worker_id="w"))
    assert sent == 2
    # Neither ever wrote to the bot: each got the notice's template.
    assert {b["to"]: b["type"] for b in fake.sent()} == {WA_ODE: "template", HASNAH: "template"}
    wamids = {c.body["to"]: c.message_id or "" for c in fake.calls if c.ok}

    _status(operator, fake, wamids[WA_ODE], "delivered", 0)
    _status(operator, fake, wamids[HASNAH], "failed", 131026)
    assert apply_held(db, now=clock.now) == 0  # both rows had their ids: nothing was held

    report = operator.get(f"/api/v1/notices/{notice}/report").json()
    assert (report["counts"]["delivered"], report["counts"]["failed"]) == (1, 1)
    [missing] = report["not_reached"]
    assert (missing["name"], missing["status"], missing["reason"]) == (
        "Hasnah",
        "failed",
        UNDELIVERABLE,
    )
    csv = operator.get(f"/api/v1/notices/{notice}/report.csv").text
    assert f"Hasnah,{missing['nik_masked']},Boneoge" in csv and UNDELIVERABLE in csv

    # The staff page says the same.
    page = operator.client
    signed_in = page.post(
        "/staff/login",
        data={"username": operator.info["username"], "password": PASSWORD, "next": "/staff"},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303
    shown = page.get(f"/staff/notices/{notice}")
    assert shown.status_code == 200
    assert "Hasnah" in shown.text and UNDELIVERABLE in shown.text
