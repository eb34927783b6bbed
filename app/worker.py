"""The bot's workers as a process of their own: the processor, the senders and the timers.

Python runs one thread of a process at a time, so a conversation being worked out in the web
process holds back the webhooks that must answer the platforms quickly. By default the web
process therefore starts one worker process beside itself (:class:`WorkerSupervisor`), which
dies with it and is started again if it dies alone. More workers, on this machine or others,
are ``sigap worker`` processes on the same PostgreSQL database: they share the work through
row locks and leases, so none handles an update, a timer or a message twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Coroutine
from typing import Any

from bot.waiting import WebhooksWaiting
from core.settings import Settings

log = logging.getLogger("sigap.worker")
RESTART_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)
NICENESS = 5  # under load the web process answers first


def run_loop(main: Coroutine[Any, Any, None]) -> None:
    """``asyncio.run`` on uvloop where it is installed (as uvicorn's own loop is): the senders'
    HTTP calls and the processor's hand-overs cost the worker less CPU on it."""
    try:
        import uvloop
    except ImportError:
        asyncio.run(main)
        return
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        runner.run(main)


async def serve_worker(
    settings: Settings,
    *,
    stop: asyncio.Event | None = None,
    ready: Any = None,
    webhooks: WebhooksWaiting | None = None,
) -> None:
    """Run the workers until ``stop`` is set (or SIGTERM/SIGINT arrives); ``ready`` (an
    event of the multiprocessing kind) is set once they run; ``webhooks``, the web process's
    webhooks waiting for SQLite's write lock (when it started this worker)."""
    from app.scheduler import build_scheduler
    from bot.runtime import BotRuntime
    from core.db import make_engine
    from services.catalogue import load_catalogue
    from services.catalogue_sync import sync_catalogue

    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, stop.set)
    engine = make_engine(settings.sqlalchemy_url)
    catalogue = load_catalogue(settings.catalogue_dir)
    sync_catalogue(engine, catalogue)
    runtime = BotRuntime(engine=engine, settings=settings, catalogue=catalogue, webhooks=webhooks)
    scheduler = build_scheduler(engine, settings, catalogue)
    await runtime.start()
    scheduler.start()
    log.info("worker %s started", runtime.worker_id)
    if ready is not None:
        ready.set()
    try:
        await stop.wait()
    finally:
        scheduler.shutdown(wait=False)
        await runtime.stop()
        engine.dispose()
        log.info("worker %s stopped", runtime.worker_id)


def _die_with_parent(parent: int) -> None:
    """Linux: the kernel kills us when the web process goes, even by SIGKILL."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    # The parent may have gone before the call above took effect.
    if os.getppid() != parent:
        os._exit(0)


def _child(
    settings: Settings, parent: int, ready: Any, webhooks: WebhooksWaiting | None = None
) -> None:
    # Asked to stop while still starting up: stop cleanly (the loop takes over the signal).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    _die_with_parent(parent)
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    from app.logs import configure_logging

    configure_logging(log_format=settings.log_format)
    run_loop(_watch_parent(settings, parent, ready, webhooks))


async def _watch_parent(
    settings: Settings, parent: int, ready: Any, webhooks: WebhooksWaiting | None
) -> None:
    stop = asyncio.Event()

    async def watch() -> None:
        # Where the kernel cannot tell us (not Linux), we look for ourselves.
        while os.getppid() == parent:
            await asyncio.sleep(1.0)
        stop.set()

    watcher = asyncio.create_task(watch())
    try:
        await serve_worker(settings, stop=stop, ready=ready, webhooks=webhooks)
    finally:
        watcher.cancel()


class WorkerSupervisor:
    """Keeps one worker process running beside the web process."""

    def __init__(self, settings: Settings, webhooks: WebhooksWaiting | None = None) -> None:
        self.settings = settings
        self.webhooks = webhooks
        self._context = multiprocessing.get_context("spawn")
        self._process: Any = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._spawn()
        self._task = asyncio.create_task(self._supervise())

    def _spawn(self) -> None:
        self.ready = self._context.Event()
        self._process = self._context.Process(
            target=_child,
            args=(self.settings, os.getpid(), self.ready, self.webhooks),
            name="sigap-worker",
            daemon=True,
        )
        self._process.start()

    async def wait_ready(self, timeout: float) -> bool:
        """True once the current worker process runs its loops."""
        return bool(await asyncio.to_thread(self.ready.wait, timeout))

    async def _supervise(self) -> None:
        failures = 0
        while True:
            started = time.monotonic()
            while self._process.is_alive():
                await asyncio.sleep(0.5)
            if time.monotonic() - started > 60:
                failures = 0  # it ran well for a while: this is not a crash loop
            delay = RESTART_DELAYS[min(failures, len(RESTART_DELAYS) - 1)]
            log.error(
                "worker process exited with %s; starting it again in %.0f s",
                self._process.exitcode,
                delay,
            )
            failures += 1
            await asyncio.sleep(delay)
            self._spawn()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        process, self._process = self._process, None
        if process is None or not process.is_alive():
            return
        process.terminate()  # SIGTERM: it finishes the sends under way, then exits
        await asyncio.to_thread(process.join, 30)
        if process.is_alive():
            process.kill()
            await asyncio.to_thread(process.join, 5)


class WorkerThread:
    """Keeps one worker process running from a thread, for ``sigap serve --workers N``:
    there uvicorn's own supervisor owns the main thread and its event loop, and the web
    processes it starts run no workers of their own (one worker process for N web processes,
    as for one)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._context = multiprocessing.get_context("spawn")
        self._stop = threading.Event()
        self._process: Any = None
        self._thread = threading.Thread(target=self._run, name="sigap-worker-supervisor")

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        # The process is started from this thread, which lives until stop(): on Linux the
        # kernel kills a child when the thread that started it ends (see _die_with_parent).
        failures = 0
        while not self._stop.is_set():
            started = time.monotonic()
            # Kept until the child has read it: an event collected here is gone for the child.
            self.ready = self._context.Event()
            self._process = self._context.Process(
                target=_child,
                args=(self.settings, os.getpid(), self.ready),
                name="sigap-worker",
                daemon=True,
            )
            self._process.start()
            self._process.join()
            if self._stop.is_set():
                return
            if time.monotonic() - started > 60:
                failures = 0
            delay = RESTART_DELAYS[min(failures, len(RESTART_DELAYS) - 1)]
            log.error(
                "worker process exited with %s; starting it again in %.0f s",
                self._process.exitcode,
                delay,
            )
            failures += 1
            self._stop.wait(delay)

    def stop(self) -> None:
        self._stop.set()
        process = self._process
        if process is not None and process.is_alive():
            process.terminate()  # SIGTERM: it finishes the sends under way, then exits
            process.join(30)
            if process.is_alive():
                process.kill()
        self._thread.join(35)
