"""WhatsApp: only Meta may post, each message is stored once and answered through the Cloud API.

The app is driven by signed Cloud API webhooks, as Meta sends them; replies reach a fake Graph
API on loopback, which answers (and fails) in Meta's own wire format.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app.main import create_app
from bot.channels import Outgoing
from bot.inbound import Button
from bot.outbox import send_pending
from bot.runtime import BotRuntime
from bot.whatsapp.adapter import parse
from bot.whatsapp.sender import WhatsAppSender, make_sender
from core.settings import Settings
from models import Conversation, InboundMessage, OutboxMessage
from services.catalogue import Catalogue
from tests.bot.chat_harness import WORKER, make_people
from tests.bot.whatsapp_harness import (
    BUDI,
    SITI,
    VERIFY_TOKEN,
    WhatsAppHarness,
    cloud_message,
    envelope,
    sign,
    sticker_message,
    text_message,
)

# --- the stories ----------------------------------------------------------------------------


async def _post_to_an_app_with(settings: Settings, body: bytes, signature: str) -> httpx.Response:
    """One webhook to an app of its own, configured otherwise than the harness's."""
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://sigap.test") as client:
            headers = {"X-Hub-Signature-256": signature}
            return await client.post("/webhooks/whatsapp", content=body, headers=headers)
    finally:
        ingest = getattr(app.state, "ingest", None)
        if ingest is not None:
            await ingest.close()
        app.state.engine.dispose()


class TestVerification:
    async def test_meta_gets_its_challenge_back_with_the_right_verify_token(
        self, wa: WhatsAppHarness
    ) -> None:
        params = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "42"}
        response = await wa.client.get("/webhooks/whatsapp", params=params)
        assert response.status_code == 200
        assert response.text == "42"
        assert response.headers["content-type"].startswith("text/plain")

    @pytest.mark.parametrize(
        "params",
        [
            {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "42"},
            {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "42"},
            {"hub.challenge": "42"},
        ],
        ids=["wrong-token", "wrong-mode", "nothing"],
    )
    async def test_anyone_else_is_refused(
        self, wa: WhatsAppHarness, params: dict[str, str]
    ) -> None:
        response = await wa.client.get("/webhooks/whatsapp", params=params)
        assert response.status_code == 403
        assert "42" not in response.text


class TestSignature:
    async def test_a_post_without_a_signature_is_refused_and_nothing_is_stored(
        self, wa: WhatsAppHarness
    ) -> None:
        payload = envelope(text_message(wa.wamid(), SITI, "halo"))
        response = await wa.post(payload, signature=None)
        assert response.status_code == 401
        assert wa.stored() == 0

    @pytest.mark.parametrize(
        "signature",
        ["sha256=" + "0" * 64, "sha256=", "not-even-a-signature"],
        ids=["wrong", "empty", "garbage"],
    )
    async def test_a_post_with_a_wrong_signature_is_refused_and_nothing_is_stored(
        self, wa: WhatsAppHarness, signature: str
    ) -> None:
        response = await wa.post(
            envelope(text_message(wa.wamid(), SITI, "halo")), signature=signature
        )
        assert response.status_code == 403
        assert wa.stored() == 0

    async def test_a_body_signed_with_another_secret_is_refused(self, wa: WhatsAppHarness) -> None:
        body = json.dumps(envelope(text_message(wa.wamid(), SITI, "halo"))).encode()
        response = await wa.post_raw(body, signature=sign(body, "someone-elses-secret"))
        assert response.status_code == 403
        assert wa.stored() == 0

    async def test_without_an_app_secret_nothing_is_accepted(
        self, wa: WhatsAppHarness, wa_settings: Settings
    ) -> None:
        unset = wa_settings.model_copy(update={"whatsapp_app_secret": None})
        body = json.dumps(envelope(text_message(wa.wamid(), SITI, "halo"))).encode()
        # Signed with the empty key, which an unset secret must not stand for.
        response = await _post_to_an_app_with(unset, body, sign(body, ""))
        assert response.status_code == 403
        assert wa.stored() == 0

    async def test_malformed_json_gets_a_400_json_error(self, wa: WhatsAppHarness) -> None:
        response = await wa.post_raw(b'{"object": "whatsapp_business_account", "entry": [')
        assert response.status_code == 400
        assert response.json()["error"] == "malformed_json"
        assert wa.stored() == 0


