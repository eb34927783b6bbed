"""Webhooks waiting for SQLite's one write lock, made known to the worker holding it.

On SQLite a worker's pass holds the database's only write lock, and a webhook may answer only
once its update is committed. The web process marks since when a batch of webhooks has been
waiting, in a number shared with its worker process; a pass that sees the mark ends after the
update in hand (once it has done a little), commits, and leaves the lock to the webhooks. So
passes can be long when nobody waits, which costs less per update, and a webhook waits for
about one update rather than a whole pass.
"""

from __future__ import annotations

import multiprocessing
import time


class WebhooksWaiting:
    """Shared by the web process and the worker process it starts (pass it to the child)."""

    def __init__(self) -> None:
        # A plain double in shared memory: one writer, and a reader that only looks.
        self._since = multiprocessing.get_context("spawn").RawValue("d", 0.0)

    def begin(self) -> None:
        if not self._since.value:
            self._since.value = time.monotonic()

    def end(self) -> None:
        self._since.value = 0.0

    def waiting(self) -> bool:
        return bool(self._since.value)
