"""A fake WhatsApp Cloud API (Graph API) on loopback: real URLs, real JSON, recorded calls.

Answers ``POST /<version>/<phone number id>/messages`` as Meta does::

    {"messaging_product": "whatsapp",
     "contacts": [{"input": "6281...", "wa_id": "6281..."}],
     "messages": [{"id": "wamid...."}]}

or, when told to fail, with the Graph API's error shape and HTTP status::

    {"error": {"message": "...", "type": "OAuthException", "code": 131047,
               "error_data": {"details": "..."}, "fbtrace_id": "..."}}

A wrong bearer token gets Meta's 401 with code 190, so the sender under test is checked for
sending the right credentials too.

Templates: the fake knows the templates of ``catalogue/whatsapp_templates.yaml`` as approved at
Meta, and answers a template message as Meta does when it names another (132001), gives a
wrong number of parameters (132000), a parameter with a line break or a run of spaces
(132018), or fills a body past 1,024 characters (132005). What the person reads of it is the
body filled in (``fake.texts()``).

The 24-hour window: once ``fake.clock`` is set, a free-form message (anything but a template)
to a person who did not write within 24 hours before it (``fake.wrote(wa_id, at)``, which the
WhatsApp harness calls for every message it posts) is refused with 131047, "Re-engagement
message". Left unset, as for the benchmarks, there is no window.

Status webhooks: ``await fake.report(client, wamid, "delivered")`` posts to Sigap what Meta
posts about a message it accepted (``sent``, ``delivered``, ``read``, or ``failed`` with an
error code), signed with ``fake.app_secret`` in ``X-Hub-Signature-256``.

``fake.limit(rate, delay=..., per_chat_interval=...)`` (see tests/fakes/limits.py) refuses
sends above the number's throughput as Meta does, HTTP 429 with Graph code 130429 ("Rate limit
hit"), and a second message to one person within the interval with code 131056, the pair
rate limit. ``python -m tests.fakes.whatsapp_server --port N --rate R`` serves a fake as its
own process for the benchmarks.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import httpx
import yaml
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.limits import Metered
from tests.fakes.loopback import serving

VERSION = "v21.0"
PHONE_NUMBER_ID = "109876543210"
WINDOW = timedelta(hours=24)
TEMPLATES_FILE = Path(__file__).resolve().parents[2] / "catalogue" / "whatsapp_templates.yaml"

# Graph error code -> (HTTP status, message, details), as Meta's error reference words them.
ERRORS: dict[int, tuple[int, str, str]] = {
    4: (400, "(#4) Application request limit reached", "Too many calls from this app"),
    100: (400, "(#100) Invalid parameter", "Parameter value is not valid"),
    131000: (500, "Something went wrong", "Message failed to send because of an unknown error"),
    131026: (400, "Message undeliverable", "Unable to deliver message to this recipient"),
    131047: (
        400,
        "Re-engagement message",
        "More than 24 hours have passed since the recipient last replied to the sender number.",
    ),
    131051: (400, "Unsupported message type", "Message type is not currently supported"),
    132000: (
        400,
        "Number of parameters does not match the expected number of params",
        "body: number of localizable_params does not match the expected number of params",
    ),
    132001: (
        404,
        "Template name does not exist in the translation",
        "template name does not exist in the translation",
    ),
    132005: (400, "Translated text too long", "Translated text is too long"),
    132018: (
        400,
        "There was an issue with the parameters in your template.",
        "Param text cannot have new-line/tab characters or more than 4 consecutive spaces",
    ),
    130429: (429, "Rate limit hit", "Cloud API message throughput has been reached."),
    131056: (
        400,
        "(Business Account, Consumer Account) pair rate limit hit",
        "Message failed to send because there were too many messages sent from this phone "
        "number to the same phone number in a short period of time.",
    ),
}


@dataclass
class Call:
    phone_number_id: str
    body: dict[str, Any]
    ok: bool
    message_id: str | None = None


@dataclass
class _Failure:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]


@dataclass
class FakeWhatsApp(Metered):
    access_token: str = "EAAG-TEST-ACCESS-TOKEN"
    phone_number_id: str = PHONE_NUMBER_ID
    calls: list[Call] = field(default_factory=list)
    _failures: list[_Failure | None] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    url: str = ""  # the API base, like https://graph.facebook.com/v21.0
    # Media people "sent": media id -> (content, mime type). ``GET /<version>/<media id>``
    # answers with a download URL on this server, which needs the same bearer token.
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    downloads: list[str] = field(default_factory=list)
    # The 24-hour window, enforced once a clock is set: when each person last wrote.
    clock: datetime | None = None
    last_inbound: dict[str, datetime] = field(default_factory=dict)
    # Accepted message id -> its recipient, for the status webhooks about it.
    recipients: dict[str, str] = field(default_factory=dict)
    app_secret: str = "whatsapp-app-secret-for-tests"

    def wrote(self, wa_id: str, at: datetime) -> None:
        """``wa_id`` sent a message to our number at ``at``: its window opens."""
        with self._lock:
            self.last_inbound[wa_id] = max(at, self.last_inbound.get(wa_id, at))

    def add_media(self, media_id: str, content: bytes, mime_type: str) -> None:
        with self._lock:
            self.media[media_id] = (content, mime_type)

    # --- switches -------------------------------------------------------------------------
    def fail_next(
        self, count: int, code: int, *, after: int = 0, retry_after: int | None = None
    ) -> None:
        """After ``after`` more accepted calls, the next ``count`` get Graph error ``code``
        (with its usual HTTP status); a plain HTTP status such as 502 gives an answer without
        a Graph error body. ``retry_after`` adds a Retry-After header."""
        with self._lock:
            self._failures.extend([None] * after)
            self._failures.extend(_failure(code, retry_after) for _ in range(count))

    def reset(self) -> None:
        """Forget every call, pending failure and accepted message; limits stay as set."""
        with self._lock:
            self.calls.clear()
            self._failures.clear()
        self.reset_ledger()

    # --- what happened --------------------------------------------------------------------
    def sent(self, to: str | None = None) -> list[dict[str, Any]]:
        """Message bodies that WhatsApp accepted, in order."""
        with self._lock:
            return [c.body for c in self.calls if c.ok and (to is None or c.body.get("to") == to)]

    def texts(self, to: str | None = None) -> list[str]:
        """What the person reads of each accepted message: the text, or an interactive body."""
        return [shown_text(body) for body in self.sent(to)]

    def attempts(self) -> int:
        with self._lock:
            return len(self.calls)

    # --- the server -----------------------------------------------------------------------
    async def _handle(self, request: Request) -> JSONResponse:
        phone_number_id = request.path_params["phone_number_id"]
        body = json.loads(await request.body() or b"{}")
        authorization = request.headers.get("authorization")
        response = self._answer(request.path_params["v"], phone_number_id, authorization, body)
        await self._answer_delay()
        return response

    def _answer(
        self, version: str, phone_number_id: str, authorization: str | None, body: dict[str, Any]
    ) -> JSONResponse:
        to = str(body.get("to", ""))
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
            if authorization != f"Bearer {self.access_token}":
                failure = _graph_error(401, 190, "Invalid OAuth access token.", "")
            elif phone_number_id != self.phone_number_id or version != VERSION:
                failure = _graph_error(400, 100, "Unsupported post request.", "")
            if failure is None:
                failure = self._refuse_content(to, body)
            if failure is None and (refusal := self._admit(to)) is not None:
                # Meta sends no Retry-After with either: the sender has to pace itself.
                failure = _failure(131056 if refusal.per_chat else 130429, None)
            if failure is not None:
                if self.keep_calls:
                    self.calls.append(Call(phone_number_id, body, ok=False))
                return JSONResponse(failure.body, failure.status, headers=failure.headers)
            message_id = f"wamid.FAKE{next(self._ids):06d}"
            if self.keep_calls:
                self.calls.append(Call(phone_number_id, body, ok=True, message_id=message_id))
                self.recipients[message_id] = to
            self._accepted(to, _ledger_text(body))
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": message_id}],
            }
        )

    def _refuse_content(self, to: str, body: dict[str, Any]) -> _Failure | None:
        """A template as Meta checks it; a free-form message outside the person's window."""
        if body.get("type") == "template":
            return _check_template(body.get("template"))
        if self.clock is None:
            return None
        wrote = self.last_inbound.get(to)
        if wrote is None or self.clock - wrote >= WINDOW:
            return _failure(131047, None)
        return None

    # --- status webhooks --------------------------------------------------------------------
    def status_webhook(
        self, message_id: str, status: str, *, error_code: int | None = None, at: int = 0
    ) -> dict[str, Any]:
        """The webhook Meta posts about message ``message_id``: ``sent``, ``delivered``,
        ``read``, or ``failed`` with the error of ``error_code``."""
        with self._lock:
            recipient = self.recipients.get(message_id, "")
        entry: dict[str, Any] = {
            "id": message_id,
            "status": status,
            "timestamp": str(at or 1773108001),
            "recipient_id": recipient,
        }
        if status in ("sent", "delivered"):
            entry["conversation"] = {"id": "CONVERSATION-1", "origin": {"type": "utility"}}
            entry["pricing"] = {"billable": True, "pricing_model": "PMP", "category": "utility"}
        if error_code is not None:
            _, title, details = ERRORS.get(error_code, (400, "Error", ""))
            entry["errors"] = [
                {
                    "code": error_code,
                    "title": title,
                    "message": title,
                    "error_data": {"details": details},
                    "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
                }
            ]
        return {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "WABA-1",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {
                                    "display_phone_number": "6281100000000",
                                    "phone_number_id": self.phone_number_id,
                                },
                                "statuses": [entry],
                            },
                        }
                    ],
                }
            ],
        }

    async def report(
        self,
        client: httpx.AsyncClient,
        message_id: str,
        status: str,
        *,
        error_code: int | None = None,
        path: str = "/webhooks/whatsapp",
    ) -> httpx.Response:
        """Post the status webhook to Sigap (``client`` is bound to its base URL), signed as
        Meta signs it."""
        body = json.dumps(self.status_webhook(message_id, status, error_code=error_code)).encode()
        signature = hmac.new(self.app_secret.encode(), body, hashlib.sha256).hexdigest()
        headers = {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={signature}"}
        return await client.post(path, content=body, headers=headers)

    async def _media(self, request: Request) -> JSONResponse:
        media_id = request.path_params["media_id"]
        if request.headers.get("authorization") != f"Bearer {self.access_token}":
            failure = _graph_error(401, 190, "Invalid OAuth access token.", "")
            return JSONResponse(failure.body, failure.status)
        with self._lock:
            found = self.media.get(media_id)
        if found is None:
            failure = _graph_error(
                400,
                100,
                f"Unsupported get request. Object with ID '{media_id}' does not exist.",
                "",
            )
            return JSONResponse(failure.body, failure.status)
        content, mime_type = found
        root = self.url.rsplit("/", 1)[0]
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "url": f"{root}/whatsapp_business/attachments/?mid={media_id}",
                "mime_type": mime_type,
                "sha256": hashlib.sha256(content).hexdigest(),
                "file_size": len(content),
                "id": media_id,
            }
        )

    async def _download(self, request: Request) -> Response:
        media_id = request.query_params.get("mid", "")
        with self._lock:
            found = self.media.get(media_id)
            if request.headers.get("authorization") != f"Bearer {self.access_token}":
                return Response(b"", status_code=401)
            if found is None:
                return Response(b"", status_code=404)
            self.downloads.append(media_id)
        return Response(found[0], media_type=found[1])

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/{v}/{phone_number_id}/messages", self._handle, methods=["POST"]),
                Route("/whatsapp_business/attachments/", self._download, methods=["GET"]),
                Route("/{v}/{media_id}", self._media, methods=["GET"]),
            ]
        )


