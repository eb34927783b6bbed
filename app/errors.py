"""Every error leaves as JSON that says what is wrong; a domain error keeps its own status."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

import messages
from services.errors import DomainError, InvalidInput, TooManyAttempts

log = logging.getLogger("sigap.api")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(_request: Request, exc: DomainError) -> JSONResponse:
        headers = (
            {"Retry-After": str(exc.retry_after_seconds)}
            if isinstance(exc, TooManyAttempts)
            else None
        )
        return JSONResponse(exc.as_dict(), status_code=exc.status, headers=headers)

    @app.exception_handler(DataError)
    async def _refused_by_database(_request: Request, _exc: DataError) -> JSONResponse:
        # Input the schemas let through but the database refuses (a NUL in a text on
        # PostgreSQL, a value out of a column's range): the caller's mistake, so a 422, for
        # every route and form alike, rather than a 500.
        invalid = InvalidInput("error.validation")
        return JSONResponse(invalid.as_dict(), status_code=invalid.status)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {
                "field": ".".join(str(p) for p in item["loc"] if p != "body"),
                "problem": item["msg"],
            }
            for item in exc.errors()
        ]
        body = {
            "error": "error.validation",
            "message": messages.render("error.validation", "id"),
            "message_en": messages.render("error.validation", "en"),
            "details": details,
        }
        return JSONResponse(body, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            {"error": f"http.{exc.status_code}", "message": str(exc.detail)},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Logged without the request body: it may carry a NIK.
        log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path)
        body = {
            "error": "error.internal",
            "message": messages.render("error.internal", "id"),
            "message_en": messages.render("error.internal", "en"),
        }
        return JSONResponse(body, status_code=500)
