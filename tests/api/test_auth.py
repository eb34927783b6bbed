"""Staff log in with a password, carry a bearer token, and log out."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from models import StaffUser
from services.staff import reset_password

LAMANDAU = "62.09"
PASSWORD = "kata-sandi-uji-123"  # the staff fixture's
StaffFactory = Any


def test_a_staff_user_logs_in_sees_who_they_are_and_logs_out(
    client: TestClient, staff: StaffFactory
) -> None:
    operator = staff(LAMANDAU, "operator")

    me = operator.get("/api/v1/auth/me")
    assert me.status_code == 200
    assert me.json()["username"] == "operator.6209"
    assert me.json()["office_code"] == LAMANDAU

    assert operator.post("/api/v1/auth/logout").status_code == 204
    after = operator.get("/api/v1/auth/me")
    assert after.status_code == 401
    assert after.json()["error"] == "error.unauthenticated"


def test_swagger_logs_in_with_the_oauth2_password_form(
    client: TestClient, staff: StaffFactory
) -> None:
    staff(LAMANDAU, "operator")
    response = client.post(
        "/api/v1/auth/login", data={"username": "operator.6209", "password": PASSWORD}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["role"] == "operator"


def test_a_wrong_password_is_refused_with_401(client: TestClient, staff: StaffFactory) -> None:
    staff(LAMANDAU, "operator")
    response = client.post(
        "/api/v1/auth/login", json={"username": "operator.6209", "password": "salah"}
    )
    assert response.status_code == 401
    assert response.json()["error"] == "error.bad_login"


def test_no_token_or_a_made_up_token_gets_401(client: TestClient) -> None:
    assert client.get("/api/v1/programmes").status_code == 401
    forged = client.get("/api/v1/programmes", headers={"Authorization": "Bearer made-up"})
    assert forged.status_code == 401
    assert forged.json()["message_en"] == "Please log in first."


def test_malformed_login_json_is_a_422_not_a_500(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/login",
        content=b'{"username": "x", "password":',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["error"] == "error.validation"


def test_login_with_an_unknown_field_is_refused(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/login", json={"username": "x", "password": "y", "role": "admin"}
    )
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == "role"


def test_five_wrong_passwords_lock_the_username_even_for_the_right_one(
    client: TestClient, staff: StaffFactory
) -> None:
    staff(LAMANDAU, "operator")
    for _ in range(5):
        wrong = client.post(
            "/api/v1/auth/login", json={"username": "operator.6209", "password": "salah-lagi"}
        )
        assert wrong.status_code == 401
    locked = client.post(
        "/api/v1/auth/login", json={"username": "operator.6209", "password": PASSWORD}
    )
    assert locked.status_code == 429
    assert locked.json()["error"] == "staffadmin.login.locked"
    assert locked.headers["Retry-After"] == "900"
    page = client.post("/staff/login", data={"username": "operator.6209", "password": PASSWORD})
    assert page.status_code == 429
    assert "Coba lagi dalam 15 menit" in page.text


def test_a_temporary_password_opens_only_who_am_i_and_log_out(
    client: TestClient, staff: StaffFactory, db: Any
) -> None:
    staff(LAMANDAU, "operator")
    with Session(db) as session:
        operator = session.exec(
            select(StaffUser).where(StaffUser.username == "operator.6209")
        ).one()
        temporary = reset_password(
            session=session, by=None, staff_id=operator.id or 0, now=datetime.now(UTC)
        )
        session.commit()
    body = client.post(
        "/api/v1/auth/login", json={"username": "operator.6209", "password": temporary}
    ).json()
    headers = {"Authorization": f"Bearer {body['token']}"}
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 200
    refused = client.get("/api/v1/programmes", headers=headers)
    assert refused.status_code == 403
    assert refused.json()["error"] == "staffadmin.password.change_first"
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
