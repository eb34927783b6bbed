"""A worker's loops: the inbound processor and one sender per configured channel.

The processor runs passes in a thread of its own (the conversation and the database driver
are synchronous) and wakes the senders when it queued replies; each channel's sender claims,
sends and records on the event loop. Both poll as well, which picks up work stored by another
process (the web process's webhooks, the scheduler, other workers) or left by a crashed one.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Sequence
from contextlib import suppress

from sqlalchemy import Engine

from bot.channels import Channel, Sender, registered
from bot.dbthread import DatabaseThread
from bot.outbox import ChannelSender
from bot.processor import Processor
from bot.waiting import WebhooksWaiting
from core.settings import Settings
from models import utcnow
from services.catalogue import Catalogue

log = logging.getLogger(__name__)
INBOUND_POLL = 0.05  # seconds between looks for new updates when idle
# After a pass that took everything pending, the next waits this long for more to gather: a
# pass of one update costs about twice the update itself, so one pass of five costs little
# more than half of five passes of one, and a person waits up to 25 ms longer for the answer.
GATHER = 0.025
OUTBOUND_POLL = 0.5


def new_worker_id() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class BotRuntime:
    def __init__(
        self,
        *,
        engine: Engine,
        settings: Settings,
        catalogue: Catalogue,
        channels: Sequence[Channel] | None = None,
        worker_id: str | None = None,
        webhooks: WebhooksWaiting | None = None,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.channels = tuple(channels or registered())
        self.worker_id = worker_id or new_worker_id()
        self.processor = Processor(
            engine,
            catalogue,
            settings,
            worker_id=self.worker_id,
            channels=self.channels,
            webhooks=webhooks,
        )
        self.db = DatabaseThread(engine)
        self._gap = 0.002 if engine.dialect.name == "sqlite" else 0.0
        self.senders: dict[str, Sender] = {}
        self._channel_senders: list[ChannelSender] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._inbound = asyncio.Event()
        self._stopping = False

    def notify_inbound(self) -> None:
        self._inbound.set()

    def notify_outbound(self) -> None:
        for channel_sender in self._channel_senders:
            channel_sender.notify()

    async def start(self) -> None:
        for channel in self.channels:
            sender = await channel.open_sender(self.settings)
            if sender is None:
                continue
            self.senders[channel.name] = sender
            self._channel_senders.append(
                ChannelSender(
                    engine=self.engine,
                    channel=channel,
                    sender=sender,
                    rate=channel.send_rate(self.settings),
                    worker_id=self.worker_id,
                    poll=OUTBOUND_POLL,
                    db=self.db,
                )
            )
        self._tasks = [asyncio.create_task(self._process())]
        self._tasks += [asyncio.create_task(s.run()) for s in self._channel_senders]

    async def stop(self) -> None:
        # The loops are told as well as cancelled: a cancellation can be lost in a wait that
        # ends at the same moment, and a loop that missed it must still end.
        self._stopping = True
        self._inbound.set()
        for channel_sender in self._channel_senders:
            channel_sender.stop()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        for channel_sender in self._channel_senders:
            await channel_sender.aclose()
        self._channel_senders = []
        for sender in self.senders.values():
            await sender.aclose()
        self.senders = {}
        self.db.close()

    async def _process(self) -> None:
        while not self._stopping:
            self._inbound.clear()
            try:
                result = await self.db(self.processor.run_pass, now=utcnow())
            except Exception:
                log.exception("inbound worker failed; retrying")
                await asyncio.sleep(1.0)
                continue
            if result.handled:
                self.notify_outbound()
            if result.full:
                # More is waiting behind what we just did; on SQLite, leave the one write lock
                # free for a moment first, for the webhooks of the web process.
                await asyncio.sleep(self._gap)
                continue
            if result.touched:
                await asyncio.sleep(GATHER)
                continue
            with suppress(TimeoutError):
                async with asyncio.timeout(INBOUND_POLL):
                    await self._inbound.wait()
