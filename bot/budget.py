"""A channel's send rate, kept by every worker together through one database row.

The generic cell rate algorithm: the row holds the theoretical arrival time (``tat``) of the
channel's next message on the database's clock. A worker reserves slots for the messages it
holds with one UPDATE that moves ``tat`` on by one interval each, and sends each message at its
slot. Because every reservation goes through the same row, the slots of all workers together
are spaced one interval apart, however many workers there are; none reserves further ahead
than ``HORIZON``, so a reply that arrives meanwhile waits for at most that long. A channel slower
than one message a ``HORIZON`` (below about 4 a second) holds one interval ahead instead: a
horizon shorter than one interval would never have room for a slot, and nothing would go.
"""

from __future__ import annotations

import time

from sqlalchemy import Engine, Float, bindparam, text

from bot.dbclock import now_sql
from core.db import read_only
from models import SendRate
from services.outbox import insert_ignoring_conflicts

# Aim a little under the configured rate: the platform's clock and ours are not the same.
HEADROOM = 0.99
HORIZON = 0.25  # seconds of slots a worker may hold ahead of now
# A worker finding no room waits until a quarter of its horizon is free.


class SendBudget:
    def __init__(self, engine: Engine, channel: str, rate: float) -> None:
        self.engine = engine
        self.channel = channel
        self.interval = 1.0 / (rate * HEADROOM)
        self.horizon = max(HORIZON, self.interval)
        self.chunk = self.horizon / 4
        now = now_sql(engine)
        greatest = "greatest" if engine.dialect.name == "postgresql" else "max"
        self._reserve = text(
            f"""
            UPDATE send_rate
            SET tat = {greatest}(tat, {now}) + :interval * :granted
            WHERE channel = :channel
            RETURNING tat, {now}
            """
        ).bindparams(bindparam("channel", channel), bindparam("interval", self.interval))
        self._peek = text(f"SELECT tat, {now} FROM send_rate WHERE channel = :channel")
        self._reader = read_only(engine)
        self._pause = text(
            f"UPDATE send_rate SET tat = {greatest}(tat, {now} + :seconds) WHERE channel = :channel"
        )
        # PostgreSQL: the look and the reservation as one statement, so one round trip and one
        # transaction a take instead of two each. The row is locked and read as it is now (FOR
        # NO KEY UPDATE), what it has room for worked out from that one reading of it and of
        # the clock, and moved on by what is granted, in the statement that read it, so no
        # reservation made meanwhile can be overlapped. Granting nothing writes nothing but the
        # row's lock. (A worker's take waited on its thread for the GIL as often as it went to
        # the database; on a busy worker that made a take 150-250 ms, of a 250 ms horizon.)
        self._take_once = (
            text(
                f"""
                WITH old AS (
                    SELECT tat, {now} AS now FROM send_rate WHERE channel = :channel
                    FOR NO KEY UPDATE
                ), room AS (
                    SELECT greatest(tat, now) AS start, now,
                        greatest(0, least(:wanted, CASE WHEN tat <= now
                            THEN greatest(1, floor(:horizon / :interval))
                            ELSE floor((now + :horizon - tat) / :interval) END))::integer
                        AS granted
                    FROM old
                ), moved AS (
                    UPDATE send_rate SET tat = room.start + :interval * room.granted
                    FROM room WHERE send_rate.channel = :channel AND room.granted > 0
                    RETURNING send_rate.tat
                )
                SELECT start, now, granted FROM room
                """
            ).bindparams(
                bindparam("channel", channel),
                bindparam("interval", self.interval, type_=Float),
                bindparam("horizon", self.horizon, type_=Float),
            )
            if engine.dialect.name == "postgresql"
            else None
        )
        self._ensure()

    def _ensure(self) -> None:
        table = SendRate.__table__  # type: ignore[attr-defined]
        with self.engine.begin() as conn:
            conn.execute(
                insert_ignoring_conflicts(self.engine.dialect.name, table).values(
                    channel=self.channel, tat=0.0
                )
            )

    def take(self, wanted: int) -> tuple[list[float], float]:
        """Times (on this process's monotonic clock) to start up to ``wanted`` sends at, in
        order: as many as the horizon has room for. With none, also how long until it has
        room for a chunk of them (asking again sooner, a slot at a time, would cost a
        transaction each and hold the row the other workers reserve through)."""
        if self._take_once is not None:
            with self.engine.begin() as conn:
                start, db_now, granted = conn.execute(self._take_once, {"wanted": wanted}).one()
            return self._granted(float(start), float(db_now), int(granted), wanted)
        # A look first, which writes nothing (no lock, no commit to flush): when the horizon
        # is full, as it mostly is while a broadcast goes out, that is all it costs.
        with self._reader.connect() as conn:
            tat, db_now = conn.execute(self._peek, {"channel": self.channel}).one()
        start = max(float(tat), float(db_now))
        room = int((float(db_now) + self.horizon - start) / self.interval)
        if start <= float(db_now):
            room = max(room, 1)  # the budget is not ahead of now: one may always go
        granted = max(0, min(wanted, room))
        if not granted:
            return self._granted(start, float(db_now), 0, wanted)
        # The reservation itself is one UPDATE: however many workers reserve at once, their
        # slots never overlap (one that reserved since the look only moves ours later).
        with self.engine.begin() as conn:
            tat, db_now = conn.execute(
                self._reserve, {"granted": granted, "channel": self.channel}
            ).one()
        return self._granted(float(tat) - granted * self.interval, float(db_now), granted, wanted)

    def _granted(
        self, start: float, db_now: float, granted: int, wanted: int
    ) -> tuple[list[float], float]:
        """The slots from ``start`` on (on the database's clock, read at ``db_now``), or with
        none, how long until the horizon has room for a chunk of them."""
        if not granted:
            chunk = max(1, min(wanted, int(self.chunk / self.interval)))
            wait = start + chunk * self.interval - self.horizon - db_now
            return [], max(wait, self.interval)
        # The database's clock as this process's monotonic clock, read at the same moment.
        offset = time.monotonic() - db_now
        return [start + offset + index * self.interval for index in range(granted)], 0.0

    def pause(self, seconds: float) -> None:
        """The platform said "too many": nobody sends on this channel for ``seconds``."""
        with self.engine.begin() as conn:
            conn.execute(self._pause, {"seconds": seconds, "channel": self.channel})