class TestConversation:
    async def test_halo_brings_the_main_menu_as_a_list(self, wa: WhatsAppHarness) -> None:
        [menu] = await wa.says(SITI, "halo")
        assert "Selamat datang" in menu and "Balas dengan angka" in menu
        [sent] = wa.fake.sent(SITI)
        assert sent["messaging_product"] == "whatsapp" and sent["recipient_type"] == "individual"
        interactive = sent["interactive"]
        assert interactive["type"] == "list"
        assert len(interactive["action"]["button"]) <= 20
        rows = interactive["action"]["sections"][0]["rows"]
        assert [row["id"] for row in rows] == ["1", "2", "3", "4", "5", "6"]
        assert all(len(row["title"]) <= 24 for row in rows)
        assert rows[0]["title"] == "1. Informasi program"
        # The numbered lines stay in the body: typing the digit works as well as picking.
        assert "1. Informasi program" in menu
        with Session(wa.engine) as session:
            conversation = session.exec(select(Conversation)).one()
        assert (conversation.channel, conversation.chat_id) == ("whatsapp", SITI)
        assert conversation.display_name == "Siti"

    async def test_picking_from_the_list_works_like_typing_the_digit(
        self, wa: WhatsAppHarness
    ) -> None:
        await wa.says(SITI, "menu")
        await wa.says(BUDI, "menu")
        picked = await wa.picks(SITI, "6")
        typed = await wa.says(BUDI, "6")
        assert picked == typed
        assert "Pilih bahasa" in picked[0]
        # Two short choices come as reply buttons; pressing one chooses the language.
        buttons = wa.fake.sent(SITI)[-1]["interactive"]
        assert buttons["type"] == "button"
        assert [b["reply"]["id"] for b in buttons["action"]["buttons"]] == ["1", "2"]
        [done, *_] = await wa.picks(SITI, "2", kind="button_reply")
        assert "English" in done

    async def test_a_resent_webhook_is_acknowledged_and_answered_once(
        self, wa: WhatsAppHarness
    ) -> None:
        payload = envelope(text_message(wa.wamid(), SITI, "halo"))
        first = await wa.post(payload)
        # Meta sends a webhook again when it did not see our 200 in time.
        second = await wa.post(payload)
        assert (first.status_code, second.status_code) == (200, 200)
        assert wa.process() == 1
        await wa.deliver()
        assert wa.stored() == 1
        assert len(wa.fake.texts(SITI)) == 1

    async def test_two_messages_in_one_post_are_stored_and_answered_in_order(
        self, wa: WhatsAppHarness
    ) -> None:
        first, second = wa.wamid(), wa.wamid()
        payload = envelope(text_message(first, SITI, "halo"), text_message(second, SITI, "6"))
        replies = await wa.exchange(SITI, payload)
        with Session(wa.engine) as session:
            rows = session.exec(select(InboundMessage).order_by(col(InboundMessage.id))).all()
        assert [row.platform_id for row in rows] == [first, second]
        # Each stored payload stands on its own: the contact and the one message.
        assert rows[0].payload["contact"]["profile"]["name"] == "Siti"
        assert rows[1].payload["message"]["text"]["body"] == "6"
        assert len(replies) == 2
        assert "Selamat datang" in replies[0] and "Pilih bahasa" in replies[1]

    async def test_a_sticker_gets_a_short_explanation(self, wa: WhatsAppHarness) -> None:
        [reply] = await wa.exchange(SITI, envelope(sticker_message(wa.wamid(), SITI)))
        assert "hanya bisa membaca teks dan pilihan menu" in reply

    async def test_delivery_and_read_receipts_are_acknowledged_and_nobody_is_answered(
        self, wa: WhatsAppHarness
    ) -> None:
        statuses = [
            {"id": "wamid.FAKE000001", "status": s, "timestamp": "1773108001", "recipient_id": SITI}
            for s in ("sent", "delivered", "read")
        ]
        response = await wa.post(envelope(statuses=statuses))
        assert response.status_code == 200
        assert wa.stored() == 0
        assert wa.process() == 0
        assert wa.fake.attempts() == 0


