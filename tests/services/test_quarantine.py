"""Updates the bot set aside after failing three times: the admin sees them without what the
person wrote, and sends one back to be handled again or discards it; audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from models import AuditLog, InboundMessage, Office
from services import quarantine
from services.errors import Conflict, Forbidden, NotFound
from tests import privacy_world as build
from tests.privacy_world import NOW


def _update(session: Session, office: Office | None, chat_id: str, text: str) -> InboundMessage:
    chat = build.chat(session, chat_id)
    chat.office_id = office.id if office else None
    row = InboundMessage(
        channel="sim",
        platform_id=f"u-{chat_id}",
        conversation_id=chat.id,
        received_at=NOW - timedelta(hours=2),
        payload={"update_id": 7, "message": {"chat": {"id": chat_id}, "text": text}},
        status="quarantined",
        attempts=3,
        error="KeyError",
        processed_at=NOW - timedelta(hours=1),
    )
    session.add(row)
    session.flush()
    return row


def test_the_admin_sees_the_offices_set_aside_updates_without_what_was_written(
    session: Session,
) -> None:
    offices = build.offices(session)
    buteng, bone = offices["buton-tengah"], offices["bone"]
    admin = build.staff(session, buteng, "admin", "t.admin")
    mine = _update(session, buteng, "c1", "Saya mau tanya, NIK saya 7414014508910031 sudah benar")
    homeless = _update(session, None, "c2", "halo")
    _update(session, bone, "c3", "bukan urusan Buton Tengah")

    rows = quarantine.set_aside(session=session, staff=admin)

    assert [r.id for r in rows] == [homeless.id, mine.id] or [r.id for r in rows] == [
        mine.id,
        homeless.id,
    ]
    shown = next(r for r in rows if r.id == mine.id)
    assert (shown.channel, shown.error, shown.attempts) == ("sim", "KeyError", 3)
    assert "7414014508910031" not in shown.excerpt and "•••" in shown.excerpt
    assert len(shown.excerpt) <= quarantine.EXCERPT
    assert next(r for r in rows if r.id == homeless.id).office_known is False


def test_a_retried_update_goes_back_to_the_queue_once(session: Session) -> None:
    buteng = build.offices(session)["buton-tengah"]
    admin = build.staff(session, buteng, "admin", "t.admin")
    row = _update(session, buteng, "c1", "halo")

    quarantine.retry(session=session, staff=admin, inbound_id=row.id or 0, now=NOW)
    session.refresh(row)
    assert (row.status, row.attempts, row.processed_at) == ("pending", 0, None)
    with pytest.raises(Conflict):
        quarantine.retry(session=session, staff=admin, inbound_id=row.id or 0, now=NOW)

    trail = session.exec(select(AuditLog).where(AuditLog.entity == "inbound_message")).all()
    assert [(a.action, a.entity_id, a.staff_id) for a in trail] == [("update", row.id, admin.id)]
    assert trail[0].detail.startswith("pending (was KeyError, 3 tries)")


def test_a_discarded_update_is_never_handled(session: Session) -> None:
    buteng = build.offices(session)["buton-tengah"]
    admin = build.staff(session, buteng, "admin", "t.admin")
    row = _update(session, buteng, "c1", "halo")

    quarantine.discard(session=session, staff=admin, inbound_id=row.id or 0, now=NOW)
    session.refresh(row)
    assert (row.status, row.processed_at) == ("discarded", NOW)
    assert quarantine.set_aside(session=session, staff=admin) == []


def test_only_an_admin_and_only_of_their_office(session: Session) -> None:
    offices = build.offices(session)
    buteng, bone = offices["buton-tengah"], offices["bone"]
    row = _update(session, bone, "c1", "halo")
    head = build.staff(session, bone, "head", "t.kadis")
    with pytest.raises(Forbidden):
        quarantine.set_aside(session=session, staff=head)
    with pytest.raises(Forbidden):
        quarantine.retry(session=session, staff=head, inbound_id=row.id or 0, now=NOW)
    stranger = build.staff(session, buteng, "admin", "t.admin")
    with pytest.raises(NotFound):
        quarantine.discard(session=session, staff=stranger, inbound_id=row.id or 0, now=NOW)
    session.refresh(row)
    assert row.status == "quarantined"


def test_an_excerpt_is_short_and_masks_long_numbers() -> None:
    payload = {"entry": [{"changes": [{"value": {"messages": [{"text": {"body": "x"}}]}}]}]}
    assert quarantine.excerpt(payload) == "x"
    assert quarantine.excerpt({"message": {"text": "HP 081234567890 ya"}}) == "HP ••• ya"
    long = quarantine.excerpt({"message": {"text": "kata " * 30}})
    assert len(long) == quarantine.EXCERPT and long.endswith("…")
    assert quarantine.excerpt({"callback_query": {"data": "menu:2"}}) == "menu:2"
    assert quarantine.excerpt({}) == ""
