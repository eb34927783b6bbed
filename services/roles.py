"""Staff roles and what each may do outside the SOP's own step rules."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING

from services.errors import Forbidden, NotFound

if TYPE_CHECKING:
    from models import StaffUser


class Role(StrEnum):
    OPERATOR = "operator"
    COMPLAINT_OFFICER = "complaint_officer"
    SUPERVISOR = "supervisor"  # Kepala Bidang (Kabid)
    HEAD = "head"  # Kepala Dinas (Kadis)
    ADMIN = "admin"


# Who may register people and groups, file proposals and import spreadsheets.
CASE_WRITERS = frozenset({Role.OPERATOR, Role.SUPERVISOR, Role.HEAD, Role.ADMIN})
# Who sees a NIK and a No. KK whole: those who check them against a KTP and a KK when they
# register people and file proposals. Complaint officers see them masked (7308************).
NIK_READERS = CASE_WRITERS
# Who changes the office's own settings (opening hours, contacts, the complaint clock where
# its SOP states none).
OFFICE_SETTERS = frozenset({Role.HEAD, Role.ADMIN})
# Everyone on staff reads case data of their own office (complaint officers need context).
CASE_READERS = frozenset(Role)
# Sending a proposal back or rejecting it is a decision, not a clerical step.
DECIDERS = frozenset({Role.SUPERVISOR, Role.HEAD, Role.ADMIN})
STAFF_ADMINS = frozenset({Role.ADMIN})
# Who reads the audit log and answers a person's request to export or erase their data.
PRIVACY_OFFICERS = frozenset({Role.HEAD, Role.ADMIN})


def require_role(staff: StaffUser, allowed: Iterable[str]) -> None:
    if staff.role not in set(allowed):
        raise Forbidden("error.forbidden_role", role=staff.role)


def require_office(staff: StaffUser, office_id: int, *, what: str) -> None:
    """Another office's record answers as one that does not exist (404, the same words for
    ``what``): a 403 would tell anyone on staff that it exists."""
    if staff.office_id != office_id:
        raise NotFound("error.not_found", what=what)