# What WhatsApp passes on that nobody asked the bot, as its Cloud API words it.
NOBODY_ASKED: dict[str, dict[str, Any]] = {
    "a reaction": {"reaction": {"message_id": "wamid.FAKE000001", "emoji": "👍"}},
    "a reaction taken back": {"reaction": {"message_id": "wamid.FAKE000001"}},
    "a changed number": {
        "system": {
            "body": "User A changed from 6281234567001 to 6281234567009",
            "wa_id": "6281234567009",
            "type": "customer_changed_number",
        }
    },
    "a deleted message": {
        "errors": [
            {
                "code": 131051,
                "title": "Message type unknown",
                "message": "Message type unknown",
                "error_data": {"details": "Message deleted by the user"},
            }
        ],
        "unsupported": {"type": "revoke"},
    },
    "an edit": {"unsupported": {"type": "edit"}},
    "a deletion in older words": {
        "errors": [{"code": 131051, "title": "Unsupported message type", "details": "Deleted"}]
    },
}
NOBODY_ASKED_TYPES = {
    "a reaction": "reaction",
    "a reaction taken back": "reaction",
    "a changed number": "system",
    "a deleted message": "unsupported",
    "an edit": "unsupported",
    "a deletion in older words": "unsupported",
}


def _nobody_asked(wamid: str, what: str) -> dict[str, Any]:
    return cloud_message(wamid, SITI, NOBODY_ASKED_TYPES[what], **NOBODY_ASKED[what])


class TestVerifiedNumber:
    async def test_a_number_on_file_links_at_once_with_nothing_to_prove(
        self, wa: WhatsAppHarness
    ) -> None:
        people = make_people(wa.engine)  # Siti's phone on file is her WhatsApp number
        linked, pick = await wa.says(SITI, "2")
        assert "cocok dengan data Siti Aminah" in linked
        assert "Ada 2 usulan" in pick and "UEP-LMD-2026-0007" in pick
        with Session(wa.engine) as session:
            conversation = session.exec(select(Conversation)).one()
        assert conversation.person_id == people.siti.id

    async def test_a_number_not_on_file_is_told_where_to_get_a_code(
        self, wa: WhatsAppHarness
    ) -> None:
        make_people(wa.engine)
        await wa.says(BUDI, "2")
        [how] = await wa.picks(BUDI, "3")  # Buton Tengah
        assert "belum tercatat" in how and "kode tautan 15 angka" in how
        office = wa.catalogue.office("74.14")
        assert office is not None and office.phone and office.phone in how  # to ask for one
        # Nothing to share: WhatsApp already told us the number, and it is not on file.
        assert "Bagikan" not in json.dumps(wa.fake.sent(BUDI)[-1])
        with Session(wa.engine) as session:
            assert session.exec(select(Conversation.person_id)).all() == [None]

    async def test_a_whatsapp_contact_card_is_no_proof_of_anything(
        self, wa: WhatsAppHarness
    ) -> None:
        make_people(wa.engine)
        card = cloud_message(
            wa.wamid(),
            BUDI,
            "contacts",
            contacts=[{"name": {"formatted_name": "Siti"}, "phones": [{"wa_id": SITI}]}],
        )
        [answer] = await wa.exchange(BUDI, envelope(card))
        assert "Siti" not in answer
        with Session(wa.engine) as session:
            assert session.exec(select(Conversation.person_id)).all() == [None]


