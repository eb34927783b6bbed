"""The webhook lane: a platform's POST to a webhook goes straight to its endpoint.

Webhooks are the web process's busiest path and its simplest: a POST to a fixed path, a plain
route taking the request, no dependencies to solve. Through the whole FastAPI application each
one also paid for FastAPI's telemetry check, its exception-telemetry and body-limit layers, the
async exit stack, the router's walk over the routes and a second exception wrapper: about a
third of the web process's CPU per webhook, measured with cProfile under wrk.

The lane keeps every layer that shapes a response, built from the application's own parts in
the application's own order: the 500 handler (Starlette's ``ServerErrorMiddleware`` with the
app's handler for ``Exception``), every middleware the app added (security headers, the
request-latency metric, anything a test adds), and the app's exception handlers (Starlette's
``ExceptionMiddleware``). So a webhook's answer, its headers and its metric are the same
whichever way it came; tests/test_webhook_lane.py compares the two.

What it leaves out on purpose: FastAPI's native OpenTelemetry (no span per webhook; traces
of the staff API and pages are unchanged) and FastAPI's own ``max_body_size`` (unset here: the
webhooks read at most ``WEBHOOK_MAX_BYTES`` themselves; set, the lane stays off). It is off
too under a ``root_path`` and for any route that is not a plain asynchronous Starlette route.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI
from starlette._utils import is_async_callable
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Receive, Scope, Send

WEBHOOKS = "/webhooks/"
Endpoint = Callable[[Request], Awaitable[Response]]


class LanedFastAPI(FastAPI):
    """FastAPI with the webhook lane in front; everything but a webhook's POST goes on as
    before."""

    _lane: _Lane | None = None
    _lane_built = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            if not self._lane_built:
                self._lane = build_lane(self)
                self._lane_built = True
            lane = self._lane
            if lane is not None and not scope.get("root_path"):
                endpoint = lane.endpoints.get(scope["path"])
                if endpoint is not None:
                    # What Starlette's application and router put in the scope on this path.
                    scope["app"] = self
                    scope["router"] = self.router
                    scope["endpoint"] = endpoint
                    scope["path_params"] = {}
                    await lane.app(scope, receive, send)
                    return
        await super().__call__(scope, receive, send)


class _Lane:
    def __init__(self, app: ASGIApp, endpoints: dict[str, Endpoint]) -> None:
        self.app = app
        self.endpoints = endpoints


def build_lane(app: FastAPI) -> _Lane | None:
    """The lane for ``app``'s webhooks as its routes stand now, or None when it has none."""
    if app.root_path or getattr(app, "max_body_size", None) is not None:
        return None
    endpoints = webhook_endpoints(app)
    if not endpoints:
        return None
    error_handler = None
    handlers: dict[Any, Any] = {}
    for key, value in app.exception_handlers.items():
        if key in (500, Exception):
            error_handler = value
        else:
            handlers[key] = value
    # The same layers FastAPI.build_middleware_stack puts around the router, in its order,
    # without telemetry, the body limit and the exit stack.
    inner: ASGIApp = ExceptionMiddleware(_endpoint, handlers=handlers, debug=app.debug)
    for cls, args, kwargs in reversed(app.user_middleware):
        inner = cls(inner, *args, **kwargs)
    return _Lane(ServerErrorMiddleware(inner, handler=error_handler, debug=app.debug), endpoints)


def webhook_endpoints(app: FastAPI) -> dict[str, Endpoint]:
    """Path -> endpoint of each POST under /webhooks/ that the router would send to a plain
    asynchronous route (the first route to match it, as the router takes them)."""
    candidates = {
        route.path
        for route in app.router.routes
        if _plain(route) and route.path.startswith(WEBHOOKS) and not route.param_convertors
    }
    endpoints: dict[str, Endpoint] = {}
    for path in sorted(candidates):
        probe: Scope = {"type": "http", "method": "POST", "path": path, "root_path": ""}
        for route in app.router.routes:
            match, _ = route.matches(probe)
            if match == Match.FULL:  # the router's first full match decides
                if _plain(route):
                    endpoints[path] = route.endpoint  # type: ignore[attr-defined]
                break
    return endpoints


def _plain(route: object) -> bool:
    return (
        type(route) is Route
        and is_async_callable(route.endpoint)
        and "POST" in (route.methods or ())
    )


async def _endpoint(scope: Scope, receive: Receive, send: Send) -> None:
    # Starlette's request_response, without its second exception wrapper: the lane's
    # ExceptionMiddleware is the only one between here and the middleware.
    response = await scope["endpoint"](Request(scope, receive, send))
    await response(scope, receive, send)
