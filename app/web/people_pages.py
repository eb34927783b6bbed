"""Staff pages for the people an office serves and their groups: find a person (by NIK, No.
KK, name or desa), register one and their household, correct what is on file, see a person's
page; register a group and preview whether it meets a programme's rules.

Thin, as every page: the rules, the office scope and the audit rows are in services.persons
(a NIK is shown whole only to the roles that need it: app.presenters.persons). A NIK typed to
search is posted, never put in a URL (access logs keep URLs).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from app.api.deps import NowDep, RecordId
from app.presenters.persons import nik_for
from app.web.forms import Posted, domain_field, field_errors
from app.web.lang import current
from app.web.pages import _chats_of, _signed_in, render
from app.web.session import check_form
from core.db import unit_of_work
from models import Office, Person, StaffUser
from services import persons
from services.catalogue import MARITAL_STATUSES
from services.errors import DomainError, InvalidInput
from services.persons import GroupIn, PersonIn
from services.proposal_status import proposals_of
from services.proposals import applicant_eligibility, programmes_of_office
from services.roles import CASE_WRITERS, require_role

router = APIRouter(prefix="/staff", include_in_schema=False)

PERSON_FIELDS = (
    "nik", "kk_number", "name", "birth_place", "birth_date", "sex", "marital_status",
    "education", "occupation", "address", "desa", "kecamatan", "phone", "registries",
)  # fmt: skip
GROUP_FIELDS = ("name", "kind", "business_type", "desa", "kecamatan", "member_niks")
# A service's refusal beside the field it is about, by the prefix of its message key.
PERSON_ERRORS = {
    "identity.nik.birth_mismatch": "birth_date",
    "identity.nik.sex_mismatch": "sex",
    "identity.nik": "nik",
    "error.duplicate_nik": "nik",
    "identity.kk": "kk_number",
}
GROUP_ERRORS = {"error.group_member_missing": "member_niks", "groups.error.kind": "kind"}
ProgrammeQ = Annotated[str, Query(max_length=60)]


def _person_in(form: dict[str, str]) -> PersonIn:
    data: dict[str, Any] = {name: form.get(name, "") for name in PERSON_FIELDS}
    data["registries"] = [r for r in data["registries"].replace(";", ",").split(",") if r.strip()]
    for optional in ("birth_date", "sex", "marital_status"):
        if not data[optional]:
            data.pop(optional)  # "missing", said as "required" beside the field
    return PersonIn.model_validate(data)


def _group_in(form: dict[str, str]) -> GroupIn:
    data: dict[str, Any] = {name: form.get(name, "") for name in GROUP_FIELDS}
    data["member_niks"] = [n.strip() for n in data["member_niks"].splitlines() if n.strip()]
    return GroupIn.model_validate(data)


def _writer(staff: StaffUser) -> bool:
    return staff.role in CASE_WRITERS


# --- finding people ------------------------------------------------------------------------


def _search_page(
    request: Request,
    staff: StaffUser,
    office: Office,
    *,
    status_code: int = 200,
    **extra: Any,
) -> HTMLResponse:
    context = {
        "may_write": _writer(staff),
        "form": extra.pop("form", {}),
        "found": extra.pop("found", None),
        "nik": lambda number: nik_for(staff, number),
        **extra,
    }
    return render(
        request, "people.html", context, staff=staff, office=office, status_code=status_code
    )


@router.get("/people")
def people(request: Request, now: NowDep) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        return _search_page(request, staff, office)


@router.post("/people")
def search_people(request: Request, now: NowDep, form: Posted) -> HTMLResponse:
    check_form(request, form.get("form_token", ""))
    text, desa = form.get("q", "")[:120], form.get("desa", "")[:80]
    try:
        with unit_of_work(request.app.state.engine) as session:
            staff, office = _signed_in(request, session, now)
            found = persons.find_persons(
                session=session, staff=staff, now=now, text=text, desa=desa
            )
            return _search_page(request, staff, office, found=found, form=form)
    except DomainError as exc:
        with unit_of_work(request.app.state.engine) as session:
            staff, office = _signed_in(request, session, now)
            return _search_page(
                request, staff, office, form=form, errors=domain_field(exc, {"api": "q"}),
                status_code=exc.status,
            )  # fmt: skip


# --- registering and correcting a person ---------------------------------------------------


def _person_form(
    request: Request,
    staff: StaffUser,
    office: Office,
    *,
    person: Person | None,
    form: dict[str, Any],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "person": person,
        "form": form,
        "errors": errors or {},
        "marital_statuses": MARITAL_STATUSES,
        "action": f"/staff/people/{person.id}/edit" if person else "/staff/people/new",
    }
    return render(
        request, "person_form.html", context, staff=staff, office=office, status_code=status_code
    )


def _as_form(person: Person) -> dict[str, Any]:
    form: dict[str, Any] = {name: getattr(person, name) for name in PERSON_FIELDS}
    form["birth_date"] = person.birth_date.isoformat()
    form["registries"] = person.registries.replace(",", ", ")
    form["seen"] = person.updated_at.isoformat()
    return form


@router.get("/people/new")
def new_person_form(
    request: Request,
    now: NowDep,
    household: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> HTMLResponse:
    """The form; from a person's page, for one more of their household (the No. KK and
    where they live already filled in)."""
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        form: dict[str, Any] = {}
        if household is not None:
            head = persons.read_person(
                session=session, staff=staff, person_id=household, now=now, detail="household form"
            )
            fields = ("kk_number", "address", "desa", "kecamatan")
            form = {name: getattr(head, name) for name in fields}
        return _person_form(request, staff, office, person=None, form=form)


@router.post("/people/new")
def register(request: Request, now: NowDep, form: Posted) -> Response:
    check_form(request, form.get("form_token", ""))
    try:
        data = _person_in(form)
    except ValidationError as exc:
        return _form_again(request, now, None, form, field_errors(exc))
    try:
        with unit_of_work(request.app.state.engine) as session:
            staff, _ = _signed_in(request, session, now)
            person = persons.new_person(session=session, staff=staff, data=data, now=now)
            person_id = person.id
    except DomainError as exc:
        return _form_again(request, now, None, form, domain_field(exc, PERSON_ERRORS), exc.status)
    return RedirectResponse(f"/staff/people/{person_id}?done=created", status_code=303)


def _form_again(
    request: Request,
    now: datetime,
    person_id: int | None,
    form: dict[str, str],
    errors: dict[str, str],
    status_code: int = 422,
) -> HTMLResponse:
    """The form as it was posted, each error beside its field, in a fresh transaction."""
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        person = None
        if person_id is not None:
            person = persons.read_person(
                session=session, staff=staff, person_id=person_id, now=now, detail="edit form"
            )
        return _person_form(
            request, staff, office, person=person, form=form, errors=errors,
            status_code=status_code,
        )  # fmt: skip


@router.get("/people/{person_id}/edit")
def edit_person_form(request: Request, person_id: RecordId, now: NowDep) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        require_role(staff, CASE_WRITERS)
        person = persons.read_person(
            session=session, staff=staff, person_id=person_id, now=now, detail="edit form"
        )
        return _person_form(request, staff, office, person=person, form=_as_form(person))


@router.post("/people/{person_id}/edit")
def edit_person(request: Request, person_id: RecordId, now: NowDep, form: Posted) -> Response:
    check_form(request, form.get("form_token", ""))
    try:
        data = _person_in(form)
    except ValidationError as exc:
        return _form_again(request, now, person_id, form, field_errors(exc))
    try:
        seen = datetime.fromisoformat(form["seen"]) if form.get("seen") else None
    except ValueError:
        seen = None
    try:
        with unit_of_work(request.app.state.engine) as session:
            staff, _ = _signed_in(request, session, now)
            persons.update_person(
                session=session, staff=staff, person_id=person_id, data=data, seen=seen, now=now
            )
    except DomainError as exc:
        if exc.key == "people.error.stale":
            return _stale(request, now, person_id, exc)
        errors = domain_field(exc, PERSON_ERRORS)
        return _form_again(request, now, person_id, form, errors, exc.status)
    return RedirectResponse(f"/staff/people/{person_id}?done=updated", status_code=303)


def _stale(request: Request, now: datetime, person_id: int, exc: DomainError) -> HTMLResponse:
    """Someone saved the person meanwhile: the form again with what is stored now, saying so
    (what this staff member typed would have overwritten it)."""
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        person = persons.read_person(
            session=session, staff=staff, person_id=person_id, now=now, detail="edit form"
        )
        return _person_form(
            request, staff, office, person=person, form=_as_form(person),
            errors=domain_field(exc, {}), status_code=exc.status,
        )  # fmt: skip


# --- a person's page -----------------------------------------------------------------------


def _eligibility(
    request: Request,
    session: Session,
    staff: StaffUser,
    office: Office,
    now: datetime,
    programme: str,
    kind: str,
    **applicant: int,
) -> dict[str, Any]:
    """The office's programmes for this kind of applicant, and the chosen one's verdict."""
    offered = [
        p
        for p in programmes_of_office(session=session, office_id=office.id or 0)
        if p.applicant_kind == kind and p.active
    ]
    result: dict[str, Any] = {"programmes": offered, "chosen": "", "failures": None}
    if programme and any(p.code == programme for p in offered):
        failures = applicant_eligibility(
            session=session,
            staff=staff,
            catalogue=request.app.state.catalogue,
            programme_code=programme,
            now=now,
            **applicant,
        )
        result.update(chosen=programme, failures=[f.text(current()) for f in failures])
    return result


@router.get("/people/{person_id}")
def person_page(
    request: Request, person_id: RecordId, now: NowDep, programme: ProgrammeQ = ""
) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        person = persons.read_person(
            session=session, staff=staff, person_id=person_id, now=now, detail="staff page"
        )
        groups = [
            persons.get_group(session=session, group_id=group_id)
            for group_id in persons.groups_of_person(session=session, person_id=person_id)
        ]
        context = {
            "person": person,
            "nik": lambda number: nik_for(staff, number),
            "household": persons.household(session=session, person=person),
            "groups": groups,
            "proposals": proposals_of(session=session, person_id=person_id),
            "chats": _chats_of(request, session, person_id, now),
            "may_write": _writer(staff) and person.erased_at is None,
            "eligibility": _eligibility(
                request, session, staff, office, now, programme, "person", person_id=person_id
            ),
            "done": request.query_params.get("done", ""),
        }
        return render(request, "person.html", context, staff=staff, office=office)


# --- groups --------------------------------------------------------------------------------


@router.get("/groups")
def groups(
    request: Request, now: NowDep, q: Annotated[str, Query(max_length=120)] = ""
) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        found = persons.search_groups(session=session, office_id=office.id or 0, text=q)
        context = {"found": found, "q": q, "may_write": _writer(staff)}
        return render(request, "groups.html", context, staff=staff, office=office)


def _group_form(
    request: Request,
    staff: StaffUser,
    office: Office,
    *,
    form: dict[str, Any],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {"form": form, "errors": errors or {}, "kinds": _group_kinds(request, office)}
    return render(
        request, "group_form.html", context, staff=staff, office=office, status_code=status_code
    )


def _group_kinds(request: Request, office: Office) -> list[str]:
    """The kinds of the office's group programmes (a KUBE, weavers), and any other."""
    specs = request.app.state.catalogue.programmes_for_office(office.code)
    return [*sorted({s.kind for s in specs if s.applicant == "group"}), "other"]


