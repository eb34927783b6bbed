"""The proposal and complaint pages on a phone (390 px) and an office PC (1366 px): nothing
makes the page itself scroll sideways (a wide table scrolls inside its own box)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page
from sqlmodel import Session, col, select

from models import Complaint, Programme, Proposal
from tests.web.conftest import LiveSigap, log_in

WIDTHS = (390, 1366)


def _wider_than_the_window(page: Page) -> int:
    """By how many pixels the page is wider than the window (0 when it fits)."""
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def _pages(live: LiveSigap, office: str) -> list[str]:
    with Session(live.engine) as session:
        proposal = session.exec(
            select(Proposal)
            .join(Programme, col(Programme.id) == Proposal.programme_id)
            .where(col(Programme.code).startswith(office))
            .order_by(col(Proposal.id))
        ).first()
        complaint = session.exec(select(Complaint).order_by(col(Complaint.id))).first()
    assert proposal is not None and complaint is not None
    return [
        "/staff/proposals",
        "/staff/proposals?status=all",
        f"/staff/proposals/{proposal.id}",
        "/staff/proposals/new",
        f"/staff/proposals/new?programme={office}",
        "/staff/complaints?status=all",
        f"/staff/complaints/{complaint.id}",
        "/staff/complaints/new",
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways(browser: Browser, live_sigap: LiveSigap, width: int) -> None:
    context = browser.new_context(
        base_url=live_sigap.url, locale="id-ID", viewport={"width": width, "height": 844}
    )
    page = context.new_page()
    try:
        log_in(page, "buton-tengah.kabid")
        overflowing = {}
        for path in _pages(live_sigap, "bpnt-buton-tengah"):
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            if excess := _wider_than_the_window(page):
                overflowing[path] = excess
        assert overflowing == {}
    finally:
        context.close()
