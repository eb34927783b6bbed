"""No single update can break the bot: each poison update arrives in a burst of ordinary ones,
over real HTTP to a real server, and is stored safely or refused alone, while every other
person of its batch is stored and answered. A poison row left in the table by an older version
does not stop the bot either, not even after a restart.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, col, select

import messages
from app.main import create_app
from bot.telegram.sender import TelegramSender, make_bot
from bot.whatsapp.sender import make_sender
from core.settings import Settings
from models import Conversation, InboundMessage
from services.catalogue import Catalogue
from services.catalogue_sync import sync_catalogue
from tests.bot.chat_harness import Harness, text_update
from tests.bot.whatsapp_harness import SITI, WhatsAppHarness, envelope, text_message
from tests.fakes.loopback import serving
from tests.fakes.telegram_server import FakeTelegram
from tests.fakes.whatsapp_server import FakeWhatsApp

WELCOME = messages.render("bot.menu.welcome")
NEIGHBOURS = 31  # with the poison, 32 in flight: what a busy office's webhook sees at once


@dataclass
class Live:
    """One real server on loopback taking both channels; each harness posts to it over HTTP."""

    telegram: Harness
    whatsapp: WhatsAppHarness
    settings: Settings


@pytest.fixture
async def live(
    engine: Engine,
    channels_settings: Settings,
    catalogue: Catalogue,
    fake_telegram: FakeTelegram,
    fake_whatsapp: FakeWhatsApp,
) -> AsyncIterator[Live]:
    both = channels_settings
    sync_catalogue(engine, catalogue)
    bot = make_bot(both)
    whatsapp = make_sender(both)
    assert bot is not None and whatsapp is not None
    senders = {"telegram": TelegramSender(bot), "whatsapp": whatsapp}
    # lifespan="on": the server closes its own ingest writer, on its own event loop.
    with serving(create_app(both), lifespan="on") as base:
        async with bot, httpx.AsyncClient(base_url=base, timeout=30) as client:
            yield Live(
                telegram=Harness(client, engine, both, catalogue, fake_telegram, senders),
                whatsapp=WhatsAppHarness(client, engine, both, catalogue, fake_whatsapp, senders),
                settings=both,
            )
    await whatsapp.aclose()


def _rows(engine: Engine) -> list[InboundMessage]:
    with Session(engine) as session:
        return list(session.exec(select(InboundMessage).order_by(col(InboundMessage.id))).all())


def _nothing_failed(engine: Engine) -> None:
    """Every stored update was handled at the first try: none failed, none waits."""
    rows = _rows(engine)
    assert [
        (r.platform_id, r.status, r.attempts, r.error) for r in rows if r.status != "done"
    ] == []
    assert [r.error for r in rows if r.error] == []


def _each_welcomed_once(bot: Harness, updates: list[dict[str, Any]]) -> None:
    """Everyone who said "halo" got the welcome, once."""
    for update in updates:
        [reply] = bot.fake.texts(update["message"]["chat"]["id"])
        assert reply.startswith(WELCOME)


def _poisoned(update: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    change(update)
    return update


POISON_CHAT = 7000
# What arrives, what the poison's own request gets, and whether its sender is answered.
TELEGRAM_POISONS: dict[str, tuple[Callable[[dict[str, Any]], None], int, bool]] = {
    "lone surrogate in the name": (
        lambda u: u["message"]["from"].update(first_name="\ud800"),
        200,
        True,
    ),
    "NUL and a surrogate in the text": (
        lambda u: u["message"].update(text="halo\x00\udc00"),
        200,
        True,
    ),
    "NUL in a key": (lambda u: u["message"].update({"ha\x00lo": "\x00"}), 200, True),
    "a name of 20,000 characters": (
        lambda u: u["message"]["from"].update(first_name="Siti" * 5000),
        200,
        True,
    ),
    "a chat id of 100 digits": (
        lambda u: u["message"]["chat"].update(id=10**100),
        200,
        False,
    ),
    "an update id of 30 digits": (lambda u: u.update(update_id=10**30), 400, False),
    "a chat type that is an object": (
        lambda u: u["message"]["chat"].update(type={}),
        200,
        False,
    ),
    "a sender that is a number": (lambda u: u["message"].update({"from": 5}), 200, False),
    "a message that is a string": (lambda u: u.update(message="x"), 200, False),
    "a date no clock can hold": (lambda u: u["message"].update(date=10**20), 200, False),
}


class TestTelegramBurst:
    @pytest.mark.parametrize("poison", TELEGRAM_POISONS, ids=str)
    async def test_the_poison_is_stored_safely_or_refused_alone_and_everyone_else_is_answered(
        self, live: Live, poison: str
    ) -> None:
        change, status, answered = TELEGRAM_POISONS[poison]
        bot = live.telegram
        bad = _poisoned(text_update(1000, POISON_CHAT, "halo"), change)
        good = [text_update(n, 7001 + n, "halo") for n in range(1, NEIGHBOURS + 1)]
        responses = await asyncio.gather(bot.post(bad), *(bot.post(u) for u in good))
        assert [r.status_code for r in responses] == [status] + [200] * NEIGHBOURS

        bot.process()
        await bot.deliver()
        _each_welcomed_once(bot, good)
        poison_replies = bot.fake.texts(POISON_CHAT)
        assert (len(poison_replies) == 1) is answered
        assert len(_rows(bot.engine)) == NEIGHBOURS + (status == 200)
        _nothing_failed(bot.engine)

    async def test_what_the_database_keeps_of_a_poison_is_what_it_can_read_back(
        self, live: Live
    ) -> None:
        bad = text_update(1000, POISON_CHAT, "halo\x00")
        bad["message"]["from"]["first_name"] = "Si\ud800ti"
        bad["message"]["chat"]["first_name\udc00"] = "Siti"
        assert (await live.telegram.post(bad)).status_code == 200
        [row] = _rows(live.telegram.engine)
        assert row.payload["message"]["text"] == "halo\ufffd"
        assert row.payload["message"]["chat"]["first_name\ufffd"] == "Siti"
        live.telegram.process()
        with Session(live.telegram.engine) as session:
            conversation = session.exec(select(Conversation)).one()
        assert conversation.display_name == "Si\ufffdti"


class TestWhatsAppBurst:
    async def test_a_profile_name_of_a_lone_surrogate_stops_nobody(self, live: Live) -> None:
        wa = live.whatsapp
        people = [f"62812000{n:05d}" for n in range(NEIGHBOURS)]
        bad = envelope(text_message(wa.wamid(), SITI, "halo"), name="\udc00")
        good = [envelope(text_message(wa.wamid(), p, "halo")) for p in people]
        responses = await asyncio.gather(wa.post(bad), *(wa.post(e) for e in good))
        assert [r.status_code for r in responses] == [200] * (NEIGHBOURS + 1)

        wa.process()
        await wa.deliver()
        for person in [SITI, *people]:
            [reply] = wa.fake.texts(person)
            assert reply.startswith(WELCOME)
        with Session(wa.engine) as session:
            siti = session.exec(select(Conversation).where(Conversation.chat_id == SITI)).one()
        assert siti.display_name == "\ufffd"
        _nothing_failed(wa.engine)

    async def test_one_malformed_message_does_not_keep_its_envelope_from_being_stored(
        self, live: Live
    ) -> None:
        wa = live.whatsapp
        nobody = text_message(wa.wamid(), SITI, "halo")
        del nobody["from"]
        odd = text_message("wamid." + "X" * 300, "6281200000002", "halo\x00")
        payload = envelope(
            text_message(wa.wamid(), SITI, "halo"),
            nobody,
            odd,
            {"id": 5, "from": [], "type": {}},
            "not a message at all",
        )
        for _ in range(2):  # Meta sends it again when unsure we had it: still stored once
            assert (await wa.post(payload)).status_code == 200
        wa.process()
        await wa.deliver()
        assert [reply.startswith(WELCOME) for reply in wa.fake.texts(SITI)] == [True]
        # "halo\ufffd" is no greeting any more, but it is answered, as any word is.
        assert len(wa.fake.texts("6281200000002")) == 1
        rows = _rows(wa.engine)
        assert len(rows) == 2
        # A message id too long for its column is stored as its hash.
        assert rows[1].platform_id.startswith("sha256:")
        _nothing_failed(wa.engine)


class TestPoisonAlreadyInTheTable:
    """Rows an older version stored: on SQLite a name whose bytes are not UTF-8 (what its JSON
    functions made of "\\ud800"); on PostgreSQL, whose text cannot hold that, a payload keeping
    "\\u0000" and "\\ud800" in its JSON."""

    def _poison(self, engine: Engine, conversation_id: int) -> None:
        payload = json.dumps(text_update(500, POISON_CHAT, "halo\x00", name="\ud800"))
        if engine.dialect.name == "sqlite":
            path = str(engine.url.database)
            raw = sqlite3.connect(path, isolation_level=None)
            try:
                raw.execute(
                    "UPDATE conversation SET display_name = CAST(X'53eda080' AS TEXT) WHERE id = ?",
                    (conversation_id,),
                )
                # The payload's own name as bytes too: ED A0 80 is "\ud800" forced into UTF-8.
                poisoned = payload.encode().replace(b"\\ud800", b"\xed\xa0\x80")
                assert b"\xed\xa0\x80" in poisoned
                raw.execute(
                    "INSERT INTO inbound_message (channel, platform_id, conversation_id, "
                    "received_at, payload, status, attempts) "
                    "VALUES ('telegram', '500', ?, '2026-03-10 02:00:00', CAST(? AS TEXT), "
                    "'pending', 0)",
                    (conversation_id, poisoned),
                )
            finally:
                raw.close()
            return
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO inbound_message (channel, platform_id, conversation_id, "
                    "received_at, payload, status, attempts) VALUES ('telegram', '500', :c, "
                    "now(), CAST(:p AS json), 'pending', 0)"
                ),
                {"c": conversation_id, "p": payload},
            )

    async def test_the_bot_answers_everyone_and_the_poisoned_chat_after_a_restart(
        self, live: Live
    ) -> None:
        bot = live.telegram
        assert (await bot.post(text_update(400, POISON_CHAT, "halo"))).status_code == 200
        bot.process()
        await bot.deliver()
        with Session(bot.engine) as session:
            conversation = session.exec(select(Conversation)).one()
        self._poison(bot.engine, conversation.id or 0)

        # A restart: a new server process on the same database.
        with serving(create_app(live.settings), lifespan="on") as base:
            async with httpx.AsyncClient(base_url=base, timeout=30) as client:
                bot.client = client
                others = [text_update(600 + n, 7100 + n, "halo") for n in range(5)]
                again = text_update(700, POISON_CHAT, "menu")
                responses = await asyncio.gather(*(bot.post(u) for u in [*others, again]))
                assert [r.status_code for r in responses] == [200] * 6
                bot.process()
                await bot.deliver()
        _each_welcomed_once(bot, others)
        # The poisoned chat: its first "halo", the poisoned one stored before, and "menu".
        replies = bot.fake.texts(POISON_CHAT)
        assert len(replies) == 3
        assert replies[-1].startswith(messages.render("bot.menu.title"))
        _nothing_failed(bot.engine)
