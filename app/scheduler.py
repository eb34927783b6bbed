"""Periodic jobs, registered in one place. Each is a plain function of the database and now.

Deadlines live in the database, not in the scheduler, so a restart loses nothing and any
number of workers may run these jobs: each job claims its rows itself.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import Engine

from core.db import unit_of_work
from core.settings import Settings
from services import chat_links, notices, proposal_news
from services.catalogue import Catalogue, load_catalogue
from services.complaints import ClockPolicy, clock_policy, sweep

log = logging.getLogger("sigap.scheduler")


def sweep_complaints(engine: Engine, policy: ClockPolicy) -> None:
    fired = sweep(engine=engine, now=datetime.now(UTC), policy=policy)
    if fired:
        log.info("complaint clock: %d reminders/escalations sent", fired)


def sweep_notices(engine: Engine) -> None:
    queued = notices.sweep(engine=engine, now=datetime.now(UTC))
    if queued:
        log.info("notices: %d messages queued", queued)


def lapse_links(engine: Engine, days: int) -> None:
    with unit_of_work(engine) as session:
        ended = chat_links.lapse_idle(session=session, now=datetime.now(UTC), days=days)
    if ended:
        log.info("chat links: %d lapsed after %d days without use", ended, days)


def late_digests(engine: Engine, catalogue: Catalogue, hour: int) -> None:
    with unit_of_work(engine) as session:
        sent = proposal_news.send_late_digests(
            session=session, now=datetime.now(UTC), hour=hour, catalogue=catalogue
        )
    if sent:
        log.info("late steps: %d digests sent to staff", sent)


def build_scheduler(engine: Engine, settings: Settings) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(
        sweep_complaints,
        "interval",
        seconds=30,
        args=(engine, clock_policy(settings)),
        id="complaint-clock",
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )
    scheduler.add_job(
        sweep_notices,
        "interval",
        seconds=30,
        args=(engine,),
        id="notice-clock",
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )
    scheduler.add_job(
        lapse_links,
        "interval",
        hours=1,
        args=(engine, settings.link_lapse_days),
        id="link-lapse",
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )
    # Every 15 minutes: each office's digest goes out once a day, at its own local hour.
    scheduler.add_job(
        late_digests,
        "interval",
        minutes=15,
        args=(engine, load_catalogue(settings.catalogue_dir), settings.late_digest_hour),
        id="late-digest",
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )
    return scheduler
