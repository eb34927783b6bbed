"""The simulator's HTTP side, only in demo mode: post a message, poll the bot's replies, a page,
and the officers' chats to watch (a message with a ``sender_id`` speaks as that officer).

It enters through the same path as a real platform: an InboundMessage row, the processor, the
outbox, and a sender (which here only marks rows sent, for the page to fetch).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from sqlmodel import Session, col, select

from bot import complaint_buttons, notice_buttons
from bot.inbound import OutboundReply
from bot.sim import CHANNEL
from bot.sim.adapter import parse
from bot.webhooks import BadRequest, accept, error, parse_json_object, read_body
from models import Conversation, Office, OutboxMessage, StaffUser
from services.roles import Role

router = APIRouter(tags=["simulator"])
PAGE = Path(__file__).with_name("page.html")


def _demo(request: Request) -> bool:
    return bool(request.app.state.settings.demo_mode)


def _not_found() -> JSONResponse:
    return error(404, "not_found", "the simulator is only available when DEMO_MODE=true")


@router.post("/webhooks/sim")
async def sim_webhook(request: Request) -> JSONResponse:
    if not _demo(request):
        return _not_found()
    try:
        payload = parse_json_object(await read_body(request))
        event = parse(payload)
        if event.chat_id is None:
            return error(400, "chat_id_missing", "chat_id is required, of at most 80 characters")
        message_id = str(payload.get("message_id") or uuid.uuid4().hex)[:80]
        inbound_id = await accept(
            request.app, channel=CHANNEL, platform_id=message_id, payload=payload, event=event
        )
    except BadRequest as exc:
        return exc.response()
    return JSONResponse({"ok": True, "inbound_id": inbound_id, "duplicate": inbound_id is None})


@router.get("/webhooks/sim/{chat_id}/messages")
def sim_messages(
    request: Request, chat_id: str, after: int = Query(default=0, ge=0)
) -> JSONResponse:
    if not _demo(request):
        return _not_found()
    with Session(request.app.state.engine) as session:
        rows = session.exec(
            select(OutboxMessage)
            .join(Conversation, col(Conversation.id) == col(OutboxMessage.conversation_id))
            .where(
                Conversation.channel == CHANNEL,
                Conversation.chat_id == chat_id,
                OutboxMessage.status == "sent",
                col(OutboxMessage.id) > after,
            )
            .order_by(col(OutboxMessage.id))
            .limit(100)
        ).all()
    result: list[dict[str, Any]] = [
        {
            "id": r.id,
            "text": r.text,
            # As the sender would show them: a complaint's actions become the bot's buttons.
            "buttons": r.buttons
            or OutboundReply(
                "",
                complaint_buttons.from_extra(r.extra) or notice_buttons.from_extra(r.extra),
            ).buttons_json(),
            "sent_at": r.sent_at.isoformat(),
            # What a reply must name as reply_to_message_id (officers answer by replying).
            "message_id": r.platform_message_id,
        }
        for r in rows
        if r.sent_at is not None
    ]
    return JSONResponse({"ok": True, "messages": result})


@router.get("/webhooks/sim-officers")
def sim_officers(request: Request) -> JSONResponse:
    """Each office's simulated officers' chat and an officer to write as, for the page."""
    if not _demo(request):
        return _not_found()
    prefix = f"{CHANNEL}:"
    chats: list[dict[str, str]] = []
    with Session(request.app.state.engine) as session:
        offices = session.exec(
            select(Office)
            .where(col(Office.officers_chat).startswith(prefix))
            .order_by(col(Office.name))
        ).all()
        for office in offices:
            officer = session.exec(
                select(StaffUser)
                .where(
                    StaffUser.office_id == office.id,
                    StaffUser.role == Role.COMPLAINT_OFFICER,
                    col(StaffUser.chat).startswith(prefix),
                    col(StaffUser.active).is_(True),
                )
                .order_by(col(StaffUser.id))
            ).first()
            if officer is None or office.officers_chat is None or officer.chat is None:
                continue
            chats.append(
                {
                    "office": office.name,
                    "chat_id": office.officers_chat.removeprefix(prefix),
                    "sender_id": officer.chat.removeprefix(prefix),
                    "officer": officer.full_name,
                }
            )
    return JSONResponse({"ok": True, "chats": chats})


@router.get("/simulator", response_class=HTMLResponse)
def simulator_page(request: Request) -> HTMLResponse:
    if not _demo(request):
        return HTMLResponse("Not found", status_code=404)
    return HTMLResponse(PAGE.read_text(encoding="utf-8"))
