"""The staff API's docs render with no internet: Swagger UI and ReDoc come from the server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, expect

from app.main import create_app
from app.migrate import upgrade
from core.settings import Settings
from tests.fakes.loopback import serving

LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}


@pytest.fixture(scope="module")
def docs_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path: Path = tmp_path_factory.mktemp("docs") / "sigap.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    settings = Settings(database_url=url, demo_mode=True, run_workers=False)
    with serving(create_app(settings), lifespan="on") as base:
        yield base


@pytest.fixture
def offline_page(browser: Browser, docs_server: str) -> Iterator[tuple[Page, list[str]]]:
    """A page whose every request off loopback is refused, and remembered."""
    context = browser.new_context(base_url=docs_server)
    refused: list[str] = []

    def only_loopback(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in {"data", "blob"} or urlsplit(url).hostname in LOOPBACK:
            route.continue_()
        else:
            refused.append(url)
            route.abort("internetdisconnected")

    context.route("**/*", only_loopback)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page, refused
    context.close()


def _local_references(base: str, path: str) -> list[str]:
    html = httpx.get(f"{base}{path}").text
    found = re.findall(r"""(?:src|href)=["']([^"']+)["']|url:\s*["']([^"']+)["']""", html)
    return [urljoin(f"{base}{path}", a or b) for a, b in found]


class TestOffline:
    @pytest.mark.parametrize("path", ["/docs", "/redoc"])
    def test_every_asset_is_on_the_server_and_answers(self, docs_server: str, path: str) -> None:
        references = _local_references(docs_server, path)
        assert any(r.endswith(".js") for r in references)
        for reference in references:
            assert urlsplit(reference).hostname == "127.0.0.1", reference
            assert httpx.get(reference).status_code == 200, reference

    def test_swagger_ui_shows_the_operations(self, offline_page: tuple[Page, list[str]]) -> None:
        page, refused = offline_page
        page.goto("/docs")
        expect(page.get_by_text("My office's complaints, nearest deadline first")).to_be_visible()
        expect(page.get_by_role("button", name="Authorize")).to_be_visible()
        page.wait_for_load_state("networkidle")
        assert refused == []

    def test_redoc_shows_the_operations(self, offline_page: tuple[Page, list[str]]) -> None:
        page, refused = offline_page
        page.goto("/redoc")
        expect(
            page.get_by_text("My office's complaints, nearest deadline first").first
        ).to_be_attached()
        # Its footer's logo, from ReDoc's CDN, is stopped by the page's policy in the browser.
        expect(page.get_by_text("API docs by Redocly")).to_be_attached()
        page.wait_for_load_state("networkidle")
        assert refused == []

    @pytest.mark.parametrize("path", ["/docs", "/redoc"])
    def test_the_pages_keep_the_browser_on_this_server(self, docs_server: str, path: str) -> None:
        policy = httpx.get(f"{docs_server}{path}").headers["content-security-policy"]
        assert "default-src 'self'" in policy and "img-src 'self' data:" in policy
        assert "http" not in policy
