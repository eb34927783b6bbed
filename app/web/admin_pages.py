"""Administration: one page that leads to everything that is not case work (staff accounts,
link codes for one's own chat and the officers' group, the audit log, a person's data on
request, the office's own settings, updates the bot set aside), each shown to the roles that
may use it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.api.deps import NowDep
from app.web.pages import _signed_in, render
from core.db import unit_of_work
from services.roles import DECIDERS, PRIVACY_OFFICERS, STAFF_ADMINS

router = APIRouter(prefix="/staff", include_in_schema=False)


@router.get("/admin")
def administration(request: Request, now: NowDep) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        context = {
            "is_admin": staff.role in STAFF_ADMINS,
            "is_privacy_officer": staff.role in PRIVACY_OFFICERS,
            "may_link_officers": staff.role in DECIDERS,
        }
        return render(request, "admin.html", context, staff=staff, office=office)
