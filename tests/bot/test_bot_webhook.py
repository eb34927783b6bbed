"""The Telegram webhook: only Telegram may post, every update is stored once, then answered."""

from __future__ import annotations

from sqlmodel import Session, func, select

from models import InboundMessage, OutboxMessage
from tests.bot.chat_harness import Harness, text_update


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


class TestStoring:
    async def test_malformed_json_gets_a_400_json_error_not_a_500(self, harness: Harness) -> None:
        response = await harness.client.post(
            "/webhooks/telegram",
            content=b'{"update_id": 1, "message": ',
            headers={
                "X-Telegram-Bot-Api-Secret-Token": "webhook-secret-for-tests",
                "Content-Type": "application/json",
            },
        )
        assert response.status_code == 400
        assert response.json()["error"] == "malformed_json"
        assert _stored(harness) == 0

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

    async def test_an_edited_message_is_explained_not_ignored(self, harness: Harness) -> None:
        update = text_update(8, 5004, "2")
        update["edited_message"] = update.pop("message")
        update["edited_message"]["edit_date"] = 1
        assert (await harness.post(update)).status_code == 200
        harness.process()
        await harness.deliver()
        [reply] = harness.fake.texts(5004)
        assert "hanya bisa membaca teks" in reply
