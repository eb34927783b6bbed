"""The staff API over real HTTP (TestClient runs the lifespan, so the catalogue is synced)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.api.deps import get_now
from app.main import create_app
from core.settings import Settings
from models import Office
from services.nik import make_nik
from services.staff import create_staff

PASSWORD = "kata-sandi-uji-123"
# A Monday morning with no holiday near it, so working-day standards count plainly.
START = datetime(2026, 2, 2, 2, 0, tzinfo=UTC)

LAMANDAU, BONE, BEKASI, MANGGARAI, BUTON_TENGAH = "62.09", "73.08", "32.75", "53.10", "74.14"


@dataclass
class Clock:
    now: datetime = START

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(database_url: str, clock: Clock) -> FastAPI:
    # The stories move the clock by hours between requests: sessions here end only at their
    # absolute expiry (idle expiry is told in tests/services/test_staff.py).
    settings = Settings(
        database_url=database_url, demo_mode=True, run_workers=False, session_idle_minutes=720
    )
    app = create_app(settings)
    app.dependency_overrides[get_now] = lambda: clock.now
    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def db(app: FastAPI, client: TestClient) -> Engine:
    """The app's own engine, for arranging staff and checking audit rows behind the API."""
    engine: Engine = app.state.engine
    return engine


@dataclass
class Staff:
    """A logged-in staff user: every request carries their bearer token."""

    client: TestClient
    token: str
    info: dict[str, Any]
    headers: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.headers = {"Authorization": f"Bearer {self.token}"}

    def log_in_again(self) -> None:
        """After the clock moves past the session's hours, as a person would next morning."""
        response = self.client.post(
            "/api/v1/auth/login", json={"username": self.info["username"], "password": PASSWORD}
        )
        assert response.status_code == 200, response.text
        self.token = response.json()["token"]
        self.__post_init__()

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.get(url, headers=headers, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.post(url, headers=headers, **kwargs)


StaffFactory = Callable[[str, str], Staff]


@pytest.fixture
def staff(client: TestClient, db: Engine) -> StaffFactory:
    """``staff(office_code, role)``: a real staff user, created once and logged in via the API."""
    made: dict[tuple[str, str], Staff] = {}

    def make(office_code: str, role: str) -> Staff:
        if (office_code, role) in made:
            return made[(office_code, role)]
        username = f"{role}.{office_code.replace('.', '')}"
        with Session(db) as session:
            office = session.exec(select(Office).where(Office.code == office_code)).one()
            create_staff(
                session=session,
                office_id=office.id or 0,
                username=username,
                full_name=f"{role} {office.name}",
                role=role,
                password=PASSWORD,
            )
            session.commit()
        response = client.post(
            "/api/v1/auth/login", json={"username": username, "password": PASSWORD}
        )
        assert response.status_code == 200, response.text
        body = response.json()
        made[(office_code, role)] = Staff(client, body["token"], body["staff"])
        return made[(office_code, role)]

    return make


@dataclass
class People:
    """Registers people through the API with structurally real NIKs of an office's region."""

    serial: int = 1

    def body(
        self,
        office_code: str,
        *,
        name: str = "Siti Aminah",
        born: date = date(1980, 5, 17),
        sex: str = "P",
        kecamatan: int = 1,
        marital_status: str = "kawin",
        registries: tuple[str, ...] = ("DTKS",),
        kk_number: str | None = None,
        desa: str = "Desa Uji",
    ) -> dict[str, Any]:
        serial = self.serial
        self.serial += 1
        nik = make_nik(office_code, kecamatan, born, sex, serial)
        kk = (
            kk_number
            or make_nik(office_code, kecamatan, date(2001, 1, 1), "L", serial)[:12]
            + f"{serial:04d}"
        )
        return {
            "nik": nik,
            "kk_number": kk,
            "name": name,
            "birth_place": "Nanga Bulik",
            "birth_date": born.isoformat(),
            "sex": sex,
            "marital_status": marital_status,
            "address": "Jalan Uji 1",
            "desa": desa,
            "kecamatan": f"Kecamatan {kecamatan}",
            "registries": list(registries),
        }

    def register(self, as_staff: Staff, **kwargs: Any) -> dict[str, Any]:
        body = self.body(as_staff.info["office_code"], **kwargs)
        response = as_staff.post("/api/v1/persons", json=body)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    def group(
        self, as_staff: Staff, members: list[dict[str, Any]], name: str = "KUBE Maju"
    ) -> dict[str, Any]:
        response = as_staff.post(
            "/api/v1/groups", json={"name": name, "member_niks": [m["nik"] for m in members]}
        )
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result


@pytest.fixture
def people() -> People:
    return People()
