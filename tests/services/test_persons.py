"""Finding and correcting the people an office serves: exact NIK and No. KK, part of a name;
a correction checked as a registration is, refused when someone else saved first or the
person's data was erased; every reading and change on the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from models import AuditLog, Person
from services import persons
from services.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.persons import PersonIn
from tests import privacy_world as build
from tests.privacy_world import NOW


def _as_form(person: Person, **changes: object) -> PersonIn:
    fields = (
        "nik", "kk_number", "name", "birth_place", "birth_date", "sex", "marital_status",
        "address", "desa", "kecamatan", "phone",
    )  # fmt: skip
    return PersonIn.model_validate({**{f: getattr(person, f) for f in fields}, **changes})


def _trail(session: Session, person: Person) -> list[tuple[str, str]]:
    rows = session.exec(
        select(AuditLog).where(AuditLog.entity == "person", AuditLog.entity_id == person.id)
    ).all()
    return [(row.action, row.detail) for row in rows]


def test_a_search_box_takes_a_nik_a_kk_or_part_of_a_name(session: Session) -> None:
    offices = build.offices(session)
    office = offices["buton-tengah"]
    operator = build.staff(session, office, "operator", "t.operator")
    sitti = build.person(session, office, 31, kk="7414010101260031")
    hamid = build.person(session, office, 32, name="La Ode Hamid", kk="7414010101260031")
    build.person(session, offices["bone"], 33, kk="7414010101260031")  # another office's

    def found(text: str, desa: str = "") -> list[int | None]:
        hits = persons.find_persons(session=session, staff=operator, now=NOW, text=text, desa=desa)
        return [p.id for p in hits]

    assert found(sitti.nik) == [sitti.id]
    assert sorted(found("7414 0101 0126 0031")) == sorted([sitti.id, hamid.id])  # the KK
    assert found(sitti.nik[:12]) == []  # never by prefix
    assert found("ode ham") == [hamid.id]
    assert found("", desa="lakudo") == [hamid.id, sitti.id]
    with pytest.raises(InvalidInput):
        found("")
    assert ("read", "search result") in _trail(session, sitti)


def test_a_correction_is_checked_audited_and_never_overwrites_a_newer_one(
    session: Session,
) -> None:
    office = build.offices(session)["buton-tengah"]
    operator = build.staff(session, office, "operator", "t.operator")
    person = build.person(session, office, 31)
    # Registered as living in another kecamatan than the NIK's: a correction keeps that.
    person.kecamatan_code, person.regency_code = "74.14.03", "74.14"
    seen = person.updated_at

    persons.update_person(
        session=session,
        staff=operator,
        person_id=person.id or 0,
        data=_as_form(person, phone="0813-1111-2222", desa="Mawasangka"),
        seen=seen,
        now=NOW,
    )
    assert (person.phone_e164, person.desa, person.updated_at) == (
        "+6281311112222",
        "Mawasangka",
        NOW,
    )
    assert _trail(session, person) == [("update", "changed: desa, phone, phone_e164")]
    assert person.kecamatan_code == "74.14.03"

    # A form filled before that save is refused, not applied over it.
    with pytest.raises(Conflict) as stale:
        persons.update_person(
            session=session,
            staff=operator,
            person_id=person.id or 0,
            data=_as_form(person, desa="Lakudo"),
            seen=seen,
            now=NOW + timedelta(minutes=1),
        )
    assert stale.value.key == "people.error.stale"

    # The NIK must still agree with the birth date, as when registering.
    with pytest.raises(InvalidInput) as mismatch:
        persons.update_person(
            session=session,
            staff=operator,
            person_id=person.id or 0,
            data=_as_form(person, birth_date=person.birth_date + timedelta(days=1)),
            seen=NOW,
            now=NOW + timedelta(minutes=2),
        )
    assert mismatch.value.key == "identity.nik.birth_mismatch"


def test_who_may_correct_whom(session: Session) -> None:
    offices = build.offices(session)
    office = offices["buton-tengah"]
    person = build.person(session, office, 31)
    officer = build.staff(session, office, "complaint_officer", "t.pengaduan")
    with pytest.raises(Forbidden):
        persons.update_person(
            session=session, staff=officer, person_id=person.id or 0,
            data=_as_form(person), seen=None, now=NOW,
        )  # fmt: skip
    stranger = build.staff(session, offices["bone"], "operator", "t.bone")
    with pytest.raises(NotFound):
        persons.read_person(session=session, staff=stranger, person_id=person.id or 0, now=NOW)
    person.erased_at = NOW
    operator = build.staff(session, office, "operator", "t.operator")
    with pytest.raises(Conflict) as erased:
        persons.update_person(
            session=session, staff=operator, person_id=person.id or 0,
            data=_as_form(person), seen=None, now=NOW,
        )  # fmt: skip
    assert erased.value.key == "people.error.erased"
