"""The "Daftar KPM" page in a real browser: an operator of Buton Tengah uploads the office's
list, sees every bad row before anything is saved (the check survives a reload), imports the
rest and reads the result; an XLSX with a merged cell across columns is named row by row; a
checked list can be cancelled; a complaint officer has no such page."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook
from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from models import AuditLog, Person, RegisterImport, RegisterImportFile, StaffUser
from services.nik import make_nik
from tests.services.test_register_import import as_csv, family
from tests.web.conftest import LiveSigap, log_in

# A demo applicant of Buton Tengah (BPNT-2026-0001), already on file: the list updates her.
ON_FILE = "7414014508910031"


def kpm(serial: int) -> str:
    # Kecamatan 05: no demo person lives there.
    return make_nik("74.14", 5, date(1980, 1, 1), "P", serial)


def _upload(page: Page, path: Path) -> None:
    page.get_by_role("link", name="Daftar KPM").click()
    page.get_by_label("Berkas daftar (CSV atau XLSX)").set_input_files(str(path))
    page.get_by_role("button", name="Periksa berkas").click()
    page.wait_for_url("**/staff/register/*")


def test_the_operator_checks_the_list_then_imports_it(
    page: Page, live_sigap: LiveSigap, tmp_path: Path
) -> None:
    rows = [
        family(1, NIK=kpm(9001)),
        family(2, NIK=kpm(9002), **{"No. HP": "nomor lama"}),  # row 4: the title is row 1
        family(3, NIK=kpm(9003), **{"No. HP": "+62 813 7000 9003"}),
        family(4, NIK=ON_FILE, **{"No. KK": "7414010101200001", "Nama Pasangan": "La Ode Ali"}),
    ]
    path = tmp_path / "kpm-lakudo.csv"
    path.write_bytes(as_csv(rows))
    log_in(page, "buton-tengah.operator")
    _upload(page, path)

    summary = page.locator("#summary")
    expect(summary).to_contain_text(
        "4 baris dibaca: 2 orang baru, 1 diperbarui, 0 tidak berubah, 1 baris ditolak",
        timeout=20_000,
    )
    errors = page.locator("#errors")
    expect(errors).to_contain_text("telepon")
    expect(errors).to_contain_text("'nomor lama' bukan nomor telepon")
    expect(errors.locator("tr").nth(1).locator("td").first).to_have_text("4")
    with Session(live_sigap.engine) as session:
        assert session.exec(select(Person).where(Person.nik == kpm(9001))).first() is None

    # The check is kept: a reload (or coming back later) finds it waiting.
    page.reload()
    expect(summary).to_contain_text("2 orang baru")
    page.get_by_role("button", name="Impor 3 baris").click()
    expect(summary).to_contain_text(
        "Selesai: 2 orang baru, 1 diperbarui, 0 tidak berubah, 1 baris ditolak", timeout=20_000
    )
    assert kpm(9001) not in page.content()

    with Session(live_sigap.engine) as session:
        added = session.exec(select(Person).where(Person.nik == kpm(9003))).one()
        updated = session.exec(select(Person).where(Person.nik == ON_FILE)).one()
        job = session.exec(
            select(RegisterImport).where(RegisterImport.filename == "kpm-lakudo.csv")
        ).one()
        summary_row = session.exec(
            select(AuditLog).where(AuditLog.entity == "office", AuditLog.action == "import")
        ).one()
        assert session.exec(select(Person).where(Person.nik == kpm(9002))).first() is None
    assert (added.phone_e164, added.dtks_id) == ("+6281370009003", "7414-000003")
    assert updated.spouse_name == "La Ode Ali" and updated.head_of_family == "Wa Ode Sitti 4"
    assert job.status == "done" and job.staff_id == summary_row.staff_id
    assert "1 rejected" in summary_row.detail

    # The list of imports names it.
    page.get_by_role("link", name="Daftar KPM").first.click()
    expect(page.locator("#imports")).to_contain_text("kpm-lakudo.csv")
    expect(page.locator("#imports")).to_contain_text("selesai")


def test_an_xlsx_with_a_cell_merged_across_columns_is_named_and_can_be_cancelled(
    page: Page, live_sigap: LiveSigap, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["NIK", "No KK", "Nama", "Desa", "Kecamatan", "Provinsi"])
    sheet.append([kpm(9101), "7414010101200001", "Wa Ode Asni", "Lakudo", "Lakudo", "Sultra"])
    sheet.append([kpm(9102), "7414010101200001", "Wa Ode Ima", "Lakudo", "Lakudo", "Sultra"])
    sheet.merge_cells("D3:E3")
    out = io.BytesIO()
    book.save(out)
    path = tmp_path / "kpm.xlsx"
    path.write_bytes(out.getvalue())

    log_in(page, "buton-tengah.kabid")
    _upload(page, path)
    expect(page.locator("#summary")).to_contain_text("1 orang baru", timeout=20_000)
    expect(page.locator("#errors")).to_contain_text("Sel digabung (merge) melintasi kolom desa")
    expect(page.locator("#job")).to_contain_text("diabaikan: Provinsi")

    page.get_by_role("button", name="Batalkan").click()
    expect(page.locator("#job")).to_contain_text("dibatalkan")
    with Session(live_sigap.engine) as session:
        assert session.exec(select(Person).where(Person.nik == kpm(9101))).first() is None


def test_a_file_that_is_no_list_is_refused_with_its_reason(
    page: Page, live_sigap: LiveSigap, tmp_path: Path
) -> None:
    path = tmp_path / "kpm-lama.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    log_in(page, "buton-tengah.operator")
    _upload(page, path)
    expect(page.locator("#job")).to_contain_text("simpan sebagai .xlsx atau CSV", timeout=20_000)

    page.get_by_role("link", name="Daftar KPM").first.click()
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.get_by_role("alert")).to_contain_text("Pilih berkas CSV atau XLSX")


def test_a_complaint_officer_has_no_register_page(page: Page, live_sigap: LiveSigap) -> None:
    log_in(page, "buton-tengah.pengaduan")
    expect(page.get_by_role("link", name="Daftar KPM")).to_have_count(0)
    response = page.goto("/staff/register")
    assert response is not None and response.status == 403
    with Session(live_sigap.engine) as session:
        other = session.exec(select(RegisterImport).order_by(col(RegisterImport.id))).first()
    if other is not None:
        assert page.goto(f"/staff/register/{other.id}").status == 403  # type: ignore[union-attr]


def test_an_import_whose_worker_stopped_goes_on_from_its_page(
    page: Page, live_sigap: LiveSigap
) -> None:
    """As a restart leaves it: the first family's chunk committed, the worker gone."""
    data = as_csv([family(1, NIK=kpm(9201)), family(2, NIK=kpm(9202))])
    long_ago = datetime.now(UTC) - timedelta(minutes=10)
    with Session(live_sigap.engine) as session:
        operator = session.exec(
            select(StaffUser).where(StaffUser.username == "buton-tengah.operator")
        ).one()
        job = RegisterImport(
            office_id=operator.office_id, staff_id=operator.id or 0, filename="kpm-besar.csv",
            size=len(data), status="importing", rows_read=2, will_create=2, last_row=3,
            created=1, created_at=long_ago, heartbeat_at=long_ago,
        )  # fmt: skip
        session.add(job)
        session.flush()
        session.add(RegisterImportFile(import_id=job.id or 0, content=data))
        session.commit()
        job_id = job.id

    log_in(page, "buton-tengah.operator", then=f"/staff/register/{job_id}")
    expect(page.get_by_role("alert")).to_contain_text("terhenti")
    page.get_by_role("button", name="Lanjutkan").click()
    expect(page.locator("#summary")).to_contain_text("Selesai: 2 orang baru", timeout=20_000)
    with Session(live_sigap.engine) as session:
        # Row 3 was the stopped worker's; only row 4's family was written now.
        assert session.exec(select(Person).where(Person.nik == kpm(9201))).first() is None
        assert session.exec(select(Person).where(Person.nik == kpm(9202))).one()
