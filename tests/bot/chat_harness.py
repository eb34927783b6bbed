"""Helpers for the bot tests: a real app on a real database, a fake Telegram, people."""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.main import create_app
from bot.channels import Sender
from bot.outbox import send_pending
from bot.processor import process_pending
from bot.sim.sender import SimSender
from bot.telegram.sender import TelegramSender, make_bot
from core.settings import Settings
from models import (
    BeneficiaryGroup,
    Conversation,
    GroupMember,
    Office,
    Person,
    Programme,
    Proposal,
    StaffUser,
)
from services import link_codes, phones
from services.catalogue import Catalogue, load_catalogue
from services.catalogue_sync import sync_catalogue
from services.link_codes import Kind
from services.nik import make_nik
from tests.fakes.telegram_server import FakeTelegram, running_fake_telegram

SECRET = "webhook-secret-for-tests"
# Tuesday 10 March 2026, 09:00 in Kalimantan Tengah (WIB): an ordinary working morning.
MORNING = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
WORKER = "test-worker"


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    with running_fake_telegram() as fake:
        yield fake


@pytest.fixture
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture
def settings(database_url: str, fake_telegram: FakeTelegram) -> Settings:
    return Settings(
        database_url=database_url,
        telegram_bot_token=fake_telegram.token,  # type: ignore[arg-type]
        telegram_webhook_secret=SECRET,  # type: ignore[arg-type]
        telegram_api_base_url=fake_telegram.url,
        run_workers=False,
        demo_mode=True,
        conversation_timeout_minutes=30,
        status_attempts_per_hour=5,
    )


def text_update(update_id: int, chat_id: int, text: str, name: str = "Siti") -> dict[str, Any]:
    user = {"id": chat_id, "is_bot": False, "first_name": name, "language_code": "id"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "from": user,
            "chat": {"id": chat_id, "type": "private", "first_name": name},
            "date": int(MORNING.timestamp()),
            "text": text,
        },
    }


def button_update(update_id: int, chat_id: int, data: str, name: str = "Siti") -> dict[str, Any]:
    user = {"id": chat_id, "is_bot": False, "first_name": name}
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cbq-{update_id}",
            "from": user,
            "chat_instance": "42",
            "data": data,
            "message": {
                "message_id": 7,
                "from": {"id": 123456, "is_bot": True, "first_name": "Sigap"},
                "chat": {"id": chat_id, "type": "private", "first_name": name},
                "date": int(MORNING.timestamp()),
                "text": "menu",
            },
        },
    }


def _message(
    update_id: int, chat: dict[str, Any], user: dict[str, Any], **content: Any
) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "from": user,
            "chat": chat,
            "date": int(MORNING.timestamp()),
            **content,
        },
    }


def _private(chat_id: int, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    user = {"id": chat_id, "is_bot": False, "first_name": name}
    return {"id": chat_id, "type": "private", "first_name": name}, user


def photo_update(update_id: int, chat_id: int, caption: str | None = None) -> dict[str, Any]:
    chat, user = _private(chat_id, "Siti")
    sizes = [
        {"file_id": f"small-{update_id}", "file_unique_id": "s", "width": 90, "height": 90},
        {"file_id": f"PHOTO-{update_id}", "file_unique_id": "l", "width": 800, "height": 800},
    ]
    content: dict[str, Any] = {"photo": sizes}
    if caption is not None:
        content["caption"] = caption
    return _message(update_id, chat, user, **content)


def contact_update(
    update_id: int, chat_id: int, phone: str, *, user_id: int | None = None
) -> dict[str, Any]:
    """A contact shared in a private chat: with the "share my number" button Telegram sends
    the sender's own, with ``user_id`` their id; any other contact has someone else's id, or
    none at all (``user_id=0`` leaves it out)."""
    chat, user = _private(chat_id, "Siti")
    contact: dict[str, Any] = {"phone_number": phone, "first_name": "Siti"}
    if user_id != 0:
        contact["user_id"] = chat_id if user_id is None else user_id
    return _message(update_id, chat, user, contact=contact)


def location_update(update_id: int, chat_id: int, lat: float, lon: float) -> dict[str, Any]:
    chat, user = _private(chat_id, "Siti")
    return _message(update_id, chat, user, location={"latitude": lat, "longitude": lon})


def sticker_update(update_id: int, chat_id: int) -> dict[str, Any]:
    chat, user = _private(chat_id, "Siti")
    sticker = {
        "file_id": "STK",
        "file_unique_id": "stk",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "type": "regular",
    }
    return _message(update_id, chat, user, sticker=sticker)


def group_text_update(
    update_id: int,
    group_id: int,
    user_id: int,
    text: str,
    *,
    reply_to: int | None = None,
    name: str = "Petugas",
) -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": name}
    chat = {"id": group_id, "type": "supergroup", "title": "Petugas Pengaduan"}
    content: dict[str, Any] = {"text": text}
    if reply_to is not None:
        content["reply_to_message"] = {
            "message_id": reply_to,
            "from": {"id": 123456, "is_bot": True, "first_name": "Sigap"},
            "chat": chat,
            "date": int(MORNING.timestamp()),
            "text": "PENGADUAN BARU",
        }
    return _message(update_id, chat, user, **content)


def group_button_update(
    update_id: int, group_id: int, user_id: int, data: str, *, message_id: int = 7
) -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": "Petugas"}
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cbq-{update_id}",
            "from": user,
            "chat_instance": "43",
            "data": data,
            "message": {
                "message_id": message_id,
                "from": {"id": 123456, "is_bot": True, "first_name": "Sigap"},
                "chat": {"id": group_id, "type": "supergroup", "title": "Petugas Pengaduan"},
                "date": int(MORNING.timestamp()),
                "text": "PENGADUAN BARU",
            },
        },
    }


