"""Security headers on every response.

The staff pages run one same-origin script file (/staff/static/print.js, a print button) and
nothing inline, so their policy allows 'self' only; their inline ``style`` attributes need
'unsafe-inline' for styles only. Two pages need more and get it by path: the chat simulator
(demo mode only) runs one inline script, and the API docs run Swagger UI / ReDoc, which start
with an inline script and, unless served locally, load from a CDN.

A plain ASGI middleware, not Starlette's BaseHTTPMiddleware: it only adds headers to the
response start, so webhooks pay nothing measurable for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

STRICT = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
_CDN = "https://cdn.jsdelivr.net"
DOCS = (
    f"default-src 'self'; script-src 'self' 'unsafe-inline' {_CDN}; "
    f"style-src 'self' 'unsafe-inline' {_CDN}; img-src 'self' data: https:; "
    "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
SIMULATOR = STRICT.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
# The first prefix that matches decides; everything else gets STRICT.
POLICIES: tuple[tuple[str, str], ...] = (
    ("/docs", DOCS),
    ("/redoc", DOCS),
    ("/simulator", SIMULATOR),
)
# Pages with personal data are not kept by the browser or a proxy (the back button after
# logging out shows nothing).
NO_STORE = ("/staff", "/api/")


def _policy(path: str) -> str:
    return next((policy for prefix, policy in POLICIES if path.startswith(prefix)), STRICT)


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        https = scope.get("scheme") == "https"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[tuple[bytes, bytes]] = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in _headers(path, https):
                    if name not in present:
                        headers.append((name, value))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def _headers(path: str, https: bool) -> Iterable[tuple[bytes, bytes]]:
    yield b"content-security-policy", _policy(path).encode()
    yield b"x-frame-options", b"DENY"
    yield b"x-content-type-options", b"nosniff"
    yield b"referrer-policy", b"no-referrer"
    if https:
        yield b"strict-transport-security", b"max-age=31536000"
    if path.startswith(NO_STORE):
        yield b"cache-control", b"no-store"


def install(app: Any) -> None:
    app.add_middleware(SecurityHeaders)
