"""A fake Telegram Bot API on loopback: real URLs, real JSON envelopes, recorded calls.

Answers ``POST /bot<token>/<method>`` with ``{"ok": true, "result": ...}``, or, when told to
fail, with the Bot API's error envelope (``{"ok": false, "error_code": 429, "description":
"Too Many Requests: retry after 3", "parameters": {"retry_after": 3}}``), so the client under
test is python-telegram-bot itself, parsing what Telegram would send.

``fake.limit(rate, delay=..., per_chat_interval=...)`` (see tests/fakes/limits.py) refuses
sendMessage calls above the rate with that same 429, ``retry_after`` rounded up to whole
seconds as Telegram gives it. ``python -m tests.fakes.telegram_server --port N --rate R``
serves a fake as its own process for the benchmarks.
"""

from __future__ import annotations

import asyncio
import json
import math
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.limits import Metered
from tests.fakes.loopback import serving


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    ok: bool
    result: Any = None


@dataclass
class _Failure:
    status: int
    body: dict[str, Any]


@dataclass
class FakeTelegram(Metered):
    token: str = "123456:TEST-TOKEN"
    calls: list[Call] = field(default_factory=list)
    _failures: list[_Failure] = field(default_factory=list)
    _fail_all: _Failure | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _next_message_id: int = 1000
    url: str = ""
    # Long polling: updates Telegram holds for the bot until they are confirmed, the
    # webhook that makes getUpdates refuse, and the command list.
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _polling: int = 0
    webhook_url: str = ""
    commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Files people "sent": file_id -> (content, file_path), handed out by getFile and
    # downloaded from /file/bot<token>/<file_path>, as the Bot API does.
    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    downloads: list[str] = field(default_factory=list)

    def add_file(self, file_id: str, content: bytes, file_path: str) -> None:
        with self._lock:
            self.files[file_id] = (content, file_path)

    # --- switches -------------------------------------------------------------------------
    def fail_next(self, count: int, status: int, *, retry_after: int | None = None) -> None:
        """The next ``count`` calls get this error, as Telegram words it."""
        with self._lock:
            self._failures.extend(_failure(status, retry_after) for _ in range(count))

    def fail_all(self, status: int | None) -> None:
        """Every call fails with ``status`` until called with None."""
        with self._lock:
            self._fail_all = _failure(status, None) if status else None

    def reset(self) -> None:
        """Forget every call, pending failure and accepted message; limits stay as set."""
        with self._lock:
            self.calls.clear()
            self._updates.clear()
            self._failures.clear()
            self._fail_all = None
        self.reset_ledger()

    def push_updates(self, *updates: dict[str, Any]) -> None:
        """Updates arrive for the bot: held until confirmed (getUpdates with a higher offset),
        as Telegram holds them (up to 24 hours)."""
        with self._lock:
            self._updates.extend(updates)
            self._updates.sort(key=lambda u: int(u["update_id"]))

    def pending_updates(self) -> list[int]:
        """update_ids not yet confirmed."""
        with self._lock:
            return [int(u["update_id"]) for u in self._updates]

    def polls_waiting(self) -> int:
        """getUpdates calls now waiting for an update (long polling)."""
        with self._lock:
            return self._polling

    # --- what happened --------------------------------------------------------------------
    def sent(self, chat_id: int | str | None = None) -> list[dict[str, Any]]:
        """sendMessage calls that Telegram accepted, in order."""
        with self._lock:
            return [
                c.params
                for c in self.calls
                if c.method == "sendMessage"
                and c.ok
                and (chat_id is None or str(c.params.get("chat_id")) == str(chat_id))
            ]

    def texts(self, chat_id: int | str | None = None) -> list[str]:
        return [str(p["text"]) for p in self.sent(chat_id)]

    def message_id(self, chat_id: int | str, containing: str) -> int:
        """The id Telegram gave the last accepted message to ``chat_id`` containing the text,
        as a person's client would use it to reply to that message."""
        with self._lock:
            found = [
                int(c.result["message_id"])
                for c in self.calls
                if c.method == "sendMessage"
                and c.ok
                and str(c.params.get("chat_id")) == str(chat_id)
                and containing in str(c.params.get("text", ""))
            ]
        if not found:
            raise AssertionError(f"no message to {chat_id} contains {containing!r}")
        return found[-1]

    def all_params_text(self) -> str:
        with self._lock:
            return json.dumps([c.params for c in self.calls], ensure_ascii=False)

    def methods(self) -> list[str]:
        with self._lock:
            return [c.method for c in self.calls]

    # --- the server -----------------------------------------------------------------------
    async def _handle(self, request: Request) -> JSONResponse:
        token, method = request.path_params["token"], request.path_params["method"]
        params = await _params(request)
        response = self._answer(token, method, params)
        if method == "getUpdates" and response.status_code == 200:
            response = await self._long_poll(request, params, response)
        await self._answer_delay()
        return response

    async def _long_poll(
        self, request: Request, params: dict[str, Any], response: JSONResponse
    ) -> JSONResponse:
        """With nothing to return and a ``timeout``, wait for an update as Telegram does, up
        to that many seconds (the confirmation by ``offset`` happened on arrival)."""
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        with self._lock:
            self._polling += 1
        try:
            while json.loads(bytes(response.body))["result"] == [] and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
                if await request.is_disconnected():
                    break  # the poller went away (killed, stopped): nobody to answer
                with self._lock:
                    response = JSONResponse({"ok": True, "result": self._fetch(params)})
        finally:
            with self._lock:
                self._polling -= 1
        return response

    def _fetch(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        return self._updates[:limit]

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Telegram's semantics: updates with an id below ``offset`` are confirmed and
        forgotten; a negative offset keeps only the last -offset of the queue; without one,
        the earliest unconfirmed come first. At most ``limit`` (1-100, default 100)."""
        offset = int(params.get("offset") or 0)
        if offset > 0:
            self._updates = [u for u in self._updates if int(u["update_id"]) >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        return self._fetch(params)

    def _answer(self, token: str, method: str, params: dict[str, Any]) -> JSONResponse:
        is_send = method == "sendMessage"
        chat = str(params.get("chat_id"))
        with self._lock:
            failure = self._fail_all or (self._failures.pop(0) if self._failures else None)
            if token != self.token:
                failure = _Failure(
                    401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
                )
            if failure is None and is_send and (refusal := self._admit(chat)) is not None:
                failure = _failure(429, max(1, math.ceil(refusal.retry_after)))
            if failure is None and method == "getUpdates" and self.webhook_url:
                failure = _failure(409, None)
            if failure is not None:
                if self.keep_calls:
                    self.calls.append(Call(method, params, ok=False))
                return JSONResponse(failure.body, status_code=failure.status)
            if method == "getFile" and str(params.get("file_id")) not in self.files:
                body = {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: invalid file_id",
                }
                if self.keep_calls:
                    self.calls.append(Call(method, params, ok=False))
                return JSONResponse(body, status_code=400)
            result = self._result(method, params)
            if self.keep_calls:
                self.calls.append(Call(method, params, ok=True, result=result))
            if is_send:
                self._accepted(chat, str(params.get("text", "")))
        return JSONResponse({"ok": True, "result": result})

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {
                "id": 123456,
                "is_bot": True,
                "first_name": "Sigap",
                "username": "sigap_bot",
                "can_join_groups": False,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if method == "sendMessage":
            self._next_message_id += 1
            message: dict[str, Any] = {
                "message_id": self._next_message_id,
                "date": int(time.time()),
                "chat": {
                    "id": int(params["chat_id"]),
                    # Group ids are negative on Telegram.
                    "type": "group" if int(params["chat_id"]) < 0 else "private",
                },
                "from": {"id": 123456, "is_bot": True, "first_name": "Sigap"},
                "text": params.get("text", ""),
            }
            if "reply_markup" in params:
                message["reply_markup"] = params["reply_markup"]
            return message
        if method == "getUpdates":
            return self._get_updates(params)
        if method == "setWebhook":
            self.webhook_url = str(params.get("url", ""))
        if method == "deleteWebhook":
            self.webhook_url = ""
            if str(params.get("drop_pending_updates", "")).lower() == "true":
                self._updates.clear()
        if method == "getWebhookInfo":
            info: dict[str, Any] = {
                "url": self.webhook_url,
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }
            return info
        if method == "setMyCommands":
            commands = params.get("commands", [])
            scope = json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True)
            self.commands[f"{scope}:{params.get('language_code', '')}"] = list(commands)
        if method == "getMyCommands":
            scope = json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True)
            return self.commands.get(f"{scope}:{params.get('language_code', '')}", [])
        # answerCallbackQuery, setWebhook, deleteWebhook, setMyCommands: all answer True.
        if method == "getFile":
            content, path = self.files[str(params["file_id"])]
            return {
                "file_id": params["file_id"],
                "file_unique_id": f"u-{params['file_id']}",
                "file_size": len(content),
                "file_path": path,
            }
        # answerCallbackQuery, setWebhook, deleteWebhook: all answer True.
        return True

    async def _download(self, request: Request) -> Response:
        token, path = request.path_params["token"], request.path_params["path"]
        with self._lock:
            found = next((c for c, p in self.files.values() if p == path), None)
            if token != self.token or found is None:
                return JSONResponse(
                    {"ok": False, "error_code": 404, "description": "Not Found"}, 404
                )
            self.downloads.append(path)
        return Response(found, media_type="application/octet-stream")

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/bot{token}/{method}", self._handle, methods=["GET", "POST"]),
                Route("/file/bot{token}/{path:path}", self._download, methods=["GET"]),
            ]
        )


def _failure(status: int, retry_after: int | None) -> _Failure:
    descriptions = {
        400: "Bad Request: chat not found",
        403: "Forbidden: bot was blocked by the user",
        409: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook "
        "to delete the webhook first",
        429: f"Too Many Requests: retry after {retry_after or 1}",
        500: "Internal Server Error",
        502: "Bad Gateway",
    }
    body: dict[str, Any] = {
        "ok": False,
        "error_code": status,
        "description": descriptions.get(status, "Error"),
    }
    if status == 429:
        body["parameters"] = {"retry_after": retry_after or 1}
    return _Failure(status, body)


async def _params(request: Request) -> dict[str, Any]:
    """PTB posts form fields whose values are JSON when not plain strings; accept JSON too."""
    body = await request.body()
    if request.headers.get("content-type", "").startswith("application/json"):
        return dict(json.loads(body or b"{}"))
    params: dict[str, Any] = {}
    for key, value in parse_qsl(body.decode(), keep_blank_values=True):
        try:
            params[key] = json.loads(value) if value[:1] in "[{" else value
        except ValueError:
            params[key] = value
    return params


@contextmanager
def running_fake_telegram() -> Iterator[FakeTelegram]:
    """Serve a fresh fake on a free loopback port in a thread, for the length of the block."""
    fake = FakeTelegram()
    with serving(fake.app()) as url:
        fake.url = url
        yield fake


if __name__ == "__main__":
    from tests.fakes.process import serve_fake

    serve_fake(sys.argv[1:], "telegram", lambda token: FakeTelegram(token=token, keep_calls=False))