@dataclass
class Harness:
    """Drives the app like Telegram does, then runs the workers at an explicit ``now``."""

    client: httpx.AsyncClient
    engine: Engine
    settings: Settings
    catalogue: Catalogue
    fake: FakeTelegram
    senders: dict[str, Sender]
    now: datetime = MORNING
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def next_update_id(self) -> int:
        return next(self._ids)

    async def post(self, update: dict[str, Any], secret: str | None = SECRET) -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        # json.dumps escapes what is not ASCII, as Telegram does: a lone surrogate in a name
        # travels as "\ud800", where httpx's own encoding (UTF-8) could not carry it at all.
        body = json.dumps(update).encode()
        return await self.client.post("/webhooks/telegram", content=body, headers=headers)

    def process(self, *, now: datetime | None = None, worker: str = WORKER) -> int:
        return process_pending(
            self.engine, self.catalogue, self.settings, now=now or self.now, worker_id=worker
        )

    async def deliver(self, *, now: datetime | None = None, worker: str = WORKER) -> int:
        return await send_pending(self.engine, self.senders, now=now or self.now, worker_id=worker)

    async def says(self, chat_id: int, text: str) -> list[str]:
        """The person types ``text``; returns what reaches their phone for it."""
        return await self._exchange(chat_id, text_update(self.next_update_id(), chat_id, text))

    async def presses(self, chat_id: int, value: str) -> list[str]:
        """The person presses the button whose value is ``value``."""
        return await self._exchange(chat_id, button_update(self.next_update_id(), chat_id, value))

    async def sends(self, chat_id: int, update: dict[str, Any]) -> list[str]:
        """Post any update; returns what then reaches ``chat_id`` (a person or a group)."""
        return await self._exchange(chat_id, update)

    async def officer_says(
        self, group_id: int, user_id: int, text: str, *, reply_to: int | None = None
    ) -> list[str]:
        update = group_text_update(
            self.next_update_id(), group_id, user_id, text, reply_to=reply_to
        )
        return await self._exchange(group_id, update)

    async def officer_presses(
        self, group_id: int, user_id: int, value: str, *, message_id: int = 7
    ) -> list[str]:
        update = group_button_update(
            self.next_update_id(), group_id, user_id, value, message_id=message_id
        )
        return await self._exchange(group_id, update)

    async def _exchange(self, chat_id: int, update: dict[str, Any]) -> list[str]:
        before = len(self.fake.texts(chat_id))
        response = await self.post(update)
        assert response.status_code == 200, response.text
        self.process()
        await self.deliver()
        return self.fake.texts(chat_id)[before:]


@pytest.fixture
async def harness(
    engine: Engine, settings: Settings, catalogue: Catalogue, fake_telegram: FakeTelegram
) -> AsyncIterator[Harness]:
    sync_catalogue(engine, catalogue)
    app = create_app(settings)
    bot = make_bot(settings)
    assert bot is not None
    async with bot:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sigap.test") as client:
            yield Harness(
                client=client,
                engine=engine,
                settings=settings,
                catalogue=catalogue,
                fake=fake_telegram,
                senders={"telegram": TelegramSender(bot), "sim": SimSender()},
            )
            ingest = getattr(app.state, "ingest", None)
            if ingest is not None:
                await ingest.close()
    app.state.engine.dispose()


