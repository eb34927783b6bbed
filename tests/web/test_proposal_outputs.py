"""A step's outputs on the proposal page's timeline, recorded through its form; lateness said
in the unit of the step's standard (a real browser)."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from models import Programme, Proposal, ProposalOutput
from tests.web.conftest import LiveSigap, log_in


def _uep_at(live: LiveSigap, position: int) -> Proposal:
    """A demo UEP proposal at ``position``, found by its step, never by its number."""
    with Session(live.engine) as session:
        found = session.exec(
            select(Proposal)
            .join(Programme, col(Programme.id) == Proposal.programme_id)
            .where(Programme.code == "uep-lamandau", Proposal.step_position == position)
        ).first()
    assert found is not None, f"the demo has no UEP proposal at step {position}"
    return found


def test_the_head_records_the_decree_and_the_timeline_shows_it(
    page: Page, live_sigap: LiveSigap
) -> None:
    proposal = _uep_at(live_sigap, 3)
    log_in(page, "lamandau.kadis")
    page.goto(f"/staff/proposals/{proposal.id}")
    expect(page.locator("#output-list")).to_contain_text("Belum ada hasil tahapan")
    page.get_by_label("Hasil (tanda * perlu nomor)").select_option("3:sk-penerima")
    page.get_by_role("button", name="Catat hasil").click()
    expect(page.locator("#e-number")).to_contain_text("perlu nomornya")  # beside it
    page.get_by_label("Hasil (tanda * perlu nomor)").select_option("3:sk-penerima")
    page.get_by_label("Nomor", exact=True).fill("188.45/77/2026")
    page.get_by_label("Tanggal").fill("2026-03-02")
    page.get_by_label("Lokasi berkas pindaian (boleh kosong)").fill("sk/188-45-77.pdf")
    page.get_by_role("button", name="Catat hasil").click()
    expect(page.get_by_role("status")).to_contain_text("hasil tahapan dicatat")
    listed = page.locator("#output-list")
    expect(listed).to_contain_text("SK penerima bantuan hasil verifikasi lapangan")
    expect(listed).to_contain_text("No. 188.45/77/2026")
    expect(listed).to_contain_text("tanggal 02-03-2026")
    expect(listed).to_contain_text("sk/188-45-77.pdf")
    with Session(live_sigap.engine) as session:
        [output] = session.exec(
            select(ProposalOutput).where(ProposalOutput.proposal_id == proposal.id)
        ).all()
    assert (output.step_position, output.kind) == (3, "sk-penerima")


def test_a_five_minute_step_is_late_by_hours_or_days_never_by_zero_working_days(
    page: Page, live_sigap: LiveSigap
) -> None:
    log_in(page, "lamandau.operator")
    page.goto("/staff/proposals?programme=uep-lamandau&status=in_progress")
    table = page.locator("#proposals")
    expect(table).to_contain_text("Terlambat")
    assert "0 hari kerja" not in table.inner_text()
