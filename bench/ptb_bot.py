"""The anchor of the end-to-end benchmark: a python-telegram-bot v22 bot, as its docs build one.

An ``Application`` with a custom webhook server (PTB's ``customwebhookbot/starlettebot.py``
pattern): ``updater(None)``, a Starlette route that puts ``Update.de_json(...)`` on the
in-memory ``update_queue``, and one ``MessageHandler`` replying once per text message. It
keeps nothing: what it has not answered when it stops is lost, which is what Sigap's
durable path is measured against.

Served by uvicorn, like Sigap: ``uvicorn bench.ptb_bot:create_app --factory`` with
TELEGRAM_BOT_TOKEN, TELEGRAM_API_BASE_URL and TELEGRAM_WEBHOOK_SECRET set.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters


async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        return
    # The message id makes each reply's text its own, so the fake's duplicate count means
    # "answered twice" for this bot as it does for Sigap.
    await message.reply_text(f"Pesan {message.message_id} diterima: {message.text}")


def build_application() -> Application:  # type: ignore[type-arg]
    application = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(f"{os.environ['TELEGRAM_API_BASE_URL'].rstrip('/')}/bot")
        .updater(None)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, reply))
    return application


def create_app() -> Starlette:
    application = build_application()
    secret = os.environ["TELEGRAM_WEBHOOK_SECRET"].encode()

    async def telegram(request: Request) -> Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "").encode()
        if not hmac.compare_digest(given, secret):
            return Response(status_code=403)
        await application.update_queue.put(Update.de_json(await request.json(), application.bot))
        return JSONResponse({"ok": True})

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with application:
            await application.start()
            yield
            await application.stop()

    return Starlette(
        routes=[
            Route("/webhooks/telegram", telegram, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
