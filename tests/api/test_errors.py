"""A NUL in what staff type, through the API or a staff page's form, is never a 500.

PostgreSQL's text cannot hold a NUL, so there it is the same 422 as any other invalid input
(JSON for the API, a page for the staff pages); SQLite stores it as typed. A lone surrogate
cannot get this far: JSON bodies holding one are refused by validation, and a form's bytes
that are not UTF-8 are read as U+FFFD.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

import messages
from tests.api.conftest import LAMANDAU, PASSWORD, People, StaffFactory


def _on_postgres(db: Engine) -> bool:
    return db.dialect.name == "postgresql"


def test_a_nul_in_the_api_json_is_a_422_on_postgresql(
    staff: StaffFactory, people: People, db: Engine
) -> None:
    operator = staff(LAMANDAU, "operator")
    body = people.body(LAMANDAU)
    body["address"] = "Jalan Uji\x00 1"
    response = operator.post("/api/v1/persons", json=body)
    if _on_postgres(db):
        assert response.status_code == 422
        assert response.json()["error"] == "error.validation"
    else:
        assert response.status_code == 201, response.text


def _page_says_invalid(response: Any) -> None:
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert messages.render("error.validation") in response.text


def test_a_nul_in_the_login_form_is_a_422_page_on_postgresql(
    client: TestClient, db: Engine
) -> None:
    response = client.post("/staff/login", data={"username": "ope\x00rator", "password": "x"})
    if _on_postgres(db):
        _page_says_invalid(response)
    else:
        assert response.status_code == 401


def test_a_nul_in_a_staff_form_is_a_422_page_on_postgresql(
    client: TestClient, staff: StaffFactory, people: People, db: Engine
) -> None:
    operator = staff(LAMANDAU, "operator")
    # Someone on the office's register, for the notice to be for.
    assert operator.post("/api/v1/persons", json=people.body(LAMANDAU)).status_code == 201
    logged_in = client.post(
        "/staff/login",
        data={"username": operator.info["username"], "password": PASSWORD},
        follow_redirects=False,
    )
    assert logged_in.status_code == 303
    page = client.get("/staff/notices")
    token = re.search(r'name="form_token" value="([^"]+)"', page.text)
    assert token is not None
    form = {
        "kind": "registration",
        "title": "Pendaftaran\x00 UEP",
        "place": "Balai desa",
        "date": "2026-02-20",
        "time": "09:00",
        "form_token": token.group(1),
    }
    response = client.post("/staff/notices", data=form, follow_redirects=False)
    if _on_postgres(db):
        _page_says_invalid(response)
    else:
        assert response.status_code == 303
