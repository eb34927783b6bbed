"""Staff log in with a password, carry a bearer token, and log out."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

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