class TestNobodyAsked:
    @pytest.mark.parametrize("what", NOBODY_ASKED)
    async def test_it_is_acknowledged_and_answered_with_nothing(
        self, wa: WhatsAppHarness, what: str
    ) -> None:
        assert await wa.exchange(SITI, envelope(_nobody_asked(wa.wamid(), what))) == []
        assert wa.fake.attempts() == 0
        with Session(wa.engine) as session:
            [row] = session.exec(select(InboundMessage)).all()
        assert (row.status, row.error) == ("done", None)

    async def test_a_message_for_another_phone_number_is_acknowledged_and_not_stored(
        self, wa: WhatsAppHarness, caplog: pytest.LogCaptureFixture
    ) -> None:
        # Meta sends again whatever is not answered 2xx: refusing would bring it back forever.
        payload = envelope(text_message(wa.wamid(), SITI, "halo"), phone_number_id="999000111")
        assert (await wa.post(payload)).status_code == 200
        assert wa.stored() == 0
        assert "999000111" in caplog.text and "not ours" in caplog.text
        assert wa.process() == 0
        assert wa.fake.attempts() == 0

    async def test_with_no_phone_number_configured_no_message_is_ours(
        self, wa: WhatsAppHarness, wa_settings: Settings
    ) -> None:
        unset = wa_settings.model_copy(update={"whatsapp_phone_number_id": None})
        body = json.dumps(envelope(text_message(wa.wamid(), SITI, "halo"))).encode()
        response = await _post_to_an_app_with(unset, body, sign(body))
        assert response.status_code == 200
        assert wa.stored() == 0


