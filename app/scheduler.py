"""Periodic jobs, registered in one place. Each is a plain function of the database and now.

Deadlines live in the database, not in the scheduler, so a restart loses nothing and any
number of workers may run these jobs: each job claims its rows itself.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import Engine

from bot.attachments import fetch_pending
from bot.runtime import new_worker_id
from bot.statuses import apply_held
from core.db import unit_of_work
from core.settings import Settings
from services import chat_links, notice_fanout, proposal_news, retention, staff
from services.catalogue import Catalogue, load_catalogue
from services.complaints import Clock, clock_rules, sweep

log = logging.getLogger("sigap.scheduler")


def sweep_complaints(engine: Engine, policy: Clock) -> None:
    fired = sweep(engine=engine, now=datetime.now(UTC), policy=policy)
    if fired:
        log.info("complaint clock: %d reminders/escalations sent", fired)


NOTICE_JOB = "notice-rounds"
WORKER_ID = new_worker_id()


def send_notices(engine: Engine, phone_channel: str | None) -> None:
    """Fan out every notice round that is due (the notice, reminders, corrections,
    cancellations), chunk by chunk under a lease, so any number of workers may run it."""
    queued = notice_fanout.run_due(
        engine=engine, now=datetime.now(UTC), worker_id=WORKER_ID, phone_channel=phone_channel
    )
    if queued:
        log.info("notices: %d messages queued", queued)


def kick_notices(scheduler: AsyncIOScheduler) -> None:
    """Run the notice job now rather than at its next turn (a notice to send at once)."""
    job = scheduler.get_job(NOTICE_JOB)
    if job is not None:
        job.modify(next_run_time=datetime.now(UTC))


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


def enforce_retention(engine: Engine, policy: retention.Policy) -> None:
    """Blank or delete what is past its keeping, one chunk a transaction, with a pause between
    chunks so webhooks and the processor get the write lock in between."""
    now = datetime.now(UTC)
    progress = retention.Progress()
    while not progress.done:
        with unit_of_work(engine) as session:
            progress = retention.apply(session=session, now=now, policy=policy, progress=progress)
        time.sleep(0.05)
    if progress.changed:
        log.info(
            "retention: %d inbound payloads and %d outbox bodies blanked, %d audit rows deleted",
            progress.inbound, progress.outbox, progress.audit,
        )  # fmt: skip


def prune_staff_sessions(engine: Engine, settings: Settings) -> None:
    with unit_of_work(engine) as session:
        ended, failures = staff.prune(session=session, now=datetime.now(UTC), settings=settings)
    if ended or failures:
        log.info("staff log-ins: %d ended sessions and %d old failures pruned", ended, failures)


def apply_held_statuses(engine: Engine) -> None:
    applied = apply_held(engine, now=datetime.now(UTC))
    if applied:
        log.info("delivery statuses: %d that came before their row was sent applied", applied)


async def fetch_attachments(engine: Engine, settings: Settings) -> None:
    stored = await fetch_pending(engine, settings, now=datetime.now(UTC))
    if stored:
        log.info("complaint attachments: %d files fetched", stored)


def build_scheduler(
    engine: Engine, settings: Settings, catalogue: Catalogue | None = None
) -> AsyncIOScheduler:
    catalogue = catalogue or load_catalogue(settings.catalogue_dir)
    rules = clock_rules(settings, catalogue)
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(
        sweep_complaints,
        "interval",
        seconds=30,
        args=(engine, rules),
        id="complaint-clock",
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )
    # Every 2 s (one indexed query when nothing is due): a notice to send at once starts
    # within seconds even in a worker process the web process cannot kick.
    scheduler.add_job(
        send_notices,
        "interval",
        seconds=2,
        args=(engine, settings.phone_channel or None),
        id=NOTICE_JOB,
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
    scheduler.add_job(
        enforce_retention,
        "interval",
        hours=24,
        args=(engine, retention.Policy.of(settings)),
        id="retention",
        max_instances=1,
        coalesce=True,
        # Daily from a while after start-up, which is busy enough; an office that switches the
        # server off at night still gets its daily run.
        next_run_time=datetime.now(UTC) + timedelta(minutes=10),
    )
    scheduler.add_job(
        prune_staff_sessions,
        "interval",
        minutes=10,
        args=(engine, settings),
        id="staff-session-prune",
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )
    # Every 5 s (one indexed read when nothing is held): a status WhatsApp sent before the
    # sender recorded its message reaches the row a few seconds late, not never.
    scheduler.add_job(
        apply_held_statuses,
        "interval",
        seconds=5,
        args=(engine,),
        id="held-statuses",
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )
    scheduler.add_job(
        fetch_attachments,
        "interval",
        seconds=15,
        args=(engine, settings),
        id="attachment-fetch",
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )
    # Every 15 minutes: each office's digest goes out once a day, at its own local hour.
    scheduler.add_job(
        late_digests,
        "interval",
        minutes=15,
        args=(engine, catalogue, settings.late_digest_hour),
        id="late-digest",
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )
    return scheduler
