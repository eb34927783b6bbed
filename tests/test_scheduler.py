"""The periodic jobs as the worker registers them; the daily retention job end to end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.scheduler import build_scheduler, enforce_retention
from core.settings import Settings
from models import AuditLog, InboundMessage
from services import retention


def test_retention_runs_daily_with_the_settings_days(engine: Engine) -> None:
    settings = Settings(
        database_url=engine.url.render_as_string(hide_password=False),
        demo_mode=True,
        retention_inbound_days=7,
        retention_outbox_days=0,
        retention_audit_days=400,
    )
    job = build_scheduler(engine, settings).get_job("retention")
    assert job is not None
    assert isinstance(job.trigger, IntervalTrigger)
    assert job.trigger.interval == timedelta(days=1)
    assert job.args[1] == retention.Policy(inbound_days=7, outbox_days=0, audit_days=400)


def test_the_job_blanks_and_deletes_what_is_past_its_days(engine: Engine) -> None:
    now = datetime.now(UTC)
    long_ago = now - timedelta(days=4000)
    with Session(engine) as session:
        session.add_all(
            [
                InboundMessage(channel="sim", platform_id="old", payload={"text": "x"},
                               status="done", received_at=long_ago),
                InboundMessage(channel="sim", platform_id="new", payload={"text": "y"},
                               status="done", received_at=now),
                AuditLog(at=long_ago, action="read", entity="person", entity_id=1),
                AuditLog(at=now, action="read", entity="person", entity_id=2),
            ]
        )  # fmt: skip
        session.commit()
    enforce_retention(engine, retention.Policy(inbound_days=30, outbox_days=90, audit_days=1825))
    with Session(engine) as session:
        rows = session.exec(select(InboundMessage.platform_id, InboundMessage.payload)).all()
        payloads = {platform_id: payload for platform_id, payload in rows}
        assert payloads == {"old": {}, "new": {"text": "y"}}
        assert session.exec(select(AuditLog.entity_id)).all() == [2]
