"""Spreadsheet imports (CSV), all rows or none; the rules live in services.csv_import."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile, status

from app.api.deps import CaseWriter, CatalogueDep, NowDep, SessionDep
from app.api.schemas import ERRORS, ImportOut
from services.csv_import import MAX_BYTES, import_persons, import_proposals
from services.errors import InvalidInput

router = APIRouter(prefix="/imports", tags=["imports"])

CsvFile = Annotated[UploadFile, File(description="UTF-8 CSV, `,` or `;` between cells")]


async def _read(upload: UploadFile) -> bytes:
    # One byte past the limit is enough to know it is too large, without reading it all.
    data = await upload.read(MAX_BYTES + 1)
    if not data:
        raise InvalidInput("error.csv_empty")
    return data


@router.post(
    "/persons",
    summary="Import people from a CSV file (all rows or none)",
    description=(
        "Columns (Indonesian, any order, `,` or `;` separated, UTF-8 with or without BOM): "
        "nik, no_kk, nama, tempat_lahir, tanggal_lahir (dd-mm-yyyy, dd/mm/yyyy or yyyy-mm-dd), "
        "jenis_kelamin (L/P), status_perkawinan (belum_kawin, kawin, cerai_hidup, cerai_mati, "
        "ditinggal_suami), pendidikan, pekerjaan, alamat, desa, kecamatan, telepon, terdaftar "
        "(e.g. DTKS). Any bad row: 422 with every bad row in `details` (row as the spreadsheet "
        "numbers it, header = 1; column; message) and nothing imported."
    ),
    status_code=status.HTTP_201_CREATED,
    responses=ERRORS,
)
async def import_persons_csv(
    file: CsvFile, session: SessionDep, staff: CaseWriter, now: NowDep
) -> ImportOut:
    data = await _read(file)
    result = import_persons(session=session, staff=staff, data=data, now=now)
    return ImportOut(imported=result.imported)


@router.post(
    "/proposals",
    summary="Import proposals from a CSV file (all rows or none)",
    description=(
        "Columns: program (programme code), then either nik_pemohon for a person applicant, or "
        "nama_kelompok and nik_anggota (registered NIKs separated by `|` or spaces, the chair "
        "first) for a group; catatan (optional note). Any bad row: 422 with every bad row in "
        "`details`, including each failed eligibility rule, and nothing imported."
    ),
    status_code=status.HTTP_201_CREATED,
    responses=ERRORS,
)
async def import_proposals_csv(
    file: CsvFile,
    session: SessionDep,
    staff: CaseWriter,
    catalogue: CatalogueDep,
    now: NowDep,
) -> ImportOut:
    data = await _read(file)
    result = import_proposals(session=session, staff=staff, catalogue=catalogue, data=data, now=now)
    return ImportOut(imported=result.imported, numbers=result.numbers)
