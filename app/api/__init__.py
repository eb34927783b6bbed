"""The staff API, version 1: every route authenticated, role-checked and scoped to one office."""

from fastapi import APIRouter

from app.api import (
    auth,
    complaints,
    groups,
    imports,
    notices,
    persons,
    programmes,
    proposal_records,
    proposals,
    reports,
)

router = APIRouter(prefix="/api/v1")
for module in (auth, programmes, persons, groups, proposals, reports, imports, complaints):
    router.include_router(module.router)
router.include_router(proposal_records.router)
router.include_router(notices.router)

__all__ = ["router"]
