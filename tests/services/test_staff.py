"""Staff accounts: log-in throttling, sessions that end, and what an admin may change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from core.db import unit_of_work
from core.settings import Settings
from models import AuditLog, LoginFailure, Office, StaffSession, StaffUser
from services import staff as staff_service
from services.catalogue import load_catalogue
from services.catalogue_sync import apply_catalogue
from services.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    TooManyAttempts,
    Unauthorized,
)

NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
PASSWORD = "sandi-yang-cukup-panjang"
SETTINGS = Settings(
    demo_mode=True,
    login_max_failures=3,
    login_max_failures_per_address=5,
    login_lock_minutes=15,
    session_hours=12,
    session_idle_minutes=60,
)


@pytest.fixture
def offices(engine: Engine) -> dict[str, Office]:
    with unit_of_work(engine) as session:
        apply_catalogue(session=session, catalogue=load_catalogue())
        return {o.slug: o for o in session.exec(select(Office)).all()}


def _add(engine: Engine, office: Office, username: str, role: str) -> StaffUser:
    with unit_of_work(engine) as session:
        return staff_service.add_staff(
            session=session,
            by=None,
            office_id=office.id or 0,
            username=username,
            full_name=username,
            role=role,
            password=PASSWORD,
            now=NOW,
        )


def _log_in(
    engine: Engine, username: str, password: str, *, at: datetime = NOW, address: str = "10.0.0.1"
) -> str:
    """As app/login.py does it: three steps, the hash checked between two transactions."""
    with unit_of_work(engine) as session:
        attempt = staff_service.begin_log_in(
            session=session, username=username, address=address, now=at, settings=SETTINGS
        )
    ok = staff_service.password_matches(attempt.password_hash, password)
    with unit_of_work(engine) as session:
        token, _ = staff_service.finish_log_in(
            session=session, attempt=attempt, password_ok=ok, now=at, hours=12
        )
    return token


def _who(engine: Engine, token: str, at: datetime) -> StaffUser:
    with unit_of_work(engine) as session:
        return staff_service.staff_for_token(
            session=session, token=token, now=at, idle_minutes=SETTINGS.session_idle_minutes
        )


class TestThrottling:
    def test_the_right_password_is_refused_once_a_username_is_locked(
        self, engine: Engine, offices: dict[str, Office]
    ) -> None:
        _add(engine, offices["bone"], "bone.ayu", "operator")
        for _ in range(3):
            with pytest.raises(Unauthorized):
                _log_in(engine, "bone.ayu", "salah-salah-salah")
        with pytest.raises(TooManyAttempts) as locked:
            _log_in(engine, "BONE.AYU", PASSWORD, at=NOW + timedelta(minutes=1))
        assert locked.value.status == 429
        assert locked.value.params == {"minutes": 14}
        # Fifteen minutes after the first failure counted, the lock lifts.
        assert _log_in(engine, "bone.ayu", PASSWORD, at=NOW + timedelta(minutes=15, seconds=1))

    def test_a_success_forgives_the_failures_before_it(
        self, engine: Engine, offices: dict[str, Office]
    ) -> None:
        _add(engine, offices["bone"], "bone.ayu", "operator")
        for _ in range(2):
            with pytest.raises(Unauthorized):
                _log_in(engine, "bone.ayu", "salah-salah-salah")
        _log_in(engine, "bone.ayu", PASSWORD)
        for _ in range(2):
            with pytest.raises(Unauthorized):
                _log_in(engine, "bone.ayu", "salah-salah-salah")
        assert _log_in(engine, "bone.ayu", PASSWORD)

    def test_one_address_trying_many_usernames_is_locked(
        self, engine: Engine, offices: dict[str, Office]
    ) -> None:
        _add(engine, offices["bone"], "bone.ayu", "operator")
        for n in range(5):
            with pytest.raises(Unauthorized):
                _log_in(engine, f"tebakan.{n}", "salah-salah-salah", address="203.0.113.9")
        with pytest.raises(TooManyAttempts):
            _log_in(engine, "bone.ayu", PASSWORD, address="203.0.113.9")
        assert _log_in(engine, "bone.ayu", PASSWORD, address="10.0.0.2")  # another address

    def test_an_unknown_username_and_a_disabled_account_answer_alike(
        self, engine: Engine, offices: dict[str, Office]
    ) -> None:
        ayu = _add(engine, offices["bone"], "bone.ayu", "operator")
        with unit_of_work(engine) as session:
            staff_service.set_active(
                session=session, by=None, staff_id=ayu.id or 0, active=False, now=NOW
            )
        for username in ("bone.nobody", "bone.ayu"):
            with pytest.raises(Unauthorized) as refused:
                _log_in(engine, username, PASSWORD)
            assert refused.value.key == "error.bad_login"


class TestSessions:
    def test_a_session_ends_when_idle_or_at_its_absolute_expiry(
        self, engine: Engine, offices: dict[str, Office]
    ) -> None:
        _add(engine, offices["bone"], "bone.ayu", "operator")
        token = _log_in(engine, "bone.ayu", PASSWORD)
        # Used every 55 minutes it lasts, but never past its twelve hours.
        for step in range(1, 14):
            assert _who(engine, token, NOW + timedelta(minutes=55 * step)).username == "bone.ayu"
        with pytest.raises(Unauthorized):
            _who(engine, token, NOW + timedelta(hours=12))

        idle = _log_in(engine, "bone.ayu", PASSWORD)
        with pytest.raises(Unauthorized):
            _who(engine, idle, NOW + timedelta(minutes=61))

    def test_ended_sessions_and_old_failures_are_pruned(
        self, engine: Engine, offices: dict[str, Office]
    ) -> None:
        _add(engine, offices["bone"], "bone.ayu", "operator")
        kept = _log_in(engine, "bone.ayu", PASSWORD, at=NOW + timedelta(minutes=50))
        _log_in(engine, "bone.ayu", PASSWORD)
        with pytest.raises(Unauthorized):
            _log_in(engine, "bone.ayu", "salah-salah-salah")
        with unit_of_work(engine) as session:
            pruned = staff_service.prune(
                session=session, now=NOW + timedelta(minutes=61), settings=SETTINGS
            )
        assert pruned == (1, 1)
        assert _who(engine, kept, NOW + timedelta(minutes=61)).username == "bone.ayu"
        with Session(engine) as session:
            assert len(session.exec(select(StaffSession)).all()) == 1
            assert session.exec(select(LoginFailure)).all() == []


class TestAdministration:
    def test_an_admin_acts_on_their_own_office_only_and_never_on_themself(
        self, engine: Engine, offices: dict[str, Office]
    ) -> None:
        admin = _add(engine, offices["bone"], "bone.admin", "admin")
        ayu = _add(engine, offices["bone"], "bone.ayu", "operator")
        other = _add(engine, offices["lamandau"], "lamandau.rina", "operator")
        with unit_of_work(engine) as session:
            staff_service.set_role(
                session=session, by=admin, staff_id=ayu.id or 0, role="supervisor", now=NOW
            )
        with Session(engine) as session, pytest.raises(NotFound):
            staff_service.set_active(
                session=session, by=admin, staff_id=other.id or 0, active=False, now=NOW
            )
        with Session(engine) as session, pytest.raises(Conflict):
            staff_service.set_active(
                session=session, by=admin, staff_id=admin.id or 0, active=False, now=NOW
            )
        with Session(engine) as session, pytest.raises(Conflict):
            staff_service.set_role(
                session=session, by=admin, staff_id=admin.id or 0, role="operator", now=NOW
            )
        with Session(engine) as session, pytest.raises(Forbidden):
            staff_service.reset_password(session=session, by=other, staff_id=other.id or 0, now=NOW)
        with Session(engine) as session:
            trail = session.exec(
                select(AuditLog.action, AuditLog.staff_id, AuditLog.detail)
                .where(AuditLog.entity_id == ayu.id, AuditLog.entity == "staff_user")
                .order_by(col(AuditLog.id))
            ).all()
        assert trail[-1] == ("set_role", admin.id, "bone.ayu operator->supervisor ppid=False")

    def test_a_reset_ends_sessions_and_the_temporary_password_works_once_changed(
        self, engine: Engine, offices: dict[str, Office]
    ) -> None:
        ayu = _add(engine, offices["bone"], "bone.ayu", "operator")
        old = _log_in(engine, "bone.ayu", PASSWORD)
        with unit_of_work(engine) as session:
            temporary = staff_service.reset_password(
                session=session, by=None, staff_id=ayu.id or 0, now=NOW
            )
        with pytest.raises(Unauthorized):
            _who(engine, old, NOW)
        token = _log_in(engine, "bone.ayu", temporary)
        assert _who(engine, token, NOW).must_change_password
        with unit_of_work(engine) as session:
            me = staff_service.staff_for_token(
                session=session, token=token, now=NOW, idle_minutes=60
            )
            with pytest.raises(InvalidInput):
                staff_service.change_own_password(
                    session=session, staff=me, current=temporary, new="bone.ayu-123456",
                    now=NOW, keep_token=token,
                )  # fmt: skip
            staff_service.change_own_password(
                session=session, staff=me, current=temporary, new="sandi-baru-milik-ayu",
                now=NOW, keep_token=token,
            )  # fmt: skip
        assert not _who(engine, token, NOW).must_change_password


@pytest.mark.parametrize(
    ("password", "key"),
    [
        ("pendek", "staffadmin.password.short"),
        ("1234567890", "staffadmin.password.common"),
        ("aaaaabbbbbaaaaa", "staffadmin.password.common"),
        ("bone.ayu-rahasia", "staffadmin.password.username"),
    ],
)
def test_weak_passwords_are_refused_naming_why(password: str, key: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        staff_service.check_password(password, username="bone.ayu")
    assert refused.value.key == key
