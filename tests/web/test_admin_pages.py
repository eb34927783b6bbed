"""Administration in a real browser: an admin changes the office's own settings (a mistake
named beside its field first), sees an update the bot set aside and sends it back or discards
it; a clock the SOP states stays locked; an operator cannot change anything."""

from __future__ import annotations

from datetime import UTC, datetime

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from core.db import unit_of_work
from models import AuditLog, Conversation, InboundMessage, Office, OfficeSetting
from tests.web.conftest import LiveSigap, log_in

LAMANDAU = "62.09"


def _office(live: LiveSigap, code: str) -> Office:
    with Session(live.engine) as session:
        return session.exec(select(Office).where(Office.code == code)).one()


def _set_aside(live: LiveSigap, chat_id: str, text: str) -> int:
    """An update that failed three times, from a chat of Lamandau."""
    with unit_of_work(live.engine) as session:
        office = session.exec(select(Office).where(Office.code == LAMANDAU)).one()
        chat = Conversation(channel="sim", chat_id=chat_id, office_id=office.id)
        session.add(chat)
        session.flush()
        row = InboundMessage(
            channel="sim",
            platform_id=f"poison-{chat_id}",
            conversation_id=chat.id,
            payload={"chat_id": chat_id, "text": text},
            status="quarantined",
            attempts=3,
            error="ZeroDivisionError",
            processed_at=datetime.now(UTC),
        )
        session.add(row)
        session.flush()
        return row.id or 0


def _status(live: LiveSigap, inbound_id: int) -> str:
    with Session(live.engine) as session:
        return session.get_one(InboundMessage, inbound_id).status


def test_an_admin_changes_the_office_settings_and_sees_a_set_aside_update(
    page: Page, live_sigap: LiveSigap
) -> None:
    log_in(page, "lamandau.admin")
    page.get_by_role("link", name="Administrasi").click()
    page.get_by_role("link", name="Pengaturan kantor").click()
    expect(page.locator("#clock-now")).to_contain_text("2 hari kerja")

    page.get_by_label("Jam buka (Bahasa Indonesia)").fill("Senin–Jumat 07.30–15.30 WIB")
    page.get_by_label("Telepon").fill("0532-21000")
    page.get_by_label("Email").fill("bukan alamat")
    page.get_by_label("Berapa jam atau hari kerja").fill("3")
    page.get_by_label("Kantor buka pukul").fill("07:30")
    page.get_by_label("Kantor tutup pukul").fill("15:30")
    page.get_by_role("button", name="Simpan pengaturan").click()
    expect(page.locator("#e-email")).to_have_text("Bentuknya tidak sesuai.")
    expect(page.get_by_label("Telepon")).to_have_value("0532-21000")

    page.get_by_label("Email").fill("dinsos@lamandaukab.go.id")
    page.get_by_role("button", name="Simpan pengaturan").click()
    expect(page.get_by_role("status")).to_contain_text("Pengaturan kantor tersimpan")
    expect(page.locator("#clock-now")).to_contain_text("3 hari kerja. Diatur oleh kantor ini.")

    office = _office(live_sigap, LAMANDAU)
    assert (office.phone, office.hours) == ("0532-21000", "Senin–Jumat 07.30–15.30 WIB")
    with Session(live_sigap.engine) as session:
        own = session.get_one(OfficeSetting, office.id)
        assert (own.clock_kind, own.clock_amount, own.clock_office_hours) == (
            "working_days",
            3,
            "07:30-15:30",
        )
        trail = session.exec(
            select(AuditLog).where(AuditLog.entity == "office", AuditLog.entity_id == office.id)
        ).all()
    assert [row.detail for row in trail] == ["settings: hours_id, phone, email, clock"]

    # An update the bot could not handle: no more of it than a masked excerpt.
    retried = _set_aside(live_sigap, "poison-1", "NIK saya 6209016608910079 tolong cek")
    discarded = _set_aside(live_sigap, "poison-2", "halo")
    page.get_by_role("link", name="Administrasi").click()
    page.get_by_role("link", name="Pesan masuk yang tertahan").click()
    row = page.locator(f"#quarantined tr[data-id='{retried}']")
    expect(row).to_contain_text("Simulator")
    expect(row).to_contain_text("ZeroDivisionError")
    expect(row).to_contain_text("NIK saya ••• tolong cek")
    expect(page.locator("#quarantined")).not_to_contain_text("6209016608910079")

    row.get_by_role("button", name="Coba lagi").click()
    expect(page.get_by_role("status")).to_contain_text("dikembalikan ke antrean")
    assert _status(live_sigap, retried) == "pending"
    page.locator(f"#quarantined tr[data-id='{discarded}']").get_by_role(
        "button", name="Buang"
    ).click()
    expect(page.get_by_role("status")).to_contain_text("dibuang")
    assert _status(live_sigap, discarded) == "discarded"
    expect(page.locator("#quarantined")).to_have_count(0)


def test_a_clock_the_sop_states_is_shown_locked(page: Page, live_sigap: LiveSigap) -> None:
    log_in(page, "buton-tengah.admin", then="/staff/admin/office")
    expect(page.locator("#clock-now")).to_contain_text("Ditetapkan SOP kantor")
    expect(page.get_by_label("Berapa jam atau hari kerja")).to_have_count(0)


def test_an_operator_reads_the_settings_but_cannot_change_them(
    page: Page, live_sigap: LiveSigap
) -> None:
    log_in(page, "bone.operator", then="/staff/admin/office")
    expect(page.locator("#office-facts")).to_contain_text("0481-21029")
    expect(page.get_by_role("button", name="Simpan pengaturan")).to_have_count(0)
    token = page.locator("input[name=form_token]").first.input_value()
    forged = page.request.post(
        "/staff/admin/office",
        form={"form_token": token, "hours_id": "24 jam", "phone": "0"},
    )
    assert forged.status == 403
    assert "tidak berhak" in forged.text()
    assert _office(live_sigap, "73.08").phone == "0481-21029"

    response = page.goto("/staff/admin/quarantine")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Tidak bisa dibuka")
