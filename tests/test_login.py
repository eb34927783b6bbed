"""Logging in under a flood: a real uvicorn server on loopback on SQLite, where computing the
password hash inside the write transaction once made concurrent log-ins fail with
`database is locked` and stalled /healthz."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import httpx
from sqlmodel import select

from app.main import create_app
from core.db import make_engine, unit_of_work
from core.settings import Settings
from models import Office
from services.catalogue import load_catalogue
from services.catalogue_sync import apply_catalogue
from services.staff import create_staff
from tests.fakes.loopback import serving

PASSWORD = "sandi-yang-cukup-panjang"


async def test_48_concurrent_wrong_log_ins_on_sqlite_never_give_a_5xx(
    sqlite_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "sigap.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with unit_of_work(engine) as session:
        apply_catalogue(session=session, catalogue=load_catalogue())
        bone = session.exec(select(Office).where(Office.slug == "bone")).one()
        create_staff(
            session=session,
            office_id=bone.id or 0,
            username="bone.ayu",
            full_name="Ayu",
            role="operator",
            password=PASSWORD,
        )
    engine.dispose()
    # No lock gets in the way: every one of the 48 has its password hashed.
    settings = Settings(
        database_url=url,
        demo_mode=True,
        run_workers=False,
        login_max_failures=1000,
        login_max_failures_per_address=1000,
    )
    with serving(create_app(settings)) as base:
        async with httpx.AsyncClient(base_url=base, timeout=120) as client:

            async def wrong(n: int) -> int:
                username = "bone.ayu" if n % 2 else f"bone.nobody{n}"
                body = {"username": username, "password": f"salah-{n}"}
                if n % 3 == 0:  # the staff page's form
                    return (await client.post("/staff/login", data=body)).status_code
                return (await client.post("/api/v1/auth/login", json=body)).status_code

            flood = asyncio.gather(*(wrong(n) for n in range(48)))
            health: list[int] = []
            while not flood.done():
                health.append((await client.get("/healthz")).status_code)
            statuses = await flood
            right = await client.post(
                "/api/v1/auth/login", json={"username": "bone.ayu", "password": PASSWORD}
            )
    assert statuses == [401] * 48
    assert health and set(health) == {200}
    assert right.status_code == 200
