"""The answer time an office may promise the public (issue 13: a catalogue that says only what
the SOPs say).

Every office runs a complaint clock, but only some of them may say so as a fact: the one its
SOP states (Buton Tengah's "paling lama 2x24 jam", and a programme file's own
``complaint_response_hours`` quoting its SOP), or the one the office set for itself (a marked
setting in the catalogue, or the office's settings page). A default no SOP states still runs
the clock and alerts the officers, but is never promised to the public as the office's word.
"""

from __future__ import annotations

from sqlmodel import Session

from models import Office
from services.catalogue import Office as OfficeSpec
from services.catalogue import Programme as ProgrammeSpec
from services.complaint_clock import ClockPolicy
from services.office_settings import settings_of

# How the catalogue marks a rule the office itself set (``complaint_clock.source``).
OFFICE_SETTING = "Office setting"


def published_clock(
    *,
    session: Session,
    office: Office,
    spec: OfficeSpec,
    programme: ProgrammeSpec | None = None,
) -> ClockPolicy | None:
    """The office's answer time as it may be told to the public; None when none may."""
    if programme is not None and programme.complaint_response_hours is not None:
        return ClockPolicy(response_hours=programme.complaint_response_hours)
    own = settings_of(session=session, office=office, spec=spec)
    clock = own.clock
    if clock is None:
        return None
    if not (own.clock_from_sop or own.clock_changed or clock.source.startswith(OFFICE_SETTING)):
        return None
    if clock.kind == "working_days":
        return ClockPolicy(working_days=clock.amount)
    return ClockPolicy(response_hours=clock.amount)
