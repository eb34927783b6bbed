"""The web application: staff API, platform webhooks, health, and the workers' lifespan."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from fastapi import FastAPI
from sqlalchemy import Engine, text

from app.docs import install as install_docs
from app.errors import install_error_handlers
from app.health import install as install_health
from app.metrics import install as install_metrics
from app.scheduler import build_scheduler
from app.security import install as install_security_headers
from app.web import install as install_web
from app.webhook_lane import LanedFastAPI
from app.worker import WorkerSupervisor
from bot.channels import Channel, registered
from bot.router import mount as mount_bot
from bot.runtime import BotRuntime
from bot.waiting import WebhooksWaiting
from core.db import make_engine, read_only
from core.settings import Settings, get_settings
from services import staff
from services.catalogue import Catalogue, load_catalogue
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
        if staff.PASSWORD_HASH_PROFILE != "default" and not settings.demo_mode:
            log.warning("PASSWORD_HASH_PROFILE is not 'default': passwords are weakly hashed")
        # Everything loaded so far (catalogue, mappers, routes) lives as long as the process;
        # keeping it out of the collector's generations spares each collection walking it.
        gc.collect()
        gc.freeze()
        workers = (
            _workers(settings, engine, catalogue, channels, app.state.webhooks_waiting)
            if settings.run_workers
            else None
        )
        app.state.bot = workers if isinstance(workers, _InProcess) else None
        if workers is not None:
            await workers.start()
            # Ready once the workers run: an update taken now is answered now.
            if isinstance(workers, WorkerSupervisor) and not await workers.wait_ready(60):
                log.error("the worker process did not start within 60 s; serving anyway")
        try:
            yield
        finally:
            if workers is not None:
                await workers.stop()
            ingest = getattr(app.state, "ingest", None)
            if ingest is not None:
                await ingest.close()
            engine.dispose()

    # A platform's POST to a webhook takes a lane past FastAPI's routing (app/webhook_lane.py).
    app = LanedFastAPI(
        title="Sigap",
        summary="Chat bot and case service for Dinas Sosial offices",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served from local files by app/docs.py
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.catalogue = catalogue
    # The webhooks' wait for SQLite's write lock, told to this process's workers.
    app.state.webhooks_waiting = WebhooksWaiting()
    install_error_handlers(app)
    install_security_headers(app)

    from app.api import router as api_router

    mount_bot(app, channels)
    app.include_router(api_router)
    install_web(app)
    install_health(app, engine)
    install_metrics(app, engine, [channel.name for channel in channels])
    install_docs(app)

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        try:
            with read_only(engine).connect() as conn:
                conn.execute(text("select 1"))
        except Exception:
            log.exception("health check: database unreachable")
            from fastapi.responses import JSONResponse

            return JSONResponse({"status": "error", "database": "unreachable"}, 503)  # type: ignore[return-value]
        return {"status": "ok", "database": "ok"}

    return app


class _InProcess:
    """The workers inside the web process: for channels that exist only in this process
    (a test's or an embedding program's), which a worker process could not import."""

    def __init__(self, runtime: BotRuntime, scheduler: AsyncIOScheduler) -> None:
        self.runtime = runtime
        self.scheduler = scheduler

    def notify_inbound(self) -> None:
        self.runtime.notify_inbound()

    async def start(self) -> None:
        await self.runtime.start()
        self.scheduler.start()

    async def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        await self.runtime.stop()


def _workers(
    settings: Settings,
    engine: Engine,
    catalogue: Catalogue,
    channels: Sequence[Channel],
    webhooks: WebhooksWaiting,
) -> WorkerSupervisor | _InProcess:
    if tuple(channels) == tuple(registered()):
        return WorkerSupervisor(settings, webhooks)
    runtime = BotRuntime(
        engine=engine, settings=settings, catalogue=catalogue, channels=channels, webhooks=webhooks
    )
    return _InProcess(runtime, build_scheduler(engine, settings, catalogue))
