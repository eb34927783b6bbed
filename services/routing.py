"""Which office a person belongs to: their records first, the NIK's region code as the fallback.

A person's **records** are the ``Person`` row the offices keep: its ``office_id`` is the office
whose register they are on, even when they have moved and their NIK still carries the region
code of the regency they came from. The NIK's first four digits are the Kemendagri regency code
("62.09"), which ``catalogue/offices.yaml`` uses as each office's ``code``: where no records
answer, the office serving that regency is the one (none, when Sigap serves no office there).

Records are read only for the person the chat has shown to be: the person it is linked to, or
one whose phone on file is the chat's own verified number. For anyone else a NIK tells nothing
more than its digits already say: which office someone is registered with is personal data, and
a copy of a KTP must not reveal where its holder has moved (services/chat_links.py says why a
NIK opens nothing). There the region code alone routes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlmodel import Session, select

from models import Office, Person
from services import phones
from services.catalogue import Programme
from services.nik import IdentityError, normalise, validate_nik

By = Literal["records", "region"]

# Sixteen digits, grouped as people type them ("6209 0157 0880 0007", "6209.0157..."), and not
# part of a longer number (a phone number with its country code, an account number).
_SIXTEEN = re.compile(r"(?<![0-9])[0-9](?:[ .\-]?[0-9]){15}(?![0-9])")


@dataclass(frozen=True)
class Routed:
    """The office a person (or a NIK) belongs to, and what said so."""

    office: Office
    by: By
    nik: str = ""  # the NIK it was read from; "" for a linked person's own records


def regency_code(nik: str) -> str:
    """``"62.09"`` for a NIK beginning 6209 (no check of the rest)."""
    digits = normalise(nik)
    return f"{digits[0:2]}.{digits[2:4]}"


def region_office(*, session: Session, nik: str) -> Office | None:
    """The office serving the regency the NIK was issued in; None where Sigap serves none."""
    return session.exec(select(Office).where(Office.code == regency_code(nik))).first()


def home_office(*, session: Session, person: Person) -> Routed | None:
    """A person's own office: the register they are on; else their NIK's region."""
    office = session.get(Office, person.office_id)
    if office is not None:
        return Routed(office, "records")
    found = region_office(session=session, nik=person.nik)
    return Routed(found, "region") if found is not None else None


def phone_office(*, session: Session, phone: str) -> Routed | None:
    """The office whose register has ``phone``, a number the platform vouches for as the
    chat's own, on file; None when none does, or when people of several offices share it."""
    own = phones.normalise(phone)
    if own is None:
        return None
    office_ids = set(
        session.exec(
            select(Person.office_id).where(
                Person.phone_e164 == own,
                Person.erased_at == None,  # noqa: E711
            )
        ).all()
    )
    if len(office_ids) != 1:
        return None
    office = session.get(Office, office_ids.pop())
    return Routed(office, "records") if office is not None else None


def office_for(
    *, session: Session, nik: str, person_id: int | None = None, phone: str | None = None
) -> Routed | None:
    """The office for ``nik``: the records of its person when the chat is that person (linked
    to ``person_id``, or writing from ``phone``, a number the platform vouches for, that is
    on file for them), else the NIK's region; None when neither names an office Sigap serves."""
    digits = normalise(nik)
    person = session.exec(
        select(Person).where(Person.nik == digits, Person.erased_at == None)  # noqa: E711
    ).first()
    if person is not None and _is_them(person, person_id=person_id, phone=phone):
        office = session.get(Office, person.office_id)
        if office is not None:
            return Routed(office, "records", digits)
    found = region_office(session=session, nik=digits)
    return Routed(found, "region", digits) if found is not None else None


def _is_them(person: Person, *, person_id: int | None, phone: str | None) -> bool:
    if person_id is not None and person.id == person_id:
        return True
    own = phones.normalise(phone) if phone else None
    return own is not None and person.phone_e164 == own


def niks_in(text: str, *, today: date) -> list[str]:
    """The NIKs written in ``text`` (each once, in order): sixteen digits that pass the NIK's
    checks. A No. KK may pass too; its region code says the same."""
    found: list[str] = []
    for match in _SIXTEEN.finditer(text):
        try:
            nik = validate_nik(match.group(), today=today).nik
        except IdentityError:
            continue
        if nik not in found:
            found.append(nik)
    return found


def complaint_routes(
    *,
    session: Session,
    target: Office,
    description: str,
    person_id: int | None,
    phone: str | None,
    today: date,
) -> list[Routed]:
    """Offices other than ``target`` that a complaint about no particular programme may be
    meant for, best first: those of the NIKs its description names, then the linked person's
    own office. Empty when nothing points elsewhere (or only to regions Sigap does not serve,
    where the complaint stays with ``target`` as before)."""
    candidates: list[Routed] = []
    for nik in niks_in(description, today=today):
        routed = office_for(session=session, nik=nik, person_id=person_id, phone=phone)
        if routed is not None:
            candidates.append(routed)
    person = session.get(Person, person_id) if person_id is not None else None
    if person is not None:
        home = home_office(session=session, person=person)
        if home is not None:
            candidates.append(home)
    return _others(candidates, target)


def _others(candidates: Iterable[Routed], target: Office) -> list[Routed]:
    seen = {target.id}
    others = []
    for routed in candidates:
        if routed.office.id not in seen:
            seen.add(routed.office.id)
            others.append(routed)
    return others


def outside_region(programme: Programme, niks: Sequence[str]) -> list[str]:
    """The NIKs whose region is not the one ``programme`` is for, when it is only for the
    office's residents (``resident_of_office_region``, as services/eligibility.py checks it)."""
    if not programme.eligibility.resident_of_office_region:
        return []
    return [nik for nik in niks if regency_code(nik) != programme.office]


__all__ = [
    "Routed",
    "complaint_routes",
    "home_office",
    "niks_in",
    "office_for",
    "outside_region",
    "phone_office",
    "regency_code",
    "region_office",
]
