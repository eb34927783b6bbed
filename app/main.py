"""The web application: staff API, platform webhooks, health, and the workers' lifespan."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import text

from app.errors import install_error_handlers
from app.scheduler import build_scheduler
from app.web import install as install_web
from bot.channels import Channel, registered
from bot.router import mount as mount_bot
from bot.runtime import BotRuntime
from core.db import make_engine
from core.settings import Settings, get_settings
from services.catalogue import load_catalogue
from services.catalogue_sync import sync_catalogue

log = logging.getLogger("sigap")


def create_app(
    settings: Settings | None = None, channels: Sequence[Channel] | None = None
) -> FastAPI:
    """``channels`` defaults to every registered channel (bot/channels.py)."""
    settings = settings or get_settings()
    channels = tuple(channels or registered())
    engine = make_engine(settings.sqlalchemy_url)
    catalogue = load_catalogue(settings.catalogue_dir)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        sync_catalogue(engine, catalogue)
        runtime = BotRuntime(
            engine=engine, settings=settings, catalogue=catalogue, channels=channels
        )
        app.state.bot = runtime
        # Everything loaded so far (catalogue, mappers, routes) lives as long as the process;
        # keeping it out of the collector's generations spares each collection walking it.
        gc.collect()
        gc.freeze()
        scheduler = build_scheduler(engine, settings)
        if settings.run_workers:
            await runtime.start()
            scheduler.start()
        try:
            yield
        finally:
            if scheduler.running:
                scheduler.shutdown(wait=False)
            await runtime.stop()
            ingest = getattr(app.state, "ingest", None)
            if ingest is not None:
                await ingest.close()
            engine.dispose()

    app = FastAPI(
        title="Sigap",
        summary="Chat bot and case service for Dinas Sosial offices",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.catalogue = catalogue
    install_error_handlers(app)

    from app.api import router as api_router

    mount_bot(app, channels)
    app.include_router(api_router)
    install_web(app)

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        try:
            with engine.connect() as conn:
                conn.execute(text("select 1"))
        except Exception:
            log.exception("health check: database unreachable")
            from fastapi.responses import JSONResponse

            return JSONResponse({"status": "error", "database": "unreachable"}, 503)  # type: ignore[return-value]
        return {"status": "ok", "database": "ok"}

    return app
