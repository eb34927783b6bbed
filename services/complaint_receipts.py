"""The receipt handed to someone whose complaint staff recorded: its ticket number and a
one-time link code, so they can follow the complaint in the bot (the chat that sends the code
follows it, and the answer goes there)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from core.settings import Settings
from models import Office, StaffUser
from services import link_codes
from services.complaints import RECORDERS, get_complaint
from services.staff import require_office, require_role


def issue_receipt_code(
    *, session: Session, staff: StaffUser, complaint_id: int, now: datetime, settings: Settings
) -> link_codes.Issued:
    """A new code for the complaint's receipt (an older one stops working)."""
    require_role(staff, RECORDERS)
    complaint = get_complaint(session=session, complaint_id=complaint_id)
    require_office(staff, complaint.office_id, what="Complaint")
    office = session.get_one(Office, complaint.office_id)
    return link_codes.issue(
        session=session,
        kind=link_codes.Kind.COMPLAINT,
        office=office,
        complaint=complaint,
        now=now,
        valid_for=link_codes.lifetime(link_codes.Kind.COMPLAINT, settings),
        secret=settings.secret_key.get_secret_value(),
        issued_by=f"staff:{staff.id}",
        issuer=staff,
    )