def shown_text(body: dict[str, Any]) -> str:
    if body.get("type") == "interactive":
        return str(body["interactive"]["body"]["text"])
    if body.get("type") == "template":
        template = body["template"]
        registered = approved_templates()[template["name"]]
        return _filled(registered["body"], _body_params(template))
    return str(body["text"]["body"])


def template_buttons(body: dict[str, Any]) -> list[tuple[str, str]]:
    """A template message's quick replies as the person sees them: (text, payload sent)."""
    template = body["template"]
    texts = approved_templates()[template["name"]].get("buttons") or []
    found = {}
    for component in template.get("components") or []:
        if component.get("type") == "button":
            found[int(component["index"])] = component["parameters"][0]["payload"]
    return [(text, found.get(index, text)) for index, text in enumerate(texts)]


@lru_cache(maxsize=1)
def approved_templates() -> dict[str, dict[str, Any]]:
    """The templates Meta approved for our number: those Sigap's README says to register."""
    data = yaml.safe_load(TEMPLATES_FILE.read_text(encoding="utf-8"))
    return {t["name"]: t for t in data["templates"]}


_PLACEHOLDER = re.compile(r"\{\{(\d+)\}\}")


def _filled(text: str, params: list[str]) -> str:
    return _PLACEHOLDER.sub(lambda m: params[int(m.group(1)) - 1], text)


