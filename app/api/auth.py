"""Log in, log out, and who am I. A token is opaque; only its hash is stored."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlmodel import Session

from app.api.deps import CurrentStaff, NowDep, SessionDep, SettingsDep, TokenDep
from app.api.schemas import ERRORS, LoginIn, LoginOut, StaffPublic
from models import Office, StaffUser
from services.staff import log_in, log_out

router = APIRouter(prefix="/auth", tags=["auth"])

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_LOGIN_SCHEMA = {
    "type": "object",
    "required": ["username", "password"],
    "properties": {"username": {"type": "string"}, "password": {"type": "string"}},
}


async def login_body(request: Request) -> LoginIn:
    """JSON for programs, the OAuth2 password form for Swagger's Authorize button."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    data: Any
    if content_type in _FORM_TYPES:
        form = await request.form()
        data = {k: v for k, v in form.items() if k in ("username", "password")}
    else:
        raw = await request.body()
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise RequestValidationError(
                [{"loc": ("body",), "msg": "body is not valid JSON", "type": "json_invalid"}]
            ) from None
    try:
        return LoginIn.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False, include_context=False)) from None


def staff_public(session: Session, staff: StaffUser) -> StaffPublic:
    office = session.get(Office, staff.office_id)
    return StaffPublic(
        id=staff.id or 0,
        username=staff.username,
        full_name=staff.full_name,
        role=staff.role,
        office_id=staff.office_id,
        office_code=office.code if office else "",
        office_name=office.name if office else "",
    )


@router.post(
    "/login",
    summary="Log in and get a bearer token",
    responses=ERRORS,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": _LOGIN_SCHEMA},
                "application/x-www-form-urlencoded": {"schema": _LOGIN_SCHEMA},
            },
        }
    },
)
def login(
    body: Annotated[LoginIn, Depends(login_body)],
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
) -> LoginOut:
    token, staff = log_in(
        session=session,
        username=body.username,
        password=body.password,
        now=now,
        hours=settings.session_hours,
    )
    return LoginOut(token=token, access_token=token, staff=staff_public(session, staff))


@router.post(
    "/logout",
    summary="End this token's session",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=ERRORS,
)
def logout(session: SessionDep, staff: CurrentStaff, token: TokenDep) -> Response:
    log_out(session=session, token=token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", summary="The logged-in staff user", responses=ERRORS)
def me(session: SessionDep, staff: CurrentStaff) -> StaffPublic:
    return staff_public(session, staff)
