"""Liveness and readiness.

``/healthz`` answers whether the process is alive and its database answers; ``/readyz``
whether this process should be given work: the database answers *and* its schema is the one
this code was written for (the head Alembic migration). A database one migration behind
answers ``select 1`` happily while every job that touches the new column fails, so a load
balancer or an orchestrator that routes on ``/readyz`` keeps such a process out of service and
the reason is in the body.
"""

from __future__ import annotations

import functools
import logging

from alembic.migration import MigrationContext
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import Engine

from app.migrate import head_revision
from core.db import read_only

log = logging.getLogger("sigap.health")


class NotReady(Exception):
    """Why this process should not be given work, in words for an operator."""


def schema_revision(engine: Engine) -> str | None:
    """The database's current Alembic revision; None before `sigap db upgrade` ran."""
    with read_only(engine).connect() as conn:
        heads = MigrationContext.configure(conn).get_current_heads()
    return ",".join(sorted(heads)) or None


def check_ready(engine: Engine, head: str) -> str:
    """The schema's revision when it is at ``head``; raises :class:`NotReady` otherwise."""
    try:
        current = schema_revision(engine)
    except Exception as exc:
        # The driver's message may carry the connection string: only its kind is logged.
        log.warning("readiness: database unreachable (%s)", type(exc).__name__)
        raise NotReady("database unreachable") from exc
    if current is None:
        raise NotReady(f"schema not created (run 'sigap db upgrade'), head is {head}")
    if current != head:
        raise NotReady(f"schema at {current}, head is {head}")
    return current


def install(app: FastAPI, engine: Engine) -> None:
    # The migrations on disk do not change while the process runs: read them once, at the
    # first probe rather than at start-up.
    head = functools.cache(head_revision)

    @app.get("/readyz", tags=["health"])
    def readyz() -> JSONResponse:
        """200 when the database answers and its schema is at the head migration; 503 with
        the reason otherwise."""
        try:
            revision = check_ready(engine, head())
        except NotReady as exc:
            return JSONResponse({"status": "not_ready", "reason": str(exc)}, 503)
        return JSONResponse({"status": "ready", "database": "ok", "schema": revision})
