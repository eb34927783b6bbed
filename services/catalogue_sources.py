"""Where each public fact of the catalogue comes from (issue 13: a catalogue that says only what
the SOPs say).

Every office and programme names its seed SOP (``seed:``, a text file under the catalogue's
``seeds/``). A fact the public may read is traced when the seed holds its words: the Indonesian
text itself, or the ``source`` quote(s) it renders; a contact's number, address or e-mail; a
time standard's "2 Hari". Words are compared without case, punctuation or layout ("5–20 orang"
is the seed's "5-20 Orang"), numbers by their digits ("0385-21157" is "038521157").

A fact marked ``assumption`` is not traced: it must never reach the public as a fact, which the
renderers see to (``LocalizedText.stated``, ``Programme.stated_channels``). A complaint clock
the office set itself is a marked office setting, not an SOP fact.

:func:`untraced` lists what fails, for the fidelity test and for an office that edits its own
catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from services.catalogue import (
    DEFAULT_DIRECTORY,
    Catalogue,
    ComplaintChannel,
    LocalizedText,
    Office,
    Programme,
    TimeStandard,
)

SEEDS = "seeds"


@dataclass(frozen=True)
class Fact:
    """One thing the public may read, and what it is traced by."""

    where: str  # "kube-bone: requirements[4]"
    text: LocalizedText | None = None
    value: str | None = None  # a contact: a phone number, an address, a link
    standard: TimeStandard | None = None


def words(text: str) -> str:
    """Lower-case words and numbers, one space apart, HTML tags and punctuation dropped."""
    text = re.sub(r"</?(?:ul|li|b|br|p|span|div)\b[^>]*>", " ", text).casefold()
    return " ".join(re.findall(r"[0-9a-z]+", text))


def _digit_runs(text: str) -> list[str]:
    """Numbers written in parts ("+62 857-5624-2215", "0481-21029") as runs of digits; parts
    a space apart are joined too, so a run may hold more than one number."""
    return re.findall(r"\d+", re.sub(r"(?<=\d)[\s.()-]+(?=\d)", "", text))


@lru_cache
def seed_text(directory: Path, name: str) -> str:
    path = directory / SEEDS / name
    return path.read_text(encoding="utf-8")


def quoted(quote: str, seed: str) -> bool:
    """The seed holds ``quote``'s words, in order and together."""
    wanted = words(quote)
    return bool(wanted) and f" {wanted} " in f" {words(seed)} "


def _value_found(value: str, seed: str) -> bool:
    """A phone number by its digits (with or without the country code), a link without its
    scheme, anything else by its words."""
    digits = re.sub(r"\D", "", value)
    if digits and len(digits) >= 0.6 * len(re.sub(r"\s", "", value)):
        local = "0" + digits[2:] if digits.startswith("62") else digits
        return any(digits in run or local in run for run in _digit_runs(seed))
    bare = re.sub(r"^(?:https?://)?(?:www\.)?", "", value.strip())
    return quoted(bare, seed)


def _text_traced(text: LocalizedText, seed: str) -> bool:
    if text.source is None:
        return quoted(text.id, seed)
    quotes = (text.source,) if isinstance(text.source, str) else text.source
    return all(quoted(q, seed) for q in quotes)


def _standard_traced(standard: TimeStandard, seed: str) -> bool:
    if standard.minutes is not None:
        return quoted(f"{standard.minutes} menit", seed)
    days = standard.working_days
    stated = quoted(f"{days} hari kerja", seed)
    # "2 Hari" counted as working days is a reading, and must be marked so.
    return stated or (quoted(f"{days} hari", seed) and standard.assumption is not None)


def _channel_facts(where: str, channel: ComplaintChannel) -> Iterator[Fact]:
    if channel.assumption is not None:
        return
    label = channel.label
    if channel.source is not None:
        label = label.model_copy(update={"source": channel.source})
    yield Fact(f"{where}.label", text=label)
    if channel.value is not None:
        yield Fact(f"{where}.value", value=channel.value)


