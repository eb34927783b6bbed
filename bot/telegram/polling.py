"""Telegram without a public URL: fetch updates by long polling (``getUpdates``).

An office behind NAT cannot receive Telegram's webhook; it asks instead. Each update fetched
goes into the same durable path as a webhook's (:class:`bot.ingest.IngestWriter`: stored and
committed, deduplicated by its ``update_id``), and only then is it confirmed to Telegram: an
update counts as confirmed once getUpdates is called with an ``offset`` above its id, so the
offset moves past a batch only after the whole batch is committed.

A poller killed between storing and confirming fetches the same updates again when it
restarts (Telegram holds unconfirmed updates for 24 hours); they are already stored, so the
store skips them. Killed before storing, nothing was confirmed, so nothing is lost. Either
way each update is handled once.

Telegram refuses getUpdates while a webhook is set (409): ``sigap delete-webhook`` first.
Only one poller per bot: a second one makes Telegram end the first one's request (409 too).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from telegram import Bot
from telegram.error import Conflict, NetworkError, TelegramError
from telegram.warnings import PTBUserWarning

from bot.ingest import Arrival, IngestWriter, Refused
from bot.telegram import CHANNEL
from bot.telegram.adapter import MalformedUpdate, platform_id, route
from bot.text import TooDeep, storable_json

log = logging.getLogger(__name__)
# The raw JSON is what is stored (as a webhook stores it), so getUpdates is called through
# do_api_request rather than get_updates, which returns PTB's objects.
warnings.filterwarnings(
    "ignore", message=r".*do_api_request\(\"getUpdates\"", category=PTBUserWarning
)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
LONG_POLL_SECONDS = 30
BATCH = 100  # Telegram's largest
RETRY_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)


class WebhookActive(Exception):
    """getUpdates cannot be used while a webhook is set."""

    def __init__(self, url: str) -> None:
        super().__init__(f"a webhook is set ({url}); run 'sigap delete-webhook' first")
        self.url = url


@dataclass
class PollStats:
    batches: int = 0
    stored: int = 0
    repeated: int = 0


async def webhook_url(bot: Bot) -> str:
    info = await bot.get_webhook_info()
    return info.url or ""


async def fetch(bot: Bot, *, offset: int | None, timeout: int, limit: int = BATCH) -> list[Any]:
    """One getUpdates call: the raw updates, and the confirmation of every id below
    ``offset``."""
    kwargs: dict[str, Any] = {
        "timeout": timeout,
        "limit": limit,
        "allowed_updates": ALLOWED_UPDATES,
    }
    if offset is not None:
        kwargs["offset"] = offset
    result = await bot.do_api_request("getUpdates", api_kwargs=kwargs, read_timeout=timeout + 10)
    return list(result) if isinstance(result, list) else []


async def store(writer: IngestWriter, updates: list[Any]) -> tuple[int, int, int | None]:
    """Store a batch in one group commit; returns (stored, repeated, next offset). Raises
    when the database could not take them, and then nothing may be confirmed."""
    arrivals: list[Arrival] = []
    highest: int | None = None
    for raw in updates:
        if not isinstance(raw, dict):
            continue
        try:
            update_id = platform_id(raw)
            payload: dict[str, Any] = storable_json(raw)
        except (MalformedUpdate, TooDeep) as exc:
            # Not from Telegram as it documents itself; nothing to store, nothing to confirm.
            log.warning("telegram update skipped: %s", exc)
            continue
        highest = max(highest or 0, int(update_id))
        arrivals.append(Arrival(CHANNEL, update_id, payload, route(payload)))
    results = await asyncio.gather(
        *(writer.store(arrival) for arrival in arrivals), return_exceptions=True
    )
    stored = repeated = 0
    for arrival, result in zip(arrivals, results, strict=True):
        if isinstance(result, Refused):
            # The database refused this one update alone (a webhook answers it 400, and
            # Telegram does not send it again): confirmed with the others.
            log.error("telegram update %s refused by the database", arrival.platform_id)
        elif isinstance(result, BaseException):
            raise result
        elif result is None:
            repeated += 1
        else:
            stored += 1
    return stored, repeated, (highest + 1 if highest is not None else None)


async def poll(
    bot: Bot,
    engine: Engine,
    *,
    stop: asyncio.Event,
    timeout: int = LONG_POLL_SECONDS,
    stored: Callable[[PollStats], None] = lambda _stats: None,
) -> PollStats:
    """Fetch, store, confirm, until ``stop`` is set. Raises :class:`WebhookActive` when a
    webhook is set; any other trouble (network, database) is waited out and tried again."""
    url = await webhook_url(bot)
    if url:
        raise WebhookActive(url)
    writer = IngestWriter(engine)
    stats = PollStats()
    offset: int | None = None
    failures = 0
    stopping = asyncio.create_task(stop.wait())
    try:
        while not stop.is_set():
            fetching = asyncio.create_task(fetch(bot, offset=offset, timeout=timeout))
            await asyncio.wait({fetching, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if not fetching.done():
                # Stopping mid-poll: what this call would return stays unconfirmed at
                # Telegram and comes back to the next poller.
                fetching.cancel()
                with contextlib.suppress(asyncio.CancelledError, TelegramError):
                    await fetching
                break
            try:
                updates = fetching.result()
                if updates:
                    new, repeated, next_offset = await store(writer, updates)
                    offset = next_offset if next_offset is not None else offset
                    stats.batches += 1
                    stats.stored += new
                    stats.repeated += repeated
                    stored(stats)
                failures = 0
            except Conflict as exc:
                # Another poller, or a webhook set meanwhile: both stop this one's updates.
                url = await _webhook_or_none(bot)
                if url:
                    raise WebhookActive(url) from exc
                log.error("telegram: another getUpdates is running for this bot; waiting")
                failures = await _wait(stop, failures)
            except (NetworkError, TelegramError) as exc:
                log.warning("telegram getUpdates failed (%s); trying again", type(exc).__name__)
                failures = await _wait(stop, failures)
            except Exception as exc:
                # The database: nothing was confirmed, the batch comes back next time.
                log.error("storing polled updates failed (%s); trying again", type(exc).__name__)
                failures = await _wait(stop, failures)
        if offset is not None:
            # Confirm the last batch now rather than at the next start; limit 1 and no wait,
            # and whatever that call returns stays unconfirmed for the next poller.
            with contextlib.suppress(TelegramError):
                await fetch(bot, offset=offset, timeout=0, limit=1)
    finally:
        stopping.cancel()
        await writer.close()
    return stats


async def _webhook_or_none(bot: Bot) -> str:
    try:
        return await webhook_url(bot)
    except TelegramError:
        return ""


async def _wait(stop: asyncio.Event, failures: int) -> int:
    delay = RETRY_DELAYS[min(failures, len(RETRY_DELAYS) - 1)]
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), delay)
    return failures + 1
