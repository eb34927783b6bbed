"""What a page in one language must not show: sentences of the other language, and message keys
in place of words.

The sentences come from messages/ and from the catalogue's texts (programme and step names,
complaint categories, channels, actors): every piece of an Indonesian text that differs from
its English text (and appears in no English text) is Indonesian-only, and the reverse. Only
pieces of two words or more are looked for, so a name in the office's data ("Kelompok Tani",
a staff member called "Petugas Pengaduan") is not mistaken for a missed translation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache

from pydantic import BaseModel

import messages
from services.catalogue import LocalizedText, load_catalogue

_PLACEHOLDER = re.compile(r"\{[^}]*\}")
_EDGES = " .,:;()[]–—-/·…*?!\"'"
MIN_LENGTH = 12


def _texts(value: object) -> Iterator[LocalizedText]:
    if isinstance(value, LocalizedText):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)


def _pairs() -> Iterator[tuple[str, str]]:
    """(Indonesian, English) of every message and every text of the catalogue."""
    for key, text in messages.CATALOG["id"].items():
        yield text, messages.CATALOG["en"].get(key, text)
    catalogue = load_catalogue()
    for text in _texts(catalogue):
        yield text.id, text.en
    for category in catalogue.complaint_categories:
        yield category.label.id, category.label.en


def _pieces(text: str) -> Iterator[str]:
    for piece in _PLACEHOLDER.split(text):
        for line in piece.splitlines():
            line = line.strip(_EDGES)
            if len(line) >= MIN_LENGTH and " " in line:
                yield line


@cache
def only_in(lang: str) -> frozenset[str]:
    """Pieces of the texts in ``lang`` ("id" or "en") that no text of the other has."""
    pairs = list(_pairs())
    mine = 0 if lang == "id" else 1
    other = "\n".join(pair[1 - mine] for pair in pairs)
    return frozenset(
        piece
        for pair in pairs
        if pair[0] != pair[1]
        for piece in _pieces(pair[mine])
        if piece not in other
    )


@cache
def _keys() -> re.Pattern[str]:
    keys = sorted(messages.CATALOG["id"], key=len, reverse=True)
    return re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, keys)) + r")(?![\w.])")


def problems(text: str, lang: str, data: Iterable[str] = ()) -> list[str]:
    """What is wrong with a page's visible text read in ``lang``. ``data``: names in the
    office's records, in whatever language they were written ("Kepala Dinas Sosial" is a
    demo account's full name as well as an actor in an SOP)."""
    other = "en" if lang == "id" else "id"
    names = "\n".join(data)
    found = [
        f"{other}: {piece!r}"
        for piece in sorted(only_in(other))
        if piece in text and piece not in names
    ]
    found += [f"key: {key!r}" for key in sorted(set(_keys().findall(text)))]
    return found
