"""The workers as they run: several at once on one database, a channel's shared rate, and
people who talk to the bot going ahead of a broadcast."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app.main import create_app
from bot.channels import registered
from bot.runtime import BotRuntime
from core.db import make_engine
from core.settings import Settings
from models import BULK, Conversation, InboundMessage, OutboxMessage, utcnow
from services.catalogue import Catalogue
from services.catalogue_sync import sync_catalogue
from services.outbox import ensure_conversation, queue
from tests.bot import echo_channel
from tests.bot.chat_harness import SECRET, text_update
from tests.fakes.telegram_server import FakeTelegram


async def wait_until(check: Callable[[], bool], *, seconds: float) -> None:
    """Poll ``check`` until it holds; fail the test if it still does not after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.1)


@asynccontextmanager
async def workers(
    settings: Settings, catalogue: Catalogue, count: int
) -> AsyncIterator[list[BotRuntime]]:
    """``count`` workers, each with its own engine, as separate processes would have."""
    engines = [make_engine(settings.sqlalchemy_url) for _ in range(count)]
    runtimes = [
        BotRuntime(engine=e, settings=settings, catalogue=catalogue, worker_id=f"worker-{i}")
        for i, e in enumerate(engines)
    ]
    for runtime in runtimes:
        await runtime.start()
    try:
        yield runtimes
    finally:
        for runtime in runtimes:
            await runtime.stop()
        for engine in engines:
            engine.dispose()


@asynccontextmanager
async def webhook_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sigap.test") as client:
        yield client
        ingest = getattr(app.state, "ingest", None)
        if ingest is not None:
            await ingest.close()
    app.state.engine.dispose()


def outbox(engine: Engine) -> list[tuple[str, str, str]]:
    """(chat id, text, status) of every outbox row, in the order the rows were queued."""
    with Session(engine) as session:
        rows = session.exec(
            select(Conversation.chat_id, OutboxMessage.text, OutboxMessage.status)
            .join(Conversation, col(Conversation.id) == col(OutboxMessage.conversation_id))
            .order_by(col(OutboxMessage.id))
        ).all()
    return [(str(c), str(t), str(s)) for c, t, s in rows]


def pending_updates(engine: Engine) -> int:
    with Session(engine) as session:
        rows = session.exec(
            select(InboundMessage.id).where(InboundMessage.status == "pending")
        ).all()
    return len(rows)


async def test_two_workers_answer_2000_updates_exactly_once_and_in_order(
    engine: Engine, settings: Settings, catalogue: Catalogue, fake_telegram: FakeTelegram
) -> None:
    sync_catalogue(engine, catalogue)
    settings = settings.model_copy(update={"telegram_send_rate": 2000.0})
    chats = [90000 + n for n in range(400)]
    script = ("halo", "1", "1", "0", "2")
    async with webhook_client(settings) as client, workers(settings, catalogue, 2):
        update_id = 0
        for text in script:  # each chat's next message after the previous was acknowledged
            for chat_id in chats:
                update_id += 1
                response = await client.post(
                    "/webhooks/telegram",
                    json=text_update(update_id, chat_id, text),
                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                )
                assert response.status_code == 200

        def everything_sent() -> bool:
            rows = outbox(engine)
            return (
                pending_updates(engine) == 0
                and bool(rows)
                and all(status == "sent" for _, _, status in rows)
            )

        await wait_until(everything_sent, seconds=180)

    with Session(engine) as session:
        statuses = Counter(m.status for m in session.exec(select(InboundMessage)).all())
        answered = session.exec(
            select(OutboxMessage.inbound_id).where(col(OutboxMessage.inbound_id).is_not(None))
        ).all()
    assert statuses == {"done": 2000}
    assert len(set(answered)) == 2000  # every update got its answer
    rows = outbox(engine)
    delivered = [(str(p["chat_id"]), str(p["text"])) for p in fake_telegram.sent()]
    # Exactly once: what reached Telegram is what was queued, nothing more, nothing less...
    assert Counter(delivered) == Counter((chat, text) for chat, text, _ in rows)
    # ...and every person read the answers in the order they were queued.
    for chat_id in chats:
        queued = [text for chat, text, _ in rows if chat == str(chat_id)]
        assert [t for chat, t in delivered if chat == str(chat_id)] == queued