class TestSending:
    async def _queue_menu(self, wa: WhatsAppHarness, wa_id: str = SITI, text: str = "menu") -> None:
        response = await wa.post(envelope(text_message(wa.wamid(), wa_id, text)))
        assert response.status_code == 200
        wa.process()

    async def test_a_429_is_retried_with_backoff_then_delivered(self, wa: WhatsAppHarness) -> None:
        await self._queue_menu(wa)
        wa.fake.fail_next(1, 130429)
        assert await wa.deliver() == 0
        [row] = wa.outbox()
        assert (row.status, row.next_attempt_at) == ("queued", wa.now + timedelta(seconds=1))
        assert "130429" in (row.last_error or "")
        assert await wa.deliver(now=wa.now + timedelta(seconds=1)) == 1
        assert len(wa.fake.texts(SITI)) == 1
        assert wa.outbox()[0].platform_message_id is not None

    async def test_retry_after_is_honoured_when_given(self, wa: WhatsAppHarness) -> None:
        await self._queue_menu(wa)
        wa.fake.fail_next(1, 429, retry_after=7)
        await wa.deliver()
        assert wa.outbox()[0].next_attempt_at == wa.now + timedelta(seconds=7)
        assert await wa.deliver(now=wa.now + timedelta(seconds=6)) == 0
        assert await wa.deliver(now=wa.now + timedelta(seconds=7)) == 1

    @pytest.mark.parametrize("code", [131000, 502], ids=["graph-131000", "http-502"])
    async def test_server_trouble_is_retried(self, wa: WhatsAppHarness, code: int) -> None:
        await self._queue_menu(wa)
        wa.fake.fail_next(1, code)
        assert await wa.deliver() == 0
        assert wa.outbox()[0].status == "queued"
        assert await wa.deliver(now=wa.now + timedelta(seconds=1)) == 1

    async def test_a_network_error_is_retried(
        self, wa: WhatsAppHarness, wa_settings: Settings
    ) -> None:
        await self._queue_menu(wa)
        nowhere = wa_settings.model_copy(update={"whatsapp_api_base_url": "http://127.0.0.1:9/v"})
        sender = make_sender(nowhere)
        assert sender is not None
        try:
            sent = await send_pending(wa.engine, {"whatsapp": sender}, now=wa.now, worker_id=WORKER)
        finally:
            await sender.aclose()
        assert sent == 0
        [row] = wa.outbox()
        assert (row.status, row.attempts) == ("queued", 1)
        assert await wa.deliver(now=wa.now + timedelta(seconds=1)) == 1

    async def test_an_unreachable_person_is_not_retried_until_they_write_again(
        self, wa: WhatsAppHarness
    ) -> None:
        await self._queue_menu(wa)
        await self._queue_menu(wa, text="halo")
        wa.fake.fail_next(1, 131026)  # not on WhatsApp (131047 is the window's: see its tests)
        await wa.deliver()
        assert [r.status for r in wa.outbox()] == ["unreachable", "unreachable"]
        with Session(wa.engine) as session:
            assert session.exec(select(Conversation)).one().unreachable_at == wa.now
        attempts = wa.fake.attempts()
        await wa.deliver(now=wa.now + timedelta(hours=1))
        assert wa.fake.attempts() == attempts
        # Writing again reopens the chat.
        [reply] = await wa.says(SITI, "menu")
        assert "Balas dengan angka" in reply
        with Session(wa.engine) as session:
            assert session.exec(select(Conversation)).one().unreachable_at is None

    async def test_a_request_whatsapp_refuses_is_given_up_at_once(
        self, wa: WhatsAppHarness
    ) -> None:
        await self._queue_menu(wa)
        wa.fake.fail_next(1, 131051)
        await wa.deliver()
        [row] = wa.outbox()
        assert (row.status, row.attempts) == ("failed", 1)
        assert "131051" in (row.last_error or "")

    async def test_the_access_token_never_reaches_the_logs_or_the_database(
        self, wa: WhatsAppHarness, caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.DEBUG)
        await self._queue_menu(wa)
        wa.fake.fail_next(1, 131051)
        await wa.deliver()
        assert caplog.records
        assert wa.fake.access_token not in caplog.text
        assert wa.fake.access_token not in (wa.outbox()[0].last_error or "")

    async def _replace_reply(self, wa: WhatsAppHarness, text: str, *, buttons: bool) -> None:
        """Make the queued reply long, as a long programme description would be."""
        with Session(wa.engine) as session:
            row = session.exec(select(OutboxMessage)).one()
            row.text = text
            if not buttons:
                row.buttons = []
            session.add(row)
            session.commit()

    async def test_a_text_over_4096_characters_arrives_in_parts_in_order(
        self, wa: WhatsAppHarness
    ) -> None:
        await self._queue_menu(wa)
        long_text = "\n".join(f"{i:04d} " + "y" * 200 for i in range(60))
        await self._replace_reply(wa, long_text, buttons=True)
        assert await wa.deliver() == 1
        sent = wa.fake.sent(SITI)
        assert "\n".join(wa.fake.texts(SITI)) == long_text
        kinds = [body["type"] for body in sent]
        # The list goes with the last part, whose body fits an interactive message.
        assert kinds[-1] == "interactive" and set(kinds[:-1]) == {"text"}
        assert all(len(body["text"]["body"]) <= 4096 for body in sent[:-1])
        assert len(sent[-1]["interactive"]["body"]["text"]) <= 1024
        # 60 lines of 205 characters: three parts of 19 lines, then 3 lines with the list.
        assert len(sent) == 4

    async def test_a_part_delivered_before_a_failure_is_not_sent_again(
        self, wa: WhatsAppHarness
    ) -> None:
        await self._queue_menu(wa)
        long_text = "\n".join(f"{i:04d} " + "z" * 200 for i in range(30))
        await self._replace_reply(wa, long_text, buttons=False)
        # Part one goes through; part two meets the rate limit.
        wa.fake.fail_next(1, 130429, after=1)
        assert await wa.deliver() == 0
        [row] = wa.outbox()
        assert (row.status, row.extra["parts_sent"]) == ("queued", 1)
        assert await wa.deliver(now=wa.now + timedelta(seconds=1)) == 1
        texts = wa.fake.texts(SITI)
        assert len(texts) == 2 and "\n".join(texts) == long_text

    async def test_more_than_ten_options_go_as_numbered_text(self, wa: WhatsAppHarness) -> None:
        sender = wa.senders["whatsapp"]
        options = [(str(n), f"Kabupaten {n}") for n in range(1, 13)]
        text = "Pilih:\n\n" + "\n".join(f"{v}. {label}" for v, label in options)
        buttons = tuple((Button(f"{v}. {label}", v),) for v, label in options)
        result = await sender.send(Outgoing(1, SITI, text, buttons, {}, wa.now, wa.now))
        assert result.outcome == "sent"
        [body] = wa.fake.sent(SITI)
        assert body["type"] == "text"
        assert "12. Kabupaten 12" in body["text"]["body"]


