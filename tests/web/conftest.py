"""A real Sigap server on loopback with demo data, and a real Chromium driven by Playwright.

Chromium comes from Debian's ``chromium`` package (``make test`` installs it when it can);
nothing is downloaded at run time. Without it these tests are skipped with the reason, and
with ``CI=true`` they fail instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import Engine

from app.main import create_app
from app.migrate import upgrade
from core.db import make_engine, unit_of_work
from core.settings import Settings
from services.catalogue import load_catalogue
from services.catalogue_sync import apply_catalogue
from services.demo import load_demo
from tests.fakes.loopback import serving

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
# As the machine's own probe starts it: no network chatter, no first-run work.
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "sigap-demo"


@dataclass(frozen=True)
class LiveSigap:
    url: str
    engine: Engine
    # Where the server keeps the files complainants send (a photo a test puts there shows).
    attachments: Path | None = None


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file with the demo offices, made once and copied for each module."""
    path: Path = tmp_path_factory.mktemp("web-template") / "sigap.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = make_engine(url)
    catalogue = load_catalogue()
    with unit_of_work(engine) as session:
        apply_catalogue(session=session, catalogue=catalogue)
        load_demo(session=session, catalogue=catalogue, now=datetime.now(UTC))
    engine.dispose()
    return path


@pytest.fixture(scope="module")
def live_sigap(
    tmp_path_factory: pytest.TempPathFactory, demo_database: Path
) -> Iterator[LiveSigap]:
    """Sigap serving the demo offices from its own SQLite file, in a thread of this process."""
    path: Path = tmp_path_factory.mktemp("web") / "sigap.db"
    shutil.copy(demo_database, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    # A bot username and a business number, so link-code pages show their deep links.
    settings = Settings(
        database_url=url,
        demo_mode=True,
        run_workers=False,
        telegram_bot_username="sigap_demo_bot",
        whatsapp_display_number="6281100000000",
        attachments_dir=path.parent / "attachments",
    )
    with serving(create_app(settings), lifespan="on") as base:
        yield LiveSigap(url=base, engine=engine, attachments=settings.attachments_dir)
    engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if CHROMIUM is None:
        reason = "Chromium not found: apt-get install chromium (make test does so as root)"
        if IN_CI:
            pytest.fail(f"{reason}; CI=true requires the browser tests", pytrace=False)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_sigap: LiveSigap) -> Iterator[Page]:
    """A fresh browser profile per test: no cookie of an earlier story carries over."""
    context = browser.new_context(base_url=live_sigap.url, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def log_in(page: Page, username: str, *, then: str = "/staff") -> None:
    page.goto(then)
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"**{then}")
