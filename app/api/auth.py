"""Log in, log out, and who am I. A token is opaque; only its hash is stored."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.api.deps import NowDep, SessionDep, SignedIn, TokenDep
from app.api.schemas import ERRORS, LoginIn, LoginOut, StaffPublic
from app.login import authenticate
from models import Office, StaffUser
from services.staff import log_out

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
async def login(
    request: Request, body: Annotated[LoginIn, Depends(login_body)], now: NowDep
) -> LoginOut:
    """Failed log-ins are throttled per username and per client address (429 with
    Retry-After); the password is checked outside any transaction (app/login.py)."""
    token, staff = await authenticate(request, body.username, body.password, now)

    def public() -> StaffPublic:
        with Session(request.app.state.engine) as session:
            return staff_public(session, staff)

    return LoginOut(token=token, access_token=token, staff=await run_in_threadpool(public))


@router.post(
    "/logout",
    summary="End this token's session",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=ERRORS,
)
def logout(session: SessionDep, staff: SignedIn, token: TokenDep) -> Response:
    log_out(session=session, token=token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", summary="The logged-in staff user", responses=ERRORS)
def me(session: SessionDep, staff: SignedIn) -> StaffPublic:
    return staff_public(session, staff)
