"""The receipt handed to an applicant when staff file a proposal for them: its number, the
programme, the step and a one-time link code (a person code), so the applicant can follow the
proposal in the bot (the chat that sends the code is linked to them, and each step change is
told there).

For a group the code is for one member the staff member names (the chair when none is named):
each member who wants the news links their own chat with their own code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from core.settings import Settings
from models import Office, Person, Proposal, StaffUser
from services import link_codes
from services.errors import NotFound
from services.persons import group_members
from services.proposals import get_proposal
from services.roles import CASE_WRITERS
from services.staff import require_role


@dataclass(frozen=True)
class Receipt:
    proposal: Proposal
    person: Person
    issued: link_codes.Issued


def issue_receipt(
    *,
    session: Session,
    staff: StaffUser,
    proposal_id: int,
    now: datetime,
    settings: Settings,
    person_id: int | None = None,
) -> Receipt:
    """A new person code for the applicant (or the named member of the applicant group); an
    older code for the same person stops working."""
    require_role(staff, CASE_WRITERS)
    proposal = get_proposal(session=session, staff=staff, proposal_id=proposal_id)
    if proposal.applicant_person_id is not None:
        candidates = [session.get_one(Person, proposal.applicant_person_id)]
    else:
        candidates = group_members(session=session, group_id=proposal.applicant_group_id or 0)
    if person_id is None:
        person = candidates[0] if candidates else None
    else:
        person = next((p for p in candidates if p.id == person_id), None)
    if person is None or person.erased_at is not None:
        raise NotFound("error.not_found", what="Person")
    issued = link_codes.issue(
        session=session,
        kind=link_codes.Kind.PERSON,
        office=session.get_one(Office, proposal.office_id),
        person=person,
        now=now,
        valid_for=link_codes.lifetime(link_codes.Kind.PERSON, settings),
        secret=settings.secret_key.get_secret_value(),
        issued_by=f"staff:{staff.id}",
        issuer=staff,
    )
    return Receipt(proposal=proposal, person=person, issued=issued)
