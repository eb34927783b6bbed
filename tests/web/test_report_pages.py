"""The head of office reads the report in a real browser: the IKM with its grade and n, the
month chart with its words, the CSV file and the print version; a wrong period is named
beside its field."""

from __future__ import annotations

import csv
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from models import Complaint
from tests.web.conftest import LiveSigap, log_in


def _rate_the_answered_one(live: LiveSigap, rating: int) -> None:
    with Session(live.engine) as session:
        complaint = session.exec(select(Complaint).where(Complaint.status == "answered")).one()
        complaint.rating = rating
        session.add(complaint)
        session.commit()


def test_the_head_reads_the_report_with_the_ikm_grade(
    page: Page, live_sigap: LiveSigap, tmp_path: Path
) -> None:
    # The demo's answered complaint in Buton Tengah, rated "sangat puas" (4 of 4).
    _rate_the_answered_one(live_sigap, 4)
    log_in(page, "buton-tengah.kadis")
    page.get_by_role("link", name="Laporan", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Laporan Dinas Sosial")

    figures = page.locator("#report-figures")
    expect(figures.locator("[data-figure=received]")).to_have_text("3")
    expect(figures.locator("[data-figure=ikm]")).to_have_text("100.00 · A")
    expect(figures.locator("[data-figure=ikm-words]")).to_have_text("Sangat baik · n = 1 penilaian")
    # The chart is an image that says in words what it shows; its numbers are in a table.
    chart = page.locator("#month-chart svg[role=img]")
    expect(chart).to_have_count(1)
    expect(chart.locator("title").first).to_have_text(
        "Pengaduan diterima dan dijawab tepat waktu per bulan"
    )
    expect(chart.locator("desc")).to_contain_text("3 diterima, 1 dijawab tepat waktu")
    expect(page.locator("#by-channel")).to_contain_text("Datang langsung")
    expect(page.locator("#by-channel")).not_to_contain_text("walk_in")
    steps = page.locator("table.steps[data-programme=bpnt-buton-tengah] tbody tr")
    expect(steps).to_have_count(5)

    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh CSV").click()
    saved = tmp_path / "report.csv"
    download.value.save_as(saved)
    rows = list(csv.reader(saved.read_text(encoding="utf-8-sig").splitlines()))
    assert ["Mutu IKM", "A"] in rows
    assert ["Jumlah penilaian (n)", "1"] in rows
    assert ["Datang langsung", "2"] in rows

    page.get_by_role("link", name="Versi cetak").click()
    expect(page.get_by_role("navigation")).to_have_count(0)
    expect(page.locator("form")).to_have_count(0)
    expect(page.locator("[data-figure=ikm]")).to_have_text("100.00 · A")


def test_a_period_that_ends_before_it_starts_is_named_beside_its_field(
    page: Page, live_sigap: LiveSigap
) -> None:
    log_in(page, "buton-tengah.kabid", then="/staff/reports")
    page.get_by_label("Dari tanggal").fill("2026-06-01")
    page.get_by_label("Sampai tanggal").fill("2026-01-31")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("#e-to")).to_have_text("Tanggal akhir harus sesudah tanggal awal.")
    expect(page.get_by_label("Dari tanggal")).to_have_value("2026-06-01")
