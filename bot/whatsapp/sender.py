"""Outbox rows -> WhatsApp Cloud API calls (Graph API ``/messages``), errors mapped to outcomes.

Buttons become WhatsApp's own interactive messages when they fit: up to 3 short ones as reply
buttons, up to 10 as a list. More than that, and the message goes as plain text: the
conversation already lists every option as a numbered line, and typed digits always work.

How Graph API errors are treated (codes from Meta's Cloud API error reference):

* ``retry`` (with our backoff, or the Retry-After header when given): HTTP 429 and 5xx,
  network errors, the throttling codes 4, 80007, 130429 (which also slow the whole channel
  down), and the temporary codes 1, 2, 131000, 131016, 131056.
* ``unreachable`` (the chat is marked unreachable until the person writes again, which is
  also what reopens WhatsApp's window): 131026 (the number cannot receive the message, e.g.
  not on WhatsApp) and 131047 (more than 24 hours since the person last wrote; only templates
  may be sent then).
* ``failed``: every other error, e.g. 131051 (unsupported message type) or 100 (invalid
  parameter): the request itself is wrong and sending it again cannot help.

The access token is only ever put in the Authorization header; no log line or error text
contains it.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

import messages
from bot.channels import Outgoing, SendResult
from bot.inbound import Button
from bot.text import split_text
from bot.whatsapp import CHANNEL
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


class WhatsAppSender:
    channel = CHANNEL

    def __init__(
        self, *, access_token: str, phone_number_id: str, base_url: str, timeout: float = 10
    ) -> None:
        self._url = f"{base_url.rstrip('/')}/{phone_number_id}/messages"
        # Short timeouts keep one slow call well inside the sender's lease on the chat.
        self._client = httpx.AsyncClient(
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=httpx.Timeout(timeout, connect=5),
            limits=httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS),
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def send(self, message: Outgoing) -> SendResult:
        # Progress survives a failed attempt, so a retry never repeats a delivered part.
        extra = dict(message.extra)
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
                )
            extra["parts_sent"] = index + 1
            last_id = result.platform_message_id
        return SendResult("sent", platform_message_id=last_id, extra=extra)

    async def _post(self, body: dict[str, Any]) -> SendResult:
        try:
            response = await self._client.post(self._url, json=body)
        except httpx.HTTPError as exc:  # connection refused, timeouts, broken answers
            code = "timeout" if isinstance(exc, httpx.TimeoutException) else "network"
            return SendResult("retry", error=f"{type(exc).__name__}: {exc}", code=code)
        try:
            answer = response.json()
        except ValueError:
            answer = None
        answer = answer if isinstance(answer, dict) else {}
        if response.is_success:
            sent = answer.get("messages")
            message_id = _dict(sent[0]).get("id") if isinstance(sent, list) and sent else None
            return SendResult("sent", platform_message_id=str(message_id) if message_id else None)
        return _failure(response, answer)


def _failure(response: httpx.Response, answer: dict[str, Any]) -> SendResult:
    graph = _dict(answer.get("error"))
    code = graph.get("code")
    details = _dict(graph.get("error_data")).get("details")
    text = f"HTTP {response.status_code}, Graph error {code}: {graph.get('message', '')}"
    if details:
        text += f" ({details})"
    if graph.get("fbtrace_id"):
        text += f" [fbtrace_id {graph['fbtrace_id']}]"
    # The Graph error code names the cause (131026, 130429); without one, the HTTP status.
    label = str(code) if isinstance(code, int | str) and str(code) else str(response.status_code)
    if response.status_code == 429 or code in THROTTLE_CODES:
        return SendResult(
            "retry", retry_after=_retry_after(response), error=text, throttled=True, code=label
        )
    if code in RETRY_CODES:
        return SendResult("retry", retry_after=_retry_after(response), error=text, code=label)
    if code in UNREACHABLE_CODES:
        return SendResult("unreachable", error=text, code=label)
    if response.status_code >= 500:
        return SendResult("retry", retry_after=_retry_after(response), error=text, code=label)
    return SendResult("failed", error=text, code=label)


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
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
    )
