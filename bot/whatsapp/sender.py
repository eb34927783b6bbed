"""Outbox rows -> WhatsApp Cloud API calls (Graph API ``/messages``), errors mapped to outcomes.

Buttons become WhatsApp's own interactive messages when they fit: up to 3 short ones as reply
buttons, up to 10 as a list. More than that, and the message goes as plain text: the
conversation already lists every option as a numbered line, and typed digits always work.

How Graph API errors are treated (codes from Meta's Cloud API error reference):

* ``retry`` (with our backoff, or the Retry-After header when given): HTTP 429 and 5xx,
  network errors, the throttling codes 4, 80007, 130429 (which also slow the whole channel
  down), and the temporary codes 1, 2, 131000, 131016, 131056.
* ``unreachable`` (the chat is marked unreachable until the person writes again): 131026
  (the number cannot receive the message, e.g. not on WhatsApp).
* 131047 (more than 24 hours since the person last wrote; only templates may be sent then):
  the row's template goes instead, in the same attempt; a row without one is ``unreachable``
  alone, "outside 24-hour window", and the chat's other rows still go.
* ``failed``: every other error, e.g. 131051 (unsupported message type) or 100 (invalid
  parameter): the request itself is wrong and sending it again cannot help.

The 24-hour window (bot/whatsapp/window.py): outside it, and for a chat that never wrote, a
row goes as its template (``extra["template"]``, bot/whatsapp/templates.py) without trying the
free-form message first; a row without a template is unreachable, as above. A template
Sigap cannot fill (a name not in the file, a wrong number of parameters) fails its row at
once, as do Meta's template errors (132000, 132001 for one not approved, ...). WhatsApp may
also report 131047 only later, in a status webhook: bot/outbox.record_statuses then queues
the row again, to go as its template.

The access token is only ever put in the Authorization header; no log line or error text
contains it.

The calls go over aiohttp, as the Telegram sender's do (bot/telegram/request.py): httpx spent
several milliseconds of CPU on a call (httpcore, anyio and h11 at every step), which at
hundreds of messages a second was most of the worker's time; the bodies are encoded with
``json.dumps`` once and the answer parsed once.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

import messages
from bot.channels import OUTSIDE_WINDOW, WINDOW_CLOSED, Outgoing, SendResult
from bot.inbound import Button
from bot.text import split_text
from bot.whatsapp import CHANNEL, templates
from bot.whatsapp.window import window_open
from core.settings import Settings

log = logging.getLogger(__name__)

MAX_TEXT = 4096  # text message body, in characters
MAX_BODY = 1024  # body of an interactive message
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_REPLY_ID = 200

CONNECTIONS = 64  # enough for the sender's concurrent calls at the default rate
# Throttling: too many calls for the app, the account or the number (131056 is one pair of
# numbers only, so it is retried without slowing every chat down).
THROTTLE_CODES = frozenset({4, 80007, 130429})
RETRY_CODES = frozenset({1, 2, 131000, 131016, 131056})
UNREACHABLE_CODES = frozenset({131026, 131047})
RE_ENGAGEMENT = "131047"  # a free-form message outside the 24-hour window
SENT_AS = "sent_as_template"  # on a row: the name of the template it went as


class WhatsAppSender:
    channel = CHANNEL

    def __init__(
        self,
        *,
        access_token: str,
        phone_number_id: str,
        base_url: str,
        timeout: float = 10,
        catalogue_dir: Path | None = None,
    ) -> None:
        self._url = f"{base_url.rstrip('/')}/{phone_number_id}/messages"
        # Read (and checked) now: a mistake in the file stops the start, not a broadcast.
        self._templates = templates.load_templates(catalogue_dir)
        self._headers = {
            "Authorization": f"Bearer {access_token}",
            "Content-Type": "application/json",
        }
        # Short timeouts keep one slow call well inside the sender's lease on the chat.
        self._timeout = aiohttp.ClientTimeout(total=timeout, sock_connect=5)
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _open(self) -> aiohttp.ClientSession:
        """The session, opened on first use in the event loop that uses it (and anew when a
        later loop does, as tests start one per case)."""
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            self._loop = loop
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=CONNECTIONS, limit_per_host=0),
                headers=self._headers,
                timeout=self._timeout,
                # Nothing of the environment: the Graph API's address is configured.
                trust_env=False,
            )
        return self._session

    async def aclose(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    async def send(self, message: Outgoing) -> SendResult:
        """Free-form inside the person's 24-hour window, the row's template outside it; a
        131047 (WhatsApp counts the window closed) sends the template instead, once."""
        extra = dict(message.extra)
        now = message.now or datetime.now(UTC)
        if extra.get(WINDOW_CLOSED) or not window_open(message.last_inbound_at, now=now):
            return await self._send_template(message, extra)
        result = await self._send_free_form(message, extra)
        if result.code != RE_ENGAGEMENT:
            return result
        # Remembered on the row: should the template meet a rate limit, its retry goes
        # straight to the template, never the free-form message again.
        extra = {**result.extra, WINDOW_CLOSED: True}
        return await self._send_template(message, extra, refused=result)

    async def _send_template(
        self, message: Outgoing, extra: dict[str, Any], *, refused: SendResult | None = None
    ) -> SendResult:
        named = templates.wanted(extra)
        if named is None:
            # Only this message cannot go: a template behind it in the chat still may.
            return SendResult(
                "unreachable",
                error=f"{OUTSIDE_WINDOW} ({refused.error})" if refused else OUTSIDE_WINDOW,
                extra=extra,
                code=refused.code if refused else "window",
                whole_chat=False,
            )
        name, params = named
        template = self._templates.get(name)
        if template is None:
            error = f"template {name} is not in {templates.FILE_NAME}"
            return SendResult("failed", error=error, extra=extra, code="template")
        buttons = [button for row in message.buttons for button in row]
        try:
            body = templates.template_message(template, params, buttons)
        except templates.TemplateError as exc:
            return SendResult("failed", error=str(exc), extra=extra, code="template")
        result = await self._post(
            {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": message.chat_id,
                "type": "template",
                "template": body,
            }
        )
        if result.outcome == "sent":
            extra = {**extra, SENT_AS: name}  # the row says what the person got
        return replace(result, extra={**extra, **result.extra})

    async def _send_free_form(self, message: Outgoing, extra: dict[str, Any]) -> SendResult:
        # Progress survives a failed attempt, so a retry never repeats a delivered part.
        bodies = _bodies(message)
        last_id: str | None = None
        for index in range(int(extra.get("parts_sent", 0)), len(bodies)):
            result = await self._post(
                {
                    "messaging_product": "whatsapp",
                    "recipient_type": "individual",
                    "to": message.chat_id,
                    **bodies[index],
                }
            )
            if result.outcome != "sent":
                return SendResult(
                    result.outcome,
                    retry_after=result.retry_after,
                    error=result.error,
                    extra=extra,
                    throttled=result.throttled,
                    code=result.code,
                    whole_chat=result.whole_chat,
                )
            extra["parts_sent"] = index + 1
            last_id = result.platform_message_id
        return SendResult("sent", platform_message_id=last_id, extra=extra)

    async def _post(self, body: dict[str, Any]) -> SendResult:
        data = json.dumps(body, ensure_ascii=False).encode()
        try:
            async with self._open().post(self._url, data=data) as response:
                status, headers, raw = response.status, response.headers, await response.read()
        except TimeoutError as exc:
            return SendResult("retry", error=f"TimeoutError: {exc}", code="timeout")
        except aiohttp.ClientError as exc:  # connection refused, broken answers
            return SendResult("retry", error=f"aiohttp.{type(exc).__name__}: {exc}", code="network")
        try:
            answer = json.loads(raw)
        except ValueError:
            answer = None
        answer = answer if isinstance(answer, dict) else {}
        if 200 <= status < 300:
            sent = answer.get("messages")
            message_id = _dict(sent[0]).get("id") if isinstance(sent, list) and sent else None
            return SendResult("sent", platform_message_id=str(message_id) if message_id else None)
        return _failure(status, headers, answer)


def _failure(status: int, headers: Mapping[str, str], answer: dict[str, Any]) -> SendResult:
    graph = _dict(answer.get("error"))
    code = graph.get("code")
    details = _dict(graph.get("error_data")).get("details")
    text = f"HTTP {status}, Graph error {code}: {graph.get('message', '')}"
    if details:
        text += f" ({details})"
    if graph.get("fbtrace_id"):
        text += f" [fbtrace_id {graph['fbtrace_id']}]"
    # The Graph error code names the cause (131026, 130429); without one, the HTTP status.
    label = str(code) if isinstance(code, int | str) and str(code) else str(status)
    if status == 429 or code in THROTTLE_CODES:
        return SendResult(
            "retry", retry_after=_retry_after(headers), error=text, throttled=True, code=label
        )
    if code in RETRY_CODES:
        return SendResult("retry", retry_after=_retry_after(headers), error=text, code=label)
    if code in UNREACHABLE_CODES:
        # 131047 closes WhatsApp's window for free-form messages only: templates still go.
        return SendResult("unreachable", error=text, code=label, whole_chat=code != 131047)
    if status >= 500:
        return SendResult("retry", retry_after=_retry_after(headers), error=text, code=label)
    return SendResult("failed", error=text, code=label)


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _retry_after(headers: Mapping[str, str]) -> float | None:
    value = headers.get("Retry-After")
    try:
        seconds = float(value) if value is not None else None
    except ValueError:  # an HTTP date: rare enough to use our own backoff instead
        return None
    return seconds if seconds is not None and seconds >= 0 else None


def _bodies(message: Outgoing) -> list[dict[str, Any]]:
    """The message bodies to send, in order; the buttons, if any, go with the last."""
    # WhatsApp gives the sender's number with every message: it never needs asking for.
    buttons = [button for row in message.buttons for button in row if button.kind == "choice"]
    interactive = _interactive(buttons)
    if interactive is None:
        return [_text(part) for part in split_text(message.text, MAX_TEXT)]
    parts = split_text(message.text, MAX_TEXT)
    # An interactive message's body is shorter: cut the last part again to fit it.
    parts[-1:] = split_text(parts[-1], MAX_BODY)
    bodies = [_text(part) for part in parts[:-1]]
    body_text = parts[-1] or "-"  # WhatsApp refuses an interactive message with no body
    bodies.append(
        {"type": "interactive", "interactive": {**interactive, "body": {"text": body_text}}}
    )
    return bodies


def _text(text: str) -> dict[str, Any]:
    return {"type": "text", "text": {"body": text, "preview_url": False}}


def _interactive(buttons: list[Button]) -> dict[str, Any] | None:
    """Reply buttons or a list for these buttons; None when they fit neither."""
    if not buttons or any(len(b.value) > MAX_REPLY_ID or not b.value for b in buttons):
        return None
    if len(buttons) <= MAX_BUTTONS and all(len(b.label) <= MAX_BUTTON_TITLE for b in buttons):
        return {
            "type": "button",
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": b.value, "title": b.label}} for b in buttons
                ]
            },
        }
    if len(buttons) <= MAX_ROWS:
        return {
            "type": "list",
            "action": {
                "button": messages.render("bot.whatsapp.list_button"),
                "sections": [{"rows": [_row(b) for b in buttons]}],
            },
        }
    return None


def _row(button: Button) -> dict[str, str]:
    if len(button.label) <= MAX_ROW_TITLE:
        return {"id": button.value, "title": button.label}
    # Too long for a title: the title shows its start, the description the whole label.
    return {
        "id": button.value,
        "title": button.label[: MAX_ROW_TITLE - 1] + "…",
        "description": button.label[:MAX_ROW_DESCRIPTION],
    }


def make_sender(settings: Settings) -> WhatsAppSender | None:
    """None unless both the access token and the phone number id are configured."""
    token = settings.whatsapp_access_token
    if token is None or not token.get_secret_value() or not settings.whatsapp_phone_number_id:
        log.info("no WHATSAPP_ACCESS_TOKEN and WHATSAPP_PHONE_NUMBER_ID: WhatsApp is off")
        return None
    return WhatsAppSender(
        access_token=token.get_secret_value(),
        phone_number_id=settings.whatsapp_phone_number_id,
        base_url=settings.whatsapp_api_base_url,
        catalogue_dir=settings.catalogue_dir,
    )
