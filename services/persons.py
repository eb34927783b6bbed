"""People and groups: registered once, checked against their NIK, always within one office."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, col, select

from models import BeneficiaryGroup, GroupMember, Person
from services import phones
from services.catalogue import MaritalStatus, Sex
from services.errors import Conflict, InvalidInput, NotFound
from services.nik import normalise, validate_kk, validate_nik


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


def register_person(*, session: Session, office_id: int, data: PersonIn, now: datetime) -> Person:
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
    if session.exec(select(Person).where(Person.nik == info.nik)).first():
        raise Conflict("error.duplicate_nik", nik=info.nik)
    kecamatan_code = data.kecamatan_code or info.kecamatan_code
    person = Person(
        office_id=office_id,
        nik=info.nik,
        kk_number=kk,
        name=data.name,
        birth_place=data.birth_place,
        birth_date=data.birth_date,
        sex=data.sex,
        marital_status=data.marital_status,
        education=data.education,
        occupation=data.occupation,
        address=data.address,
        desa=data.desa,
        kecamatan=data.kecamatan,
        kecamatan_code=kecamatan_code,
        regency_code=kecamatan_code[:5],
        phone=data.phone,
        phone_e164=phones.normalise(data.phone) or "",
        registries=",".join(sorted({r.strip().upper() for r in data.registries if r.strip()})),
        created_at=now,
        updated_at=now,
    )
    session.add(person)
    session.flush()
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
    limit: int = 50,
) -> list[Person]:
    """NIK matches exactly (never by prefix, so it cannot be guessed digit by digit)."""
    query = select(Person).where(Person.office_id == office_id)
    if nik:
        query = query.where(Person.nik == normalise(nik))
    if name:
        query = query.where(col(Person.name).ilike(f"%{name}%"))
    if desa:
        query = query.where(col(Person.desa).ilike(f"%{desa}%"))
    return list(session.exec(query.order_by(Person.name).limit(limit)).all())


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


def get_group(*, session: Session, group_id: int) -> BeneficiaryGroup:
    group = session.get(BeneficiaryGroup, group_id)
    if group is None:
        raise NotFound("error.not_found", what="Group")
    return group


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
    "get_group",
    "get_person",
    "group_members",
    "groups_of_person",
    "person_by_nik",
    "register_group",
    "register_person",
    "search_persons",
]
