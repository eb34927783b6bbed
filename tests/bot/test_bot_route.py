"""The webhook's quick routing names the same chat as the processor's full reading."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from bot.telegram.adapter import _parse_with_ptb, _plain_text, parse, route
from tests.bot.chat_harness import (
    button_update,
    group_button_update,
    group_text_update,
    location_update,
    photo_update,
    sticker_update,
    text_update,
)
from tests.bot.test_bot_fuzz import mutated

CHANNEL_POST = {
    "update_id": 9,
    "channel_post": {
        "message_id": 1,
        "date": 1763000000,
        "chat": {"id": -100777, "type": "channel", "title": "Info"},
        "text": "halo",
    },
}
EDITED = {
    "update_id": 10,
    "edited_message": {
        "message_id": 2,
        "date": 1763000000,
        "edit_date": 1763000100,
        "chat": {"id": 5151, "type": "private", "first_name": "Siti"},
        "from": {"id": 5151, "is_bot": False, "first_name": "Siti", "last_name": "Aminah"},
        "text": "ralat",
    },
}
POLL = {
    "update_id": 11,
    "poll": {
        "id": "p1",
        "question": "?",
        "options": [],
        "total_voter_count": 0,
        "is_closed": False,
        "is_anonymous": True,
        "type": "regular",
        "allows_multiple_answers": False,
    },
}

UPDATES: list[dict[str, Any]] = [
    text_update(1, 4242, "halo", name="Siti"),
    button_update(2, 4242, "1"),
    photo_update(3, 4242, caption="foto"),
    location_update(4, 4242, -4.5, 120.3),
    sticker_update(5, 4242),
    group_text_update(6, -100555, 501, "jawab ADU-BTG-2026-00001 sudah"),
    group_button_update(7, -100555, 501, "klaim ADU-BTG-2026-00001"),
    CHANNEL_POST,
    EDITED,
    POLL,
    {"update_id": 12},
    {"update_id": 13, "message": "not an object"},
]


@pytest.mark.parametrize("payload", UPDATES, ids=lambda p: str(p["update_id"]))
def test_route_and_parse_agree_on_the_chat(payload: dict[str, Any]) -> None:
    assert route(payload).chat_id == parse(payload).chat_id


def test_route_reads_the_senders_full_name() -> None:
    update = text_update(14, 5151, "halo")
    update["message"]["from"]["last_name"] = "Aminah"
    assert route(update).display_name == parse(update).display_name == "Siti Aminah"


def _text_updates() -> list[dict[str, Any]]:
    with_last_name = text_update(20, 5151, "halo")
    with_last_name["message"]["from"]["last_name"] = "Aminah"
    command = text_update(21, 5151, "/start abc")
    command["message"]["entities"] = [{"type": "bot_command", "offset": 0, "length": 6}]
    anonymous = text_update(22, 5151, "1")
    del anonymous["message"]["from"]
    return [
        text_update(19, 5151, "halo"),
        with_last_name,
        command,
        anonymous,
        group_text_update(23, -100555, 501, "jawab ADU-BTG-2026-00001 sudah"),
    ]


@pytest.mark.parametrize("payload", _text_updates(), ids=lambda p: str(p["update_id"]))
def test_a_plain_text_message_is_read_without_ptb_as_ptb_reads_it(payload: dict[str, Any]) -> None:
    plain = _plain_text(payload)
    assert plain is not None
    assert plain == _parse_with_ptb(payload)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(_text_updates()))
def test_whatever_a_text_message_is_mutated_into_both_readings_agree(
    payload: dict[str, Any],
) -> None:
    """A shape the quick reading takes is read as PTB reads it; any other is left to PTB."""
    assert parse(payload) == _parse_with_ptb(payload)
