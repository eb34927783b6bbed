"""Proposals as staff see them, for the API and the pages alike: where a proposal stands
(its step numbered as the SOP numbers it, "Tahap 5 dari 8", however Sigap splits the SOP's
steps), who applied (the NIK whole only for the roles that check it against a KTP), what the
reader may do next, its history, its timeline and the outputs its steps produced.

Pure: reading a proposal is audited by services.proposals (``record_reads``), never here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

import messages
from app.api.record_schemas import OutputPublic
from app.api.schemas import (
    ApplicantMember,
    ApplicantPublic,
    CurrentStep,
    EventPublic,
    ProposalPublic,
    ProposalSummary,
    StepRef,
    TimeStandardPublic,
)
from models import (
    BeneficiaryGroup,
    GroupMember,
    Person,
    Programme,
    ProgrammeStep,
    Proposal,
    ProposalOutput,
    StaffUser,
)
from services.catalogue import Catalogue, TimeStandard
from services.catalogue import Programme as ProgrammeSpec
from services.nik import mask_nik
from services.proposal_records import output_name
from services.proposal_timeline import timeline
from services.proposals import (
    StepView,
    allowed_actions,
    history,
    standard_of,
    step_view,
    steps_of,
)
from services.roles import NIK_READERS
from services.step_time import late_span, standard_span
from services.workdays import Lateness


def sees_whole_nik(staff: StaffUser) -> bool:
    return staff.role in NIK_READERS


def nik_for(staff: StaffUser, number: str) -> str:
    """A NIK as this staff member may see it."""
    return number if sees_whole_nik(staff) else mask_nik(number)


def programme_spec(
    session: Session, catalogue: Catalogue, proposal: Proposal
) -> tuple[Programme | None, ProgrammeSpec | None]:
    """The programme's row, and its catalogue entry when its steps are the stored steps
    (only then may the SOP's numbers be put on the stored positions)."""
    programme = session.get(Programme, proposal.programme_id)
    spec = catalogue.programme(programme.code) if programme else None
    if spec is not None:
        stored = len(steps_of(session=session, programme_id=proposal.programme_id))
        if stored != len(spec.steps):
            spec = None
    return programme, spec


def sop_label(spec: ProgrammeSpec | None, position: int) -> str:
    return spec.sop_label(position) if spec else str(position)


def sop_total(spec: ProgrammeSpec | None, stored_total: int) -> int:
    return spec.sop_numbers()[-1] if spec else stored_total


# --- the applicant -----------------------------------------------------------------------


def applicant_public(session: Session, proposal: Proposal, viewer: StaffUser) -> ApplicantPublic:
    if proposal.applicant_person_id is not None:
        person = session.get_one(Person, proposal.applicant_person_id)
        return ApplicantPublic(
            kind="person",
            id=person.id or 0,
            name=person.name,
            nik=nik_for(viewer, person.nik),
            desa=person.desa,
            kecamatan=person.kecamatan,
            address=person.address,
            phone=person.phone,
        )
    group = session.get_one(BeneficiaryGroup, proposal.applicant_group_id)
    rows = session.exec(
        select(GroupMember).where(GroupMember.group_id == group.id).order_by(col(GroupMember.id))
    ).all()
    members = []
    for row in rows:
        person = session.get_one(Person, row.person_id)
        members.append(
            ApplicantMember(
                id=person.id or 0,
                name=person.name,
                nik=nik_for(viewer, person.nik),
                role=row.role,
                desa=person.desa,
                phone=person.phone,
            )
        )
    return ApplicantPublic(
        kind="group",
        id=group.id or 0,
        name=group.name,
        desa=group.desa,
        kecamatan=group.kecamatan,
        phone=next((m.phone for m in members if m.phone), ""),
        members=members,
    )


# --- the proposal ------------------------------------------------------------------------


def step_ref(step: ProgrammeStep, spec: ProgrammeSpec | None, lang: str | None = None) -> StepRef:
    """A step with its SOP number; named in ``lang`` from the catalogue, or (the API) by the
    name stored with the office's programme."""
    standard = standard_of(step)
    return StepRef(
        position=step.position,
        sop_label=sop_label(spec, step.position),
        code=step.code,
        name=_step_name(spec, step, lang) if lang else step.name,
        allowed_roles=step.allowed_roles,
        time_standard=TimeStandardPublic(**standard.model_dump()) if standard else None,
    )


def proposal_public(
    session: Session,
    catalogue: Catalogue,
    viewer: StaffUser,
    proposal: Proposal,
    now: datetime,
    lang: str | None = None,
) -> ProposalPublic:
    """The proposal as ``viewer`` may see it; step names in ``lang`` (pages) or as stored."""
    view = step_view(session=session, proposal=proposal, now=now)
    programme, spec = programme_spec(session, catalogue, proposal)
    late = view.lateness
    return ProposalPublic(
        id=proposal.id or 0,
        number=proposal.number,
        programme_code=programme.code if programme else "",
        programme_name=programme.name if programme else "",
        status=proposal.status,
        version=proposal.version,
        applicant=applicant_public(session, proposal, viewer),
        total_steps=view.total,
        sop_total=sop_total(spec, view.total),
        current_step=CurrentStep(
            **step_ref(view.step, spec, lang).model_dump(),
            entered_at=proposal.step_entered_at,
            due_at=late.due_at if late else None,
            is_late=late.is_late if late else False,
            working_days_late=late.working_days_late if late else 0,
        ),
        next_step=step_ref(view.next_step, spec, lang) if view.next_step else None,
        submitted_at=proposal.submitted_at,
        closed_at=proposal.closed_at,
        rejection_reason=proposal.rejection_reason,
        actions=[
            str(a)
            for a in allowed_actions(
                staff=viewer, proposal=proposal, step=view.step, total=view.total
            )
        ],
    )


def proposal_summary(session: Session, viewer: StaffUser, proposal: Proposal) -> ProposalSummary:
    programme = session.get(Programme, proposal.programme_id)
    return ProposalSummary(
        id=proposal.id or 0,
        number=proposal.number,
        programme_code=programme.code if programme else "",
        status=proposal.status,
        step_position=proposal.step_position,
        applicant=applicant_public(session, proposal, viewer),
        submitted_at=proposal.submitted_at,
    )


def history_public(
    session: Session, catalogue: Catalogue, proposal: Proposal, lang: str | None = None
) -> list[EventPublic]:
    """Every step change of a proposal, oldest first, with step names (in ``lang``, or as
    stored) and who made it."""
    _, spec = programme_spec(session, catalogue, proposal)
    names = {
        s.position: _step_name(spec, s, lang) if lang else s.name
        for s in steps_of(session=session, programme_id=proposal.programme_id)
    }
    events = []
    for event in history(session=session, proposal_id=proposal.id or 0):
        actor = session.get(StaffUser, event.staff_id) if event.staff_id else None
        events.append(
            EventPublic(
                at=event.at,
                action=event.action,
                from_position=event.from_position,
                to_position=event.to_position,
                to_sop_label=sop_label(spec, event.to_position) if event.to_position else None,
                to_step=names.get(event.to_position) if event.to_position else None,
                staff_id=event.staff_id,
                staff_username=actor.username if actor else None,
                note=event.note,
            )
        )
    return events


def output_public(
    spec: ProgrammeSpec | None, output: ProposalOutput, lang: str = "id"
) -> OutputPublic:
    return OutputPublic(
        id=output.id or 0,
        step_position=output.step_position,
        kind=output.kind,
        name=output_name(spec, output, lang),
        number=output.number,
        issued_on=output.issued_on,
        file_path=output.file_path,
        note=output.note,
        recorded_by_id=output.recorded_by_id,
        recorded_at=output.recorded_at,
    )


# --- words for the pages -----------------------------------------------------------------


def standard_words(standard: TimeStandard | None, lang: str) -> str:
    """ "5 menit", "1 hari kerja"; "" when the SOP gives the step no standard."""
    span = standard_span(standard)
    return span.words(lang) if span else ""


def late_words(late: Lateness | None, standard: TimeStandard | None, lang: str) -> str:
    """ "Terlambat 3 jam" in the unit of the step's standard; "" when on time or untimed."""
    if late is None:
        return ""
    span = late_span(late, standard)
    return messages.render("web.late", lang, late=span.words(lang)) if span else ""


def view_late_words(view: StepView, lang: str) -> str:
    return late_words(view.lateness, standard_of(view.step), lang)


@dataclass(frozen=True)
class ListRow:
    """One line of the proposals list."""

    id: int
    number: str
    programme: str
    applicant: str
    desa: str
    step: str  # "Tahap 2 dari 8: Verifikasi lapangan"
    status: str
    since: datetime
    late: str  # "" when on time


def list_row(
    session: Session,
    catalogue: Catalogue,
    viewer: StaffUser,
    proposal: Proposal,
    now: datetime,
    lang: str,
) -> ListRow:
    view = step_view(session=session, proposal=proposal, now=now)
    programme, spec = programme_spec(session, catalogue, proposal)
    applicant = applicant_public(session, proposal, viewer)
    entry = catalogue.programme(programme.code) if programme else None
    return ListRow(
        id=proposal.id or 0,
        number=proposal.number,
        programme=entry.name.get(lang) if entry else (programme.name if programme else ""),
        applicant=applicant.name,
        desa=applicant.desa,
        step=messages.render(
            "web.proposal.step",
            lang,
            position=sop_label(spec, view.position),
            total=sop_total(spec, view.total),
            name=_step_name(spec, view.step, lang),
        ),
        status=proposal.status,
        since=proposal.step_entered_at,
        late=view_late_words(view, lang),
    )


def _step_name(spec: ProgrammeSpec | None, step: ProgrammeStep, lang: str) -> str:
    entry = spec.steps[step.position - 1] if spec else None
    return entry.name.get(lang) if entry else step.name


def timeline_view(
    session: Session, catalogue: Catalogue, proposal: Proposal, now: datetime, lang: str
) -> list[dict[str, Any]]:
    """The SOP's steps for the proposal page: number, name, actor, time standard, and each
    visit (when, who, how late) and the outputs recorded at it."""
    _, spec = programme_spec(session, catalogue, proposal)
    found = []
    for entry in timeline(session=session, catalogue=catalogue, proposal=proposal, now=now):
        found.append(
            {
                "position": entry.position,
                "label": entry.sop_label,
                "total": entry.sop_total,
                "name": _step_name(spec, entry.step, lang),
                "actor": entry.actor.get(lang) if entry.actor else "",
                "standard": standard_words(entry.standard, lang),
                "state": entry.state,
                "visits": [
                    {
                        "entered_at": v.entered_at,
                        "entered_by": v.entered_by,
                        "entered_how": v.entered_how,
                        "left_at": v.left_at,
                        "left_how": v.left_how,
                        "left_by": v.left_by,
                        "note": v.note,
                        "due_at": v.lateness.due_at if v.lateness else None,
                        "late": late_words(v.lateness, entry.standard, lang),
                    }
                    for v in entry.visits
                ],
                "outputs": [output_public(spec, o, lang) for o in entry.outputs],
            }
        )
    return found


def output_kinds(
    session: Session, catalogue: Catalogue, proposal: Proposal, lang: str
) -> list[dict[str, Any]]:
    """The kinds of output the steps reached so far list, for the form that records one."""
    _, spec = programme_spec(session, catalogue, proposal)
    if spec is None:
        return []
    kinds = []
    for position, step in enumerate(spec.steps[: proposal.step_position], start=1):
        for kind in step.output_kinds():
            kinds.append(
                {
                    "value": f"{position}:{kind.kind}",
                    "label": f"{spec.sop_label(position)}. {kind.name.get(lang)}",
                    "numbered": kind.numbered,
                }
            )
    return kinds
