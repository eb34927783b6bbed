from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    nik: str = Field(max_length=16, unique=True, index=True)
    kk_number: str = Field(max_length=16, index=True)
    name: str = Field(max_length=120, index=True)
    birth_place: str = Field(default="", max_length=80)
    birth_date: date
    sex: str = Field(max_length=1)  # "L" or "P"
    marital_status: str = Field(max_length=20)
    education: str = Field(default="", max_length=60)
    occupation: str = Field(default="", max_length=80)
    address: str = Field(default="", max_length=200)
    desa: str = Field(default="", max_length=80, index=True)
    kecamatan: str = Field(default="", max_length=80)
    kecamatan_code: str = Field(default="", max_length=8)  # "73.08.01"
    regency_code: str = Field(default="", max_length=5)  # "73.08"
    phone: str = Field(default="", max_length=20)
    # The same number in E.164 ("+6281234567890"), "" when there is none or it is no valid
    # number: what a chat's verified number is matched against.
    phone_e164: str = Field(
        default="", max_length=16, index=True, sa_column_kwargs={"server_default": ""}
    )
    registries: str = Field(default="", max_length=60)  # comma-separated: "DTKS,PMKS"
    # The household as the office's KPM register lists it (the BPNT SOP's data of a KPM): the
    # head of the family, their spouse, the other members' names, the family's id in DTKS (or
    # DTSEN, which replaced it) and its Kartu Keluarga Sejahtera number. "" where not known.
    head_of_family: str = Field(default="", max_length=120, sa_column_kwargs={"server_default": ""})
    spouse_name: str = Field(default="", max_length=120, sa_column_kwargs={"server_default": ""})
    household_members: str = Field(
        default="", max_length=500, sa_column_kwargs={"server_default": ""}
    )
    dtks_id: str = Field(
        default="", max_length=40, index=True, sa_column_kwargs={"server_default": ""}
    )
    kks_number: str = Field(default="", max_length=20, sa_column_kwargs={"server_default": ""})
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Erased on the person's request (UU PDP): what named them is gone, the row stays so
    # proposals, complaints, counts and the audit trail still add up.
    erased_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The person typed BERHENTI: no broadcast reaches them until they type MULAI.
    broadcasts_stopped_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class BeneficiaryGroup(SQLModel, table=True):
    """A KUBE or a weavers' group: applies as one, aided as one."""

    __tablename__ = "beneficiary_group"

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    name: str = Field(max_length=120)
    kind: str = Field(default="kube", max_length=40)
    business_type: str = Field(default="", max_length=120)
    desa: str = Field(default="", max_length=80)
    kecamatan: str = Field(default="", max_length=80)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class GroupMember(SQLModel, table=True):
    __tablename__ = "group_member"
    __table_args__ = (UniqueConstraint("group_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="beneficiary_group.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str = Field(default="anggota", max_length=20)  # ketua, sekretaris, bendahara, anggota
