"""A person asks how to reach their office (menu 5) after the office set its own hours and
phone on the staff pages: the bot gives what the office set, in the person's language."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from core.db import unit_of_work
from models import Office
from services.office_settings import SettingsIn, save_settings
from services.roles import Role
from services.staff import create_staff
from tests.bot.chat_harness import Harness

LAMANDAU = "62.09"


def _office_number(harness: Harness, code: str) -> str:
    codes = [o.code for o in harness.catalogue.offices]
    return str(codes.index(code) + 1)


async def test_the_bot_gives_the_hours_and_phone_the_office_set(harness: Harness) -> None:
    with unit_of_work(harness.engine) as session:
        office = session.exec(select(Office).where(Office.code == LAMANDAU)).one()
        spec = harness.catalogue.office(LAMANDAU)
        assert spec is not None
        admin = create_staff(
            session=session,
            office_id=office.id or 0,
            username="lamandau.admin.test",
            full_name="Admin Lamandau",
            role=Role.ADMIN,
            password="a-long-enough-password-1",
        )
        save_settings(
            session=session,
            staff=admin,
            office=office,
            spec=spec,
            data=SettingsIn(
                hours_id="Senin–Kamis 07.30–15.30 WIB",
                hours_en="Monday–Thursday 07:30–15:30 (WIB)",
                phone="0532-21000",
            ),
            now=harness.now - timedelta(hours=1),
        )

    await harness.says(9101, "5")
    [reply] = await harness.says(9101, _office_number(harness, LAMANDAU))
    assert "Telepon: 0532-21000" in reply
    assert "Jam layanan: Senin–Kamis 07.30–15.30 WIB" in reply

    await harness.says(9101, "0")
    await harness.says(9101, "6")
    await harness.presses(9101, "2")  # English
    [reply] = await harness.says(9101, "5")
    assert "Monday–Thursday 07:30–15:30 (WIB)" in reply
