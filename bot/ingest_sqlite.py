"""Group commit on SQLite: the batch as one JSON document, taken apart by ``json_each``.

Each statement's text is the same for a batch of any size, so SQLite compiles it once, and
the Python work per batch is little more than one ``json.dumps``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.exc import OperationalError

from bot.inbound import ChatKey, InboundRow
from models.base import UTCDateTime

# "WHERE true" keeps SQLite from reading ON CONFLICT as part of the SELECT's join.
_INSERT_CHATS = text(
    """
    INSERT INTO conversation (channel, chat_id, display_name, language, state, data, updated_at)
    SELECT json_extract(value, '$.channel'), json_extract(value, '$.chat_id'),
           json_extract(value, '$.display_name'), 'id', 'menu', '{}', :now
    FROM json_each(:chats) WHERE true
    ON CONFLICT (channel, chat_id) DO NOTHING
    """
).bindparams(bindparam("now", type_=UTCDateTime))

_SELECT_CHATS = text(
    """
    SELECT conversation.id, conversation.channel, conversation.chat_id
    FROM json_each(:chats) AS chats
    JOIN conversation ON conversation.channel = json_extract(chats.value, '$.channel')
                     AND conversation.chat_id = json_extract(chats.value, '$.chat_id')
    """
)

_INSERT_INBOUND = text(
    """
    INSERT INTO inbound_message
        (channel, platform_id, conversation_id, received_at, payload, status, attempts)
    SELECT json_extract(value, '$.channel'), json_extract(value, '$.platform_id'),
           json_extract(value, '$.conversation_id'), :now, json_extract(value, '$.payload'),
           'pending', 0
    FROM json_each(:batch) WHERE true
    ON CONFLICT (channel, platform_id) DO NOTHING
    RETURNING id, channel, platform_id
    """
).bindparams(bindparam("now", type_=UTCDateTime))


def store_chats(
    connection: Connection, chats: dict[ChatKey, str], *, now: datetime
) -> dict[ChatKey, int]:
    """Create the conversations not seen before; the ids of all of ``chats``."""
    new = json.dumps(
        [
            {"channel": channel, "chat_id": chat_id, "display_name": name}
            for (channel, chat_id), name in chats.items()
        ]
    )
    connection.execute(_INSERT_CHATS, {"now": now, "chats": new})
    rows = connection.execute(_SELECT_CHATS, {"chats": new}).all()
    return {(channel, chat_id): int(cid) for cid, channel, chat_id in rows}


def store_inbound(
    connection: Connection, rows: Sequence[InboundRow], *, now: datetime
) -> list[tuple[int, str, str]]:
    """Insert the updates not stored before; returns (id, channel, platform_id) of new ones."""
    batch = json.dumps(
        [
            {
                "channel": channel,
                "platform_id": platform_id,
                "conversation_id": conversation_id,
                "payload": payload,
            }
            for channel, platform_id, conversation_id, payload in rows
        ]
    )
    result = connection.execute(_INSERT_INBOUND, {"now": now, "batch": batch}).all()
    return [(int(row_id), channel, platform_id) for row_id, channel, platform_id in result]


def is_busy(error: OperationalError) -> bool:
    """True when the statement failed only because another connection holds the lock."""
    return getattr(error.orig, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY
