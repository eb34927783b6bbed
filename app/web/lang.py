"""The staff pages' language: Indonesian unless the staff member chose English.

The choice is a cookie of the staff pages (not a setting of the account: a shared office PC
keeps whatever the last person chose, and the login page itself can be read in English). A
small ASGI middleware reads it into a context variable for the request, so every sentence a
page renders (``messages.render(key, current())``), including an error page, is in that
language without each page passing it along.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import RedirectResponse
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

import messages
from app.web.session import safe_next

COOKIE = "sigap_lang"
ONE_YEAR = 365 * 24 * 3600
_current: ContextVar[str] = ContextVar("staff_page_language", default=messages.DEFAULT_LANGUAGE)

router = APIRouter(prefix="/staff", include_in_schema=False)


def current() -> str:
    """The language of the page being rendered."""
    return _current.get()


def chosen(cookie: str | None) -> str:
    return cookie if cookie in messages.LANGUAGES else messages.DEFAULT_LANGUAGE


class LanguageFromCookie:
    """Sets the language of each request to the staff pages from its cookie."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith("/staff"):
            await self.app(scope, receive, send)
            return
        token = _current.set(chosen(HTTPConnection(scope).cookies.get(COOKIE)))
        try:
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)


@router.get("/language/{lang}")
def switch(lang: str, next: Annotated[str, Query(max_length=300)] = "/staff") -> RedirectResponse:
    """A link, not a form: choosing a language changes nothing but this browser's cookie."""
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        COOKIE, chosen(lang), max_age=ONE_YEAR, httponly=True, samesite="lax", path="/staff"
    )
    return response
