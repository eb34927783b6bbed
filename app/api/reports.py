"""Counts for the office's supervisors; no personal data, so no audit rows."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.api.deps import CaseReader, SessionDep
from app.api.schemas import ERRORS, StepCount
from services.proposals import proposals_per_step

router = APIRouter(prefix="/reports", tags=["reports"])


@router.get(
    "/proposals-per-step",
    summary="Open proposals of my office per programme step",
    response_model=list[StepCount],
    description="JSON by default; `?format=csv` gives a CSV file for a spreadsheet.",
    responses={**ERRORS, 200: {"content": {"text/csv": {}}}},
)
def per_step(
    session: SessionDep,
    staff: CaseReader,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> list[StepCount] | Response:
    rows = [
        StepCount(programme_code=code, step_position=position, step_name=name, count=count)
        for code, position, name, count in proposals_per_step(
            session=session, office_id=staff.office_id
        )
    ]
    if format == "json":
        return rows
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["programme_code", "step_position", "step_name", "count"])
    writer.writerows([r.programme_code, r.step_position, r.step_name, r.count] for r in rows)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="proposals-per-step.csv"'},
    )
