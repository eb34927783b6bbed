"""Replies reach the phone in order, once, and the sender copes with Telegram saying no."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from bot.channels import Pacing, Sender
from bot.outbox import Outcome, claim, record, send_pending
from bot.processor import process_pending
from bot.telegram.sender import MAX_TEXT, TelegramSender, make_bot
from bot.text import split_text
from core.db import make_engine
from models import Conversation, InboundMessage, OutboxMessage
from tests.bot.chat_harness import WORKER, Harness, text_update


def _outbox(harness: Harness) -> list[OutboxMessage]:
    with Session(harness.engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())


async def _queue_menu(harness: Harness, chat_id: int, text: str = "/start") -> None:
    assert (await harness.post(text_update(harness.next_update_id(), chat_id, text))).is_success
    harness.process()


class TestRateLimit:
    # Reading PTB's RetryAfter warns unless Sigap opted in to timedelta (bot/telegram).
    @pytest.mark.filterwarnings("error::telegram.warnings.PTBDeprecationWarning")
    async def test_a_429_waits_exactly_retry_after_and_sends_nothing_before(
        self, harness: Harness
    ) -> None:
        await _queue_menu(harness, 7001)
        harness.fake.fail_next(1, 429, retry_after=3)
        assert await harness.deliver() == 0
        [row] = _outbox(harness)
        assert row.status == "queued"
        assert row.next_attempt_at == harness.now + timedelta(seconds=3)

        assert await harness.deliver(now=harness.now + timedelta(seconds=2)) == 0
        assert harness.fake.texts(7001) == []
        assert await harness.deliver(now=harness.now + timedelta(seconds=3)) == 1
        assert len(harness.fake.texts(7001)) == 1

    async def test_a_later_message_never_overtakes_a_waiting_one(self, harness: Harness) -> None:
        await _queue_menu(harness, 7002)
        harness.fake.fail_next(1, 429, retry_after=5)
        await harness.deliver()
        # The person sends another message; its reply is queued behind the waiting menu.
        await _queue_menu(harness, 7002, "hmm")
        assert await harness.deliver(now=harness.now + timedelta(seconds=1)) == 0
        assert await harness.deliver(now=harness.now + timedelta(seconds=5)) == 2
        first, second = harness.fake.texts(7002)
        assert "Balas dengan angka" in first and "tidak dikenal" in second


class TestServerErrors:
    async def test_5xx_backs_off_exponentially_then_delivers(self, harness: Harness) -> None:
        await _queue_menu(harness, 7003)
        harness.fake.fail_next(2, 500)
        await harness.deliver()
        [row] = _outbox(harness)
        assert row.next_attempt_at == harness.now + timedelta(seconds=1)
        await harness.deliver(now=harness.now + timedelta(seconds=1))
        [row] = _outbox(harness)
        assert row.attempts == 2
        assert row.next_attempt_at == harness.now + timedelta(seconds=3)  # 1 s + 2 s
        assert await harness.deliver(now=harness.now + timedelta(seconds=3)) == 1
        assert _outbox(harness)[0].status == "sent"


class TestBlocked:
    async def test_403_marks_the_chat_unreachable_without_retrying(self, harness: Harness) -> None:
        await _queue_menu(harness, 7004)
        await _queue_menu(harness, 7004, "halo")
        harness.fake.fail_next(1, 403)
        await harness.deliver()
        assert [r.status for r in _outbox(harness)] == ["unreachable", "unreachable"]
        with Session(harness.engine) as session:
            conversation = session.exec(select(Conversation)).one()
        assert conversation.unreachable_at == harness.now
        calls = len(harness.fake.methods())
        await harness.deliver(now=harness.now + timedelta(hours=1))
        assert len(harness.fake.methods()) == calls

    async def test_writing_again_makes_the_chat_reachable(self, harness: Harness) -> None:
        await _queue_menu(harness, 7005)
        harness.fake.fail_next(1, 403)
        await harness.deliver()
        [reply] = await harness.says(7005, "/start")
        assert "Balas dengan angka" in reply
        with Session(harness.engine) as session:
            assert session.exec(select(Conversation)).one().unreachable_at is None


class TestLongMessages:
    def test_text_is_split_on_line_ends_in_order(self) -> None:
        lines = [f"baris {i:04d} " + "x" * 90 for i in range(100)]
        parts = split_text("\n".join(lines), MAX_TEXT)
        assert len(parts) == 3 and all(len(p) <= 4096 for p in parts)
        assert "\n".join(parts) == "\n".join(lines)
        assert all(p.startswith("baris ") for p in parts)

    async def test_a_long_reply_arrives_in_order_with_buttons_on_the_last_part(
        self, harness: Harness
    ) -> None:
        await _queue_menu(harness, 7006)
        long_text = "\n".join(f"{i:04d} " + "y" * 200 for i in range(60))
        with Session(harness.engine) as session:
            row = session.exec(select(OutboxMessage)).one()
            row.text = long_text
            session.add(row)
            session.commit()
        # The second part hits a rate limit: the first must not be sent again.
        harness.fake.fail_next(1, 429, retry_after=1)
        harness.fake.fail_next(0, 429)
        await harness.deliver()
        await harness.deliver(now=harness.now + timedelta(seconds=1))
        sent = harness.fake.sent(7006)
        assert "\n".join(p["text"] for p in sent) == long_text
        assert len(sent) == 4
        assert [("reply_markup" in p) for p in sent] == [False, False, False, True]


class TestRestartAndRaces:
    async def test_a_restart_handles_stored_updates_and_unsent_replies_exactly_once(
        self, harness: Harness
    ) -> None:
        # Before the "crash": three updates stored, one of them already processed but unsent.
        await _queue_menu(harness, 7010)
        await _queue_menu(harness, 7012)
        for text in ("1", "2"):
            await harness.post(text_update(harness.next_update_id(), 7011, text))
        # A worker died holding the outbound lease of chat 7010, and its lease has run out
        # (leases run on the database's clock); a live worker holds chat 7012's.
        with Session(harness.engine) as session:
            for chat_id, expires in (("7010", time.time() - 1), ("7012", time.time() + 60)):
                conversation = session.exec(
                    select(Conversation).where(Conversation.chat_id == chat_id)
                ).one()
                conversation.outbound_lease_owner = "dead-worker"
                conversation.outbound_lease_expires = expires
                session.add(conversation)
            session.commit()

        # The new process: its own engine and its own Bot API client, same database.
        engine = make_engine(harness.settings.sqlalchemy_url)
        bot = make_bot(harness.settings)
        assert bot is not None
        later = harness.now + timedelta(seconds=20)
        try:
            async with bot:
                senders: dict[str, Sender] = {"telegram": TelegramSender(bot)}
                args = (engine, harness.catalogue, harness.settings)
                assert process_pending(*args, now=later, worker_id="after-restart") == 2
                assert process_pending(*args, now=later, worker_id="after-restart") == 0
                assert await send_pending(engine, senders, now=later, worker_id="new") == 3
                assert await send_pending(engine, senders, now=later, worker_id="new") == 0
        finally:
            engine.dispose()
        assert len(harness.fake.texts(7010)) == 1
        assert len(harness.fake.texts(7011)) == 2
        assert harness.fake.texts(7012) == []  # still another worker's to send

    async def test_two_workers_racing_never_handle_or_send_anything_twice(
        self, harness: Harness
    ) -> None:
        chats = range(7100, 7110)
        for chat_id in chats:
            for text in ("/start", "1", "0"):
                await harness.post(text_update(harness.next_update_id(), chat_id, text))

        barrier = threading.Barrier(2)
        counts: dict[str, list[int]] = {}

        async def send(name: str) -> int:
            # Each process has its own Bot API client bound to its own event loop.
            bot = make_bot(harness.settings)
            assert bot is not None
            async with bot:
                senders: dict[str, Sender] = {"telegram": TelegramSender(bot)}
                return await send_pending(harness.engine, senders, now=harness.now, worker_id=name)

        def work(name: str) -> None:
            barrier.wait()
            handled = harness.process(worker=name)
            sent = asyncio.run(send(name))
            counts[name] = [handled, sent]

        threads = [threading.Thread(target=work, args=(n,)) for n in ("a", "b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        # Whatever one worker skipped (lease held by the other), a final pass picks up.
        leftover = harness.process(worker=WORKER)
        await harness.deliver(worker=WORKER)

        with Session(harness.engine) as session:
            inbound = session.exec(select(InboundMessage)).all()
        assert {m.status for m in inbound} == {"done"}
        outbox = _outbox(harness)
        assert len(outbox) == 30 and {r.status for r in outbox} == {"sent"}
        assert sum(c[0] for c in counts.values()) + leftover == 30  # none handled twice
        for chat_id in chats:
            assert len(harness.fake.texts(chat_id)) == 3

    async def test_a_claim_given_back_late_never_gives_back_a_newer_lease(
        self, harness: Harness
    ) -> None:
        await _queue_menu(harness, 7200)
        [first] = claim(harness.engine, "telegram", worker_id=WORKER, limit=5, now=harness.now)
        # Its lease runs out (a long pause), and the same worker claims the chat again.
        with Session(harness.engine) as session:
            chat = session.get_one(Conversation, first.conversation_id)
            chat.outbound_lease_expires = time.time() - 1
            session.add(chat)
            session.commit()
        [second] = claim(harness.engine, "telegram", worker_id=WORKER, limit=5, now=harness.now)
        assert second.row_id == first.row_id and second.owner != first.owner
        # The first claim, not sent, is given back: the second one's lease stays.
        record(harness.engine, [Outcome(first, None, harness.now, Pacing(0.0))])
        with Session(harness.engine) as session:
            chat = session.get_one(Conversation, first.conversation_id)
            assert chat.outbound_lease_owner == second.owner
            assert (chat.outbound_lease_expires or 0) > time.time()
        # So another worker finds nothing to take while the second claim holds the chat.
        assert claim(harness.engine, "telegram", worker_id="other", limit=5, now=harness.now) == []
