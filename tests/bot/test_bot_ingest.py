"""The group commit: when the database refuses one update of a batch, only that one fails.

The webhooks clean what they are given, so nothing a platform sends should be refused; these
stories hand the writer updates that are refused anyway, to show what happens if one is.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from bot.inbound import InboundEvent
from bot.ingest import Arrival, IngestWriter, Refused
from models import Conversation, InboundMessage

BATCH = 32


def _arrival(n: int, **changes: Any) -> Arrival:
    event = InboundEvent("telegram", str(9000 + n), "text", display_name="Siti")
    fields: dict[str, Any] = {
        "channel": "telegram",
        "platform_id": str(n),
        "payload": {"update_id": n, "message": {"text": "halo"}},
        "event": event,
        **changes,
    }
    return Arrival(**fields)


async def _store_together(engine: Engine, arrivals: list[Arrival]) -> list[Any]:
    """Every update handed to the writer in the same turn of the loop: one batch."""
    writer = IngestWriter(engine)
    try:
        return await asyncio.gather(*(writer.store(a) for a in arrivals), return_exceptions=True)
    finally:
        await writer.close()


def _count(engine: Engine, table: type[InboundMessage] | type[Conversation]) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(table)).one())


async def _one_refused_among_neighbours(
    engine: Engine, bad: Arrival, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="bot.ingest")
    good = [_arrival(n) for n in range(1, BATCH)]
    outcomes = await _store_together(engine, [*good[:10], bad, *good[10:]])
    refused = outcomes.pop(10)
    assert isinstance(refused, Refused)
    assert all(isinstance(row_id, int) for row_id in outcomes), outcomes
    # The batch did fail as a whole first; each update was then stored on its own.
    assert f"storing {BATCH} inbound updates failed" in caplog.text
    assert _count(engine, InboundMessage) == BATCH - 1
    assert _count(engine, Conversation) >= BATCH - 1


async def test_a_payload_json_cannot_carry_is_refused_and_its_batch_is_stored(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    bad = _arrival(BATCH, payload={"photo": b"\x89PNG"})
    await _one_refused_among_neighbours(engine, bad, caplog)


# SQLite does not hold a column to its declared width; PostgreSQL refuses the whole statement.
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_an_id_too_long_for_its_column_is_refused_and_its_batch_is_stored(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    bad = _arrival(BATCH, platform_id="9" * 81)
    await _one_refused_among_neighbours(engine, bad, caplog)


async def test_a_repeat_inside_the_retried_batch_is_still_stored_once(engine: Engine) -> None:
    # The retry stores one by one: an update that came twice must still count as a repeat.
    bad = _arrival(BATCH, payload={"photo": b"\x89PNG"})
    outcomes = await _store_together(engine, [_arrival(1), bad, _arrival(1)])
    assert isinstance(outcomes[0], int)
    assert isinstance(outcomes[1], Refused)
    assert outcomes[2] is None
    assert _count(engine, InboundMessage) == 1
