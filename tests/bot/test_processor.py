"""The processor: one update that keeps failing never stops its chat or anyone else's."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import threading
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

import messages
from app.main import create_app
from bot.channels import registered
from bot.inbound import InboundEvent
from bot.processor import MAX_ATTEMPTS, process_pending
from core.settings import Settings
from models import Conversation, InboundMessage, OutboxMessage
from services.catalogue import Catalogue
from services.catalogue_sync import sync_catalogue
from tests.bot.chat_harness import MORNING
from tests.bot.echo_channel import ECHO

CHANNELS = (*registered(), ECHO)


@pytest.fixture
async def echo(
    engine: Engine, settings: Settings, catalogue: Catalogue
) -> AsyncIterator[httpx.AsyncClient]:
    sync_catalogue(engine, catalogue)
    app = create_app(settings, channels=CHANNELS)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sigap.test") as client:
        yield client
        await app.state.ingest.close()
    app.state.engine.dispose()


IDS = itertools.count(1)


async def says(client: httpx.AsyncClient, chat_id: str, text: str) -> None:
    body = {"id": next(IDS), "chat_id": chat_id, "text": text}
    assert (await client.post("/webhooks/echo", json=body)).status_code == 200


def replies_to(engine: Engine, chat_id: str) -> list[str]:
    with Session(engine) as session:
        rows = session.exec(
            select(OutboxMessage.text)
            .join(Conversation, col(Conversation.id) == col(OutboxMessage.conversation_id))
            .where(Conversation.chat_id == chat_id)
            .order_by(col(OutboxMessage.id))
        ).all()
    return list(rows)


async def test_an_update_that_always_fails_is_quarantined_with_one_apology_and_all_go_on(
    echo: httpx.AsyncClient, engine: Engine, settings: Settings, catalogue: Catalogue
) -> None:
    await says(echo, "ani", "halo")
    await says(echo, "budi", "boom")
    await says(echo, "budi", "halo")
    await says(echo, "citra", "halo")

    handled = process_pending(engine, catalogue, settings, now=MORNING, channels=CHANNELS)

    assert handled == 3
    with Session(engine) as session:
        boom = session.exec(
            select(InboundMessage).where(col(InboundMessage.payload)["text"].as_string() == "boom")
        ).one()
    assert boom.status == "quarantined"
    assert boom.attempts == MAX_ATTEMPTS
    assert boom.error is not None and boom.error.startswith("ValueError")
    apology = messages.render("bot.error", "id")
    # Budi hears once that something went wrong, then gets the answer to what came next.
    budi = replies_to(engine, "budi")
    assert budi[0] == apology
    assert budi.count(apology) == 1 and len(budi) >= 2
    assert replies_to(engine, "ani") and apology not in replies_to(engine, "ani")
    assert replies_to(engine, "citra") and apology not in replies_to(engine, "citra")
    # Nothing is left to do, and the quarantined update is not tried again.
    assert process_pending(engine, catalogue, settings, now=MORNING, channels=CHANNELS) == 0


async def test_the_passes_a_failing_update_spoils_leave_no_trace(
    echo: httpx.AsyncClient, engine: Engine, settings: Settings, catalogue: Catalogue
) -> None:
    from bot.processor import Processor

    await says(echo, "eka", "halo")
    await says(echo, "dewi", "boom")
    await says(echo, "dewi", "halo")
    processor = Processor(engine, catalogue, settings, worker_id="w", channels=CHANNELS)

    first = processor.run_pass(now=MORNING)

    # The pass is undone, Eka's answer with it; only the failure is kept.
    assert first.handled == 0
    assert replies_to(engine, "eka") == []
    with Session(engine) as session:
        tries = {
            f"{m.payload['chat_id']}:{m.payload['text']}": (m.status, m.attempts)
            for m in session.exec(select(InboundMessage)).all()
        }
    assert tries == {
        "eka:halo": ("pending", 0),
        "dewi:boom": ("pending", 1),
        "dewi:halo": ("pending", 0),
    }

    processor.run(now=MORNING)

    # Eka is answered once, not once for every pass that was undone; Dewi's second message
    # waited for the first and was answered after the apology.
    with Session(engine) as session:
        outbox = session.exec(select(OutboxMessage)).all()
    assert len([r for r in outbox if r.inbound_id == 1]) == len(replies_to(engine, "eka")) == 1
    dewi = replies_to(engine, "dewi")
    assert dewi[0] == messages.render("bot.error", "id") and len(dewi) == 2


def test_replies_and_rows_a_service_queues_keep_the_order_they_were_queued_in(
    engine: Engine,
) -> None:
    """A pass writes its replies late, in one statement: a notice a service queued between
    two replies of the same chat must still be read between them."""
    from bot.inbound import OutboundReply
    from bot.processor import _PassSession, _queue, _write_replies
    from services.outbox import queue

    with _PassSession(engine, expire_on_commit=False) as session:
        chat = Conversation(channel="echo", chat_id="fajar", updated_at=MORNING)
        session.add(chat)
        session.flush()
        chat_id = chat.id or 0
        updates = [
            InboundMessage(channel="echo", platform_id=str(n), conversation_id=chat_id)
            for n in range(3)
        ]
        session.add_all(updates)
        session.flush()
        first, second, third = (u.id or 0 for u in updates)
        _queue(session, chat_id, first, [OutboundReply("satu")], MORNING, {})
        queue(session, conversation_id=chat_id, text="pengumuman", now=MORNING)
        _queue(session, chat_id, second, [OutboundReply("dua"), OutboundReply("tiga")], MORNING, {})
        chat.state = "menu"  # the conversation moved on too, written at the same flush
        session.flush()
        _queue(session, chat_id, third, [OutboundReply("empat")], MORNING, {})
        _write_replies(session)
        session.commit()

    assert replies_to(engine, "fajar") == ["satu", "pengumuman", "dua", "tiga", "empat"]


async def test_a_pass_leaves_the_write_lock_to_waiting_webhooks_and_the_next_one_goes_on(
    echo: httpx.AsyncClient, engine: Engine, settings: Settings, catalogue: Catalogue
) -> None:
    from bot.processor import Processor
    from bot.waiting import WebhooksWaiting

    await says(echo, "gita", "halo")
    await says(echo, "hana", "halo")
    await says(echo, "gita", "menu")
    webhooks = WebhooksWaiting()
    processor = Processor(
        engine, catalogue, settings, worker_id="w", channels=CHANNELS, webhooks=webhooks
    )
    processor.yield_after = 0.0  # a pass has held the lock long enough at once
    webhooks.begin()

    first = processor.run_pass(now=MORNING)

    # One update is handled and committed, the others wait their turn; more is to come.
    assert (first.handled, first.full) == (1, True)
    assert _statuses(engine) == ["done", "pending", "pending"]
    assert len(replies_to(engine, "gita")) == 1 and replies_to(engine, "hana") == []

    webhooks.end()
    second = processor.run_pass(now=MORNING)

    assert second.handled == 2
    assert _statuses(engine) == ["done", "done", "done"]
    assert len(replies_to(engine, "gita")) == 2 and len(replies_to(engine, "hana")) == 1


def _statuses(engine: Engine) -> list[str]:
    with Session(engine) as session:
        rows = session.exec(select(InboundMessage).order_by(col(InboundMessage.id))).all()
    return [row.status for row in rows]


# On SQLite a pass holds the one write lock, and webhooks wait for it by design (bot/waiting.py).
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_an_update_for_a_chat_in_a_pass_is_stored_without_waiting_for_the_pass(
    echo: httpx.AsyncClient, engine: Engine, settings: Settings, catalogue: Catalogue
) -> None:
    """PostgreSQL: a pass holds its chats' rows locked against other workers, and storing an
    update checks its conversation (a foreign key); the two must not wait for each other, or
    every webhook for a chat being answered waits for the whole pass."""
    from bot.processor import Processor

    entered, release = threading.Event(), threading.Event()

    def slow_parse(payload: dict[str, Any]) -> InboundEvent:
        entered.set()  # the pass holds gita's row now
        release.wait(10)
        return ECHO.parse(payload)

    await says(echo, "gita", "halo")
    processor = Processor(
        engine,
        catalogue,
        settings,
        worker_id="w",
        channels=(*registered(), dataclasses.replace(ECHO, parse=slow_parse)),
    )
    passing = threading.Thread(target=processor.run_pass, kwargs={"now": MORNING})
    passing.start()
    try:
        assert await asyncio.to_thread(entered.wait, 10)
        await asyncio.wait_for(says(echo, "gita", "menu"), timeout=5)
    finally:
        release.set()
        passing.join(10)
    assert _statuses(engine) == ["done", "pending"]
