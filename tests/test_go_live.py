"""Going live in a real office, as its IT person and staff do it on a fresh server.

From a freshly migrated database with DEMO_MODE=false and a real SECRET_KEY: `sigap db upgrade`
brings the offices from the catalogue; the first admin is created with `sigap create-staff`
(password on standard input); the admin adds a complaint officer on the staff pages; the
officers' group is linked by a code from `sigap link-code --officers` sent in a Telegram group,
the officer's own chat by a code sent privately; an operator registers a beneficiary through
the staff API and hands them a code; the beneficiary links their chat and files a complaint;
the alert reaches the officers' group; the officer's reply to it reaches the beneficiary.

Everything goes over real HTTP to the app's webhook and staff routes and to the fake Bot API,
on a real database of each kind; the workers run at an explicit ``now``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from click.testing import Result
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.cli import cli
from app.main import create_app
from bot.sim.sender import SimSender
from bot.telegram.sender import TelegramSender, make_bot
from core.settings import get_settings
from models import Complaint, Conversation, Office, StaffUser
from services.catalogue import load_catalogue
from services.nik import make_nik
from tests.bot.chat_harness import Harness, group_text_update
from tests.fakes.telegram_server import FakeTelegram, running_fake_telegram

SECRET_KEY = "a-real-secret-key-for-the-go-live-story-0123456789"
WEBHOOK_SECRET = "webhook-secret-for-tests"
ADMIN_PASSWORD = "admin-buton-tengah-2026"
GROUP = -1009990001  # the officers' Telegram group
OFFICER_CHAT = 7001  # the complaint officer's own Telegram account
ADMIN_CHAT = 7002
BENEFICIARY_CHAT = 8001


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with running_fake_telegram() as fake:
        yield fake


@pytest.fixture
def sigap(database_url: str, fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """`sigap ...` as the IT person types it, with the server's own environment."""
    environment = {
        "DATABASE_URL": database_url,
        "DEMO_MODE": "false",
        "SECRET_KEY": SECRET_KEY,
        "RUN_WORKERS": "false",
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "TELEGRAM_API_BASE_URL": fake.url,
        "TELEGRAM_BOT_USERNAME": "SigapButengBot",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    runner = CliRunner()

    def run(*args: str, stdin: str = "") -> Result:
        result = runner.invoke(cli, list(args), input=stdin)
        assert result.exit_code == 0, (args, result.output)
        return result

    yield run
    get_settings.cache_clear()


def _code(printed: str) -> str:
    found = re.search(r"code: ([0-9 ]+)", printed)
    assert found is not None, printed
    return found[1].strip()


def _form_token(page: str) -> str:
    found = re.search(r'name="form_token" value="([0-9a-f]+)"', page)
    assert found is not None
    return found[1]


async def test_a_real_office_goes_live(sigap: Any, fake: FakeTelegram) -> None:
    now = datetime.now(UTC)

    # The IT person: schema and offices, then the first admin, password on standard input.
    upgraded = sigap("db", "upgrade")
    assert "buton-tengah" in upgraded.stdout
    sigap(
        "create-staff", "buteng.admin", "--office", "buton-tengah", "--role", "admin",
        "--name", "La Ode Admin", stdin=f"{ADMIN_PASSWORD}\n",
    )  # fmt: skip

    settings = get_settings()
    assert not settings.demo_mode
    app = create_app(settings)
    bot = make_bot(settings)
    assert bot is not None
    transport = httpx.ASGITransport(app=app)
    async with (
        bot,
        httpx.AsyncClient(transport=transport, base_url="http://sigap.test") as client,
    ):
        harness = Harness(
            client=client,
            engine=app.state.engine,
            settings=settings,
            catalogue=load_catalogue(settings.catalogue_dir),
            fake=fake,
            senders={"telegram": TelegramSender(bot), "sim": SimSender()},
            now=now,
        )

        # The admin adds a complaint officer on the staff pages.
        logged_in = await client.post(
            "/staff/login", data={"username": "buteng.admin", "password": ADMIN_PASSWORD}
        )
        assert logged_in.status_code == 303
        accounts = await client.get("/staff/accounts")
        assert 'href="/staff/chats"' in accounts.text  # where chats are linked
        created = await client.post(
            "/staff/accounts",
            data={
                "username": "buteng.waode",
                "full_name": "Ibu Wa Ode",
                "role": "complaint_officer",
                "password": "sandi-wa-ode-2026",
                "form_token": _form_token(accounts.text),
            },
        )
        assert created.status_code == 303, created.text

        # The officers' group: the admin adds the bot and sends the printed code there.
        officers = sigap("link-code", "--office", "buton-tengah", "--officers")
        assert "https://t.me/SigapButengBot?startgroup=" in officers.stdout
        update = group_text_update(
            harness.next_update_id(), GROUP, ADMIN_CHAT, f"/link {_code(officers.stdout)}"
        )
        [linked] = await harness.sends(GROUP, update)
        assert "Buton Tengah" in linked
        # The officer's own chat, for reminders and for acting in the group.
        own = sigap("link-code", "--office", "buton-tengah", "--staff", "buteng.waode")
        await harness.says(OFFICER_CHAT, _code(own.stdout))
        with Session(harness.engine) as session:
            office = session.exec(select(Office).where(Office.slug == "buton-tengah")).one()
            officer = session.exec(
                select(StaffUser).where(StaffUser.username == "buteng.waode")
            ).one()
        assert office.officers_chat == f"telegram:{GROUP}"
        assert officer.chat == f"telegram:{OFFICER_CHAT}"

        # At the desk: the beneficiary is registered (staff API) and given a code.
        token = (
            await client.post(
                "/api/v1/auth/login", json={"username": "buteng.admin", "password": ADMIN_PASSWORD}
            )
        ).json()["token"]
        born = date(1984, 6, 12)
        nik = make_nik("74.14", 2, born, "P", 41)
        registered = await client.post(
            "/api/v1/persons",
            headers={"Authorization": f"Bearer {token}"},
            json={
                "nik": nik,
                "kk_number": make_nik("74.14", 2, date(2001, 1, 1), "L", 41)[:12] + "0041",
                "name": "Wa Ode Sitti",
                "birth_place": "Lakudo",
                "birth_date": born.isoformat(),
                "sex": "P",
                "marital_status": "kawin",
                "address": "Jalan Poros Lakudo",
                "desa": "Lakudo",
                "kecamatan": "Lakudo",
                "registries": ["DTKS"],
            },
        )
        assert registered.status_code == 201, registered.text
        person_code = _code(sigap("link-code", "--person", nik).stdout)
        await harness.says(BENEFICIARY_CHAT, person_code)
        with Session(harness.engine) as session:
            chat = session.exec(
                select(Conversation).where(Conversation.chat_id == str(BENEFICIARY_CHAT))
            ).one()
        assert chat.person_id == registered.json()["id"]

        # The beneficiary files a complaint in the bot.
        before_group = len(fake.texts(GROUP))
        replies = await _file_complaint(harness)
        with Session(harness.engine) as session:
            complaint = session.exec(select(Complaint)).one()
        assert complaint.person_id == chat.person_id
        assert complaint.number in replies[-1]

        # The alert reaches the officers' group ...
        alerts = fake.texts(GROUP)[before_group:]
        assert any(complaint.number in text for text in alerts), alerts
        announcement = fake.message_id(GROUP, complaint.number)

        # ... and the officer's reply to it reaches the beneficiary.
        before = len(fake.texts(BENEFICIARY_CHAT))
        await harness.officer_says(
            GROUP,
            OFFICER_CHAT,
            "Saldo Juni sudah kami cek; cair hari Senin di e-warong Lakudo.",
            reply_to=announcement,
        )
        await harness.deliver()
        answers = fake.texts(BENEFICIARY_CHAT)[before:]
        assert any(complaint.number in text and "cair hari Senin" in text for text in answers), (
            answers
        )
        with Session(harness.engine) as session:
            assert session.get_one(Complaint, complaint.id).status == "answered"
        ingest = getattr(app.state, "ingest", None)
        if ingest is not None:
            await ingest.close()
    app.state.engine.dispose()


async def _file_complaint(harness: Harness) -> list[str]:
    """Menu 3, through each question by its first choice; what the last answer said."""
    said: list[str] = []
    for text in ("3", "1", "1", "Saldo BPNT bulan Juni belum masuk ke KKS saya.", "2", "1"):
        said = await harness.says(BENEFICIARY_CHAT, text)
    return said
