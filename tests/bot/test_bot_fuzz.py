"""Whatever an authenticated platform posts, the webhook never answers 5xx, and whatever it
stored, the processor handles at the first try.

Hypothesis takes real updates (Telegram with the right secret, WhatsApp correctly signed) and
mutates them: values swapped for other JSON of any shape, keys dropped or added, text with NUL
and lone surrogates, numbers of a hundred digits; and sometimes posts bytes that are no JSON.
"""

from __future__ import annotations

import copy
import itertools
import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from bot.processor import process_pending
from core.settings import Settings
from models import InboundMessage
from services.catalogue import Catalogue
from tests.bot.chat_harness import (
    MORNING,
    SECRET,
    WORKER,
    button_update,
    group_text_update,
    location_update,
    photo_update,
    sticker_update,
    text_update,
)
from tests.bot.whatsapp_harness import (
    SITI,
    cloud_message,
    envelope,
    reply_message,
    sign,
    sticker_message,
    text_message,
)

# Enough to meet every shape below many times over, few enough for both databases in a minute.
EXAMPLES = 200
_ids = itertools.count(10_000)

ODD = st.sampled_from(["\x00", "\ud800", "\udc00", "\udfff", "\ufffd", "\u202e", "0", "-", " "])
TEXT = st.text(st.one_of(st.characters(), ODD), max_size=12)
# Keys the adapters read, so that mutations hit what matters, not only keys nobody reads.
KEYS = st.sampled_from([
    "update_id", "message", "edited_message", "callback_query", "chat", "id", "type", "from",
    "first_name", "last_name", "text", "data", "photo", "file_id", "caption", "location",
    "latitude", "longitude", "reply_to_message", "message_id", "date", "entry", "changes",
    "field", "value", "metadata", "phone_number_id", "contacts", "profile", "name", "wa_id",
    "messages", "interactive", "button_reply", "list_reply", "button", "payload", "image",
    "context", "errors", "unsupported", "reaction", "system", "statuses", "new_chat_members",
    "pinned_message",
])  # fmt: skip
NUMBERS = st.one_of(
    st.integers(),
    st.sampled_from([0, -1, 2**31, 2**63, -(2**63) - 1, 10**30, 10**100]),
    st.floats(allow_nan=False, allow_infinity=False),
)
LEAVES = st.one_of(st.none(), st.booleans(), NUMBERS, TEXT)
JSON = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.one_of(KEYS, TEXT), inner, max_size=3)
    ),
    max_leaves=8,
)


def _telegram_updates() -> list[dict[str, Any]]:
    n = next(_ids)
    return [
        text_update(n, 5000 + n % 7, "halo"),
        button_update(n, 5000 + n % 7, "1"),
        photo_update(n, 5000 + n % 7, caption="rumah"),
        location_update(n, 5000 + n % 7, -2.2, 113.9),
        sticker_update(n, 5000 + n % 7),
        group_text_update(n, -100555, 501, "klaim ADU-BTG-2026-00001", reply_to=7),
    ]


def _whatsapp_envelopes() -> list[dict[str, Any]]:
    wamid = f"wamid.FUZZ{next(_ids):08d}"
    image = {"id": "MEDIA-1", "caption": "rumah", "mime_type": "image/jpeg"}
    location = {"latitude": -2.2, "longitude": 113.9}
    reaction = {"message_id": "wamid.X", "emoji": "x"}
    return [
        envelope(text_message(wamid, SITI, "halo")),
        envelope(reply_message(wamid, SITI, "1")),
        envelope(reply_message(wamid, SITI, "2", kind="button_reply")),
        envelope(cloud_message(wamid, SITI, "image", image=image)),
        envelope(cloud_message(wamid, SITI, "location", location=location)),
        envelope(cloud_message(wamid, SITI, "reaction", reaction=reaction)),
        envelope(sticker_message(wamid, SITI), text_message(wamid + "b", "6281200000009", "6")),
    ]


def _places(document: Any) -> list[tuple[Any, Any]]:
    """Every (container, key or index) in a JSON document, found without recursion, the
    deepest first: Hypothesis favours the first of a list, and the update's id is the first
    place at the top (an update without a usable id is only ever a 400)."""
    found: list[tuple[Any, Any]] = []
    waiting = [document]
    while waiting:
        node = waiting.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            found.append((node, key))
            if isinstance(value, dict | list):
                waiting.append(value)
    return found[::-1]


