"""A notice to 100,000 people, sent: the product fans it out and sends it at the platforms'
limits, with a webhook answered meanwhile.

The register is bench/notices.py's (BENCH_DISPATCH_RECIPIENTS persons: one in ten with a
linked Telegram chat, one in twenty without a phone, the rest reached on WhatsApp at their
phone, whose chats the fan-out creates), with one notice to all of them due now. Sigap then
starts as an office runs it (the web process with its worker, the default) with
WHATSAPP_SEND_RATE and TELEGRAM_SEND_RATE set to the limits of two fakes, each its own
process: the fake Graph API refusing above its rate with WhatsApp's HTTP 429 and Graph error
130429 ("Rate limit hit"), and checking each template as Meta does; the fake Bot API refusing
above its rate with Telegram's 429. The worker's notice job fans the notice out (chunks,
as in production) while its senders drain the outbox; no one has written to the bot, so every
WhatsApp message goes as the approved template.

Meanwhile a Telegram webhook is posted every PROBE_SECONDS and its answer timed: a fan-out
that held the write lock too long would show here (it was 6.2 s at p50 before the fan-out
went in chunks). The probe stops PROBE_AFTER seconds after the fan-out is done: its chats'
replies go on Telegram too, within the same rate, so a probe posting to the end would keep
the fake from ever being quiet, and the broadcast from being measured (its replies count in
Telegram's figures: one each).

Reported per channel: messages the fake accepted of those expected, the achieved rate (first
accepted to last) against the limit, refusals (130429 / 429) and duplicates (a text accepted
twice for one chat); when the fan-out was done; the webhook's latency during the fan-out and
after it; the outbox by status at the end.

Goal (issue 12): at least 98 % of each rate, no refusal, no duplicate.
"""

from __future__ import annotations

import os
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from bench.common import databases, fresh_database, percentile, sized
from bench.fakes import GRAPH_TOKEN, FakeBotApi, fake_bot_api, fake_graph_api
from bench.loadgen import text_update
from bench.notices import populate
from bench.processes import SIGAP_APP, WEBHOOK_SECRET, Process, sigap_env, uvicorn_command
from core.db import make_engine
from tests.fakes.whatsapp_server import PHONE_NUMBER_ID, VERSION

RECIPIENTS = int(sized("BENCH_DISPATCH_RECIPIENTS", 100_000))
WHATSAPP_RATE = sized("BENCH_DISPATCH_WHATSAPP_RATE", 400)
# Telegram's own limit for a bot's broadcast, and Sigap's default.
TELEGRAM_RATE = sized("BENCH_DISPATCH_TELEGRAM_RATE", 30)
PROBE_SECONDS = 0.2
PROBE_AFTER = 10.0  # seconds the probe goes on after the fan-out is done
QUIET = 3.0  # seconds of nothing new after the last message, for late duplicates to show
FIRST_PROBE_CHAT = 90_000_000


def expected(recipients: int) -> tuple[int, int]:
    """Messages the register's mix makes: (WhatsApp, Telegram)."""
    telegram = sum(1 for i in range(recipients) if i % 10 == 0)
    nobody = sum(1 for i in range(recipients) if i % 20 == 19)
    return recipients - telegram - nobody, telegram


@dataclass
class Probe:
    """A Telegram webhook posted every PROBE_SECONDS, its latency kept by phase."""

    base: str
    fanning: list[float] = field(default_factory=list)
    sending: list[float] = field(default_factory=list)
    failed: int = 0
    posted: int = 0
    fanned_out: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)
    fanned_at: float = 0.0

    def run(self) -> None:
        headers = {
            "Content-Type": "application/json",
            "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET,
        }
        with httpx.Client(base_url=self.base, timeout=60) as client:
            for n in range(1, 1_000_000):
                if self.stop.wait(PROBE_SECONDS):
                    return
                if self.fanned_out.is_set() and time.monotonic() > self.fanned_at + PROBE_AFTER:
                    return
                body = text_update(n, FIRST_PROBE_CHAT + n, "halo")
                started = time.perf_counter()
                try:
                    ok = client.post("/webhooks/telegram", content=body, headers=headers)
                    ok.raise_for_status()
                except httpx.HTTPError:
                    self.failed += 1
                    continue
                self.posted += 1
                took = time.perf_counter() - started
                (self.sending if self.fanned_out.is_set() else self.fanning).append(took)


@dataclass(frozen=True)
class Channel:
    name: str
    fake: FakeBotApi
    expected: int
    rate: float


