"""Every sentence a person reads, Bahasa Indonesia first, English second.

Each module in this package holds two dicts, ``ID`` and ``EN``, keyed by a dotted
message key. Code never builds user-facing sentences itself: it returns a key and
parameters, and :func:`render` turns them into text in the reader's language.
"""

from __future__ import annotations

import importlib
import pkgutil
import string
from typing import Any

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"


def _load() -> dict[str, dict[str, str]]:
    catalog: dict[str, dict[str, str]] = {"id": {}, "en": {}}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for lang, attr in (("id", "ID"), ("en", "EN")):
            table: dict[str, str] = getattr(module, attr, {})
            duplicated = catalog[lang].keys() & table.keys()
            if duplicated:
                raise RuntimeError(f"message keys defined twice: {sorted(duplicated)}")
            catalog[lang].update(table)
    return catalog


CATALOG = _load()


class _Plural(string.Formatter):
    """``{n:one|many}`` picks the word for the number: "{n} {n:day|days}" is "1 day" and
    "2 days". Any other field formats as ``str.format`` does."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        if "|" in format_spec:
            one, many = format_spec.split("|", 1)
            return one if value == 1 else many
        return super().format_field(value, format_spec)


_PLURAL = _Plural()


def has(key: str) -> bool:
    return key in CATALOG[DEFAULT_LANGUAGE]


class ByLanguage(dict[str, str]):
    """A parameter said differently per language, e.g. ``ByLanguage(id="SK", en="Decree")``:
    for a sentence rendered in both languages at once (an error's ``message`` and
    ``message_en``), where the code cannot pick one beforehand."""


def render(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: Any) -> str:
    """The sentence for ``key`` in ``lang`` (falling back to Indonesian), filled with params."""
    table = CATALOG.get(lang) or CATALOG[DEFAULT_LANGUAGE]
    template = table.get(key) or CATALOG[DEFAULT_LANGUAGE][key]
    if not params:
        return template
    if any(type(value) is ByLanguage for value in params.values()):
        params = {
            name: value.get(lang) or value[DEFAULT_LANGUAGE] if type(value) is ByLanguage else value
            for name, value in params.items()
        }
    # Most sentences have no plural to choose: plain str.format, fast.
    plural = "|" in template and ":" in template
    return _PLURAL.format(template, **params) if plural else template.format(**params)
