"""Group commit on PostgreSQL: psycopg's async connection, on the event loop itself.

A writer thread costs every batch two hand-overs of the GIL and a wake-up of the loop; on
PostgreSQL the wait is network I/O, which the event loop does for free. The steady state is
one autocommitted statement per batch: the batch travels as arrays, so the statement text
never changes, psycopg parses it once and the server prepares it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import psycopg
from sqlalchemy import Engine

from bot.inbound import ChatKey, InboundRow

# Arrays in binary format: a batch of any size is the same statement text, and nothing in
# a payload needs escaping on its way (a JSON document of the batch would have to be
# decoded by the server, which refuses "\u0000" in any text it decodes).
_INSERT_CHATS = """
    INSERT INTO conversation (channel, chat_id, display_name, language, state, data, updated_at)
    SELECT channel, chat_id, display_name, 'id', 'menu', '{}', %(now)s
    FROM unnest(%(channels)b::text[], %(chat_ids)b::text[], %(names)b::text[])
        AS chats(channel, chat_id, display_name)
    ON CONFLICT (channel, chat_id) DO NOTHING
"""

_SELECT_CHATS = """
    SELECT conversation.id, conversation.channel, conversation.chat_id
    FROM conversation
    JOIN unnest(%(channels)b::text[], %(chat_ids)b::text[]) AS chats(channel, chat_id)
        USING (channel, chat_id)
"""

_INSERT_INBOUND = """
    INSERT INTO inbound_message
        (channel, platform_id, conversation_id, received_at, payload, status, attempts)
    SELECT channel, platform_id, conversation_id, %(now)s, payload::json, 'pending', 0
    FROM unnest(%(channels)b::text[], %(platform_ids)b::text[],
                %(conversation_ids)b::int4[], %(payloads)b::text[])
        AS batch(channel, platform_id, conversation_id, payload)
    ON CONFLICT (channel, platform_id) DO NOTHING
    RETURNING id, channel, platform_id
"""


def conninfo(engine: Engine) -> str:
    """The engine's database as a libpq URI (its options, such as search_path, included)."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


async def connect(engine: Engine) -> psycopg.AsyncConnection[Any]:
    return await psycopg.AsyncConnection.connect(conninfo(engine), autocommit=True)


async def store_chats(
    connection: psycopg.AsyncConnection[Any], chats: dict[ChatKey, str], *, now: datetime
) -> dict[ChatKey, int]:
    """Create the conversations not seen before; the ids of all of ``chats``."""
    keys = {
        "channels": [channel for channel, _ in chats],
        "chat_ids": [chat_id for _, chat_id in chats],
    }
    # Two statements: the look-up must see a conversation another writer committed while
    # our insert waited on it, which a single statement's snapshot would not.
    await connection.execute(_INSERT_CHATS, {**keys, "names": list(chats.values()), "now": now})
    cursor = await connection.execute(_SELECT_CHATS, keys)
    return {(channel, chat_id): int(cid) for cid, channel, chat_id in await cursor.fetchall()}


async def store_inbound(
    connection: psycopg.AsyncConnection[Any], rows: Sequence[InboundRow], *, now: datetime
) -> list[tuple[int, str, str]]:
    """Insert the updates not stored before; returns (id, channel, platform_id) of new ones."""
    parameters = {
        "now": now,
        "channels": [row[0] for row in rows],
        "platform_ids": [row[1] for row in rows],
        "conversation_ids": [row[2] for row in rows],
        "payloads": [json.dumps(row[3]) for row in rows],
    }
    cursor = await connection.execute(_INSERT_INBOUND, parameters)
    return [
        (int(row_id), channel, platform_id)
        for row_id, channel, platform_id in await cursor.fetchall()
    ]