def _database_state(url: str) -> tuple[bool, dict[str, int]]:
    """Whether the notice's fan-out is done, and the outbox by status."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            done = conn.execute(
                text("SELECT count(*) FROM notice_round WHERE status NOT IN ('done', 'skipped')")
            ).scalar_one()
            rows = conn.execute(text("SELECT status, count(*) FROM outbox_message GROUP BY 1"))
            return done == 0, {str(status): int(count) for status, count in rows}
    finally:
        engine.dispose()


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and of its children still running (Linux)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return total
    return total + sum(_cpu_seconds(int(child)) for child in children)


def _latency(samples: list[float]) -> str:
    if not samples:
        return "none"
    return (
        f"p50 {percentile(samples, 0.5) * 1000:.0f} ms, p99 {percentile(samples, 0.99) * 1000:.0f}"
        f" ms, max {max(samples) * 1000:.0f} ms ({len(samples)})"
    )


def _measure(kind: str, whatsapp: FakeBotApi, telegram: FakeBotApi) -> None:
    on_whatsapp, on_telegram = expected(RECIPIENTS)
    channels = [
        Channel("WhatsApp", whatsapp, on_whatsapp, WHATSAPP_RATE),
        Channel("Telegram", telegram, on_telegram, TELEGRAM_RATE),
    ]
    timeout = 120 + 1.5 * max(c.expected / c.rate for c in channels)
    with fresh_database(kind) as url:
        populate(url, recipients=RECIPIENTS, now=datetime.now(UTC))
        for channel in channels:
            channel.fake.limit(channel.rate)
            channel.fake.reset()
        env = sigap_env(url, telegram.url) | {
            "TELEGRAM_SEND_RATE": str(TELEGRAM_RATE),
            "WHATSAPP_SEND_RATE": str(WHATSAPP_RATE),
            "WHATSAPP_ACCESS_TOKEN": GRAPH_TOKEN,
            "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
            "WHATSAPP_API_BASE_URL": f"{whatsapp.url}/{VERSION}",
            "WHATSAPP_APP_SECRET": "bench-app-secret",
            "PHONE_CHANNEL": "whatsapp",
        }
        command, base = uvicorn_command(SIGAP_APP, factory=True)
        started = time.monotonic()
        fanned_at: float | None = None
        with ExitStack() as stack:
            sigap = Process("Sigap", command, env, f"{base}/healthz")
            stack.callback(sigap.stop)
            sigap.wait_ready()
            probe = Probe(base)
            prober = threading.Thread(target=probe.run, daemon=True)
            prober.start()
            stack.callback(prober.join, 30)
            stack.callback(probe.stop.set)
            deadline = started + timeout
            while time.monotonic() < deadline and sigap.alive():
                time.sleep(1)
                done, outbox = _database_state(url)
                if done and fanned_at is None:
                    fanned_at = time.monotonic() - started
                    probe.fanned_at = time.monotonic()
                    probe.fanned_out.set()
                stats = [c.fake.stats() for c in channels]
                # Each probe's chat is answered once, on Telegram.
                answers = {"Telegram": probe.posted}
                complete = all(
                    s["accepted"] >= c.expected + answers.get(c.name, 0)
                    for s, c in zip(stats, channels, strict=True)
                )
                quiet = all(s["now"] - (s["last_at"] or 0) >= QUIET for s in stats)
                if done and complete and quiet and not outbox.get("queued"):
                    break
            if not sigap.alive():
                print(f"   (Sigap died:\n{sigap.tail()})")
            cpu = _cpu_seconds(sigap.popen.pid)
        _, outbox = _database_state(url)
    fanned = f"{fanned_at:.0f} s after the start" if fanned_at is not None else "NOT done"
    print(f"[{kind}] fan-out of {RECIPIENTS:,} recipients done {fanned}", flush=True)
    for channel in channels:
        print(f"[{kind}] {_channel_line(channel, channel.fake.stats())}", flush=True)
    print(f"[{kind}] webhook during the fan-out: {_latency(probe.fanning)}")
    print(f"[{kind}] webhook after it:           {_latency(probe.sending)}; {probe.failed} failed")
    sent = sum(outbox.get(status, 0) for status in ("sent", "delivered", "read"))
    print(
        f"[{kind}] Sigap's processes (web and worker) used {cpu:.0f} s of CPU: "
        f"{cpu / max(1, sent) * 1000:.2f} ms a message sent, fan-out included"
    )
    shown = ", ".join(f"{status} {count:,}" for status, count in sorted(outbox.items()))
    print(f"[{kind}] outbox: {shown}", flush=True)


def _channel_line(channel: Channel, stats: dict[str, Any]) -> str:
    rate = float(stats["rate"])
    share = rate / channel.rate
    ok = (
        share >= 0.98
        and stats["too_many"] == 0
        and stats["duplicates"] == 0
        and stats["accepted"] >= channel.expected
    )
    refusal = "130429s" if channel.name == "WhatsApp" else "429s"
    return (
        f"{channel.name:8} {stats['accepted']:>7,}/{channel.expected:,} accepted in "
        f"{(stats['last_at'] or 0) - (stats['first_at'] or 0):6.1f} s, {rate:6.1f}/s = "
        f"{share:6.1%} of {channel.rate:.0f}/s, {refusal} {stats['too_many']:,}, duplicates "
        f"{stats['duplicates']:,} ({'goal met' if ok else 'goal NOT met'})"
    )


def run() -> None:
    on_whatsapp, on_telegram = expected(RECIPIENTS)
    print(
        f"== dispatch: one notice to {RECIPIENTS:,} persons ({on_whatsapp:,} by WhatsApp "
        f"template at WHATSAPP_SEND_RATE={WHATSAPP_RATE:.0f}, {on_telegram:,} on Telegram at "
        f"TELEGRAM_SEND_RATE={TELEGRAM_RATE:.0f}; the fakes refuse above those rates) =="
    )
    with fake_graph_api() as whatsapp, fake_bot_api() as telegram:
        for kind in databases():
            _measure(kind, whatsapp, telegram)
