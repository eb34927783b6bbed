"""People and groups: registered once, checked against their NIK, always within one office."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, col, func, or_, select

from models import BeneficiaryGroup, GroupMember, Person, StaffUser
from services import audit, phones
from services.catalogue import MaritalStatus, Sex
from services.errors import Conflict, InvalidInput, NotFound
from services.nik import NikInfo, normalise, validate_kk, validate_nik
from services.roles import CASE_WRITERS, require_office, require_role


class PersonIn(BaseModel):
    """What staff fill in for a person (the verification form of the Bekasi SOP)."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    nik: str = Field(min_length=1, max_length=40)
    kk_number: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=120)
    birth_place: str = Field(default="", max_length=80)
    birth_date: date
    sex: Sex
    marital_status: MaritalStatus
    education: str = Field(default="", max_length=60)
    occupation: str = Field(default="", max_length=80)
    address: str = Field(default="", max_length=200)
    desa: str = Field(default="", max_length=80)
    kecamatan: str = Field(default="", max_length=80)
    # Where the person lives now; defaults to the kecamatan encoded in the NIK.
    kecamatan_code: str | None = Field(default=None, pattern=r"^\d{2}\.\d{2}\.\d{2}$")
    phone: str = Field(default="", max_length=20)
    # Short names ("DTKS"), few of them: joined they must fit the 60-character column.
    registries: list[Annotated[str, Field(max_length=10)]] = Field(
        default_factory=list, max_length=5
    )


class GroupIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    kind: str = Field(default="kube", max_length=40)
    business_type: str = Field(default="", max_length=120)
    desa: str = Field(default="", max_length=80)
    kecamatan: str = Field(default="", max_length=80)
    # Members by NIK; the first is the chair (ketua).
    member_niks: list[str] = Field(min_length=1, max_length=50)


def _checked(data: PersonIn, now: datetime) -> tuple[NikInfo, str]:
    """The NIK and No. KK, each valid and the NIK agreeing with the birth date and sex."""
    info = validate_nik(data.nik, today=now.date())
    kk = validate_kk(data.kk_number)
    if info.birth_date != data.birth_date:
        raise InvalidInput(
            "identity.nik.birth_mismatch",
            nik_date=info.birth_date.strftime("%d-%m-%Y"),
            given=data.birth_date.strftime("%d-%m-%Y"),
        )
    if info.sex != data.sex:
        raise InvalidInput("identity.nik.sex_mismatch", nik_sex=info.sex, given=data.sex)
    return info, kk


def _fill(person: Person, data: PersonIn, info: NikInfo, kk: str, now: datetime) -> None:
    kecamatan_code = data.kecamatan_code or info.kecamatan_code
    person.nik = info.nik
    person.kk_number = kk
    person.name = data.name
    person.birth_place = data.birth_place
    person.birth_date = data.birth_date
    person.sex = data.sex
    person.marital_status = data.marital_status
    person.education = data.education
    person.occupation = data.occupation
    person.address = data.address
    person.desa = data.desa
    person.kecamatan = data.kecamatan
    person.kecamatan_code = kecamatan_code
    person.regency_code = kecamatan_code[:5]
    person.phone = data.phone
    person.phone_e164 = phones.normalise(data.phone) or ""
    person.registries = ",".join(sorted({r.strip().upper() for r in data.registries if r.strip()}))
    person.updated_at = now


def register_person(*, session: Session, office_id: int, data: PersonIn, now: datetime) -> Person:
    info, kk = _checked(data, now)
    if session.exec(select(Person).where(Person.nik == info.nik)).first():
        raise Conflict("error.duplicate_nik", nik=info.nik)
    person = Person(
        office_id=office_id,
        nik=info.nik,
        kk_number=kk,
        name=data.name,
        birth_date=data.birth_date,
        sex=data.sex,
        marital_status=data.marital_status,
        created_at=now,
    )
    _fill(person, data, info, kk, now)
    session.add(person)
    session.flush()
    return person


def new_person(*, session: Session, staff: StaffUser, data: PersonIn, now: datetime) -> Person:
    """A person registered by a staff member, in their office, the creation audited."""
    require_role(staff, CASE_WRITERS)
    person = register_person(session=session, office_id=staff.office_id, data=data, now=now)
    audit.record(
        session=session, action="create", entity="person", entity_id=person.id, now=now, staff=staff
    )
    return person


