"""Who is at the staff pages: the log-in token in an HttpOnly cookie, and forms bound to it.

The token is the staff API's own opaque token (only its hash is stored). The cookie is
SameSite=Strict, so another site cannot make a logged-in browser post a form; every form also
carries a token derived from the session, so a form from an earlier session is refused.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from fastapi import Request
from sqlmodel import Session

from models import StaffUser
from services.errors import Unauthorized
from services.staff import staff_for_token

COOKIE = "sigap_staff"


class LoginRequired(Exception):
    """No valid session: the page answers with a redirect to the log-in form."""

    def __init__(self, next_path: str, *, expired: bool) -> None:
        self.next_path = next_path
        self.expired = expired


class FormExpired(Exception):
    """A posted form's token does not belong to this session."""


class PasswordChangeRequired(Exception):
    """Logged in with a temporary password: the change-password page comes first."""


PASSWORD_PAGE = "/staff/password"


def current_staff(request: Request, session: Session, now: datetime) -> StaffUser:
    token = request.cookies.get(COOKIE)
    if not token:
        raise LoginRequired(request.url.path, expired=False)
    idle = request.app.state.settings.session_idle_minutes
    try:
        staff = staff_for_token(session=session, token=token, now=now, idle_minutes=idle)
    except Unauthorized:
        raise LoginRequired(request.url.path, expired=True) from None
    if staff.must_change_password and request.url.path != PASSWORD_PAGE:
        raise PasswordChangeRequired()
    return staff


def form_token(request: Request) -> str:
    token = request.cookies.get(COOKIE, "")
    return hashlib.sha256(b"sigap-form:" + token.encode()).hexdigest()[:32]


def check_form(request: Request, given: str) -> None:
    if not hmac.compare_digest(form_token(request), given):
        raise FormExpired()


def safe_next(path: str | None) -> str:
    """Only a path of the staff pages themselves; never another site after logging in."""
    if path and path.startswith("/staff") and not path.startswith("//"):
        return path
    return "/staff"
