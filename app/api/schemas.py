"""What the staff API accepts and returns. Table classes never leave: each has a Public shape."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import MAX_ID
from services.proposals import Action

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Note = Annotated[str, Field(max_length=500)]


class _In(BaseModel):
    # A misspelt field is refused rather than silently ignored.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# --- errors (documentation only: app.errors builds them) ---------------------------------


class ErrorDetail(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorOut(BaseModel):
    error: str = Field(description="Message key, e.g. error.stale_version")
    message: str = Field(description="In Bahasa Indonesia")
    message_en: str | None = None
    details: list[dict[str, Any]] = []


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut} for code in (401, 403, 404, 409, 422)
}

# --- auth ----------------------------------------------------------------------------------


class LoginIn(_In):
    username: str = Field(min_length=1, max_length=60)
    password: str = Field(min_length=1, max_length=200)


class StaffPublic(_Out):
    id: int
    username: str
    full_name: str
    role: str
    office_id: int
    office_code: str
    office_name: str


class LoginOut(BaseModel):
    token: str
    # The two OAuth2 names too, so Swagger's Authorize button can use this endpoint.
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    staff: StaffPublic


# --- programmes ----------------------------------------------------------------------------


class TimeStandardPublic(BaseModel):
    minutes: int | None = None
    working_days: int | None = None


class StepPublic(BaseModel):
    position: int
    code: str
    name: str
    name_en: str
    actor: str
    allowed_roles: list[str]
    time_standard: TimeStandardPublic | None


class ProgrammePublic(BaseModel):
    code: str
    kind: str
    name: str
    name_en: str
    summary: str
    applicant: str
    active: bool
    steps: list[StepPublic]


# --- persons and groups --------------------------------------------------------------------


class PersonPublic(_Out):
    id: int
    nik: str
    kk_number: str
    name: str
    birth_place: str
    birth_date: date
    sex: str
    marital_status: str
    education: str
    occupation: str
    address: str
    desa: str
    kecamatan: str
    kecamatan_code: str
    phone: str
    registries: list[str]
    created_at: datetime


class MemberPublic(_Out):
    id: int
    nik: str
    name: str
    sex: str
    birth_date: date
    desa: str
    kecamatan_code: str


class GroupPublic(_Out):
    id: int
    name: str
    kind: str
    business_type: str
    desa: str
    kecamatan: str
    created_at: datetime
    members: list[MemberPublic] = Field(description="In order; the first is the chair (ketua)")


# --- proposals -----------------------------------------------------------------------------


class ProposalIn(_In):
    programme_code: str = Field(min_length=1, max_length=60)
    person_id: Id | None = None
    group_id: Id | None = None
    note: Note = ""


class TransitionIn(_In):
    action: Action
    version: Id = Field(description="The version you saw; a stale one gets 409")
    note: Note = Field(default="", description="Required for return and reject")


class ApplicantMember(BaseModel):
    id: int
    name: str
    nik: str = Field(description="Whole for the roles that check it against a KTP, else masked")
    role: str = Field(description="ketua, sekretaris, bendahara, anggota")
    desa: str
    phone: str


class ApplicantPublic(BaseModel):
    kind: Literal["person", "group"]
    id: int
    name: str
    nik: str | None = Field(
        default=None,
        description="A person applicant's NIK: whole for the roles that check it, else masked",
    )
    desa: str = ""
    kecamatan: str = ""
    address: str = ""
    phone: str = Field(default="", description="The person's, or the group chair's, phone")
    members: list[ApplicantMember] = Field(
        default=[], description="A group's members in order; the first is the chair (ketua)"
    )


class StepRef(BaseModel):
    position: int
    sop_label: str = Field(
        default="", description='The step as the SOP numbers it: "5", or "5a"/"5b" for a split'
    )
    code: str
    name: str
    allowed_roles: list[str]
    time_standard: TimeStandardPublic | None


class CurrentStep(StepRef):
    entered_at: datetime
    due_at: datetime | None
    is_late: bool
    working_days_late: int


class ProposalPublic(BaseModel):
    id: int
    number: str
    programme_code: str
    programme_name: str
    status: str
    version: int
    applicant: ApplicantPublic
    total_steps: int = Field(description="Steps as Sigap records them")
    sop_total: int = Field(description="Steps as the SOP numbers them (Tahap x dari N)")
    current_step: CurrentStep
    next_step: StepRef | None
    submitted_at: datetime
    closed_at: datetime | None
    rejection_reason: str | None
    actions: list[str] = Field(
        default=[], description="What the reader may do now: advance, complete, return, reject"
    )


class ProposalSummary(BaseModel):
    id: int
    number: str
    programme_code: str
    status: str
    step_position: int
    applicant: ApplicantPublic
    submitted_at: datetime


class EventPublic(BaseModel):
    at: datetime
    action: str
    from_position: int | None
    to_position: int | None
    to_sop_label: str | None = None
    to_step: str | None
    staff_id: int | None
    staff_username: str | None
    note: str


# --- reports and imports -------------------------------------------------------------------


class StepCount(BaseModel):
    programme_code: str
    step_position: int
    step_name: str
    count: int


class ImportOut(BaseModel):
    imported: int
    numbers: list[str] = Field(default=[], description="Proposal numbers, for a proposal import")
