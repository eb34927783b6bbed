"""Staff accounts, their log-in sessions, and the office/role checks every action makes."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from models import StaffSession, StaffUser
from services.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from services.roles import Role

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("sigap-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def create_staff(
    *,
    session: Session,
    office_id: int,
    username: str,
    full_name: str,
    role: str,
    password: str,
    chat: str | None = None,
) -> StaffUser:
    if role not in set(Role):
        raise InvalidInput("error.unknown_role", role=role)
    if session.exec(select(StaffUser).where(StaffUser.username == username)).first():
        raise Conflict("error.username_taken", username=username)
    staff = StaffUser(
        office_id=office_id,
        username=username,
        full_name=full_name,
        role=role,
        password_hash=hash_password(password),
        chat=chat,
    )
    session.add(staff)
    session.flush()
    return staff


def log_in(
    *, session: Session, username: str, password: str, now: datetime, hours: int
) -> tuple[str, StaffUser]:
    """A fresh opaque token; only its hash is stored, so a database leak grants nothing."""
    staff = session.exec(select(StaffUser).where(StaffUser.username == username)).first()
    try:
        _hasher.verify(staff.password_hash if staff else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        raise Unauthorized("error.bad_login") from None
    if staff is None or not staff.active:
        raise Unauthorized("error.bad_login")
    token = secrets.token_urlsafe(32)
    session.add(
        StaffSession(
            token_hash=_digest(token),
            staff_id=staff.id or 0,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    session.flush()
    return token, staff


def log_out(*, session: Session, token: str) -> None:
    row = session.exec(
        select(StaffSession).where(StaffSession.token_hash == _digest(token))
    ).first()
    if row:
        session.delete(row)
        session.flush()


def staff_for_token(*, session: Session, token: str, now: datetime) -> StaffUser:
    row = session.exec(
        select(StaffSession).where(StaffSession.token_hash == _digest(token))
    ).first()
    if row is None or row.expires_at <= now:
        raise Unauthorized("error.unauthenticated")
    staff = session.get(StaffUser, row.staff_id)
    if staff is None or not staff.active:
        raise Unauthorized("error.unauthenticated")
    return staff


def require_role(staff: StaffUser, allowed: Iterable[str]) -> None:
    if staff.role not in set(allowed):
        raise Forbidden("error.forbidden_role", role=staff.role)


def require_office(staff: StaffUser, office_id: int, *, what: str) -> None:
    """Another office's record answers as one that does not exist (404, the same words for
    ``what``): a 403 would tell anyone on staff that it exists."""
    if staff.office_id != office_id:
        raise NotFound("error.not_found", what=what)


def _session_row(session: Session, token: str) -> StaffSession | None:
    return session.exec(
        select(StaffSession).where(StaffSession.token_hash == _digest(token))
    ).first()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
