"""Security headers on every response, and a Secure cookie behind a trusted TLS proxy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.main import create_app
from core.db import make_engine, unit_of_work
from core.settings import Settings
from models import Office
from services.catalogue import load_catalogue
from services.catalogue_sync import apply_catalogue
from services.staff import create_staff
from tests.fakes.loopback import free_port

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "sandi-yang-cukup-panjang"


def _with_staff(url: str) -> None:
    engine = make_engine(url)
    with unit_of_work(engine) as session:
        apply_catalogue(session=session, catalogue=load_catalogue())
        bone = session.exec(select(Office).where(Office.slug == "bone")).one()
        create_staff(
            session=session,
            office_id=bone.id or 0,
            username="bone.ayu",
            full_name="Ayu",
            role="operator",
            password=PASSWORD,
        )
    engine.dispose()


def test_every_response_carries_the_security_headers(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url, demo_mode=True, run_workers=False))
    with TestClient(app) as client:
        for path in ("/healthz", "/staff/login", "/staff", "/api/v1/programmes", "/nowhere"):
            response = client.get(path, follow_redirects=False)
            headers = response.headers
            assert headers["x-frame-options"] == "DENY", path
            assert headers["x-content-type-options"] == "nosniff", path
            assert headers["referrer-policy"] == "no-referrer", path
            policy = headers["content-security-policy"]
            assert "script-src 'self';" in policy, path  # no inline script anywhere
            assert "frame-ancestors 'none'" in policy, path
        assert client.get("/staff/login").headers["cache-control"] == "no-store"
        # The pages that need an inline script get it, and only they.
        assert "'unsafe-inline'" in client.get("/docs").headers["content-security-policy"]
        assert (
            "script-src 'self' 'unsafe-inline'"
            in (client.get("/simulator").headers["content-security-policy"])
        )


@pytest.fixture(scope="module")
def served(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`sigap serve` as its own process, trusting a proxy on 127.0.0.1."""
    path = tmp_path_factory.mktemp("serve") / "sigap.db"
    shutil.copy(sqlite_template, path)
    _with_staff(f"sqlite:///{path}")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{path}",
        "DEMO_MODE": "true",
        "RUN_WORKERS": "false",
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
    }
    process = subprocess.Popen(
        [sys.executable, "-c", "from app.cli import main; main()", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:  # waiting for start-up, not measuring anything
            try:
                if httpx.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, "sigap serve exited"
            assert time.monotonic() < deadline, "sigap serve did not start"
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_cookie_is_secure_when_a_trusted_proxy_says_https(served: str) -> None:
    form = {"username": "bone.ayu", "password": PASSWORD}
    through_proxy = httpx.post(
        f"{served}/staff/login",
        data=form,
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"},
    )
    assert through_proxy.status_code == 303
    cookie = through_proxy.headers["set-cookie"].lower()
    assert "secure" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    assert through_proxy.headers["strict-transport-security"].startswith("max-age=")

    plain = httpx.post(f"{served}/staff/login", data=form)
    assert plain.status_code == 303
    assert "secure" not in plain.headers["set-cookie"].lower()


def test_behind_the_proxy_log_ins_are_throttled_per_forwarded_client(served: str) -> None:
    def attempt(client_address: str, n: int) -> int:
        return httpx.post(
            f"{served}/api/v1/auth/login",
            json={"username": f"tebakan.{n}", "password": "salah-salah"},
            headers={"X-Forwarded-For": client_address},
        ).status_code

    statuses = [attempt("203.0.113.8", n) for n in range(21)]
    assert statuses == [401] * 20 + [429]  # LOGIN_MAX_FAILURES_PER_ADDRESS
    assert attempt("198.51.100.4", 99) == 401  # another client behind the same proxy
