"""Every staff page, whoever wrote it: each GET page the app registers under /staff is visited
by a signed-in admin and a signed-in operator, at 1366×768 (the office PC) and 390×844 (a
phone). Each page's screenshot is kept as a test artefact (var/screenshots/, or the directory
in SIGAP_SCREENSHOTS); no page may answer 5xx, scroll sideways on the phone, or show a raw code
("complaint_officer", "walk_in", "bpnt-buton-tengah") in Indonesian. Each page is read again in
each language: no sentence of the other language and no message key may show, no element may
carry an inline handler (onclick="...") and the browser may report no Content-Security-Policy
violation. Keyboard-only use and the English switch are checked here too.

A page added with a path parameter this file does not know fails here with its name: add a
real value for it to ``_values``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.routing import iter_route_contexts
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, col, select

from app.main import create_app
from core.db import unit_of_work
from core.settings import Settings
from models import (
    BeneficiaryGroup,
    Complaint,
    ComplaintAttachment,
    Conversation,
    InboundMessage,
    Notice,
    Office,
    Person,
    Proposal,
    RegisterImport,
    StaffUser,
)
from services.persons import GroupIn, register_group
from tests.web.conftest import PASSWORD, LiveSigap, log_in
from tests.web.wording import problems as wording_problems

OFFICE = "buton-tengah"
ROLES = ("admin", "operator")
LANGUAGES = ("id", "en")
VIEWPORTS = {"1366x768": (1366, 768), "390x844": (390, 844)}
SCREENSHOTS = Path(
    os.environ.get("SIGAP_SCREENSHOTS") or Path(__file__).parents[2] / "var" / "screenshots"
)
# What staff must never read in an Indonesian page: codes of roles, channels, history events,
# statuses and programmes, and the fallback that marks a code without words.
RAW_CODES = (
    "complaint_officer",
    "walk_in",
    "whatsapp_admin",
    "phone_call",
    "in_progress",
    "remind-24",
    "remind-4",
    "escalate-supervisor",
    "escalate-head",
    "bpnt-buton-tengah",
    "uep-lamandau",
    "kube-bone",
    "kube-bekasi",
    "benang-tenun-manggarai",
    "(head)",
    "(supervisor)",
    "(admin)",
    "(operator)",
    "Kepala Dinas Dinas",
    "lainnya (",
    "aksi lain (",
)


def _get_pages() -> list[str]:
    """Every GET path under /staff the app registers, as written ("/staff/people/{person_id}")."""
    app = create_app(Settings(database_url="sqlite://", demo_mode=True, run_workers=False))
    paths = {
        route.path
        for route in iter_route_contexts(app.router.routes)
        if route.path.startswith("/staff") and "GET" in (route.methods or ())
    }
    return sorted(paths)


PAGES = _get_pages()


def _first(session: Session, query: object) -> int:
    found = session.exec(query).first()  # type: ignore[call-overload]
    return int(found) if found is not None else 1


def _values(live: LiveSigap) -> dict[str, str]:
    """A real record of the office for each path parameter the pages use."""
    with unit_of_work(live.engine) as session:
        office = session.exec(select(Office).where(Office.slug == OFFICE)).one()
        of = office.id
        people = session.exec(
            select(Person).where(Person.office_id == of).order_by(col(Person.id))
        ).all()
        group = session.exec(
            select(BeneficiaryGroup.id).where(BeneficiaryGroup.office_id == of)
        ).first()
        if group is None:  # the demo's Buton Tengah has none: a group of two of its people
            created = register_group(
                session=session,
                office_id=of or 0,
                data=GroupIn(name="Kelompok Uji Halaman", member_niks=[p.nik for p in people[:2]]),
                now=datetime.now(UTC),
            )
            group = created.id
        complaint = _first(session, select(Complaint.id).where(Complaint.office_id == of))
        admin = session.exec(
            select(StaffUser).where(StaffUser.office_id == of, StaffUser.role == "admin")
        ).first()
        checked = RegisterImport(  # a KPM list checked and waiting for confirmation
            office_id=of or 0,
            staff_id=admin.id if admin else 0,
            filename="daftar-kpm-lakudo.csv",
            status="checked",
            rows_read=3,
            will_create=2,
            errors=[{"row": 4, "column": "NIK", "message": "NIK terdiri dari 16 angka."}],
            error_count=1,
        )
        session.add(checked)
        session.flush()
        values = {
            "proposal_id": _first(session, select(Proposal.id).where(Proposal.office_id == of)),
            "complaint_id": complaint,
            "attachment_id": _first(
                session,
                select(ComplaintAttachment.id).where(ComplaintAttachment.complaint_id == complaint),
            ),
            "person_id": people[0].id,
            "group_id": group,
            "notice_id": _first(session, select(Notice.id).where(Notice.office_id == of)),
            "staff_id": _first(session, select(StaffUser.id).where(StaffUser.office_id == of)),
            "conversation_id": _first(
                session, select(Conversation.id).where(Conversation.office_id == of)
            ),
            "inbound_id": _first(session, select(InboundMessage.id)),
            "import_id": checked.id,
            "action": "cancel",  # the confirmation page before cancelling a notice
            "fmt": "json",
            "lang": "id",
        }
    return {name: str(value) for name, value in values.items()}


def _concrete(path: str, values: dict[str, str]) -> str:
    names = re.findall(r"{(\w+)(?::\w+)?}", path)
    unknown = [n for n in names if n not in values]
    if unknown:
        pytest.fail(f"{path}: no value for {unknown}; add one to _values in {__file__}")
    return re.sub(r"{(\w+)(?::\w+)?}", lambda m: values[m[1]], path)


def _slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "staff"


@pytest.fixture(scope="module")
def values(live_sigap: LiveSigap) -> dict[str, str]:
    return _values(live_sigap)


@pytest.fixture
def viewport_page(browser: Browser, live_sigap: LiveSigap) -> Iterator[Callable[..., Page]]:
    contexts = []

    def open_page(width: int, height: int) -> Page:
        context = browser.new_context(
            base_url=live_sigap.url, locale="id-ID", viewport={"width": width, "height": height}
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("role", ROLES)
def test_every_staff_page_fits_a_phone_and_speaks_in_words(
    role: str, values: dict[str, str], viewport_page: Callable[..., Page]
) -> None:
    problems: list[str] = []
    for size, (width, height) in VIEWPORTS.items():
        page = viewport_page(width, height)
        log_in(page, f"{OFFICE}.{role}")
        folder = SCREENSHOTS / role / size
        folder.mkdir(parents=True, exist_ok=True)
        for template in PAGES:
            path = _concrete(template, values)
            # Asked first without following: a file (CSV, JSON, a photo) is no page to draw.
            head = page.request.get(path, max_redirects=0)
            if head.status >= 500:
                problems.append(f"{path}: {head.status}")
                continue
            if "text/html" not in head.headers.get("content-type", ""):
                continue
            response = page.goto(path)
            assert response is not None
            if response.status >= 500:
                problems.append(f"{path}: {response.status}")
                continue
            page.screenshot(path=str(folder / f"{_slug(template)}.png"), full_page=True)
            if width <= 400:
                scroll, inner = page.evaluate(
                    "[document.documentElement.scrollWidth, window.innerWidth]"
                )
                if scroll > inner:
                    problems.append(f"{path}: scrolls sideways at {width} px ({scroll} > {inner})")
            if page.evaluate("document.documentElement.lang") == "id":
                text = page.locator("body").inner_text()
                shown = [code for code in RAW_CODES if code in text]
                if shown:
                    problems.append(f"{path}: shows {shown}")
    print(f"\nscreenshots of every staff page: {SCREENSHOTS / role}")
    assert not problems, "\n".join(problems)


# The text a reader of the page's language reads: a passage marked as written in another
# language (lang="..."), like the link to the other language, is left out.
_TEXT_IN_PAGE_LANGUAGE = """() => {
    const lang = document.documentElement.lang;
    const other = [...document.body.querySelectorAll("[lang]")].filter(e => e.lang !== lang);
    const kept = other.map(e => e.style.display);
    other.forEach(e => { e.style.display = "none"; });
    const text = document.body.innerText;
    other.forEach((e, i) => { e.style.display = kept[i]; });
    return text;
}"""
# Inline script the Content-Security-Policy would refuse: handlers and javascript: links.
_INLINE_SCRIPT = """() => [...document.querySelectorAll("*")].flatMap(e => [...e.attributes]
    .filter(a => a.name.startsWith("on")
        || (["href", "action", "formaction", "src"].includes(a.name)
            && a.value.trim().toLowerCase().startsWith("javascript:")))
    .map(a => `<${e.tagName.toLowerCase()} ${a.name}="${a.value}">`))"""


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_staff_page_speaks_the_chosen_language_and_runs_no_inline_script(
    role: str,
    lang: str,
    values: dict[str, str],
    live_sigap: LiveSigap,
    viewport_page: Callable[..., Page],
) -> None:
    with unit_of_work(live_sigap.engine) as session:
        # Names in the office's records are data, in whatever language they were written.
        names = list(session.exec(select(StaffUser.full_name)).all())
    page = viewport_page(1366, 768)
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    log_in(page, f"{OFFICE}.{role}")
    page.context.add_cookies(
        [{"name": "sigap_lang", "value": lang, "domain": "127.0.0.1", "path": "/staff"}]
    )
    problems: list[str] = []
    for template in PAGES:
        path = _concrete(template, {**values, "lang": lang})
        head = page.request.get(path, max_redirects=0)
        if "text/html" not in head.headers.get("content-type", ""):
            continue
        page.goto(path)
        assert page.evaluate("document.documentElement.lang") == lang, path
        shown = wording_problems(page.evaluate(_TEXT_IN_PAGE_LANGUAGE), lang, names)
        if shown:
            problems.append(f"{path}: {shown}")
        inline = page.evaluate(_INLINE_SCRIPT)
        if inline:
            problems.append(f"{path}: inline script {inline}")
    assert not problems, "\n".join(problems)
    assert not refused, "\n".join(refused)


def test_the_printable_pages_print_from_their_button_with_no_inline_script(
    browser: Browser, live_sigap: LiveSigap, values: dict[str, str]
) -> None:
    """The receipts and link codes are reached by a form, so the loop over GET pages above
    never sees them: each is opened here, its print button (wired by the one script file,
    never an onclick) shown and pressed."""
    context = browser.new_context(base_url=live_sigap.url, locale="id-ID")
    context.add_init_script("window.print = () => { window.printed = true; };")
    page = context.new_page()
    page.set_default_timeout(10_000)
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    try:
        log_in(page, f"{OFFICE}.admin", then="/staff/chats")
        opened = [
            ("/staff/chats", "Buat kode untuk chat pribadi saya"),
            (f"/staff/proposals/{values['proposal_id']}", "Cetak tanda terima (kode baru)"),
            (f"/staff/complaints/{values['complaint_id']}", "Cetak tanda terima (kode baru)"),
        ]
        for path, button in opened:
            page.goto(path)
            page.get_by_role("button", name=button).click()
            expect(page.locator("#code")).to_be_visible()
            assert page.evaluate(_INLINE_SCRIPT) == [], path
            printing = page.get_by_role("button", name="Cetak tanda terima", exact=True)
            expect(printing).to_be_visible()
            printing.click()
            assert page.evaluate("window.printed === true"), path
        assert not refused, "\n".join(refused)
    finally:
        context.close()


def _focused(page: Page) -> dict[str, str]:
    return page.evaluate(
        """() => {
            const e = document.activeElement;
            const style = getComputedStyle(e);
            const box = e.getBoundingClientRect();
            return {tag: e.tagName, id: e.id, text: (e.innerText || "").trim(),
                    outline: style.outlineStyle, width: style.outlineWidth,
                    top: String(box.top), bottom: String(box.bottom)};
        }"""
    )


def test_the_pages_work_from_the_keyboard_alone(page: Page, live_sigap: LiveSigap) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/staff/login")
    # The form has the focus at once: signing in is typing.
    assert _focused(page)["id"] == "username"
    page.keyboard.type(f"{OFFICE}.operator")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff")

    # The first Tab reaches the skip link, shown while it has the focus; Enter skips the menu.
    page.keyboard.press("Tab")
    skip = _focused(page)
    assert skip["text"] == "Langsung ke isi halaman"
    assert float(skip["top"]) >= 0 and skip["outline"] != "none" and skip["width"] != "0px"
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "main"

    # The menu comes right after the skip link; Enter follows a link; focus is visible.
    page.reload()
    page.keyboard.press("Tab")
    assert _focused(page)["text"] == "Langsung ke isi halaman"
    for _ in range(12):
        page.keyboard.press("Tab")
        if _focused(page)["text"] == "Warga":
            break
    focused = _focused(page)
    assert focused["text"] == "Warga", focused
    assert focused["outline"] != "none" and focused["width"] != "0px"
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/people")

    # A search typed and sent, and a result opened, without the mouse.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link: straight to the content
    for _ in range(6):
        page.keyboard.press("Tab")
        if _focused(page)["id"] == "f-q":
            break
    page.keyboard.type("7414014508910031")  # the demo's first BPNT applicant
    page.keyboard.press("Enter")
    expect(page.locator("#people")).to_be_visible()
    page.locator("#people a").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/staff/people/\d+$"))
    expect(page.locator("#person-facts")).to_be_visible()


def test_the_pages_read_in_english_after_the_switch(page: Page, live_sigap: LiveSigap) -> None:
    page.goto("/staff/login")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff log-in")
    page.get_by_label("Username").fill(f"{OFFICE}.kadis")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/staff")

    nav = page.get_by_role("navigation", name="Main menu")
    for word in ("Summary", "People", "Groups", "Reports", "Administration"):
        expect(nav.get_by_role("link", name=word, exact=True)).to_be_visible()
    expect(page.locator("header")).to_contain_text("Head of office (Kadis)")
    page.get_by_role("link", name="Reports", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Report of")
    expect(page.locator("#by-channel")).to_contain_text("Walk-in")

    # A refusal is explained in English too.
    response = page.goto("/staff/admin/quarantine")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Cannot be opened")
    expect(page.get_by_role("alert")).to_contain_text("Head of office (Kadis)")

    page.goto("/staff")
    page.get_by_role("link", name="Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ringkasan")