@router.get("/groups/new")
def new_group_form(request: Request, now: NowDep) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        require_role(staff, CASE_WRITERS)
        return _group_form(request, staff, office, form={})


@router.post("/groups/new")
def register_group(request: Request, now: NowDep, form: Posted) -> Response:
    check_form(request, form.get("form_token", ""))
    status_code = 422
    try:
        data = _group_in(form)
    except ValidationError as exc:
        errors = field_errors(exc)
    else:
        try:
            with unit_of_work(request.app.state.engine) as session:
                staff, office = _signed_in(request, session, now)
                if data.kind not in _group_kinds(request, office):
                    raise InvalidInput("groups.error.kind")
                group = persons.new_group(session=session, staff=staff, data=data, now=now)
                group_id = group.id
            return RedirectResponse(f"/staff/groups/{group_id}?done=created", status_code=303)
        except DomainError as exc:
            errors = domain_field(exc, GROUP_ERRORS)
            status_code = exc.status
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        return _group_form(
            request, staff, office, form=form, errors=errors, status_code=status_code
        )


@router.get("/groups/{group_id}")
def group_page(
    request: Request, group_id: RecordId, now: NowDep, programme: ProgrammeQ = ""
) -> HTMLResponse:
    with unit_of_work(request.app.state.engine) as session:
        staff, office = _signed_in(request, session, now)
        group, members = persons.read_group(
            session=session, staff=staff, group_id=group_id, now=now
        )
        context = {
            "group": group,
            "members": members,
            "nik": lambda number: nik_for(staff, number),
            "eligibility": _eligibility(
                request, session, staff, office, now, programme, "group", group_id=group_id
            ),
            "done": request.query_params.get("done", ""),
        }
        return render(request, "group.html", context, staff=staff, office=office)
