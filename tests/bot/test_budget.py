"""A channel's send budget grants every message a slot, one interval apart, at any rate."""

from __future__ import annotations

import time
from itertools import pairwise

from sqlalchemy import Engine

from bot.budget import HORIZON, SendBudget


def _slots(budget: SendBudget, wanted: int, give_up: float) -> list[float]:
    """Ask as a sender does, waiting as told, until ``wanted`` slots are granted."""
    slots: list[float] = []
    deadline = time.monotonic() + give_up
    while len(slots) < wanted and time.monotonic() < deadline:
        granted, wait = budget.take(wanted - len(slots))
        slots += granted
        if not granted:
            time.sleep(wait)
    return slots


class TestSlowChannel:
    def test_one_or_two_a_second_still_grants_every_message_at_that_pace(
        self, engine: Engine
    ) -> None:
        # Slower than one message a horizon: before, no slot was ever granted.
        for rate, wanted in ((2.0, 4), (1.0, 2)):
            budget = SendBudget(engine, f"slow{int(rate)}", rate)
            assert budget.interval > HORIZON
            asked = time.monotonic()
            slots = _slots(budget, wanted, give_up=wanted / rate + 10)
            assert len(slots) == wanted
            # None before it was asked for, none closer than one interval to the one before.
            assert slots[0] >= asked - 0.05
            gaps = [later - earlier for earlier, later in pairwise(slots)]
            assert all(gap >= budget.interval - 1e-6 for gap in gaps), gaps

    def test_a_fast_channel_holds_no_more_than_its_horizon(self, engine: Engine) -> None:
        budget = SendBudget(engine, "fast", 400.0)
        granted, _ = budget.take(1000)
        # A quarter of a second at 400 a second (99 % of it): 99 slots, the rest later.
        assert 0 < len(granted) <= int(HORIZON / budget.interval) + 1
