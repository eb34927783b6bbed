"""What the bot tells the public of each office says only what its SOP says (issue 13, item 9).

A person walks every public page of every office, in Indonesian and in English: the office's
contact details, each programme's overview, requirements, steps, how to apply, cost and
duration, its complaint channels, and the complaint menu's channel list. Every fact on those
pages must trace to the office's seed SOP (services/catalogue_sources.py) or to a marked office
setting: what is left once the traced facts and the bot's own sentences (messages/) are taken
out holds no word, and no text the catalogue marks as an assumption is shown at all. A spoiled
catalogue shows the test can fail.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import messages
from services.catalogue import DEFAULT_DIRECTORY, Catalogue, LocalizedText, load_catalogue
from services.catalogue_sources import office_facts, programme_facts, seed_text, traced
from tests.bot.chat_harness import Harness

LANGUAGES = ("id", "en")


@pytest.fixture
def database_url(tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """What the bot shows of the catalogue does not depend on the database: SQLite alone."""
    path = tmp_path / "sigap.db"
    shutil.copy(sqlite_template, path)
    yield f"sqlite:///{path}"


# A copy of the catalogue, spoiled in one way per case: the shipped one, then one that shows a
# fact no SOP states (the test must find it).
def _unmark_bekasi_fee(root: Path) -> None:
    path = root / "programmes" / "kube-bekasi.yaml"
    text = path.read_text(encoding="utf-8")
    spoiled = re.sub(r'\n  assumption: "The decree does not mention fees[^\n]*', "", text)
    assert spoiled != text
    path.write_text(spoiled, encoding="utf-8")


def _hours_in_the_catalogue(root: Path) -> None:
    path = root / "offices.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = "    email: dinsosbone.office@gmail.com\n"
    hours = "    opening_hours: {id: Senin–Jumat 08.00–16.00 WITA, en: Monday–Friday 08:00–16:00}\n"
    path.write_text(text.replace(anchor, anchor + hours), encoding="utf-8")


def _a_channel_no_sop_names(root: Path) -> None:
    path = root / "programmes" / "uep-lamandau.yaml"
    text = path.read_text(encoding="utf-8")
    marked = "    assumption: The SOP names no complaint channel; anyone may come to the office.\n"
    assert marked in text
    path.write_text(text.replace(marked, ""), encoding="utf-8")


SPOILS = {
    "as shipped": (None, None),
    "Bekasi's fee shown as fact": (_unmark_bekasi_fee, "Gratis"),
    "opening hours no SOP states": (_hours_in_the_catalogue, "Senin"),
    "a walk-in channel Lamandau's SOP does not name": (_a_channel_no_sop_names, "Datang"),
}


@pytest.fixture(params=sorted(SPOILS))
def spoil(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def catalogue_dir(tmp_path: Path, spoil: str) -> Path:
    root = tmp_path / "catalogue"
    shutil.copytree(DEFAULT_DIRECTORY, root)
    make, _ = SPOILS[spoil]
    if make is not None:
        make(root)
    return root


@pytest.fixture
def catalogue(catalogue_dir: Path) -> Catalogue:
    return load_catalogue(catalogue_dir)


async def _public_pages(harness: Harness, office_number: int, chat: int, lang: str) -> list[str]:
    """Everything a person may read of one office, page by page."""
    pages: list[str] = []
    if lang == "en":
        await harness.says(chat, "6")
        await harness.presses(chat, "2")
    await harness.says(chat, "5")
    pages += await harness.says(chat, str(office_number))  # contact details
    await harness.says(chat, "0")
    spec = harness.catalogue.offices[office_number - 1]
    for n, _ in enumerate(harness.catalogue.programmes_for_office(spec.code), start=1):
        await harness.says(chat, "1")
        pages += await harness.says(chat, str(n))  # the overview
        for page in "12345":
            pages += await harness.says(chat, page)
        await harness.says(chat, "0")
    pages += await harness.says(chat, "3")  # the complaint menu, with the channels
    await harness.says(chat, "0")
    return pages


def _texts(text: LocalizedText) -> list[str]:
    return [text.get(lang) for lang in LANGUAGES]


def _facts(catalogue: Catalogue, directory: Path, code: str) -> tuple[list[str], list[str]]:
    """(what the office's seed holds, what the catalogue marks as assumptions) of one office
    and its programmes, in both languages."""
    office = catalogue.office(code)
    assert office is not None
    found: list[str] = []
    assumed: list[str] = []
    entries = [(office.seed, list(office_facts(office)))]
    if office.opening_hours is not None and office.opening_hours.assumption is not None:
        assumed += _texts(office.opening_hours)
    for programme in catalogue.programmes_for_office(code):
        entries.append((programme.seed, list(programme_facts(programme))))
        for field in ("cost", "duration", "how_to_apply"):
            text = getattr(programme, field)
            if text.assumption is not None:
                assumed += _texts(text)
        assumed += [t for r in programme.requirements if r.assumption for t in _texts(r)]
        assumed += [
            t for c in programme.complaint_channels if c.assumption for t in _texts(c.label)
        ]
    for seed_name, facts in entries:
        seed = seed_text(directory, seed_name or "")
        for fact in facts:
            if fact.text is not None and fact.text.assumption is None and traced(fact, seed):
                found += _texts(fact.text)
            elif fact.value is not None and traced(fact, seed):
                found.append(fact.value)
    # The office chooser names every office; each name is checked with its own office.
    found += [name for o in catalogue.offices for name in _texts(o.name)]
    return found, assumed


def _sentence_parts(catalogue: Catalogue) -> list[str]:
    """The bot's own words: every message with its fields taken out, line by line, and the
    complaint categories Sigap offers (its own menu, no office's fact)."""
    parts = {t for c in catalogue.complaint_categories for t in _texts(c.label)}
    for table in messages.CATALOG.values():
        for template in table.values():
            for part in re.split(r"\{[^{}]*\}|\n", template):
                if part.strip():
                    parts.add(part)
    return sorted(parts, key=len, reverse=True)


def _unexplained(page: str, facts: list[str], parts: list[str]) -> str:
    """The words of ``page`` that are neither a traced fact nor the bot's own sentences (nor a
    step's or an option's number: "5a)", "1.")."""
    page = re.sub(r"(?m)^\d+[a-j]?[).] ", " ", page)
    for known in sorted(facts, key=len, reverse=True):
        page = page.replace(known, " ")
    for part in parts:
        page = page.replace(part, " ")
    return " ".join(re.findall(r"[^\W\d_]+", page))


async def test_every_fact_the_public_reads_traces_to_the_seed(
    harness: Harness, catalogue_dir: Path, spoil: str
) -> None:
    parts = _sentence_parts(harness.catalogue)
    problems = []
    for number, office in enumerate(harness.catalogue.offices, start=1):
        facts, assumed = _facts(harness.catalogue, catalogue_dir, office.code)
        for lang in LANGUAGES:
            chat = 9900 + number * 10 + LANGUAGES.index(lang)
            for page in await _public_pages(harness, number, chat, lang):
                left = _unexplained(page, facts, parts)
                if left:
                    problems.append(f"{office.slug} ({lang}): {left!r} in {page!r}")
                shown = [text for text in assumed if text in page]
                if shown:
                    problems.append(f"{office.slug} ({lang}): an assumption shown: {shown}")

    _, expected = SPOILS[spoil]
    if expected is None:
        assert problems == []
    else:
        assert [p for p in problems if expected in p], problems
