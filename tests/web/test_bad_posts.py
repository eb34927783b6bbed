"""Every form of the staff pages, posted wrong, answers with a page that says what happened, never
a 5xx or a stack trace (issue 14, "Bad input"): each POST route the app registers under /staff
is sent without its form token, then with a valid token and every field empty, full of markup
and quotes, or a number too large for any column.

A signed-in admin posts, by HTTP on loopback to the real server (what a browser would send, and
what a forged request could).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi.routing import iter_route_contexts
from sqlmodel import select

from app.main import create_app
from core.db import unit_of_work
from core.settings import Settings
from models import StaffUser
from tests.web.conftest import PASSWORD, LiveSigap
from tests.web.test_every_page import OFFICE, _concrete, _values

# Fields the pages read from the whole form (app/web/forms.Posted), which the routes do not
# declare one by one: the people, group and office settings forms.
READ_WHOLE = (
    "nik", "kk_number", "name", "birth_date", "sex", "marital_status", "desa", "kecamatan",
    "address", "phone", "registries", "head_nik", "member_niks", "kind", "version", "q",
    "hours_id", "hours_en", "email", "website", "clock_kind", "clock_amount", "clock_opens",
    "clock_closes", "clock_days",
)  # fmt: skip
BAD_VALUES = {
    "empty": "",
    "markup": "'\"<script>alert(1)</script>%s{0}{{7*7}}ä\u200b",
    "too large": "9" * 40,
}


def _post_routes() -> list[tuple[str, list[str]]]:
    """(path, field names) of every POST route under /staff; logging out comes last."""
    app = create_app(Settings(database_url="sqlite://", demo_mode=True, run_workers=False))
    found = {
        route.path: [param.name for param in route.dependant.body_params]
        for route in iter_route_contexts(app.router.routes)
        if route.path.startswith("/staff") and "POST" in (route.methods or ())
    }
    return sorted(found.items(), key=lambda item: (item[0] == "/staff/logout", item[0]))


ROUTES = _post_routes()


@pytest.fixture(scope="module")
def admin(live_sigap: LiveSigap) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_sigap.url, timeout=30) as client:
        signed_in = client.post(
            "/staff/login",
            data={"username": f"{OFFICE}.admin", "password": PASSWORD, "next": "/staff"},
        )
        assert signed_in.status_code == 303
        yield client


def _token(client: httpx.Client) -> str:
    page = client.get("/staff")
    found = re.search(r'name="form_token" value="([0-9a-f]+)"', page.text)
    assert found, page.text[:500]
    return found[1]


def _said_what_happened(response: httpx.Response, path: str) -> list[str]:
    problems = []
    if response.status_code >= 500:
        problems.append(f"{path}: {response.status_code}")
    if "Traceback" in response.text or 'File "' in response.text:
        problems.append(f"{path}: shows a stack trace")
    if response.status_code >= 400 and "text/html" not in response.headers.get("content-type"):
        problems.append(f"{path}: {response.status_code} answered as {response.headers}")
    return problems


def test_every_form_posted_wrong_answers_with_a_page_never_a_5xx(
    admin: httpx.Client, live_sigap: LiveSigap
) -> None:
    values = _values(live_sigap)
    with unit_of_work(live_sigap.engine) as session:
        # Another account than the admin's own: disabling or resetting it changes no session.
        values["staff_id"] = str(
            session.exec(
                select(StaffUser.id).where(StaffUser.username == f"{OFFICE}.operator")
            ).one()
        )
    problems: list[str] = []
    for template, fields in ROUTES:
        path = _concrete(template, values)
        # No form token at all (a form kept from before, or a forged request).
        without = admin.post(path, data={name: "x" for name in fields if name != "form_token"})
        problems += _said_what_happened(without, f"{path} without a token")
        if without.status_code < 400 and template not in ("/staff/login",):
            problems.append(f"{path}: accepted without a form token ({without.status_code})")
        if template == "/staff/logout":
            continue  # nothing to get wrong but the token
        for what, bad in BAD_VALUES.items():
            names = {*fields, *READ_WHOLE} - {"form_token", "niks_file", "file"}
            data = {name: bad for name in names}
            files = {"file": ("x.csv", bad.encode()), "niks_file": ("x.csv", bad.encode())}
            response = admin.post(path, data={**data, "form_token": _token(admin)}, files=files)
            problems += _said_what_happened(response, f"{path} with {what} values")
    assert not problems, "\n".join(problems)
