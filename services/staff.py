"""Staff accounts, their log-in sessions, and the office/role checks every action makes.

Logging in happens in three steps so the password hash (argon2: tens of milliseconds of CPU
and 64 MiB) is never computed inside a transaction, where on SQLite it would hold the one
write lock: :func:`begin_log_in` counts the attempt as a failure before anything is checked
(so a burst of concurrent attempts is throttled as surely as a sequence) and returns the hash
to check; :func:`password_matches` checks it with no session at all; :func:`finish_log_in`
forgives the attempt and opens a session when the password was right. The caller commits
after each of the first and last steps.

Administration (:func:`add_staff`, :func:`set_active`, :func:`reset_password`,
:func:`set_role`) is for an office's admin (``by``) or the server's command line (``by`` is
None, ``actor`` "cli"); every change is written to the audit log.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, delete, or_, select

from core.settings import Settings
from models import LoginFailure, Office, StaffSession, StaffUser
from services import audit
from services.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    TooManyAttempts,
    Unauthorized,
)
from services.roles import STAFF_ADMINS, Role

# The guards every service uses; they live with the roles so that audit can use them too.
from services.roles import require_office as require_office
from services.roles import require_role as require_role

# Argon2id at argon2-cffi's defaults (RFC 9106's low-memory profile: 64 MiB, three passes,
# a fifth of a second of a core). PASSWORD_HASH_PROFILE=cheapest makes a hash nearly free: the
# test suite sets it (tests/conftest.py), since it creates and logs in hundreds of accounts.
# Never for an office: the web process logs a warning at start-up when it is set (app/main.py).
PASSWORD_HASH_PROFILES = {"default": profiles.RFC_9106_LOW_MEMORY, "cheapest": profiles.CHEAPEST}
PASSWORD_HASH_PROFILE = os.environ.get("PASSWORD_HASH_PROFILE", "default")
_hasher = PasswordHasher.from_parameters(
    PASSWORD_HASH_PROFILES.get(PASSWORD_HASH_PROFILE, profiles.RFC_9106_LOW_MEMORY)
)
# Verified against when the username is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("sigap-dummy-password")
# At most this many hashes at once in a process: each takes 64 MiB and a core's worth of time,
# so a flood of log-ins waits its turn instead of taking all the memory and every core.
_HASHING = threading.BoundedSemaphore(2)

PASSWORD_MIN = 10
PASSWORD_MAX = 200
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,59}")
# A session's last use is written at most this often, not on every request.
_SEEN_EVERY = timedelta(minutes=1)
# Passwords people choose first; refused whatever their length.
_COMMON = frozenset(
    {
        "1234567890",
        "0123456789",
        "12345678910",
        "qwertyuiop",
        "password123",
        "passw0rd123",
        "katasandi123",
        "administrator",
        "dinassosial",
        "dinsos12345",
        "sigap-demo",
        "sigapsigap",
    }
)
# Temporary passwords: no 0/O, 1/l/I, so they can be read aloud and typed from paper.
_TEMP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    """The one place a log-in password is checked; needs no database."""
    with _HASHING:
        try:
            return _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def check_password(password: str, *, username: str) -> None:
    """Refuse a password anyone could guess; the reason names what is wrong with it."""
    if len(password) < PASSWORD_MIN:
        raise InvalidInput("staffadmin.password.short", min=PASSWORD_MIN)
    if len(password) > PASSWORD_MAX:
        raise InvalidInput("staffadmin.password.long", max=PASSWORD_MAX)
    lowered = password.lower()
    if username and username.lower() in lowered:
        raise InvalidInput("staffadmin.password.username")
    if lowered in _COMMON or len(set(lowered)) < 5:
        raise InvalidInput("staffadmin.password.common")


def temporary_password() -> str:
    """Twelve letters and digits in three groups (59 bits), e.g. ``k7tm-qe4x-29hd``."""
    while True:
        raw = "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(12))
        candidate = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
        if len(set(raw)) >= 5:
            return candidate


def create_staff(
    *,
    session: Session,
    office_id: int,
    username: str,
    full_name: str,
    role: str,
    password: str,
    chat: str | None = None,
    password_hash: str | None = None,
) -> StaffUser:
    """The row itself, for the demo loader and tests; people are added by :func:`add_staff`.
    ``password_hash``: ``password`` already hashed (the demo's accounts share one)."""
    if role not in set(Role):
        raise InvalidInput("error.unknown_role", role=role)
    if session.exec(select(StaffUser).where(StaffUser.username == username)).first():
        raise Conflict("error.username_taken", username=username)
    staff = StaffUser(
        office_id=office_id,
        username=username,
        full_name=full_name,
        role=role,
        password_hash=password_hash or hash_password(password),
        chat=chat,
    )
    session.add(staff)
    session.flush()
    return staff


# --- logging in ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginAttempt:
    """What :func:`begin_log_in` read: the hash to check, and whose it is."""

    username: str
    key: str  # the username as throttled: lower-cased
    staff_id: int | None
    password_hash: str


def _key(username: str) -> str:
    return username.strip().lower()[:80]


def locked_until(
    *, session: Session, username: str, address: str, now: datetime, settings: Settings
) -> datetime | None:
    """When log-ins for this username, or from this address, open again; None if open.

    Failures count within the last LOGIN_LOCK_MINUTES: the limit reached, the lock lasts
    until the oldest failure that counts toward it is that old."""
    window = timedelta(minutes=settings.login_lock_minutes)
    since = now - window
    until: datetime | None = None
    for column, value, limit in (
        (LoginFailure.username, _key(username), settings.login_max_failures),
        (LoginFailure.address, address[:64], settings.login_max_failures_per_address),
    ):
        recent = session.exec(
            select(LoginFailure.at)
            .where(column == value, col(LoginFailure.at) > since)
            .order_by(col(LoginFailure.at).desc())
            .limit(limit)
        ).all()
        if len(recent) >= limit:
            opens = recent[-1] + window
            until = opens if until is None else max(until, opens)
    return until


def begin_log_in(
    *, session: Session, username: str, address: str, now: datetime, settings: Settings
) -> LoginAttempt:
    """Refuse a locked log-in (429); otherwise count this attempt as failed until
    :func:`finish_log_in` forgives it, and return the hash to check."""
    until = locked_until(
        session=session, username=username, address=address, now=now, settings=settings
    )
    if until is not None:
        raise TooManyAttempts(
            "staffadmin.login.locked", minutes=max(1, math.ceil((until - now).total_seconds() / 60))
        )
    staff = session.exec(select(StaffUser).where(StaffUser.username == username.strip())).first()
    session.add(LoginFailure(at=now, username=_key(username), address=address[:64]))
    session.flush()
    return LoginAttempt(
        username=username.strip(),
        key=_key(username),
        staff_id=staff.id if staff else None,
        password_hash=staff.password_hash if staff else _DUMMY_HASH,
    )


def finish_log_in(
    *,
    session: Session,
    attempt: LoginAttempt,
    password_ok: bool,
    now: datetime,
    hours: int,
) -> tuple[str, StaffUser]:
    """A fresh opaque token; only its hash is stored, so a database leak grants nothing.

    A wrong password leaves the attempt counted. A right one for a disabled account, or for
    a password changed while it was being checked, is refused alike."""
    staff = session.get(StaffUser, attempt.staff_id) if attempt.staff_id else None
    if (
        not password_ok
        or staff is None
        or not staff.active
        or staff.password_hash != attempt.password_hash
    ):
        raise Unauthorized("error.bad_login")
    session.exec(delete(LoginFailure).where(col(LoginFailure.username) == attempt.key))
    token = secrets.token_urlsafe(32)
    session.add(
        StaffSession(
            token_hash=_digest(token),
            staff_id=staff.id or 0,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
            last_seen_at=now,
        )
    )
    session.flush()
    return token, staff


def log_out(*, session: Session, token: str) -> None:
    row = _session_row(session, token)
    if row:
        session.delete(row)
        session.flush()


def staff_for_token(*, session: Session, token: str, now: datetime, idle_minutes: int) -> StaffUser:
    """The staff member a token belongs to, while its session lasts: until its absolute
    expiry, and no longer than ``idle_minutes`` after its last use."""
    row = _session_row(session, token)
    if (
        row is None
        or row.expires_at <= now
        or row.last_seen_at <= now - timedelta(minutes=idle_minutes)
    ):
        raise Unauthorized("error.unauthenticated")
    staff = session.get(StaffUser, row.staff_id)
    if staff is None or not staff.active:
        raise Unauthorized("error.unauthenticated")
    if now - row.last_seen_at >= _SEEN_EVERY:
        row.last_seen_at = now
        session.add(row)
    return staff


def prune(*, session: Session, now: datetime, settings: Settings) -> tuple[int, int]:
    """Delete sessions that have ended and failures too old to count; (sessions, failures)."""
    idle_since = now - timedelta(minutes=settings.session_idle_minutes)
    ended = session.exec(
        delete(StaffSession).where(
            or_(col(StaffSession.expires_at) <= now, col(StaffSession.last_seen_at) <= idle_since)
        )
    )
    old = session.exec(
        delete(LoginFailure).where(
            col(LoginFailure.at) <= now - timedelta(minutes=settings.login_lock_minutes)
        )
    )
    return ended.rowcount or 0, old.rowcount or 0


def end_sessions(*, session: Session, staff_id: int, keep_token: str | None = None) -> None:
    query = delete(StaffSession).where(col(StaffSession.staff_id) == staff_id)
    if keep_token is not None:
        query = query.where(col(StaffSession.token_hash) != _digest(keep_token))
    session.exec(query)


# --- who may do what -----------------------------------------------------------------------


# --- administration ------------------------------------------------------------------------


def find_office(*, session: Session, office: str) -> Office:
    """An office by its code (``73.08``) or slug (``bone``)."""
    row = session.exec(
        select(Office).where((Office.code == office) | (Office.slug == office))
    ).first()
    if row is None:
        known = ", ".join(session.exec(select(Office.slug).order_by(Office.slug)).all())
        raise NotFound("staffadmin.office.unknown", office=office, known=known or "-")
    return row


def find_staff(*, session: Session, username: str) -> StaffUser:
    row = session.exec(select(StaffUser).where(StaffUser.username == username)).first()
    if row is None:
        raise NotFound("staffadmin.staff.unknown", username=username)
    return row


def staff_of_office(*, session: Session, office_id: int | None) -> list[StaffUser]:
    """Every account of one office (or of all, for the command line), by office and name."""
    query = select(StaffUser).order_by(col(StaffUser.office_id), col(StaffUser.username))
    if office_id is not None:
        query = query.where(StaffUser.office_id == office_id)
    return list(session.exec(query).all())


def _role(role: str) -> Role:
    if role not in set(Role):
        raise InvalidInput("staffadmin.role.unknown", role=role, known=", ".join(Role))
    return Role(role)


def _target(session: Session, by: StaffUser | None, staff_id: int) -> StaffUser:
    if by is not None:
        require_role(by, STAFF_ADMINS)
    target = session.get(StaffUser, staff_id)
    if target is None:
        raise NotFound("staffadmin.staff.unknown", username=f"#{staff_id}")
    if by is not None:
        require_office(by, target.office_id, what=target.username)
    return target


def _not_self(by: StaffUser | None, target: StaffUser) -> None:
    """An admin never disables or demotes themself: the office would be left without one."""
    if by is not None and by.id == target.id:
        raise Conflict("staffadmin.staff.self")


def _audit(
    session: Session,
    by: StaffUser | None,
    actor: str,
    action: str,
    target: StaffUser,
    now: datetime,
    detail: str = "",
) -> None:
    audit.record(
        session=session,
        action=action,
        entity="staff_user",
        entity_id=target.id,
        now=now,
        staff=by,
        actor="" if by is not None else actor,
        detail=f"{target.username} {detail}".strip(),
    )


def check_new_staff(
    *, session: Session, username: str, full_name: str, role: str
) -> tuple[str, str]:
    """Everything about a new account but its password; the username and name as kept."""
    username = username.strip()
    if not USERNAME.fullmatch(username):
        raise InvalidInput("staffadmin.username.invalid", username=username)
    full_name = " ".join(full_name.split())
    if not full_name or len(full_name) > 120:
        raise InvalidInput("staffadmin.name.invalid")
    _role(role)
    if session.exec(select(StaffUser).where(StaffUser.username == username)).first():
        raise Conflict("error.username_taken", username=username)
    return username, full_name


def add_staff(
    *,
    session: Session,
    by: StaffUser | None,
    office_id: int,
    username: str,
    full_name: str,
    role: str,
    password: str,
    now: datetime,
    ppid: bool = False,
    actor: str = "cli",
) -> StaffUser:
    """A new account; an admin adds to their own office only."""
    if by is not None:
        require_role(by, STAFF_ADMINS)
        require_office(by, office_id, what=str(office_id))
    username, full_name = check_new_staff(
        session=session, username=username, full_name=full_name, role=role
    )
    check_password(password, username=username)
    staff = create_staff(
        session=session,
        office_id=office_id,
        username=username,
        full_name=full_name,
        role=role,
        password=password,
    )
    staff.ppid = ppid
    session.add(staff)
    _audit(session, by, actor, "create", staff, now, f"role={role} ppid={ppid}")
    session.flush()
    return staff


def set_active(
    *,
    session: Session,
    by: StaffUser | None,
    staff_id: int,
    active: bool,
    now: datetime,
    actor: str = "cli",
) -> StaffUser:
    """Disable (the account cannot log in, and its sessions end at once) or enable again."""
    target = _target(session, by, staff_id)
    _not_self(by, target)
    target.active = active
    session.add(target)
    if not active:
        end_sessions(session=session, staff_id=target.id or 0)
    _audit(session, by, actor, "enable" if active else "disable", target, now)
    session.flush()
    return target


def reset_password(
    *, session: Session, by: StaffUser | None, staff_id: int, now: datetime, actor: str = "cli"
) -> str:
    """A temporary password, to be shown once: it works for one log-in, after which the
    staff member must choose their own before anything else. Their sessions end."""
    target = _target(session, by, staff_id)
    password = temporary_password()
    target.password_hash = hash_password(password)
    target.must_change_password = True
    session.add(target)
    end_sessions(session=session, staff_id=target.id or 0)
    session.exec(delete(LoginFailure).where(col(LoginFailure.username) == _key(target.username)))
    _audit(session, by, actor, "reset_password", target, now)
    session.flush()
    return password


def set_role(
    *,
    session: Session,
    by: StaffUser | None,
    staff_id: int,
    role: str,
    now: datetime,
    ppid: bool | None = None,
    actor: str = "cli",
) -> StaffUser:
    """A new role (and, when given, whether they are the office's PPID officer)."""
    target = _target(session, by, staff_id)
    new = _role(role)
    if new != target.role:
        _not_self(by, target)
    before = target.role
    target.role = new
    if ppid is not None:
        target.ppid = ppid
    session.add(target)
    _audit(session, by, actor, "set_role", target, now, f"{before}->{new} ppid={target.ppid}")
    session.flush()
    return target


def change_own_password(
    *,
    session: Session,
    staff: StaffUser,
    current: str,
    new: str,
    now: datetime,
    keep_token: str | None,
) -> None:
    """The staff member's own new password; their other sessions end."""
    if not password_matches(staff.password_hash, current):
        raise InvalidInput("staffadmin.password.current_wrong")
    if new == current:
        raise InvalidInput("staffadmin.password.same")
    check_password(new, username=staff.username)
    staff.password_hash = hash_password(new)
    staff.must_change_password = False
    session.add(staff)
    end_sessions(session=session, staff_id=staff.id or 0, keep_token=keep_token)
    _audit(session, staff, "", "password", staff, now)
    session.flush()


def _session_row(session: Session, token: str) -> StaffSession | None:
    return session.exec(
        select(StaffSession).where(StaffSession.token_hash == _digest(token))
    ).first()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