async def test_a_reply_goes_ahead_of_a_broadcast(
    engine: Engine, settings: Settings, catalogue: Catalogue, fake_telegram: FakeTelegram
) -> None:
    sync_catalogue(engine, catalogue)
    settings = settings.model_copy(update={"telegram_send_rate": 40.0})
    now = utcnow()
    with Session(engine) as session:
        for n in range(400):
            chat = ensure_conversation(session, channel="telegram", chat_id=str(80000 + n), now=now)
            queue(session, conversation_id=chat, text=f"Undangan {n}", now=now, priority=BULK)
        session.commit()
    async with webhook_client(settings) as client, workers(settings, catalogue, 1):
        await wait_until(lambda: len(fake_telegram.sent()) >= 40, seconds=30)
        response = await client.post(
            "/webhooks/telegram",
            json=text_update(1, 70001, "halo"),
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
        assert response.status_code == 200
        await wait_until(lambda: bool(fake_telegram.sent(70001)), seconds=30)
        # At 40 a second the broadcast needs ten seconds; the person did not wait for it.
        assert len(fake_telegram.sent()) < 200


async def test_a_channel_registered_in_one_place_works_end_to_end(
    engine: Engine, settings: Settings, catalogue: Catalogue
) -> None:
    sync_catalogue(engine, catalogue)
    settings = settings.model_copy(update={"run_workers": True})
    app = create_app(settings, channels=(*registered(), echo_channel.ECHO))
    echo_channel.SENT.clear()
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sigap.test") as client:
            body = {"id": "e-1", "chat_id": "echo-person", "text": "halo"}
            assert (await client.post("/webhooks/echo", json=body)).status_code == 200
            await wait_until(lambda: bool(echo_channel.SENT), seconds=30)
    [(chat_id, text)] = echo_channel.SENT
    assert chat_id == "echo-person" and text


def queue_one_each(engine: Engine, chats: range, text: str) -> None:
    now = utcnow()
    with Session(engine) as session:
        for n in chats:
            chat = ensure_conversation(session, channel="telegram", chat_id=str(n), now=now)
            queue(session, conversation_id=chat, text=f"{text} {n}", now=now)
        session.commit()


async def test_two_workers_together_keep_the_channels_rate(
    engine: Engine, settings: Settings, catalogue: Catalogue, fake_telegram: FakeTelegram
) -> None:
    # Telegram refuses anything above 50 a second; both workers are told the same rate.
    fake_telegram.limit(rate=50)
    settings = settings.model_copy(update={"telegram_send_rate": 50.0})
    queue_one_each(engine, range(50000, 50300), "Pengumuman")
    async with workers(settings, catalogue, 2):
        await wait_until(lambda: fake_telegram.accepted_count() == 300, seconds=60)
    assert fake_telegram.too_many == 0
    assert fake_telegram.duplicates() == []
    assert fake_telegram.achieved_rate() <= 50 * 1.02
    assert {status for _, _, status in outbox(engine)} == {"sent"}


async def test_one_chat_gets_a_short_burst_then_one_message_a_second(
    engine: Engine, settings: Settings, catalogue: Catalogue, fake_telegram: FakeTelegram
) -> None:
    settings = settings.model_copy(update={"telegram_send_rate": 1000.0})
    now = utcnow()
    with Session(engine) as session:
        chat = ensure_conversation(session, channel="telegram", chat_id="51000", now=now)
        for n in range(6):
            queue(session, conversation_id=chat, text=f"Bagian {n}", now=now)
        session.commit()
    async with workers(settings, catalogue, 1):
        await wait_until(lambda: fake_telegram.accepted_count() == 6, seconds=30)
    at = fake_telegram.accepted_at()
    assert fake_telegram.texts(51000) == [f"Bagian {n}" for n in range(6)]
    assert at[2] - at[0] < 0.9  # the first three at once (paced, they would take 2 s)
    # ...then one a second, Telegram's limit for a chat: the n-th after the burst no sooner
    # than n seconds after it began. (A send the machine delayed may be followed closely by
    # the next, as a bucket that refills once a second allows; never by more than that.)
    assert [round(at[2 + n] - at[0], 1) >= n - 0.1 for n in (1, 2, 3)] == [True] * 3
    assert at[5] - at[0] < 10  # and they do go


async def test_a_sender_told_to_stop_ends_without_being_cancelled(
    engine: Engine, settings: Settings, catalogue: Catalogue, fake_telegram: FakeTelegram
) -> None:
    # Python 3.11's wait_for can swallow a cancellation that meets a wake-up; the loops must
    # end on being told, or a worker's stop would wait for ever.
    async with workers(settings, catalogue, 1) as [runtime]:
        [channel_sender] = [s for s in runtime._channel_senders if s.channel.name == "telegram"]
        running = asyncio.create_task(channel_sender.run())
        await asyncio.sleep(0.2)
        channel_sender.stop()
        async with asyncio.timeout(10):
            await running
        assert running.done() and not running.cancelled()
