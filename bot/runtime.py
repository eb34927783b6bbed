"""The bot's workers inside the web process: the Bot API client, inbound processor, sender.

Both loops wake at once when told (the webhook stored an update; the processor queued a reply)
and poll about every second anyway, which also picks up work left by a crashed process or
stored by another one.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import Any

from sqlalchemy import Engine
from telegram.error import TelegramError

from bot.channels import Sender
from bot.outbox import send_pending
from bot.processor import process_pending
from bot.sim.sender import SimSender
from core.settings import Settings
from models import utcnow
from services.catalogue import Catalogue

log = logging.getLogger(__name__)
POLL_SECONDS = 1.0


def new_worker_id() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class BotRuntime:
    def __init__(
        self,
        *,
        engine: Engine,
        settings: Settings,
        catalogue: Catalogue,
        worker_id: str | None = None,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.catalogue = catalogue
        self.worker_id = worker_id or new_worker_id()
        self.senders: dict[str, Sender] = {"sim": SimSender()}
        self._bot: Any = None
        self._whatsapp: Any = None
        self._tasks: list[asyncio.Task[None]] = []
        self._inbound_event = asyncio.Event()
        self._outbound_event = asyncio.Event()

    def notify_inbound(self) -> None:
        self._inbound_event.set()

    def notify_outbound(self) -> None:
        self._outbound_event.set()

    async def start(self) -> None:
        await self._open_channels()
        self._tasks = [
            asyncio.create_task(self._loop("inbound", self._inbound_event, self._process_once)),
            asyncio.create_task(self._loop("outbound", self._outbound_event, self._send_once)),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        if self._bot is not None:
            with suppress(TelegramError):
                await self._bot.shutdown()
            self._bot = None
        if self._whatsapp is not None:
            await self._whatsapp.aclose()
            self._whatsapp = None

    async def _open_channels(self) -> None:
        await self._open_telegram()
        self._open_whatsapp()

    def _open_whatsapp(self) -> None:
        # Imported here: the only place outside bot/whatsapp that wires the platform in.
        from bot.whatsapp.sender import make_sender

        sender = make_sender(self.settings)
        if sender is None:
            log.info("no WHATSAPP_ACCESS_TOKEN and WHATSAPP_PHONE_NUMBER_ID: WhatsApp is off")
            return
        self._whatsapp = sender
        self.senders["whatsapp"] = sender

    async def _open_telegram(self) -> None:
        # Imported here: the only place outside bot/telegram that wires the platform in.
        from bot.telegram.sender import TelegramSender, make_bot

        bot = make_bot(self.settings)
        if bot is None:
            log.info("no TELEGRAM_BOT_TOKEN: Telegram is off")
            return
        try:
            await bot.initialize()  # getMe: proves the token early
        except TelegramError as exc:
            # The API may be briefly unreachable at start; sending still works once it is back.
            log.warning("Telegram getMe failed at start: %s", exc)
        self._bot = bot
        self.senders["telegram"] = TelegramSender(bot)

    async def _process_once(self) -> int:
        handled = await asyncio.to_thread(
            process_pending,
            self.engine,
            self.catalogue,
            self.settings,
            now=utcnow(),
            worker_id=self.worker_id,
        )
        if handled:
            self.notify_outbound()
        return handled

    async def _send_once(self) -> int:
        return await send_pending(self.engine, self.senders, now=utcnow(), worker_id=self.worker_id)

    async def _loop(
        self, name: str, event: asyncio.Event, work: Callable[[], Awaitable[int]]
    ) -> None:
        while True:
            event.clear()
            try:
                done = await work()
            except Exception:
                log.exception("%s worker failed; retrying", name)
                done = 0
            if done:
                continue  # more may be waiting behind what we just did
            with suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), timeout=POLL_SECONDS)
