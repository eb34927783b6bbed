"""People and groups as staff see them, for the API and the pages alike.

A NIK and a No. KK are shown whole only to the roles that check them against a KTP and a KK
(services.roles.NIK_READERS); everyone else sees them masked. The reading itself is audited
by services.persons, not here.
"""

from __future__ import annotations

from app.api.schemas import GroupPublic, MemberPublic, PersonPublic
from models import BeneficiaryGroup, Person, StaffUser
from services.nik import mask_nik
from services.roles import NIK_READERS


def sees_whole_nik(staff: StaffUser) -> bool:
    return staff.role in NIK_READERS


def nik_for(staff: StaffUser, number: str) -> str:
    """A NIK or No. KK as this staff member may see it."""
    return number if sees_whole_nik(staff) else mask_nik(number)


def person_public(person: Person, staff: StaffUser) -> PersonPublic:
    data = person.model_dump()
    data["nik"] = nik_for(staff, person.nik)
    data["kk_number"] = nik_for(staff, person.kk_number)
    data["registries"] = [r for r in person.registries.split(",") if r]
    return PersonPublic.model_validate(data)


def member_public(person: Person, staff: StaffUser) -> MemberPublic:
    data = person.model_dump()
    data["nik"] = nik_for(staff, person.nik)
    return MemberPublic.model_validate(data)


def group_public(group: BeneficiaryGroup, members: list[Person], staff: StaffUser) -> GroupPublic:
    return GroupPublic(
        id=group.id or 0,
        name=group.name,
        kind=group.kind,
        business_type=group.business_type,
        desa=group.desa,
        kecamatan=group.kecamatan,
        created_at=group.created_at,
        members=[member_public(p, staff) for p in members],
    )