def update_person(
    *,
    session: Session,
    staff: StaffUser,
    person_id: int,
    data: PersonIn,
    seen: datetime | None,
    now: datetime,
) -> Person:
    """Correct what the office holds about a person, with the same checks as registering.

    ``seen`` is the ``updated_at`` the form was filled from: a change made meanwhile by
    someone else is not overwritten (409, the form is shown again with what is stored now).
    """
    require_role(staff, CASE_WRITERS)
    person = get_person(session=session, person_id=person_id)
    require_office(staff, person.office_id, what="Person")
    if person.erased_at is not None:
        raise Conflict("people.error.erased")
    if seen is not None and person.updated_at != seen:
        raise Conflict("people.error.stale")
    info, kk = _checked(data, now)
    if data.kecamatan_code is None and person.kecamatan_code and info.nik == person.nik:
        # Where the person lives now, as registered; a form without it keeps it.
        data = data.model_copy(update={"kecamatan_code": person.kecamatan_code})
    other = session.exec(
        select(Person).where(Person.nik == info.nik, Person.id != person_id)
    ).first()
    if other is not None:
        raise Conflict("error.duplicate_nik", nik=info.nik)
    before = person.model_dump()
    _fill(person, data, info, kk, now)
    after = person.model_dump()
    changed = [k for k, v in after.items() if k != "updated_at" and before[k] != v]
    session.flush()
    audit.record(
        session=session,
        action="update",
        entity="person",
        entity_id=person.id,
        now=now,
        staff=staff,
        # Which fields, never their values: the trail must not become a copy of the data.
        detail="changed: " + (", ".join(sorted(changed)) or "other fields"),
    )
    return person


