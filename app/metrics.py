"""``/metrics`` in Prometheus' text format.

Everything about the bot's work is read from the database when scraped, so the figures are
the same whichever process answers and however many workers there are: the queues (inbound
pending and quarantined, outbox backlog and its oldest row per channel), the send counts
(written by the senders in the transaction that records each send, see models/ops.py), the
complaints open and past their deadline, and the notices in flight. Each is one query over an
index that holds only the rows counted (pending or quarantined updates, queued messages, open
complaints, due notices), never over the history.

Only the HTTP request latency is kept in the process that answered: with several web
processes (``sigap serve --workers N``) each scrape sees the requests of the one process that
happened to answer it. Prometheus' ``rate()`` over those is still a fair sample of latency;
for exact totals scrape each process on its own port.

Who may read it: with ``METRICS_TOKEN`` set, a scraper that sends it as a bearer token;
without, only a client on this machine whose request came through no reverse proxy.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Connection, Engine, case, func, select
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.db import read_only
from models import (
    BULK,
    Complaint,
    Conversation,
    InboundMessage,
    NoticeRound,
    Office,
    OutboxMessage,
    SendCount,
    utcnow,
)

log = logging.getLogger("sigap.metrics")
FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")

_INBOUND = InboundMessage.__table__  # type: ignore[attr-defined]
_OUTBOX = OutboxMessage.__table__  # type: ignore[attr-defined]
_CHAT = Conversation.__table__  # type: ignore[attr-defined]
_COUNTS = SendCount.__table__  # type: ignore[attr-defined]
_COMPLAINT = Complaint.__table__  # type: ignore[attr-defined]
_OFFICE = Office.__table__  # type: ignore[attr-defined]
_ROUND = NoticeRound.__table__  # type: ignore[attr-defined]


def _age(now: datetime, oldest: datetime | None) -> float:
    return max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0


def database_metrics(conn: Connection, *, now: datetime, channels: Sequence[str]) -> list[Metric]:
    """The bot's and the complaints' figures at ``now``, read through ``conn``."""
    families: list[Metric] = []

    inbound = {
        status: GaugeMetricFamily(
            f"sigap_inbound_{status}",
            f"Inbound updates {why}, per channel.",
            labels=["channel"],
        )
        for status, why in (
            ("pending", "stored and not yet handled"),
            ("quarantined", "set aside after failing repeatedly (a bug to report)"),
        )
    }
    inbound_age = GaugeMetricFamily(
        "sigap_inbound_oldest_pending_age_seconds",
        "Age of the oldest pending inbound update, per channel (0 when none).",
        labels=["channel"],
    )
    rows = conn.execute(
        select(
            _INBOUND.c.channel,
            _INBOUND.c.status,
            func.count(),
            func.min(_INBOUND.c.received_at),
        )
        .where(_INBOUND.c.status.in_(["pending", "quarantined"]))
        .group_by(_INBOUND.c.channel, _INBOUND.c.status)
    ).all()
    seen: dict[tuple[str, str], tuple[int, datetime | None]] = {
        (str(channel), str(status)): (int(count), oldest) for channel, status, count, oldest in rows
    }
    for channel in _with(channels, (c for c, _ in seen)):
        for status, family in inbound.items():
            family.add_metric([channel], seen.get((channel, status), (0, None))[0])
        inbound_age.add_metric([channel], _age(now, seen.get((channel, "pending"), (0, None))[1]))
    families += [*inbound.values(), inbound_age]

    queued = GaugeMetricFamily(
        "sigap_outbox_queued",
        "Outbound messages queued and not yet delivered, per channel.",
        labels=["channel"],
    )
    queued_age = GaugeMetricFamily(
        "sigap_outbox_oldest_queued_age_seconds",
        "Age of the oldest queued outbound message, per channel (0 when none).",
        labels=["channel"],
    )
    notices_queued = GaugeMetricFamily(
        "sigap_notice_messages_queued",
        "Messages of notice broadcasts and reminders queued and not yet delivered, per channel.",
        labels=["channel"],
    )
    rows = conn.execute(
        select(
            _CHAT.c.channel,
            func.count(),
            func.min(_OUTBOX.c.created_at),
            func.sum(case((_OUTBOX.c.priority == BULK, 1), else_=0)),
        )
        .select_from(_OUTBOX.join(_CHAT, _CHAT.c.id == _OUTBOX.c.conversation_id))
        .where(_OUTBOX.c.status == "queued")
        .group_by(_CHAT.c.channel)
    ).all()
    backlog = {str(channel): (int(n), oldest, int(bulk or 0)) for channel, n, oldest, bulk in rows}
    for channel in _with(channels, backlog):
        n, oldest, bulk = backlog.get(channel, (0, None, 0))
        queued.add_metric([channel], n)
        queued_age.add_metric([channel], _age(now, oldest))
        notices_queued.add_metric([channel], bulk)
    families += [queued, queued_age, notices_queued]

    sends = CounterMetricFamily(
        "sigap_sends",
        "Send attempts recorded by the senders of every worker, per channel and outcome "
        "(sent, retry, unreachable, failed).",
        labels=["channel", "outcome"],
    )
    errors = CounterMetricFamily(
        "sigap_send_errors",
        "Send attempts that did not go, per channel, outcome and the platform's error code "
        "(or network, timeout).",
        labels=["channel", "outcome", "code"],
    )
    rows = conn.execute(
        select(_COUNTS.c.channel, _COUNTS.c.outcome, _COUNTS.c.code, func.sum(_COUNTS.c.count))
        .group_by(_COUNTS.c.channel, _COUNTS.c.outcome, _COUNTS.c.code)
        .order_by(_COUNTS.c.channel, _COUNTS.c.outcome, _COUNTS.c.code)
    ).all()
    by_outcome: dict[tuple[str, str], int] = {(channel, "sent"): 0 for channel in channels}
    for channel, outcome, code, total in rows:
        key = (str(channel), str(outcome))
        by_outcome[key] = by_outcome.get(key, 0) + int(total or 0)
        if outcome != "sent":
            errors.add_metric([str(channel), str(outcome), str(code)], int(total or 0))
    for (channel, outcome), total in sorted(by_outcome.items()):
        sends.add_metric([channel, outcome], total)
    families += [sends, errors]

    open_complaints = GaugeMetricFamily(
        "sigap_complaints_open",
        "Complaints not yet answered, per office.",
        labels=["office"],
    )
    overdue = GaugeMetricFamily(
        "sigap_complaints_overdue",
        "Complaints not yet answered and past their deadline (2x24 hours), per office.",
        labels=["office"],
    )
    rows = conn.execute(
        select(
            _OFFICE.c.slug,
            func.count(),
            func.sum(case((_COMPLAINT.c.due_at < now, 1), else_=0)),
        )
        .select_from(_COMPLAINT.join(_OFFICE, _OFFICE.c.id == _COMPLAINT.c.office_id))
        .where(_COMPLAINT.c.status == "open")
        .group_by(_OFFICE.c.slug)
        .order_by(_OFFICE.c.slug)
    ).all()
    for slug, count, late in rows:
        open_complaints.add_metric([str(slug)], int(count))
        overdue.add_metric([str(slug)], int(late or 0))
    families += [open_complaints, overdue]

    due = GaugeMetricFamily(
        "sigap_notices_due",
        "Rounds of notices whose time has come and that are not yet done: the notice itself "
        "(kind=notice), reminders (kind=reminder), corrections and cancellations; the notice "
        "job takes them every few seconds.",
        labels=["kind"],
    )
    kind = case(
        (_ROUND.c.kind.like("reminder-%"), "reminder"),
        (_ROUND.c.kind.like("correction-%"), "correction"),
        else_=_ROUND.c.kind,
    )
    rounds = dict(
        conn.execute(
            select(kind, func.count())
            .where(_ROUND.c.status.in_(("scheduled", "running")), _ROUND.c.due_at <= now)
            .group_by(kind)
        ).all()
    )
    for name in sorted({"notice", "reminder", *rounds}):
        due.add_metric([str(name)], int(rounds.get(name, 0)))
    families.append(due)
    return families


def _with(channels: Sequence[str], found: Iterable[str]) -> list[str]:
    """Every known channel (a zero is a figure too) and any other the rows name."""
    return sorted({*channels, *found})


class DatabaseCollector(Collector):
    """Reads the database at every scrape; a database that does not answer is reported as
    ``sigap_database_up 0`` rather than failing the scrape."""

    def __init__(self, engine: Engine, channels: Sequence[str]) -> None:
        self.engine = read_only(engine)
        self.channels = tuple(channels)

    def describe(self) -> Iterator[Metric]:
        # Registering asks a collector without this for its metrics: a query at start-up.
        return iter(())

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("sigap_database_up", "1 when the database answered this scrape.")
        try:
            with self.engine.connect() as conn:
                families = database_metrics(conn, now=utcnow(), channels=self.channels)
        except Exception as exc:
            log.warning("metrics: database unreachable (%s)", type(exc).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families


class RequestLatency:
    """Times every HTTP request of this process, labelled by route template (never the raw
    path, whose ids and query values would make a series per request and could carry a NIK)."""

    def __init__(self, app: ASGIApp, histogram: Histogram, routes: Sequence[Any]) -> None:
        self.app = app
        self.histogram = histogram
        self.routes = routes  # the application's, complete by the first request
        self._paths: dict[Any, str] | None = None

    def _template(self, scope: Scope) -> str:
        route = scope.get("route")
        if route is not None and getattr(route, "path", None):
            return str(route.path)
        # FastAPI names only its own routes in the scope; a plain route (the webhooks) is
        # known by its endpoint.
        if self._paths is None:
            self._paths = {}
            for each in self.routes:
                endpoint = getattr(each, "endpoint", None)
                if endpoint is not None:
                    self._paths.setdefault(endpoint, str(each.path))
        endpoint = scope.get("endpoint")
        return self._paths.get(endpoint, "unmatched") if endpoint is not None else "unmatched"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            self.histogram.labels(scope["method"], self._template(scope), str(status)).observe(
                time.perf_counter() - started
            )


def _allowed(request: Request, token: str) -> bool:
    if token:
        given = request.headers.get("authorization", "")
        scheme, _, value = given.partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(value.encode(), token.encode())
    # No token: this machine only, and not through a proxy on it (which would make every
    # visitor look local).
    if any(request.headers.get(name) for name in FORWARDING_HEADERS):
        return False
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def install(app: FastAPI, engine: Engine, channels: Sequence[str]) -> None:
    registry = CollectorRegistry(auto_describe=True)
    registry.register(DatabaseCollector(engine, channels))
    latency = Histogram(
        "sigap_http_request_duration_seconds",
        "HTTP requests answered by this web process, by method, route template and status.",
        ["method", "route", "status"],
        registry=registry,
    )
    app.add_middleware(RequestLatency, histogram=latency, routes=app.router.routes)
    app.state.metrics = registry
    settings: Any = app.state.settings
    token = settings.metrics_token.get_secret_value() if settings.metrics_token else ""

    @app.get("/metrics", tags=["health"], include_in_schema=False)
    def metrics(request: Request) -> Response:
        if not _allowed(request, token):
            if token:
                return JSONResponse(
                    {"ok": False, "error": "unauthorized", "message": "bearer token required"},
                    401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
            reason = "without METRICS_TOKEN, only from this machine and through no proxy"
            return JSONResponse({"ok": False, "error": "forbidden", "message": reason}, 403)
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
