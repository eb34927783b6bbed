"""Personal data kept only as long as the settings say: raw inbound payloads and outbox bodies
blanked, audit rows deleted, in bounded chunks, and a second run changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from models import AuditLog, Conversation, InboundMessage, OutboxMessage
from services import retention

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
POLICY = retention.Policy(inbound_days=30, outbox_days=90, audit_days=365)
PAYLOAD = {"message": {"text": "NIK saya 7414014508910031", "from": {"first_name": "Sitti"}}}


def _run(
    session: Session, policy: retention.Policy = POLICY, limit: int = 500
) -> retention.Progress:
    """As the daily job runs it: chunk after chunk, each committed, until done."""
    progress = retention.Progress()
    chunks = 0
    while not progress.done:
        progress = retention.apply(
            session=session, now=NOW, policy=policy, progress=progress, limit=limit
        )
        session.commit()
        chunks += 1
        assert chunks < 100, "the run never ends"
    return progress


def _chat(session: Session) -> Conversation:
    chat = Conversation(channel="sim", chat_id="retention-1")
    session.add(chat)
    session.flush()
    return chat


def _inbound(session: Session, n: int, status: str, age: timedelta) -> InboundMessage:
    row = InboundMessage(
        channel="sim", platform_id=f"u-{n}", payload=dict(PAYLOAD), status=status,
        received_at=NOW - age, error="boom" if status == "quarantined" else None,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def _outbox(session: Session, chat: Conversation, status: str, age: timedelta) -> OutboxMessage:
    row = OutboxMessage(
        conversation_id=chat.id or 0, text="Usulan Ibu Sitti sudah di tahap 2.",
        buttons=[[{"label": "Sitti", "value": "1"}]], extra={"complaint": "ADU-X"},
        status=status, created_at=NOW - age, platform_message_id="m-1",
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def _audit(session: Session, age: timedelta, detail: str) -> None:
    session.add(AuditLog(at=NOW - age, action="read", entity="person", entity_id=1, detail=detail))
    session.flush()


def _fresh(session: Session, row: Any) -> Any:
    session.expire_all()
    return session.get(type(row), row.id)


class TestInboundPayloads:
    def test_handled_rows_past_their_days_are_blanked_and_the_rest_kept(
        self, session: Session
    ) -> None:
        old = timedelta(days=31)
        done = _inbound(session, 1, "done", old)
        quarantined = _inbound(session, 2, "quarantined", old)
        pending = _inbound(session, 3, "pending", old)
        recent = _inbound(session, 4, "done", timedelta(days=29))
        session.commit()

        progress = _run(session)
        assert progress.inbound == 2
        assert _fresh(session, done).payload == {}
        kept = _fresh(session, quarantined)
        assert (kept.payload, kept.error, kept.platform_id) == ({}, "boom", "u-2")
        assert _fresh(session, pending).payload == PAYLOAD  # not handled yet: never touched
        assert _fresh(session, recent).payload == PAYLOAD

    def test_many_rows_go_in_bounded_chunks_and_a_second_run_changes_nothing(
        self, session: Session
    ) -> None:
        for n in range(7):
            _inbound(session, n, "done", timedelta(days=40))
        session.commit()
        assert _run(session, limit=3).inbound == 7
        payloads = session.exec(select(InboundMessage.payload)).all()
        assert payloads == [{}] * 7
        assert _run(session, limit=3).changed == 0


class TestOutboxBodies:
    def test_finished_messages_lose_their_text_and_keep_what_counts(self, session: Session) -> None:
        chat = _chat(session)
        old = timedelta(days=91)
        finished = [_outbox(session, chat, s, old) for s in ("sent", "failed", "unreachable")]
        queued = _outbox(session, chat, "queued", old)
        recent = _outbox(session, chat, "sent", timedelta(days=89))
        session.commit()

        assert _run(session).outbox == 3
        for row in finished:
            kept = _fresh(session, row)
            assert (kept.text, kept.buttons) == ("", [])
            # What an officer's reply is matched by, and the counts, stay.
            assert (kept.extra, kept.platform_message_id) == ({"complaint": "ADU-X"}, "m-1")
        assert _fresh(session, queued).text.startswith("Usulan")
        assert _fresh(session, recent).text.startswith("Usulan")
        statuses = session.exec(select(OutboxMessage.status)).all()
        assert sorted(statuses) == ["failed", "queued", "sent", "sent", "unreachable"]
        assert _run(session).changed == 0

    def test_a_template_loses_its_parameters_with_the_text(self, session: Session) -> None:
        chat = _chat(session)
        rows = [_outbox(session, chat, s, timedelta(days=91)) for s in ("delivered", "read")]
        for row in rows:
            named = {"name": "sigap_complaint_answer", "params": ["ADU-X", "Saldo Ibu Sitti"]}
            row.extra = {"complaint": "ADU-X", "template": named}
            session.add(row)
        session.commit()

        assert _run(session).outbox == 2
        for row in rows:
            kept = _fresh(session, row)
            assert kept.text == ""
            assert kept.extra == {
                "complaint": "ADU-X",
                "template": {"name": "sigap_complaint_answer", "params": []},
            }


class TestAuditRows:
    def test_rows_past_their_days_are_deleted(self, session: Session) -> None:
        _audit(session, timedelta(days=366), "old")
        _audit(session, timedelta(days=365), "exactly a year")
        _audit(session, timedelta(days=2), "recent")
        for n in range(4):
            _audit(session, timedelta(days=400 + n), f"older {n}")
        session.commit()

        assert _run(session, limit=2).audit == 5
        left = session.exec(select(AuditLog.detail).order_by(col(AuditLog.id))).all()
        assert left == ["exactly a year", "recent"]
        assert _run(session).changed == 0


def test_zero_days_keeps_a_kind_forever(session: Session) -> None:
    chat = _chat(session)
    old = timedelta(days=5000)
    inbound = _inbound(session, 1, "done", old)
    outbox = _outbox(session, chat, "sent", old)
    _audit(session, old, "ancient")
    session.commit()
    forever = retention.Policy(inbound_days=0, outbox_days=0, audit_days=0)
    assert _run(session, forever).changed == 0
    assert _fresh(session, inbound).payload == PAYLOAD
    assert _fresh(session, outbox).text.startswith("Usulan")
    assert session.exec(select(AuditLog.detail)).all() == ["ancient"]
