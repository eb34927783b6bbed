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

``fake.limit(rate, delay=..., per_chat_interval=...)`` (see tests/fakes/limits.py) refuses
sends above the number's throughput as Meta does, HTTP 429 with Graph code 130429 ("Rate limit
hit"), and a second message to one person within the interval with code 131056, the pair
rate limit. ``python -m tests.fakes.whatsapp_server --port N --rate R`` serves a fake as its
own process for the benchmarks.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.limits import Metered
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
            self._accepted(to, _ledger_text(body))
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": message_id}],
            }
        )

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
    return str(body["text"]["body"])


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
