"""The Telegram webhook: only Telegram may post, every update is stored once, then answered."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from typing import Any

import httpx
import pytest
from sqlmodel import Session, col, func, select

import messages
from models import InboundMessage, OutboxMessage
from tests.bot.chat_harness import SECRET, Harness, text_update


def _stored(harness: Harness) -> int:
    with Session(harness.engine) as session:
        return int(session.exec(select(func.count()).select_from(InboundMessage)).one())


class TestSecret:
    async def test_a_post_without_the_secret_is_refused_and_nothing_is_stored(
        self, harness: Harness
    ) -> None:
        response = await harness.post(text_update(1, 5001, "/start"), secret=None)
        assert response.status_code == 401
        assert _stored(harness) == 0

    async def test_a_post_with_a_wrong_secret_is_refused_and_nothing_is_stored(
        self, harness: Harness
    ) -> None:
        response = await harness.post(text_update(1, 5001, "/start"), secret="guess")
        assert response.status_code == 403
        assert _stored(harness) == 0


async def _post_raw(harness: Harness, body: bytes) -> httpx.Response:
    return await harness.client.post(
        "/webhooks/telegram",
        content=body,
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"},
    )


class TestStoring:
    @pytest.mark.parametrize(
        "body",
        [b'{"update_id": 1, "message": ', b'{"update_id": 1, "x": NaN}', b"\xff\xfe{}"],
        ids=["cut-off", "not-a-number", "not-utf8"],
    )
    async def test_malformed_json_gets_a_400_json_error_not_a_500(
        self, harness: Harness, body: bytes
    ) -> None:
        response = await _post_raw(harness, body)
        assert response.status_code == 400
        assert response.json()["error"] == "malformed_json"
        assert _stored(harness) == 0

    async def test_odd_characters_in_a_message_are_stored_with_the_rest_of_the_batch(
        self, harness: Harness
    ) -> None:
        # A NUL and a lone surrogate, escaped as JSON allows: PostgreSQL's text refuses both,
        # and SQLite would keep the surrogate as bytes no query can read back; so both are
        # stored as U+FFFD, the batch with them.
        odd = (
            b'{"update_id": 61, "message": {"message_id": 61, "date": 1773108000, '
            b'"chat": {"id": 5005, "type": "private", "first_name": "Siti"}, '
            b'"text": "1\\u0000\\ud800"}}'
        )
        responses = await asyncio.gather(
            _post_raw(harness, odd), harness.post(text_update(62, 5006, "/start"))
        )
        assert [r.status_code for r in responses] == [200, 200]
        with Session(harness.engine) as session:
            rows = session.exec(select(InboundMessage).order_by(col(InboundMessage.id))).all()
        texts = {row.platform_id: row.payload["message"]["text"] for row in rows}
        assert texts == {"61": "1\ufffd\ufffd", "62": "/start"}

    async def test_json_without_update_id_is_a_400(self, harness: Harness) -> None:
        response = await harness.post({"message": {"text": "hi"}})
        assert response.status_code == 400
        assert _stored(harness) == 0

    async def test_an_update_is_committed_before_the_answer(self, harness: Harness) -> None:
        response = await harness.post(text_update(41, 5001, "/start"))
        assert response.status_code == 200
        with Session(harness.engine) as session:
            row = session.exec(select(InboundMessage)).one()
        assert (row.channel, row.platform_id, row.status) == ("telegram", "41", "pending")
        assert row.payload["message"]["text"] == "/start"

    async def test_a_repeated_update_is_acknowledged_and_answered_once(
        self, harness: Harness
    ) -> None:
        update = text_update(77, 5002, "/start")
        first = await harness.post(update)
        # Telegram retries when it did not see our 200 in time.
        second = await harness.post(update)
        assert (first.status_code, second.status_code) == (200, 200)
        assert harness.process() == 1
        await harness.deliver()
        assert _stored(harness) == 1
        assert len(harness.fake.texts(5002)) == 1

    # Only SQLite locks the whole database for one writer.
    @pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
    async def test_while_sqlite_is_busy_the_update_waits_and_the_server_keeps_answering(
        self, harness: Harness
    ) -> None:
        events: list[str] = []
        # A worker (here: another connection, in a thread) holds SQLite's write lock for 1 s.
        holder = sqlite3.connect(
            str(harness.engine.url.database), isolation_level=None, check_same_thread=False
        )
        holder.execute("BEGIN IMMEDIATE")

        def release() -> None:
            events.append("lock released")
            holder.rollback()

        timer = threading.Timer(1.0, release)
        timer.start()
        try:
            waiting = asyncio.create_task(harness.post(text_update(88, 5004, "/start")))
            await asyncio.sleep(0.1)
            # The event loop is free meanwhile: a request that needs no database is answered.
            refused = await harness.post(text_update(89, 5004, "x"), secret="wrong")
            events.append(f"other request answered {refused.status_code}")
            response = await asyncio.wait_for(waiting, 10)
            events.append(f"update stored {response.status_code}")
        finally:
            timer.join()
            holder.close()
        assert events == ["other request answered 403", "lock released", "update stored 200"]
        assert _stored(harness) == 1


class TestUnusualUpdates:
    async def test_a_sticker_gets_a_short_explanation(self, harness: Harness) -> None:
        update = text_update(5, 5003, "")
        del update["message"]["text"]
        update["message"]["sticker"] = {
            "file_id": "x",
            "file_unique_id": "y",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
        }
        assert (await harness.post(update)).status_code == 200
        harness.process()
        await harness.deliver()
        [reply] = harness.fake.texts(5003)
        assert "hanya bisa membaca teks dan pilihan menu" in reply

    async def test_channel_posts_and_polls_are_acknowledged_and_nobody_is_answered(
        self, harness: Harness
    ) -> None:
        channel_post = {
            "update_id": 6,
            "channel_post": {
                "message_id": 1,
                "date": 0,
                "text": "news",
                "chat": {"id": -1001, "type": "channel", "title": "News"},
            },
        }
        poll = {
            "update_id": 7,
            "poll": {
                "id": "p1",
                "question": "?",
                "options": [],
                "total_voter_count": 0,
                "is_closed": False,
                "is_anonymous": True,
                "type": "regular",
                "allows_multiple_answers": False,
            },
        }
        assert (await harness.post(channel_post)).status_code == 200
        assert (await harness.post(poll)).status_code == 200
        assert harness.process() == 2
        await harness.deliver()
        assert harness.fake.sent() == []
        with Session(harness.engine) as session:
            statuses = session.exec(select(InboundMessage.status)).all()
            assert statuses == ["done", "done"]
            assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 0

    async def test_an_edited_message_is_acknowledged_and_not_answered(
        self, harness: Harness
    ) -> None:
        # The person already had the answer to what they first wrote; "I can only read text"
        # in reply to fixing a typo would be wrong, and a second answer to the edit confusing.
        update = text_update(8, 5004, "2")
        update["edited_message"] = update.pop("message")
        update["edited_message"]["edit_date"] = 1
        assert (await harness.post(update)).status_code == 200
        harness.process()
        await harness.deliver()
        assert harness.fake.texts(5004) == []


def _private_chat(chat_id: int) -> dict[str, Any]:
    return {"id": chat_id, "type": "private", "first_name": "Siti"}


def _service(update_id: int, chat: dict[str, Any], **event: Any) -> dict[str, Any]:
    update = text_update(update_id, chat["id"], "")
    del update["message"]["text"]
    update["message"]["chat"] = chat
    update["message"].update(event)
    return update


SITI = {"id": 5010, "is_bot": False, "first_name": "Siti"}
GROUP = {"id": -100900, "type": "supergroup", "title": "Warga RT 3"}
# Things that happen in a chat that nobody asked the bot: reactions, members coming and
# going, a pinned message. Each is acknowledged, and answered with nothing.
NOBODY_ASKED: dict[str, dict[str, Any]] = {
    "a reaction": {
        "update_id": 20,
        "message_reaction": {
            "chat": _private_chat(5010),
            "message_id": 1001,
            "user": SITI,
            "date": 1773108000,
            "old_reaction": [],
            "new_reaction": [{"type": "emoji", "emoji": "👍"}],
        },
    },
    "a count of reactions": {
        "update_id": 21,
        "message_reaction_count": {
            "chat": GROUP,
            "message_id": 1001,
            "date": 1773108000,
            "reactions": [{"type": {"type": "emoji", "emoji": "👍"}, "total_count": 2}],
        },
    },
    "someone joining a group": _service(22, GROUP, new_chat_members=[SITI]),
    "someone leaving a group": _service(23, GROUP, left_chat_member=SITI),
    "a pinned message": _service(
        24,
        _private_chat(5010),
        pinned_message={"message_id": 3, "date": 0, "chat": _private_chat(5010)},
    ),
    "a new group title": _service(25, GROUP, new_chat_title="Warga RT 4"),
}


class TestNobodyAsked:
    @pytest.mark.parametrize("update", NOBODY_ASKED.values(), ids=NOBODY_ASKED)
    async def test_it_is_acknowledged_and_answered_with_nothing(
        self, harness: Harness, update: dict[str, Any]
    ) -> None:
        assert (await harness.post(update)).status_code == 200
        assert harness.process() == 1
        await harness.deliver()
        assert harness.fake.sent() == []
        with Session(harness.engine) as session:
            [row] = session.exec(select(InboundMessage)).all()
            assert (row.status, row.error) == ("done", None)
            assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 0

    async def test_a_person_who_then_writes_is_answered_as_ever(self, harness: Harness) -> None:
        await harness.post(NOBODY_ASKED["a pinned message"])
        [reply] = await harness.says(5010, "halo")
        assert reply.startswith(messages.render("bot.menu.welcome"))