def office_facts(office: Office) -> Iterator[Fact]:
    """What the bot and the printed receipts say of the office."""
    yield Fact(f"{office.slug}: name", text=office.name)
    for field in ("address", "phone", "email", "website"):
        value = getattr(office, field)
        if value:
            yield Fact(f"{office.slug}: {field}", value=value)
    if office.opening_hours is not None and office.opening_hours.assumption is None:
        yield Fact(f"{office.slug}: opening_hours", text=office.opening_hours)


def programme_facts(programme: Programme) -> Iterator[Fact]:
    """What the bot says of a programme: its pages, and the news and status of a proposal."""
    code = programme.code
    yield Fact(f"{code}: name", text=programme.name)
    yield Fact(f"{code}: summary", text=programme.summary)
    for n, requirement in enumerate(programme.requirements):
        yield Fact(f"{code}: requirements[{n}]", text=requirement)
    for step in programme.steps:
        where = f"{code}: steps.{step.code}"
        yield Fact(f"{where}.name", text=step.name)
        yield Fact(f"{where}.actor", text=step.actor)
        if step.output is not None:
            yield Fact(f"{where}.output", text=step.output)
        for record in step.records:
            yield Fact(f"{where}.records.{record.kind}", text=record.name)
        if step.time_standard is not None:
            yield Fact(f"{where}.time_standard", standard=step.time_standard)
    for field in ("how_to_apply", "cost", "duration"):
        yield Fact(f"{code}: {field}", text=getattr(programme, field))
    for n, channel in enumerate(programme.complaint_channels):
        yield from _channel_facts(f"{code}: complaint_channels[{n}]", channel)


def traced(fact: Fact, seed: str) -> bool:
    """The seed holds the fact, or the catalogue marks it as an assumption."""
    if fact.text is not None:
        return fact.text.assumption is not None or _text_traced(fact.text, seed)
    if fact.standard is not None:
        return _standard_traced(fact.standard, seed)
    return fact.value is not None and _value_found(fact.value, seed)


def _clock_problems(office: Office, seed: str) -> Iterator[str]:
    clock = office.complaint_clock
    if clock is None or not clock.from_sop:
        return  # a default (never promised) or a marked office setting
    quote = clock.source.removeprefix("SOP").lstrip(" :")
    if not quoted(quote, seed):
        yield f"{office.slug}: complaint_clock: '{quote}' is not in its seed"


def _response_hours_traced(programme: Programme, seed: str) -> bool:
    hours = programme.complaint_response_hours
    if hours is None:
        return True
    spoken = [f"{hours} jam"] + ([f"{hours // 24}x24 jam"] if hours % 24 == 0 else [])
    return any(quoted(s, seed) for s in spoken)


def untraced(catalogue: Catalogue, directory: Path | None = None) -> list[str]:
    """Every public fact of the catalogue that its seed does not hold and no assumption marks;
    empty when the catalogue says only what its SOPs say."""
    root = directory or DEFAULT_DIRECTORY
    problems: list[str] = []
    entries: list[tuple[str, str | None, list[Fact]]] = [
        (o.slug, o.seed, list(office_facts(o))) for o in catalogue.offices
    ]
    entries += [(p.code, p.seed, list(programme_facts(p))) for p in catalogue.programmes]
    for name, seed_name, facts in entries:
        if seed_name is None:
            problems.append(f"{name}: names no seed")
            continue
        try:
            seed = seed_text(root, seed_name)
        except OSError:
            problems.append(f"{name}: seed '{seed_name}' not found under {root / SEEDS}")
            continue
        problems += [f"{f.where}: not in its seed" for f in facts if not traced(f, seed)]
        office = catalogue.office_by_slug(name)
        if office is not None:
            problems += _clock_problems(office, seed)
        programme = catalogue.programme(name)
        if programme is not None and not _response_hours_traced(programme, seed):
            problems.append(f"{name}: complaint_response_hours: not in its seed")
    return problems
