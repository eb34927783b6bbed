"""What a platform enforces on message sends, and a cheap ledger of what it accepted.

Both fakes mix in :class:`Metered`. Switched on with ``fake.limit(...)``, a send above the
platform's rate is refused the way the platform refuses it (each fake words the refusal), a
slow platform is modelled by awaiting ``delay`` before every answer, and Telegram's per-chat
limit can be enforced too. Whatever the limits, the ledger counts every accepted send, per
chat, with its time, and notes a text accepted twice for one chat: the duplicates a sender
must never produce. The ledger keeps no bodies, so a fake run as a benchmark's process stays
small over 100,000 messages (start it with ``keep_calls=False`` to stop recording calls too).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

# A sender pacing itself at exactly the per-chat interval must not be refused because its
# clock and ours tick a little apart: a second message is refused only if it comes sooner
# than this fraction of the interval.
PER_CHAT_TOLERANCE = 0.9


@dataclass(frozen=True)
class Refusal:
    """Why a send was refused: ``per_chat`` when it came too soon after one to the same chat,
    else the overall rate; ``retry_after`` is when a send would be admitted, in seconds."""

    retry_after: float
    per_chat: bool


class Limits:
    """A token bucket over all message sends, an optional per-chat interval, and a delay.

    The bucket holds ``max(1, rate)`` tokens (one second's worth of burst) and refills
    continuously at ``rate`` per second; each admitted send takes one token. A refused send
    takes none, so a sender that waits as told is not punished further.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.configure()

    def configure(
        self,
        rate: float | None = None,
        *,
        delay: float = 0.0,
        per_chat_interval: float | None = None,
    ) -> None:
        if rate is not None and rate <= 0:
            raise ValueError("rate must be positive (or None for no limit)")
        with self._lock:
            self.rate = rate
            self.delay = max(0.0, delay)
            self.per_chat_interval = per_chat_interval
            self.capacity = max(1.0, rate or 0.0)
            self._tokens = self.capacity
            self._filled_at = time.monotonic()
            self._last_to: dict[str, float] = {}
            self.too_many = 0

    def refill(self) -> None:
        """A new run starts with a full bucket and no refusals counted; the limits stay."""
        self.configure(self.rate, delay=self.delay, per_chat_interval=self.per_chat_interval)

    def admit(self, chat: str) -> Refusal | None:
        """None when a send to ``chat`` may go now (and it is counted); else why not."""
        now = time.monotonic()
        with self._lock:
            interval = self.per_chat_interval
            if interval is not None:
                last = self._last_to.get(chat)
                if last is not None and now - last < interval * PER_CHAT_TOLERANCE:
                    self.too_many += 1
                    return Refusal(interval - (now - last), per_chat=True)
            if self.rate is not None:
                self._tokens = min(
                    self.capacity, self._tokens + (now - self._filled_at) * self.rate
                )
                self._filled_at = now
                if self._tokens < 1:
                    self.too_many += 1
                    return Refusal((1 - self._tokens) / self.rate, per_chat=False)
                self._tokens -= 1
            if interval is not None:
                self._last_to[chat] = now
            return None

    async def wait(self) -> None:
        """The platform's time to answer; awaited, so other calls are served meanwhile."""
        if self.delay:
            await asyncio.sleep(self.delay)


@dataclass
class Ledger:
    """Accepted sends: how many, to whom, when (``time.monotonic()``, which on Linux is one
    clock for every process, so a benchmark can set its own readings beside these)."""

    accepted_at: list[float] = field(default_factory=list)
    per_chat: Counter[str] = field(default_factory=Counter)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    # Hashes rather than texts: 100,000 of them are a few megabytes. Python's 64-bit hash
    # makes a false duplicate among 100,000 messages about a one-in-a-billion event.
    _seen: set[int] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, chat: str, text: str) -> None:
        key = hash((chat, text))
        with self._lock:
            self.accepted_at.append(time.monotonic())
            self.per_chat[chat] += 1
            if key in self._seen:
                self.duplicates.append((chat, text))
            else:
                self._seen.add(key)

    def clear(self) -> None:
        with self._lock:
            self.accepted_at.clear()
            self.per_chat.clear()
            self.duplicates.clear()
            self._seen.clear()


