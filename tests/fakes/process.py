"""A fake platform as its own process, for benchmarks: the platform's routes plus control ones.

``python -m tests.fakes.telegram_server --port 8081 --rate 1000 --delay 0.08`` (or
``whatsapp_server``) serves one fake that records no calls, only its ledger, and adds:

* ``GET /_stats[?per_chat=N]``: the ledger's figures as JSON (see ``Metered.stats``);
* ``POST /_reset``: forget what was accepted and refused; the limits stay;
* ``POST /_limit`` with ``{"rate": R, "delay": D, "per_chat_interval": I}``: new limits.

Its own process, so the fake's work never shares an interpreter with the server it measures.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

if TYPE_CHECKING:
    from tests.fakes.telegram_server import FakeTelegram
    from tests.fakes.whatsapp_server import FakeWhatsApp


def control_app(fake: FakeTelegram | FakeWhatsApp) -> Starlette:
    async def stats(request: Request) -> JSONResponse:
        per_chat = request.query_params.get("per_chat")
        return JSONResponse(fake.stats(int(per_chat) if per_chat else None))

    async def reset(request: Request) -> JSONResponse:
        fake.reset()
        return JSONResponse({"ok": True})

    async def limit(request: Request) -> JSONResponse:
        body = await request.json()
        fake.limit(
            body.get("rate"),
            delay=float(body.get("delay") or 0),
            per_chat_interval=body.get("per_chat_interval"),
        )
        return JSONResponse({"ok": True})

    return Starlette(
        routes=[
            Route("/_stats", stats, methods=["GET"]),
            Route("/_reset", reset, methods=["POST"]),
            Route("/_limit", limit, methods=["POST"]),
            Mount("/", fake.app()),
        ]
    )


def serve_fake(
    argv: list[str], kind: str, make: Callable[[str], FakeTelegram | FakeWhatsApp]
) -> None:
    parser = argparse.ArgumentParser(prog=f"python -m tests.fakes.{kind}_server")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", required=True, help="bot token / access token to accept")
    parser.add_argument("--rate", type=float, default=None, help="message sends per second")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--per-chat-interval", type=float, default=None)
    args = parser.parse_args(argv)
    fake = make(args.token)
    fake.limit(args.rate, delay=args.delay, per_chat_interval=args.per_chat_interval)
    uvicorn.run(
        control_app(fake),
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        access_log=False,
        lifespan="off",
    )
