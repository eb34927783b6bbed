"""The worker process beside the web server: started with it, started again when it dies
alone, and stopped with it."""

from __future__ import annotations

import asyncio
import os
import signal
import time

from app.worker import WorkerSupervisor
from core.settings import Settings


async def test_a_worker_that_dies_is_started_again_and_stops_with_the_web_process(
    database_url: str,
) -> None:
    supervisor = WorkerSupervisor(Settings(database_url=database_url, demo_mode=True))
    await supervisor.start()
    try:
        assert await supervisor.wait_ready(60)
        first = supervisor._process
        os.kill(first.pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while supervisor._process is first or not supervisor._process.is_alive():
            assert time.monotonic() < deadline, "the worker was not started again"
            await asyncio.sleep(0.2)
        second = supervisor._process
        assert second.pid != first.pid
        assert await supervisor.wait_ready(60)
    finally:
        await supervisor.stop()
    assert not second.is_alive()
    assert second.exitcode == 0  # it was asked to stop, and stopped cleanly
