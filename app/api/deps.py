"""Typed dependencies every endpoint shares: the request's unit of work, the clock, the caller."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session

from core.db import unit_of_work
from core.settings import Settings
from models import StaffUser
from services.catalogue import Catalogue
from services.errors import Forbidden, Unauthorized
from services.roles import CASE_READERS, CASE_WRITERS
from services.staff import require_role, staff_for_token

# PostgreSQL's integer columns stop here; a larger id would be a database error, not a 404.
MAX_ID = 2**31 - 1
# And its BIGINT ones here (models.base.BigId: events, attachments, the audit log).
MAX_BIG_ID = 2**63 - 1

LOGIN_PATH = "/api/v1/auth/login"
# auto_error=False: a missing token must leave as our own 401 JSON, not FastAPI's plain one.
_bearer = OAuth2PasswordBearer(tokenUrl=LOGIN_PATH, auto_error=False)


def get_now() -> datetime:
    """The request's clock; tests override it through ``app.dependency_overrides``."""
    return datetime.now(UTC)


def get_session(request: Request) -> Iterator[Session]:
    """One session per request, committed only if the endpoint and its response succeed."""
    # A value the database refuses (sqlalchemy's DataError) is answered 422 by app/errors.py.
    with unit_of_work(request.app.state.engine) as session:
        yield session


def get_catalogue(request: Request) -> Catalogue:
    catalogue: Catalogue = request.app.state.catalogue
    return catalogue


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


NowDep = Annotated[datetime, Depends(get_now)]
# scope="function": the commit runs before the response is sent, so a failed commit is
# reported to the caller instead of a 200 for data that never landed.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
CatalogueDep = Annotated[Catalogue, Depends(get_catalogue)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_token(token: Annotated[str | None, Depends(_bearer)]) -> str:
    if not token:
        raise Unauthorized("error.unauthenticated")
    return token


TokenDep = Annotated[str, Depends(get_token)]


def get_signed_in(
    session: SessionDep, token: TokenDep, now: NowDep, settings: SettingsDep
) -> StaffUser:
    return staff_for_token(
        session=session, token=token, now=now, idle_minutes=settings.session_idle_minutes
    )


# Logged in, even with a temporary password still to replace (who am I, log out).
SignedIn = Annotated[StaffUser, Depends(get_signed_in)]


def get_current_staff(staff: SignedIn) -> StaffUser:
    if staff.must_change_password:
        raise Forbidden("staffadmin.password.change_first")
    return staff


CurrentStaff = Annotated[StaffUser, Depends(get_current_staff)]


def staff_in(roles: Iterable[str]) -> Callable[[StaffUser], StaffUser]:
    """A dependency giving the logged-in staff user, refused (403) outside ``roles``."""
    allowed = frozenset(roles)

    def dependency(staff: CurrentStaff) -> StaffUser:
        require_role(staff, allowed)
        return staff

    return dependency


# Every case endpoint names who may call it in its signature.
CaseReader = Annotated[StaffUser, Depends(staff_in(CASE_READERS))]
CaseWriter = Annotated[StaffUser, Depends(staff_in(CASE_WRITERS))]

RecordId = Annotated[int, Path(ge=1, le=MAX_ID, description="Record id")]
BigRecordId = Annotated[int, Path(ge=1, le=MAX_BIG_ID, description="Record id")]
