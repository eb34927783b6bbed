"""An office's own settings over its catalogue entry: what is not an SOP fact.

No seed SOP states opening hours (the bot gives none until the office sets them), and contacts
change (a new phone number, a new mailbox); the
complaint clock is the office's to set only where its SOP states none (Buton Tengah's SOP
says "paling lama 2x24 jam", which no setting may loosen). A setting equal to the catalogue's
value is stored as empty, so a corrected catalogue still reaches an office that never changed
that field.

The settings take effect at once: the office row (which the staff pages and the bot read) is
updated with them, the catalogue sync at start-up applies them over the catalogue's, and the
complaint clock of a new complaint (and of the sweep) looks them up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from sqlmodel import Session, select

from models import Office, OfficeSetting, StaffUser
from services import audit
from services.catalogue import ComplaintClock, stated
from services.catalogue import Office as OfficeSpec
from services.complaint_clock import ClockRules, with_office_clocks
from services.errors import InvalidInput
from services.roles import OFFICE_SETTERS, require_office, require_role

CONTACTS = ("address", "phone", "email", "website")
DEFAULT_OFFICE_HOURS = "08:00-16:00"
# An answer promised later than this is no promise: a month of hours, ten working days.
MAX_HOURS, MAX_WORKING_DAYS = 24 * 30, 10

Hours = Annotated[str, StringConstraints(pattern=r"^\d\d:\d\d-\d\d:\d\d$")]


class SettingsIn(BaseModel):
    """What the office settings form posts."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    # Empty: the office gives no hours (and the bot says none), as no SOP states them.
    hours_id: str = Field(default="", max_length=120)
    hours_en: str = Field(default="", max_length=120)
    address: str = Field(default="", max_length=300)
    phone: str = Field(default="", max_length=60)
    email: str = Field(default="", max_length=120, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")
    website: str = Field(default="", max_length=200, pattern=r"^$|^https?://\S+$")
    clock_kind: Literal["hours", "working_days"] | None = None
    clock_amount: int | None = Field(default=None, ge=1, le=MAX_HOURS)
    clock_office_hours: Hours | Literal[""] = ""

    @model_validator(mode="after")
    def _clock_in_range(self) -> SettingsIn:
        if self.clock_kind == "working_days" and (self.clock_amount or 0) > MAX_WORKING_DAYS:
            raise ValueError("too many working days")
        if self.clock_office_hours:
            opens, closes = self.clock_office_hours.split("-")
            try:
                if time.fromisoformat(opens) >= time.fromisoformat(closes):
                    raise ValueError("the office closes before it opens")
            except ValueError as exc:
                raise ValueError(str(exc)) from None
        return self


@dataclass(frozen=True)
class Settings:
    """The office's settings as they stand, and where each comes from."""

    hours_id: str
    hours_en: str
    address: str
    phone: str
    email: str
    website: str
    clock: ComplaintClock | None  # the clock in force (None: the default of the settings)
    clock_from_sop: bool  # the SOP states the clock: no setting may change it
    clock_changed: bool  # the office set its own clock
    changed: frozenset[str]  # the fields the office set over the catalogue's


def _row(session: Session, office_id: int) -> OfficeSetting | None:
    return session.get(OfficeSetting, office_id)


def _catalogue_values(spec: OfficeSpec) -> dict[str, str]:
    return {
        # Hours in the catalogue count only where an SOP states them; no seed does.
        "hours_id": stated(spec.opening_hours, "id") or "",
        "hours_en": stated(spec.opening_hours, "en") or "",
        **{name: getattr(spec, name) or "" for name in CONTACTS},
    }


def _own_clock(row: OfficeSetting | None, spec: OfficeSpec) -> ComplaintClock | None:
    """The clock the office set for itself, on its catalogue escalation chain."""
    if row is None or not row.clock_kind or row.clock_amount is None:
        return None
    if spec.complaint_clock is not None and spec.complaint_clock.from_sop:
        return None  # an SOP fact; a setting stored before the SOP said so no longer counts
    update = {
        "kind": row.clock_kind,
        "amount": row.clock_amount,
        "office_hours": row.clock_office_hours or None,
        "source": "Office setting",
    }
    if spec.complaint_clock is not None:
        return spec.complaint_clock.model_copy(update=update)
    return ComplaintClock.model_validate(update)


def settings_of(*, session: Session, office: Office, spec: OfficeSpec) -> Settings:
    row = _row(session, office.id or 0)
    values = _catalogue_values(spec)
    changed = set()
    for name in values:
        own = getattr(row, name, "") if row else ""
        if own:
            values[name] = own
            changed.add(name)
    own_clock = _own_clock(row, spec)
    return Settings(
        **values,
        clock=own_clock or spec.complaint_clock,
        clock_from_sop=spec.complaint_clock is not None and spec.complaint_clock.from_sop,
        clock_changed=own_clock is not None,
        changed=frozenset(changed),
    )


def save_settings(
    *,
    session: Session,
    staff: StaffUser,
    office: Office,
    spec: OfficeSpec,
    data: SettingsIn,
    now: datetime,
) -> Settings:
    """The head or the admin sets the office's own settings; audited with the fields changed
    (never their values)."""
    require_role(staff, OFFICE_SETTERS)
    require_office(staff, office.id or 0, what="Office")
    sop_clock = spec.complaint_clock is not None and spec.complaint_clock.from_sop
    before = settings_of(session=session, office=office, spec=spec)
    if sop_clock and data.clock_kind is not None:
        clock = before.clock
        if clock is None or (data.clock_kind, data.clock_amount) != (clock.kind, clock.amount):
            raise InvalidInput("officeset.error.clock_sop")
    if data.clock_kind is not None and data.clock_amount is None:
        raise InvalidInput("officeset.error.clock_amount")

    row = _row(session, office.id or 0) or OfficeSetting(office_id=office.id or 0)
    catalogue = _catalogue_values(spec)
    for name, given in catalogue.items():
        value = getattr(data, name)
        setattr(row, name, "" if value == given else value)
    catalogue_clock = spec.complaint_clock
    same_clock = (
        catalogue_clock is not None
        and (data.clock_kind, data.clock_amount) == (catalogue_clock.kind, catalogue_clock.amount)
        and (data.clock_office_hours or None) == catalogue_clock.office_hours
    )
    if sop_clock or data.clock_kind is None or same_clock:
        row.clock_kind, row.clock_amount, row.clock_office_hours = "", None, ""
    else:
        row.clock_kind, row.clock_amount = data.clock_kind, data.clock_amount
        row.clock_office_hours = (
            data.clock_office_hours or DEFAULT_OFFICE_HOURS
            if data.clock_kind == "working_days"
            else ""
        )
    row.updated_at, row.updated_by_id = now, staff.id
    session.add(row)
    _apply_to_office(office, row, spec)
    session.flush()

    after = settings_of(session=session, office=office, spec=spec)
    fields = [
        name for name in (*catalogue, "clock") if getattr(before, name) != getattr(after, name)
    ]
    audit.record(
        session=session,
        action="update",
        entity="office",
        entity_id=office.id,
        now=now,
        staff=staff,
        detail="settings: " + (", ".join(fields) or "unchanged"),
    )
    return after


def _apply_to_office(office: Office, row: OfficeSetting | None, spec: OfficeSpec) -> None:
    """The office row as the staff pages and the bot read it: the catalogue's values, with the
    office's own settings over them."""
    office.address = (row.address if row else "") or spec.address or ""
    office.phone = (row.phone if row else "") or spec.phone or ""
    office.email = (row.email if row else "") or spec.email or ""
    office.website = (row.website if row else "") or spec.website or ""
    office.hours = (row.hours_id if row else "") or stated(spec.opening_hours) or ""


def apply_to_office(*, session: Session, office: Office, spec: OfficeSpec) -> None:
    """For the catalogue sync: the office's own settings over what it just copied. A clock
    set before the office's SOP came to state one gives way to the SOP's."""
    row = _row(session, office.id or 0)
    if (
        row is not None
        and row.clock_kind
        and spec.complaint_clock
        and spec.complaint_clock.from_sop
    ):
        row.clock_kind, row.clock_amount, row.clock_office_hours = "", None, ""
    _apply_to_office(office, row, spec)


@dataclass(frozen=True)
class Contact:
    name: str
    address: str
    phone: str
    email: str
    website: str
    hours: str


def contact(*, session: Session, office: Office, spec: OfficeSpec, lang: str) -> Contact:
    """How a person reaches the office, in their language, as the office set it."""
    now = settings_of(session=session, office=office, spec=spec)
    hours = now.hours_en if lang == "en" and now.hours_en else now.hours_id
    return Contact(
        name=spec.name.get(lang),
        address=now.address,
        phone=now.phone,
        email=now.email,
        website=now.website,
        hours=hours,
    )


def with_settings(*, session: Session, rules: ClockRules) -> ClockRules:
    """Every office's complaint clock with the clocks offices set for themselves."""
    rows = session.exec(
        select(Office.code, OfficeSetting)
        .join(OfficeSetting, OfficeSetting.office_id == Office.id)  # type: ignore[arg-type]
        .where(OfficeSetting.clock_kind != "")
    ).all()
    if not rows:
        return rules
    own = {
        code: (row.clock_kind, row.clock_amount, row.clock_office_hours or None)
        for code, row in rows
        if row.clock_amount is not None
    }
    return with_office_clocks(rules, own)