def _body_params(template: dict[str, Any]) -> list[str]:
    for component in template.get("components") or []:
        if component.get("type") == "body":
            return [str(p.get("text", "")) for p in component.get("parameters") or []]
    return []


def _check_template(template: Any) -> _Failure | None:
    if not isinstance(template, dict) or not isinstance(template.get("name"), str):
        return _failure(100, None)
    registered = approved_templates().get(template["name"])
    language = (template.get("language") or {}).get("code")
    if registered is None or language != registered["language"]:
        return _failure(132001, None)
    params = _body_params(template)
    if len(params) != len(_PLACEHOLDER.findall(registered["body"])):
        return _failure(132000, None)
    if any(not p or re.search(r"[\n\t]| {5,}", p) for p in params):
        return _failure(132018, None)
    if len(_filled(registered["body"], params)) > 1024:
        return _failure(132005, None)
    buttons = registered.get("buttons") or []
    for component in template.get("components") or []:
        if component.get("type") != "button":
            continue
        index = int(component.get("index", -1))
        payloads = component.get("parameters") or [{}]
        if (
            component.get("sub_type") != "quick_reply"
            or not 0 <= index < len(buttons)
            or payloads[0].get("type") != "payload"
        ):
            return _failure(100, None)
    return None


def _ledger_text(body: dict[str, Any]) -> str:
    """What tells two messages apart for the duplicate count, whatever their type."""
    try:
        return shown_text(body)
    except (KeyError, TypeError):
        return json.dumps(body, sort_keys=True, ensure_ascii=False)


