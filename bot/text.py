"""Text helpers every channel shares: text a database can store, and text a platform can send."""

from __future__ import annotations

import re
from typing import Any

# Neither PostgreSQL's text nor UTF-8 can hold these: NUL, and a surrogate that is not half of
# a pair (JSON may escape one, "\ud800", and Python reads it into a str as it is).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
REPLACEMENT = "\ufffd"
# Deeper than any platform's update: Telegram's nest about six levels, WhatsApp's about eight.
MAX_JSON_DEPTH = 32


class TooDeep(ValueError):
    """A JSON document nested deeper than :data:`MAX_JSON_DEPTH`."""


def storable(text: str, limit: int | None = None) -> str:
    """``text`` with NUL and lone surrogates replaced by U+FFFD, cut to ``limit`` characters."""
    cleaned = text if is_storable(text) else _UNSTORABLE.sub(REPLACEMENT, text)
    return cleaned if limit is None else cleaned[:limit]


def is_storable(text: str) -> bool:
    """True when ``text`` holds neither NUL nor a lone surrogate: :func:`storable` leaves it as
    it is. Most text is ASCII, where two scans in C answer without the regular expression."""
    if text.isascii():
        return "\x00" not in text
    return _UNSTORABLE.search(text) is None


def storable_json(value: Any, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """A copy of parsed JSON whose every string, keys included, :func:`storable` has cleaned.

    Raises :class:`TooDeep` beyond ``max_depth`` levels; the recursion stops there too, so it
    never runs out of stack whatever it is given.
    """
    return _storable_json(value, max_depth)


def _storable_json(value: Any, depth_left: int) -> Any:
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, dict | list):
        if depth_left <= 0:
            raise TooDeep(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        if isinstance(value, dict):
            return {
                storable(str(key)): _storable_json(item, depth_left - 1)
                for key, item in value.items()
            }
        return [_storable_json(item, depth_left - 1) for item in value]
    return value


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at line ends where a line end is near."""
    parts: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line) > limit:  # a single line too long for one message: cut it hard
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        if len(current) + len(line) > limit:
            parts.append(current)
            current = ""
        current += line
    if current or not parts:
        parts.append(current)
    return [part.rstrip("\n") or part for part in parts]