@st.composite
def mutated(draw: st.DrawFn, bases: list[dict[str, Any]]) -> dict[str, Any]:
    document = copy.deepcopy(draw(st.sampled_from(bases)))
    for _ in range(draw(st.integers(1, 4))):
        places = _places(document)
        if not places:
            break
        container, key = draw(st.sampled_from(places))
        action = draw(st.sampled_from(["replace", "drop", "add"]))
        if action == "replace":
            container[key] = draw(JSON)
        elif action == "drop":
            del container[key]
        elif isinstance(container, dict):
            container[draw(st.one_of(KEYS, TEXT))] = draw(JSON)
        else:
            container.append(draw(JSON))
    return document


def _bodies(bases: list[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any] | bytes]:
    """Mostly mutated updates (made bytes by the test, with fresh ids); sometimes no JSON."""
    noise = st.one_of(
        st.binary(max_size=40),
        JSON.map(lambda d: json.dumps(d).encode()),
        st.integers(1, 3000).map(lambda depth: b'{"a":' + b"[" * depth + b"]" * depth + b"}"),
        mutated(bases).map(lambda d: json.dumps(d).encode()[:-3]),
    )
    return st.one_of(mutated(bases), mutated(bases), mutated(bases), noise)


def _fresh(document: dict[str, Any] | bytes, n: int) -> bytes:
    """The update with ids of its own, so that it is stored rather than taken for a repeat."""
    if isinstance(document, bytes):
        return document
    if isinstance(document.get("update_id"), int):
        document["update_id"] = n
    for node, key in _places(document):
        if key == "id" and isinstance(node[key], str) and node[key].startswith("wamid."):
            node[key] = f"{node[key]}.{n}"
    return json.dumps(document).encode()


class Target:
    """The app and what the workers need; one line when Hypothesis prints a failing example
    (a dataclass it would print field by field, the whole catalogue with it)."""

    def __init__(
        self, client: httpx.AsyncClient, engine: Engine, catalogue: Catalogue, settings: Settings
    ) -> None:
        self.client = client
        self.engine = engine
        self.catalogue = catalogue
        self.settings = settings

    def __repr__(self) -> str:
        return f"Target(app on {self.engine.dialect.name})"

    def last_id(self) -> int:
        with Session(self.engine) as session:
            return int(session.exec(select(func.coalesce(func.max(InboundMessage.id), 0))).one())

    def failed_since(self, seen: int) -> list[tuple[Any, str, str | None]]:
        """Run the processor; what it could not handle of the rows stored after ``seen``."""
        process_pending(self.engine, self.catalogue, self.settings, now=MORNING, worker_id=WORKER)
        with Session(self.engine) as session:
            rows = session.exec(
                select(InboundMessage).where(
                    col(InboundMessage.id) > seen,
                    (col(InboundMessage.status) != "done") | col(InboundMessage.error).is_not(None),
                )
            ).all()
        return [(row.payload, row.status, row.error) for row in rows]


@pytest.fixture
def target(
    channels_client: httpx.AsyncClient,
    engine: Engine,
    catalogue: Catalogue,
    channels_settings: Settings,
) -> Target:
    return Target(channels_client, engine, catalogue, channels_settings)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # nothing written beside the sources; a failure prints its example
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(telegram=_bodies(_telegram_updates()), whatsapp=_bodies(_whatsapp_envelopes()))
async def test_no_update_gets_a_5xx_or_fails_in_the_processor(
    target: Target, telegram: dict[str, Any] | bytes, whatsapp: dict[str, Any] | bytes
) -> None:
    n = next(_ids)
    update, webhook = _fresh(telegram, n), _fresh(whatsapp, n)
    seen = target.last_id()
    json_type = {"Content-Type": "application/json"}
    told = await target.client.post(
        "/webhooks/telegram",
        content=update,
        headers={**json_type, "X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    signed = await target.client.post(
        "/webhooks/whatsapp",
        content=webhook,
        headers={**json_type, "X-Hub-Signature-256": sign(webhook)},
    )
    # What the examples met, for --hypothesis-show-statistics.
    event(f"telegram {told.status_code} {told.json().get('error', '')}")
    event(f"whatsapp {signed.status_code}")
    assert told.status_code < 500, (update, told.text)
    assert signed.status_code < 500, (webhook, signed.text)
    # Only this example's rows: one an earlier example left failing is that example's fault.
    assert target.failed_since(seen) == []