def _graph_error(status: int, code: int, message: str, details: str) -> _Failure:
    error: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "AbCdEfGhIjK",
    }
    if details:
        error["error_data"] = {"messaging_product": "whatsapp", "details": details}
    return _Failure(status, {"error": error}, {})


def _failure(code: int, retry_after: int | None) -> _Failure:
    if code in ERRORS:
        status, message, details = ERRORS[code]
        failure = _graph_error(status, code, message, details)
    elif code == 429:
        failure = _graph_error(429, 130429, *ERRORS[130429][1:])
    else:  # a bare HTTP status, e.g. 502 from a proxy in front of the API
        failure = _Failure(code, {"error": {"message": "Bad Gateway"}}, {})
    if retry_after is not None:
        failure.headers["Retry-After"] = str(retry_after)
    return failure


@contextmanager
def running_fake_whatsapp() -> Iterator[FakeWhatsApp]:
    """Serve a fresh fake on a free loopback port in a thread, for the length of the block."""
    fake = FakeWhatsApp()
    with serving(fake.app()) as url:
        fake.url = f"{url}/{VERSION}"
        yield fake


if __name__ == "__main__":
    from tests.fakes.process import serve_fake

    serve_fake(
        sys.argv[1:], "whatsapp", lambda token: FakeWhatsApp(access_token=token, keep_calls=False)
    )
