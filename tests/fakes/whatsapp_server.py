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
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.loopback import serving

VERSION = "v21.0"
PHONE_NUMBER_ID = "109876543210"

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
    130429: (429, "Rate limit hit", "Cloud API message throughput has been reached."),
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
class FakeWhatsApp:
    access_token: str = "EAAG-TEST-ACCESS-TOKEN"
    phone_number_id: str = PHONE_NUMBER_ID
    calls: list[Call] = field(default_factory=list)
    _failures: list[_Failure | None] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    url: str = ""  # the API base, like https://graph.facebook.com/v21.0

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
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
            if request.headers.get("authorization") != f"Bearer {self.access_token}":
                failure = _graph_error(401, 190, "Invalid OAuth access token.", "")
            elif phone_number_id != self.phone_number_id or request.path_params["v"] != VERSION:
                failure = _graph_error(400, 100, "Unsupported post request.", "")
            if failure is not None:
                self.calls.append(Call(phone_number_id, body, ok=False))
                return JSONResponse(failure.body, failure.status, headers=failure.headers)
            message_id = f"wamid.FAKE{next(self._ids):06d}"
            self.calls.append(Call(phone_number_id, body, ok=True, message_id=message_id))
        to = str(body.get("to", ""))
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": message_id}],
            }
        )

    def app(self) -> Starlette:
        return Starlette(
            routes=[Route("/{v}/{phone_number_id}/messages", self._handle, methods=["POST"])]
        )


def shown_text(body: dict[str, Any]) -> str:
    if body.get("type") == "interactive":
        return str(body["interactive"]["body"]["text"])
    return str(body["text"]["body"])


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