def issue(
    harness: Harness,
    kind: Kind,
    *,
    person: Person | None = None,
    staff: str | None = None,
    office: str = "74.14",
) -> str:
    """A code as `sigap link-code` makes it, at ``harness.now``."""
    with Session(harness.engine, expire_on_commit=False) as session:
        found_staff = None
        if staff is not None:
            found_staff = session.exec(select(StaffUser).where(StaffUser.username == staff)).one()
        found_person = session.get_one(Person, person.id) if person else None
        office_id = found_person.office_id if found_person else None
        row = (
            session.get_one(Office, office_id)
            if office_id
            else session.exec(select(Office).where(Office.code == office)).one()
        )
        issued = link_codes.issue(
            session=session,
            kind=kind,
            office=row,
            person=found_person,
            staff=found_staff,
            now=harness.now,
            valid_for=link_codes.lifetime(kind, harness.settings),
            secret=harness.settings.secret_key.get_secret_value(),
            issued_by="test",
        )
        session.commit()
    return issued.code


def linked_person(harness: Harness, chat: int) -> int | None:
    with Session(harness.engine) as session:
        conversation = session.exec(
            select(Conversation).where(Conversation.chat_id == str(chat))
        ).one()
        return conversation.person_id


@dataclass(frozen=True)
class People:
    siti: Person  # applicant of a UEP proposal in Lamandau, member of a KUBE in Bone
    budi: Person  # no proposals at all
    uep: Proposal
    kube: Proposal


SITI_BIRTH = date(1980, 8, 17)


# Siti's phone on file, as an operator typed it; her WhatsApp number is the same phone.
SITI_PHONE = "0812-3456-7001"


@pytest.fixture
def people(harness: Harness) -> People:
    return make_people(harness.engine)


def make_people(engine: Engine) -> People:
    """Siti (a phone on file, a UEP proposal, a KUBE membership) and Budi (no phone, nothing
    applied for), in a database whose catalogue is synced."""
    with Session(engine, expire_on_commit=False) as session:
        offices = {o.code: o for o in session.exec(select(Office)).all()}
        programmes = {p.code: p for p in session.exec(select(Programme)).all()}
        lamandau, bone = offices["62.09"], offices["73.08"]
        siti = Person(
            office_id=lamandau.id or 0,
            nik=make_nik("62.09", 1, SITI_BIRTH, "P", 7),
            kk_number="6209010101260007",
            name="Siti Aminah",
            birth_date=SITI_BIRTH,
            sex="P",
            marital_status="kawin",
            phone=SITI_PHONE,
            phone_e164=phones.normalise(SITI_PHONE) or "",
        )
        budi = Person(
            office_id=lamandau.id or 0,
            nik=make_nik("62.09", 2, date(1975, 1, 5), "L", 8),
            kk_number="6209020101260008",
            name="Budi Santoso",
            birth_date=date(1975, 1, 5),
            sex="L",
            marital_status="kawin",
        )
        session.add_all([siti, budi])
        session.flush()
        group = BeneficiaryGroup(office_id=bone.id or 0, name="KUBE Mawar", kind="kube")
        session.add(group)
        session.flush()
        session.add(GroupMember(group_id=group.id or 0, person_id=siti.id or 0, role="anggota"))
        uep = Proposal(
            number="UEP-LMD-2026-0007",
            programme_id=programmes["uep-lamandau"].id or 0,
            office_id=lamandau.id or 0,
            applicant_person_id=siti.id,
            step_position=2,
            # Entered verification on Monday 2 March; two working days make it due Wednesday.
            step_entered_at=datetime(2026, 3, 2, 2, 0, tzinfo=UTC),
            submitted_at=datetime(2026, 3, 2, 1, 0, tzinfo=UTC),
        )
        kube = Proposal(
            number="KUBE-BON-2026-0003",
            programme_id=programmes["kube-bone"].id or 0,
            office_id=bone.id or 0,
            applicant_group_id=group.id,
            step_position=1,
            step_entered_at=MORNING - timedelta(hours=1),
            submitted_at=MORNING - timedelta(hours=1),
        )
        session.add_all([uep, kube])
        session.commit()
        return People(siti=siti, budi=budi, uep=uep, kube=kube)
