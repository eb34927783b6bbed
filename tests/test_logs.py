"""What must never reach the server's log: the bot token (in every Bot API URL), a NIK or a
No. KK (UU PDP 27/2022), whether in a query string, a path, an error or a traceback."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine
from sqlmodel import Session, select
from telegram import Bot

from app.logs import configure_logging
from app.main import create_app
from core.settings import Settings
from models import Office
from services.catalogue import load_catalogue
from services.catalogue_sync import apply_catalogue
from services.roles import Role
from services.staff import create_staff
from tests.fakes.telegram_server import running_fake_telegram

NIK, KK = "6209015708800007", "6209010101260007"


async def test_sending_a_message_logs_nothing_that_carries_the_token(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    # Even with the rest of the server at DEBUG, the HTTP clients stay quiet.
    configure_logging(logging.DEBUG)
    with running_fake_telegram() as fake:
        async with Bot(fake.token, base_url=f"{fake.url}/bot") as bot:
            await bot.send_message(chat_id=42, text="Halo")
        assert [c.method for c in fake.calls][-1] == "sendMessage"
    secret = fake.token.split(":", 1)[1]
    assert secret not in caplog.text


def test_configure_logging_silences_the_http_clients() -> None:
    configure_logging(logging.INFO)
    assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)
    assert not logging.getLogger("telegram").isEnabledFor(logging.INFO)
    assert logging.getLogger("sigap").isEnabledFor(logging.INFO)


def test_a_search_by_nik_leaves_no_nik_in_the_access_log(
    caplog: pytest.LogCaptureFixture, database_url: str, engine: Engine
) -> None:
    """The real server, as `sigap serve` runs it (uvicorn, its access log through ours)."""
    caplog.set_level(logging.INFO)
    configure_logging(logging.INFO)
    with Session(engine) as session:
        apply_catalogue(session=session, catalogue=load_catalogue())
        office = session.exec(select(Office).where(Office.code == "62.09")).one()
        create_staff(
            session=session,
            office_id=office.id or 0,
            username="lamandau.operator",
            full_name="Operator",
            role=Role.OPERATOR,
            password="password-123",
        )
        session.commit()
    app = create_app(Settings(database_url=database_url, demo_mode=True, run_workers=False))
    with _served(app) as url, httpx.Client(base_url=url) as client:
        login = client.post(
            "/api/v1/auth/login",
            json={"username": "lamandau.operator", "password": "password-123"},
        )
        token = login.json()["access_token"]
        found = client.get(
            "/api/v1/persons",
            params={"nik": NIK},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert found.status_code == 200
        assert client.get(f"/api/v1/persons/by/{NIK}").status_code == 404
    access = [r.getMessage() for r in caplog.records if r.name == "uvicorn.access"]
    assert any("/api/v1/persons?nik=…" in line for line in access), access
    assert any("/api/v1/persons/by/6209************" in line for line in access), access
    assert NIK not in caplog.text


def test_a_nik_in_an_error_or_its_traceback_is_masked(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    configure_logging(logging.INFO)
    log = logging.getLogger("sigap.test")
    try:
        raise ValueError(f"no person {NIK} in KK {KK}")
    except ValueError:
        log.exception("import failed for %s", NIK)
    assert "6209************" in caplog.text and "ValueError" in caplog.text
    assert NIK not in caplog.text and KK not in caplog.text


@contextmanager
def _served(app: Any) -> Iterator[str]:
    """uvicorn as `sigap serve` runs it: log_config=None, so its access log reaches the root
    handlers (tests/fakes/loopback.serving keeps uvicorn's own quiet logging)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    config = uvicorn.Config(app, log_level="info", log_config=None, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def test_json_lines_carry_the_record_and_its_traceback_with_every_nik_masked() -> None:
    import io
    import json

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        configure_logging(logging.INFO, log_format="json")
        log = logging.getLogger("sigap.test")
        log.info("looked up %s", NIK)
        try:
            raise ValueError(f"no person {NIK} in KK {KK}")
        except ValueError:
            log.exception("import failed")
    finally:
        root.removeHandler(handler)
    looked_up, failed = (json.loads(line) for line in stream.getvalue().splitlines())
    assert set(looked_up) == {"time", "level", "logger", "message"}
    assert looked_up["level"] == "INFO" and looked_up["logger"] == "sigap.test"
    assert looked_up["message"] == "looked up 6209************"
    assert looked_up["time"].endswith("+00:00")
    assert failed["level"] == "ERROR" and failed["message"] == "import failed"
    assert "ValueError: no person 6209************" in failed["exception"]
    assert NIK not in stream.getvalue() and KK not in stream.getvalue()
