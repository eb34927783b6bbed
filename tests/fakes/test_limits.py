"""The fakes' limits and ledger: refused as the platforms refuse, slow when told, counted."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from telegram import Bot
from telegram.error import RetryAfter

from tests.fakes.loopback import free_port
from tests.fakes.telegram_server import FakeTelegram, running_fake_telegram
from tests.fakes.whatsapp_server import FakeWhatsApp, running_fake_whatsapp

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    with running_fake_telegram() as fake:
        yield fake


@pytest.fixture
def whatsapp() -> Iterator[FakeWhatsApp]:
    with running_fake_whatsapp() as fake:
        yield fake


def _send_telegram(
    client: httpx.Client, fake: FakeTelegram, chat: int, text: str
) -> httpx.Response:
    return client.post(
        f"{fake.url}/bot{fake.token}/sendMessage", json={"chat_id": chat, "text": text}
    )


def _send_whatsapp(client: httpx.Client, fake: FakeWhatsApp, to: str, text: str) -> httpx.Response:
    return client.post(
        f"{fake.url}/{fake.phone_number_id}/messages",
        headers={"Authorization": f"Bearer {fake.access_token}"},
        json={"messaging_product": "whatsapp", "to": to, "type": "text", "text": {"body": text}},
    )


class TestTelegramRate:
    def test_sends_above_the_rate_get_telegrams_429(self, telegram: FakeTelegram) -> None:
        telegram.limit(3)
        with httpx.Client() as client:
            answers = [_send_telegram(client, telegram, 100 + i, f"m{i}") for i in range(8)]
        refused = [a for a in answers if a.status_code == 429]
        # A full bucket holds one second's worth; the 8 calls take far less than a third of
        # a second, so no token comes back meanwhile.
        assert [a.status_code for a in answers] == [200] * 3 + [429] * 5
        body = refused[-1].json()
        assert body["ok"] is False and body["error_code"] == 429
        assert (
            body["description"]
            == f"Too Many Requests: retry after {body['parameters']['retry_after']}"
        )
        assert body["parameters"]["retry_after"] >= 1
        assert telegram.too_many == len(refused)
        assert telegram.accepted_count() == 3 == len(telegram.sent())

    def test_the_bucket_refills_continuously(self, telegram: FakeTelegram) -> None:
        telegram.limit(4)
        with httpx.Client() as client:
            for i in range(4):
                assert _send_telegram(client, telegram, 1, f"burst {i}").status_code == 200
            assert _send_telegram(client, telegram, 1, "over").status_code == 429
            emptied = time.monotonic()
            time.sleep(0.6)  # about 2.4 tokens back
            later = [_send_telegram(client, telegram, 1, f"later {i}") for i in range(6)]
            elapsed = time.monotonic() - emptied
        # At least what 0.6 s brought back; at most what the whole wait did (the sends take
        # time too, more on a busy machine), and never the unlimited six.
        accepted = sum(a.status_code == 200 for a in later)
        assert 2 <= accepted <= min(5, int(elapsed * 4) + 1)

    def test_other_calls_are_not_limited(self, telegram: FakeTelegram) -> None:
        telegram.limit(1)
        with httpx.Client() as client:
            assert _send_telegram(client, telegram, 1, "one").status_code == 200
            answers = [client.post(f"{telegram.url}/bot{telegram.token}/getMe") for _ in range(5)]
        assert {a.status_code for a in answers} == {200}
        assert telegram.too_many == 0

    async def test_python_telegram_bot_sees_retry_after(self, telegram: FakeTelegram) -> None:
        telegram.limit(1)
        async with Bot(telegram.token, base_url=f"{telegram.url}/bot") as bot:
            await bot.send_message(chat_id=7, text="first")
            with pytest.raises(RetryAfter) as raised:
                await bot.send_message(chat_id=7, text="second")
        waited = raised.value.retry_after
        assert (waited.total_seconds() if isinstance(waited, timedelta) else waited) == 1
        assert telegram.texts(7) == ["first"]
        assert telegram.too_many == 1

    def test_limit_none_lifts_it_and_reset_keeps_it(self, telegram: FakeTelegram) -> None:
        telegram.limit(1)
        with httpx.Client() as client:
            _send_telegram(client, telegram, 1, "a")
            assert _send_telegram(client, telegram, 1, "b").status_code == 429
            telegram.reset()
            assert (telegram.too_many, telegram.accepted_count(), telegram.calls) == (0, 0, [])
            assert _send_telegram(client, telegram, 1, "c").status_code == 200  # bucket full
            assert _send_telegram(client, telegram, 1, "d").status_code == 429  # limit kept
            telegram.limit(None)
            assert _send_telegram(client, telegram, 1, "e").status_code == 200


class TestTelegramPerChat:
    def test_a_second_message_to_one_chat_too_soon_is_refused(self, telegram: FakeTelegram) -> None:
        telegram.limit(per_chat_interval=0.3)
        with httpx.Client() as client:
            assert _send_telegram(client, telegram, 1, "a").status_code == 200
            assert _send_telegram(client, telegram, 2, "a").status_code == 200
            too_soon = _send_telegram(client, telegram, 1, "b")
            time.sleep(0.3)
            in_time = _send_telegram(client, telegram, 1, "b")
        assert too_soon.status_code == 429
        assert too_soon.json()["parameters"]["retry_after"] == 1
        assert in_time.status_code == 200
        assert telegram.texts(1) == ["a", "b"]
        assert telegram.too_many == 1


class TestDelay:
    async def test_each_answer_waits_without_holding_up_the_others(
        self, telegram: FakeTelegram
    ) -> None:
        telegram.limit(delay=0.2)
        async with httpx.AsyncClient() as client:
            started = time.monotonic()
            await client.post(f"{telegram.url}/bot{telegram.token}/getMe")
            one = time.monotonic() - started
            started = time.monotonic()
            await asyncio.gather(
                *(
                    client.post(
                        f"{telegram.url}/bot{telegram.token}/sendMessage",
                        json={"chat_id": i, "text": "x"},
                    )
                    for i in range(10)
                )
            )
            ten = time.monotonic() - started
        assert one >= 0.2
        assert 0.2 <= ten < 1.0  # concurrently, not one after another (2 s)
        assert telegram.accepted_count() == 10

    def test_whatsapp_is_slow_too(self, whatsapp: FakeWhatsApp) -> None:
        whatsapp.limit(delay=0.15)
        with httpx.Client() as client:
            started = time.monotonic()
            assert _send_whatsapp(client, whatsapp, "62811", "x").status_code == 200
        assert time.monotonic() - started >= 0.15


class TestLedger:
    def test_duplicates_and_rate(self, telegram: FakeTelegram) -> None:
        with httpx.Client() as client:
            for chat, text in [(1, "halo"), (2, "halo"), (1, "menu"), (1, "halo"), (1, "halo")]:
                _send_telegram(client, telegram, chat, text)
        assert telegram.duplicates() == [("1", "halo"), ("1", "halo")]
        assert telegram.accepted_count() == 5
        assert telegram.accepted_per_chat() == {"1": 4, "2": 1}
        times = telegram.accepted_at()
        assert len(times) == 5 and times == sorted(times)
        assert telegram.achieved_rate() > 0
        stats = telegram.stats(per_chat=2)
        assert (stats["accepted"], stats["duplicates"], stats["chats"]) == (5, 2, 2)
        assert (stats["chats_at_least"], stats["answered"]) == (1, 3)

    def test_refused_sends_are_not_in_the_ledger(self, telegram: FakeTelegram) -> None:
        telegram.fail_next(1, 500)
        with httpx.Client() as client:
            _send_telegram(client, telegram, 1, "halo")
            _send_telegram(client, telegram, 1, "halo")
        assert telegram.duplicates() == []
        assert telegram.accepted_count() == 1
        assert telegram.too_many == 0  # failures asked for are not the limit's


class TestWhatsApp:
    def test_throughput_refused_in_metas_envelope(self, whatsapp: FakeWhatsApp) -> None:
        whatsapp.limit(3)
        with httpx.Client() as client:
            answers = [_send_whatsapp(client, whatsapp, f"6281{i}", "x") for i in range(5)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429, 429]
        error = answers[-1].json()["error"]
        assert error["code"] == 130429
        assert error["type"] == "OAuthException"
        assert error["error_data"]["messaging_product"] == "whatsapp"
        assert whatsapp.too_many == 2
        assert whatsapp.accepted_count() == len(whatsapp.sent()) == 3

    def test_pair_rate_refused_with_its_own_code(self, whatsapp: FakeWhatsApp) -> None:
        whatsapp.limit(per_chat_interval=6)
        with httpx.Client() as client:
            _send_whatsapp(client, whatsapp, "62811", "a")
            again = _send_whatsapp(client, whatsapp, "62811", "b")
            other = _send_whatsapp(client, whatsapp, "62812", "b")
        assert again.json()["error"]["code"] == 131056
        assert other.status_code == 200
        assert whatsapp.duplicates() == []
        assert whatsapp.too_many == 1


def test_a_fake_runs_as_its_own_process() -> None:
    port = free_port()
    arguments = f"--port {port} --token 1:T --rate 2".split()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.telegram_server", *arguments],
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=5) as client:
            deadline = time.monotonic() + 20
            while True:
                try:
                    client.get("/_stats")
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, "the fake never started"
                    time.sleep(0.1)
            codes = [
                client.post(
                    "/bot1:T/sendMessage", data={"chat_id": "5", "text": f"m{i}"}
                ).status_code
                for i in range(4)
            ]
            stats = client.get("/_stats", params={"per_chat": 2}).json()
            assert codes == [200, 200, 429, 429]
            assert (stats["accepted"], stats["too_many"], stats["chats_at_least"]) == (2, 2, 1)
            assert stats["first_at"] <= stats["last_at"] <= stats["now"]
            client.post("/_limit", json={"rate": None, "delay": 0.1})
            client.post("/_reset")
            started = time.monotonic()
            assert client.post("/bot1:T/sendMessage", data={"chat_id": "5", "text": "m"}).is_success
            assert time.monotonic() - started >= 0.1
            assert client.get("/_stats").json()["accepted"] == 1
    finally:
        process.terminate()
        process.wait(10)