class TestAdapter:
    """What each kind of WhatsApp message becomes for the conversation."""

    def _stored(self, message: dict[str, Any]) -> dict[str, Any]:
        return {"contact": {"profile": {"name": "Siti"}, "wa_id": SITI}, "message": message}

    def test_a_photo_keeps_its_caption_and_media_id(self) -> None:
        image = {"caption": "rumah saya", "mime_type": "image/jpeg", "sha256": "x", "id": "MEDIA-1"}
        event = parse(self._stored(cloud_message("wamid.1", SITI, "image", image=image)))
        assert (event.kind, event.text, event.photo_ref) == ("photo", "rumah saya", "MEDIA-1")
        assert (event.chat_id, event.display_name) == (SITI, "Siti")

    def test_a_location_is_read(self) -> None:
        location = {"latitude": -2.21, "longitude": 113.92, "name": "Palangka Raya"}
        event = parse(self._stored(cloud_message("wamid.2", SITI, "location", location=location)))
        assert (event.kind, event.location) == ("location", (-2.21, 113.92))

    def test_a_reply_to_one_of_our_messages_names_it(self) -> None:
        message = text_message("wamid.3", SITI, "ya")
        message["context"] = {"from": "6281100000000", "id": "wamid.FAKE000009"}
        event = parse(self._stored(message))
        assert event.reply_to_platform_message_id == "wamid.FAKE000009"

    @pytest.mark.parametrize("kind", ["audio", "sticker", "document", "unsupported"])
    def test_other_kinds_are_unsupported(self, kind: str) -> None:
        event = parse(self._stored(cloud_message("wamid.4", SITI, kind, **{kind: {}})))
        assert (event.kind, event.chat_id) == ("unsupported", SITI)

    @pytest.mark.parametrize("what", NOBODY_ASKED)
    def test_what_nobody_asked_is_ignored_in_its_chat(self, what: str) -> None:
        event = parse(self._stored(_nobody_asked("wamid.5", what)))
        assert (event.kind, event.chat_id) == ("ignored", SITI)

    @pytest.mark.parametrize(
        "location",
        [{"latitude": 10**400, "longitude": 1}, {"latitude": 91, "longitude": 0}, {"latitude": 1}],
        ids=["400-digit", "past-the-pole", "half"],
    )
    def test_a_place_that_is_nowhere_is_unsupported(self, location: dict[str, Any]) -> None:
        event = parse(self._stored(cloud_message("wamid.6", SITI, "location", location=location)))
        assert (event.kind, event.location) == ("unsupported", None)


async def test_the_runtime_opens_whatsapp_when_it_is_configured(
    engine: Engine, wa_settings: Settings, catalogue: Catalogue
) -> None:
    runtime = BotRuntime(engine=engine, settings=wa_settings, catalogue=catalogue)
    await runtime.start()
    try:
        assert isinstance(runtime.senders["whatsapp"], WhatsAppSender)
    finally:
        await runtime.stop()
    off = BotRuntime(
        engine=engine,
        settings=wa_settings.model_copy(update={"whatsapp_access_token": None}),
        catalogue=catalogue,
    )
    await off.start()
    try:
        assert "whatsapp" not in off.senders
    finally:
        await off.stop()
