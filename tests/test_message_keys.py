"""messages/ and the code agree: every key has both languages, every key the code names
exists, and every key is used somewhere (a sentence nobody shows only misleads the next
translator).

"Used" is read from the source: a key written whole in a module or a template, or one that
starts with a prefix the code completes at run time ("label.role." ~ role, f"span.{unit}.one").
"""

from __future__ import annotations

import re
from pathlib import Path

import messages

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("app", "bot", "services", "core", "models", "catalogue")
SUFFIXES = {".py", ".html", ".yaml", ".js"}
# A key written as the first argument of whatever renders or raises it.
NAMED = re.compile(
    r"""\b(?:render|_t|t|has|\w*Input|NotFound|Conflict|Forbidden|Unauthorized|\w*Error|Line|say)"""
    r"""\(\s*["']([a-z_]+(?:\.[a-z0-9_]+)+)["']"""
)
QUOTED = re.compile(r"""["']([a-z_]\w*(?:\.[\w-]+)+)\.?["']""")
# "prefix." ~ code (Jinja), "prefix." + code, f"prefix.{code}", f"prefix.part{code}".
PREFIXES = (
    re.compile(r"""["']([a-z_][\w.]*\.)["']\s*(?:~|\+|%)"""),
    re.compile(r"""f["']([a-z_][\w.]*\.\w*)\{"""),
)


def _source() -> dict[Path, str]:
    return {
        path: path.read_text(encoding="utf-8")
        for folder in SOURCES
        for path in (ROOT / folder).rglob("*")
        if path.suffix in SUFFIXES and path.is_file()
    }


def test_every_key_has_both_languages() -> None:
    indonesian, english = set(messages.CATALOG["id"]), set(messages.CATALOG["en"])
    assert indonesian - english == set(), "keys without English"
    assert english - indonesian == set(), "keys without Indonesian"


def test_both_languages_of_a_key_take_the_same_placeholders() -> None:
    """One set of params fills a sentence in either language (a value said differently per
    language is passed per language and picked by the code, never named apart)."""
    placeholder = re.compile(r"\{(\w+)")
    english = messages.CATALOG["en"]
    differ = {
        key: (
            sorted(set(placeholder.findall(text))),
            sorted(set(placeholder.findall(english[key]))),
        )
        for key, text in messages.CATALOG["id"].items()
        if key in english
        and set(placeholder.findall(text)) != set(placeholder.findall(english[key]))
    }
    assert differ == {}


def test_every_key_the_code_names_exists() -> None:
    named: dict[str, list[str]] = {}
    for path, text in _source().items():
        for key in NAMED.findall(text):
            named.setdefault(key, []).append(str(path.relative_to(ROOT)))
    assert len(named) > 300, "the pattern finds the keys the code names"
    missing = {key: where for key, where in named.items() if key not in messages.CATALOG["id"]}
    assert missing == {}


def test_every_key_is_used() -> None:
    code = "\n".join(_source().values())
    quoted = set(QUOTED.findall(code))
    prefixes = {prefix for pattern in PREFIXES for prefix in pattern.findall(code)}
    unused = sorted(
        key
        for key in messages.CATALOG["id"]
        if key not in quoted and not key.startswith(tuple(prefixes))
    )
    assert unused == [], "remove them from messages/, or use them"