@dataclass(kw_only=True)
class Metered:
    """The limits and the ledger, as both fakes offer them (see the module's docstring)."""

    keep_calls: bool = True
    _limits: Limits = field(default_factory=Limits)
    _ledger: Ledger = field(default_factory=Ledger)

    # --- switches -------------------------------------------------------------------------
    def limit(
        self,
        rate: float | None = None,
        *,
        delay: float = 0.0,
        per_chat_interval: float | None = None,
    ) -> None:
        """Refuse message sends above ``rate`` per second overall (None: no limit), and a
        second send to one chat within ``per_chat_interval`` seconds (None: no such limit);
        wait ``delay`` seconds before answering every call. Calling it again replaces all
        three and refills the bucket."""
        self._limits.configure(rate, delay=delay, per_chat_interval=per_chat_interval)

    # --- what happened --------------------------------------------------------------------
    @property
    def too_many(self) -> int:
        """Sends refused because of the limit (429s given by ``limit``, not by fail_next)."""
        return self._limits.too_many

    def accepted_count(self) -> int:
        """Message sends the platform accepted."""
        with self._ledger._lock:
            return len(self._ledger.accepted_at)

    def accepted_at(self) -> list[float]:
        """When each accepted send was accepted (``time.monotonic()``), in order."""
        with self._ledger._lock:
            return list(self._ledger.accepted_at)

    def achieved_rate(self) -> float:
        """Accepted sends per second, from the first accepted to the last (0 for fewer than 2)."""
        with self._ledger._lock:
            return _rate(self._ledger.accepted_at)

    def duplicates(self) -> list[tuple[str, str]]:
        """(chat id as a string, text) for each acceptance of a text that chat was already
        sent: a message accepted three times appears twice."""
        with self._ledger._lock:
            return list(self._ledger.duplicates)

    def accepted_per_chat(self) -> dict[str, int]:
        with self._ledger._lock:
            return dict(self._ledger.per_chat)

    def stats(self, per_chat: int | None = None) -> dict[str, Any]:
        """The figures a benchmark reads over HTTP (``GET /_stats``); with ``per_chat``, also
        how many chats were sent at least that many messages (``chats_at_least``) and the
        accepted sends counted up to that many per chat (``answered``)."""
        with self._ledger._lock:
            times = self._ledger.accepted_at
            found: dict[str, Any] = {
                "accepted": len(times),
                "too_many": self._limits.too_many,
                "duplicates": len(self._ledger.duplicates),
                "chats": len(self._ledger.per_chat),
                "first_at": times[0] if times else None,
                "last_at": times[-1] if times else None,
                "now": time.monotonic(),
                "rate": _rate(times),
            }
            if per_chat is not None:
                counts = self._ledger.per_chat.values()
                found["chats_at_least"] = sum(1 for n in counts if n >= per_chat)
                # Messages answered, when every chat expects ``per_chat`` replies at most.
                found["answered"] = sum(min(n, per_chat) for n in counts)
        return found

    def reset_ledger(self) -> None:
        """Forget what was accepted and refused; the limits stay as they are, bucket full."""
        self._ledger.clear()
        self._limits.refill()

    # --- for the fakes' handlers ----------------------------------------------------------
    def _admit(self, chat: str) -> Refusal | None:
        return self._limits.admit(chat)

    def _accepted(self, chat: str, text: str) -> None:
        self._ledger.record(chat, text)

    async def _answer_delay(self) -> None:
        await self._limits.wait()


def _rate(times: list[float]) -> float:
    if len(times) < 2 or times[-1] <= times[0]:
        return 0.0
    return (len(times) - 1) / (times[-1] - times[0])