def get_person(*, session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("error.not_found", what="Person")
    return person


def person_by_nik(*, session: Session, nik: str) -> Person | None:
    return session.exec(select(Person).where(Person.nik == normalise(nik))).first()


def search_persons(
    *,
    session: Session,
    office_id: int,
    nik: str | None = None,
    name: str | None = None,
    desa: str | None = None,
    kk: str | None = None,
    limit: int = 50,
) -> list[Person]:
    """NIK and No. KK match exactly (never by prefix, so neither can be guessed digit by
    digit); name and desa match any part."""
    query = select(Person).where(Person.office_id == office_id)
    if nik:
        query = query.where(Person.nik == normalise(nik))
    if kk:
        query = query.where(Person.kk_number == normalise(kk))
    if name:
        query = query.where(col(Person.name).ilike(f"%{name}%"))
    if desa:
        query = query.where(col(Person.desa).ilike(f"%{desa}%"))
    return list(session.exec(query.order_by(Person.name).limit(limit)).all())


def find_persons(
    *,
    session: Session,
    staff: StaffUser,
    now: datetime,
    text: str = "",
    desa: str = "",
    nik: str | None = None,
    name: str | None = None,
    kk: str | None = None,
    limit: int = 50,
) -> list[Person]:
    """A staff member's search of their office's people, each person found audited.

    ``text`` is what one search box takes: 16 digits are a NIK or a No. KK (exactly), anything
    else part of a name. At least one criterion is needed: an empty search would list the
    whole office, a bulk read nobody needs.
    """
    typed = normalise(text.strip())
    if typed.isdigit() and len(typed) == 16:
        by_nik = search_persons(
            session=session, office_id=staff.office_id, nik=typed, desa=desa, limit=limit
        )
        found = by_nik or search_persons(
            session=session, office_id=staff.office_id, kk=typed, desa=desa, limit=limit
        )
    elif text.strip() or desa.strip() or nik or name or kk:
        found = search_persons(
            session=session,
            office_id=staff.office_id,
            nik=nik,
            name=name or text.strip() or None,
            desa=desa.strip() or None,
            kk=kk,
            limit=limit,
        )
    else:
        raise InvalidInput("api.search.criteria", fields="nik, name, desa, kk")
    for person in found:
        audit.record(
            session=session,
            action="read",
            entity="person",
            entity_id=person.id,
            now=now,
            staff=staff,
            detail="search result",
        )
    return found


def read_person(
    *, session: Session, staff: StaffUser, person_id: int, now: datetime, detail: str = ""
) -> Person:
    """One person of the staff member's office, the reading audited."""
    person = get_person(session=session, person_id=person_id)
    require_office(staff, person.office_id, what="Person")
    audit.record(
        session=session,
        action="read",
        entity="person",
        entity_id=person.id,
        now=now,
        staff=staff,
        detail=detail,
    )
    return person


def household(*, session: Session, person: Person) -> list[Person]:
    """The others on the person's Kartu Keluarga that the office holds (not audited apart:
    they are read as part of the person's page, whose reading is)."""
    query = (
        select(Person)
        .where(
            Person.office_id == person.office_id,
            Person.kk_number == person.kk_number,
            Person.id != person.id,
            col(Person.erased_at).is_(None),
        )
        .order_by(col(Person.birth_date))
    )
    return list(session.exec(query).all())


def register_group(
    *, session: Session, office_id: int, data: GroupIn, now: datetime
) -> BeneficiaryGroup:
    niks = [normalise(n) for n in data.member_niks]
    found = {
        p.nik: p
        for p in session.exec(
            select(Person).where(col(Person.nik).in_(niks), Person.office_id == office_id)
        ).all()
    }
    missing = [n for n in niks if n not in found]
    if missing:
        raise InvalidInput(
            "error.group_member_missing",
            nik=missing[0],
            details=[{"nik": n, "error": "error.group_member_missing"} for n in missing],
        )
    group = BeneficiaryGroup(
        office_id=office_id,
        name=data.name,
        kind=data.kind,
        business_type=data.business_type,
        desa=data.desa,
        kecamatan=data.kecamatan,
        created_at=now,
    )
    session.add(group)
    session.flush()
    for index, nik in enumerate(dict.fromkeys(niks)):
        session.add(
            GroupMember(
                group_id=group.id or 0,
                person_id=found[nik].id or 0,
                role="ketua" if index == 0 else "anggota",
            )
        )
    session.flush()
    return group


def new_group(
    *, session: Session, staff: StaffUser, data: GroupIn, now: datetime
) -> BeneficiaryGroup:
    """A group registered by a staff member, in their office, the creation audited."""
    require_role(staff, CASE_WRITERS)
    group = register_group(session=session, office_id=staff.office_id, data=data, now=now)
    audit.record(
        session=session, action="create", entity="group", entity_id=group.id, now=now, staff=staff
    )
    return group


def get_group(*, session: Session, group_id: int) -> BeneficiaryGroup:
    group = session.get(BeneficiaryGroup, group_id)
    if group is None:
        raise NotFound("error.not_found", what="Group")
    return group


def read_group(
    *, session: Session, staff: StaffUser, group_id: int, now: datetime
) -> tuple[BeneficiaryGroup, list[Person]]:
    """A group of the staff member's office and its members; reading each member's data is
    audited about that member."""
    group = get_group(session=session, group_id=group_id)
    require_office(staff, group.office_id, what="Group")
    members = group_members(session=session, group_id=group.id or 0)
    for person in members:
        audit.record(
            session=session,
            action="read",
            entity="person",
            entity_id=person.id,
            now=now,
            staff=staff,
            detail=f"member of group {group.id}",
        )
    return group, members


def search_groups(
    *, session: Session, office_id: int, text: str = "", limit: int = 100
) -> list[tuple[BeneficiaryGroup, int]]:
    """The office's groups whose name or desa holds ``text`` (all when empty), each with its
    number of members; newest first."""
    count = (
        select(GroupMember.group_id, func.count().label("members"))
        .group_by(col(GroupMember.group_id))
        .subquery()
    )
    query = (
        select(BeneficiaryGroup, func.coalesce(count.c.members, 0))
        .outerjoin(count, count.c.group_id == BeneficiaryGroup.id)
        .where(BeneficiaryGroup.office_id == office_id)
    )
    if text.strip():
        pattern = f"%{text.strip()}%"
        name, desa = col(BeneficiaryGroup.name), col(BeneficiaryGroup.desa)
        query = query.where(or_(name.ilike(pattern), desa.ilike(pattern)))
    query = query.order_by(col(BeneficiaryGroup.id).desc()).limit(limit)
    return [(group, int(members)) for group, members in session.exec(query).all()]


def group_members(*, session: Session, group_id: int) -> list[Person]:
    query = (
        select(Person)
        .join(GroupMember, col(GroupMember.person_id) == Person.id)
        .where(GroupMember.group_id == group_id)
        .order_by(col(GroupMember.id))
    )
    return list(session.exec(query).all())


def groups_of_person(*, session: Session, person_id: int) -> list[int]:
    rows = session.exec(select(GroupMember.group_id).where(GroupMember.person_id == person_id))
    return list(rows.all())


__all__ = [
    "GroupIn",
    "PersonIn",
    "find_persons",
    "get_group",
    "get_person",
    "group_members",
    "groups_of_person",
    "household",
    "new_group",
    "new_person",
    "person_by_nik",
    "read_group",
    "read_person",
    "register_group",
    "register_person",
    "search_groups",
    "search_persons",
    "update_person",
]
