"""What the proposal pages show of a proposal's outputs and lateness (read only; the form that
records an output is app/web/proposal_records.py)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

import messages
from models import Programme, Proposal
from services.catalogue import Catalogue
from services.proposal_records import output_name, outputs_of
from services.proposals import StepView, standard_of
from services.step_time import late_span

LANG = messages.DEFAULT_LANGUAGE


def late_words(view: StepView | None) -> str:
    """ "Terlambat 3 jam" in the unit of the step's standard; "" when on time or untimed."""
    if view is None or view.lateness is None:
        return ""
    span = late_span(view.lateness, standard_of(view.step))
    return messages.render("web.late", LANG, late=span.words(LANG)) if span else ""


def outputs_context(session: Session, catalogue: Catalogue, proposal: Proposal) -> dict[str, Any]:
    """The outputs recorded so far, by step, and the kinds the steps reached so far list."""
    programme = session.get(Programme, proposal.programme_id)
    spec = catalogue.programme(programme.code) if programme else None
    recorded = [
        {
            "step_position": o.step_position,
            "name": output_name(spec, o, LANG),
            "number": o.number,
            "issued_on": o.issued_on,
            "file_path": o.file_path,
            "note": o.note,
            "recorded_at": o.recorded_at,
        }
        for o in outputs_of(session=session, proposal_id=proposal.id or 0)
    ]
    kinds = []
    if spec is not None:
        numbers = spec.sop_numbers()
        for position, step in enumerate(spec.steps[: proposal.step_position], start=1):
            for kind in step.output_kinds():
                kinds.append(
                    {
                        "value": f"{position}:{kind.kind}",
                        "label": f"{numbers[position - 1]}. {kind.name.get(LANG)}",
                        "numbered": kind.numbered,
                    }
                )
    return {"outputs": recorded, "output_kinds": kinds}
