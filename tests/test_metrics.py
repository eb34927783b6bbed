"""/metrics: what the queues, the senders and the complaint clock look like to Prometheus,
read from the database, parsed with prometheus_client's own parser."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlmodel import Session, select

from app.main import create_app
from core.settings import Settings
from models import InboundMessage, Notice, NoticeRound, Office, SendCount, utcnow
from services.complaints import NewComplaint, clock_policy, file_complaint
from tests.bot import chat_harness
from tests.bot.chat_harness import Harness, text_update

# The bot tests' fixtures.
catalogue = chat_harness.catalogue
fake_telegram = chat_harness.fake_telegram
harness = chat_harness.harness
settings = chat_harness.settings

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def parse(body: str) -> Samples:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples[(name, tuple(sorted(labels.items())))]


async def scrape(harness: Harness) -> Samples:
    # httpx's ASGI transport calls from 127.0.0.1: a scraper on this machine.
    response = await harness.client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=")
    return parse(response.text)


def _complaint(harness: Harness, *, received_hours_ago: float) -> str:
    now = utcnow()
    with Session(harness.engine, expire_on_commit=False) as session:
        office = session.exec(select(Office).where(Office.slug == "buton-tengah")).one()
        complaint = file_complaint(
            session=session,
            data=NewComplaint(
                office_id=office.id or 0,
                category="pungli",
                description="Dimintai uang saat pencairan.",
                channel="book",
            ),
            now=now - timedelta(hours=received_hours_ago),
            policy=clock_policy(harness.settings),
        )
        session.commit()
        return complaint.number


async def test_the_queues_the_sends_and_the_complaints_as_prometheus_reads_them(
    harness: Harness,
) -> None:
    fake = harness.fake
    assert await harness.says(7101, "halo")  # sent
    fake.fail_next(1, 403)
    assert await harness.says(7102, "halo") == []  # the bot was blocked
    fake.fail_next(1, 429, retry_after=3)
    assert await harness.says(7103, "halo") == []  # waits, queued
    # One update stored and not handled yet, one set aside long ago.
    await harness.post(text_update(harness.next_update_id(), 7104, "halo"))
    with Session(harness.engine) as session:
        session.add(
            InboundMessage(
                channel="telegram", platform_id="quarantined-1", status="quarantined", attempts=3
            )
        )
        # A notice whose time has come, not yet broadcast by the job.
        office = session.exec(select(Office).where(Office.slug == "lamandau")).one()
        notice = Notice(
            office_id=office.id or 0,
            kind="socialisation",
            title="Sosialisasi UEP",
            place="Aula Dinas Sosial",
            starts_at=utcnow() + timedelta(days=2),
            send_at=utcnow() - timedelta(minutes=1),
        )
        session.add(notice)
        session.flush()
        session.add(NoticeRound(notice_id=notice.id or 0, kind="notice", due_at=notice.send_at))
        session.add(
            NoticeRound(
                notice_id=notice.id or 0, kind="reminder-1", due_at=utcnow() + timedelta(days=1)
            )
        )
        session.commit()
    _complaint(harness, received_hours_ago=60)  # past its 48 hours
    _complaint(harness, received_hours_ago=1)

    samples = await scrape(harness)

    assert value(samples, "sigap_database_up") == 1
    assert value(samples, "sigap_inbound_pending", channel="telegram") == 1
    assert value(samples, "sigap_inbound_quarantined", channel="telegram") == 1
    assert value(samples, "sigap_inbound_oldest_pending_age_seconds", channel="telegram") >= 0
    assert value(samples, "sigap_outbox_queued", channel="telegram") == 1
    # The queued reply was made at the harness's morning, long before this scrape.
    assert value(samples, "sigap_outbox_oldest_queued_age_seconds", channel="telegram") > 0
    assert value(samples, "sigap_outbox_queued", channel="whatsapp") == 0
    assert value(samples, "sigap_notice_messages_queued", channel="telegram") == 0
    assert value(samples, "sigap_sends_total", channel="telegram", outcome="sent") == 1
    assert value(samples, "sigap_sends_total", channel="telegram", outcome="unreachable") == 1
    assert value(samples, "sigap_sends_total", channel="telegram", outcome="retry") == 1
    assert (
        value(
            samples,
            "sigap_send_errors_total",
            channel="telegram",
            outcome="unreachable",
            code="403",
        )
        == 1
    )
    assert (
        value(samples, "sigap_send_errors_total", channel="telegram", outcome="retry", code="429")
        == 1
    )
    assert value(samples, "sigap_complaints_open", office="buton-tengah") == 2
    assert value(samples, "sigap_complaints_overdue", office="buton-tengah") == 1
    assert value(samples, "sigap_notices_due", kind="notice") == 1
    assert value(samples, "sigap_notices_due", kind="reminder") == 0
    # The webhook's requests were timed under the route's template, not the raw path.
    webhook = {"method": "POST", "route": "/webhooks/telegram", "status": "200"}
    assert value(samples, "sigap_http_request_duration_seconds_count", **webhook) == 4

    # A send recorded by another worker process lands on its own rows; the figure is the sum.
    with Session(harness.engine) as session:
        mine = session.exec(select(SendCount).where(SendCount.outcome == "sent")).one()
        session.add(
            SendCount(channel="telegram", outcome="sent", code="", shard=mine.shard + 1, count=5)
        )
        session.commit()
    samples = await scrape(harness)
    assert value(samples, "sigap_sends_total", channel="telegram", outcome="sent") == 6


def _app(database_url: str, **values: str) -> TestClient:
    app = create_app(
        Settings(database_url=database_url, demo_mode=True, run_workers=False, **values)  # type: ignore[arg-type]
    )
    return TestClient(app, raise_server_exceptions=False, client=("203.0.113.7", 40000))


def test_without_a_token_only_this_machine_outside_any_proxy_may_read(database_url: str) -> None:
    remote = _app(database_url)
    assert remote.get("/metrics").status_code == 403
    local = TestClient(remote.app, client=("127.0.0.1", 40000))
    assert local.get("/metrics").status_code == 200
    assert TestClient(remote.app, client=("::1", 40000)).get("/metrics").status_code == 200
    # A reverse proxy on this machine makes everyone look local; its header gives it away.
    forwarded = local.get("/metrics", headers={"X-Forwarded-For": "198.51.100.2"})
    assert forwarded.status_code == 403


def test_with_a_token_any_address_that_presents_it_may_read(database_url: str) -> None:
    client = _app(database_url, metrics_token="scrape-me-please")
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", headers={"Authorization": "Bearer scrape-me-not"})
    assert wrong.status_code == 401
    right = client.get("/metrics", headers={"Authorization": "Bearer scrape-me-please"})
    assert right.status_code == 200
    assert value(parse(right.text), "sigap_database_up") == 1


def test_a_database_that_does_not_answer_is_reported_not_a_failed_scrape(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "sigap.db"
    path.write_bytes(b"not a database " * 512)
    client = TestClient(
        create_app(Settings(database_url=f"sqlite:///{path}", demo_mode=True, run_workers=False)),
        client=("127.0.0.1", 40000),
    )
    response = client.get("/metrics")
    assert response.status_code == 200
    assert value(parse(response.text), "sigap_database_up") == 0


async def test_a_request_to_no_route_is_timed_under_one_label(harness: Harness) -> None:
    for path in ("/nothing/1", "/nothing/2?nik=7414014508910031"):
        assert (await harness.client.get(path)).status_code == 404
    samples = await scrape(harness)
    unmatched = {"method": "GET", "route": "unmatched", "status": "404"}
    assert value(samples, "sigap_http_request_duration_seconds_count", **unmatched) == 2
    assert not any("7414014508910031" in str(labels) for _, labels in samples)
