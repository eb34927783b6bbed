"""An office's admin manages its staff in a real browser: add an account, disable and enable
it (its open session ends), reset a password (the new holder must choose their own before
anything else), change a role; every action is in the audit log."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, col, select

from models import AuditLog, StaffUser
from tests.web.conftest import PASSWORD, LiveSigap


@pytest.fixture
def second(browser: Browser, live_sigap: LiveSigap) -> Iterator[Page]:
    """Another person's browser, with cookies of its own."""
    context = browser.new_context(base_url=live_sigap.url, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _log_in(page: Page, username: str, password: str) -> None:
    page.goto("/staff/login")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def _staff(live: LiveSigap, username: str) -> StaffUser:
    with Session(live.engine) as session:
        return session.exec(select(StaffUser).where(StaffUser.username == username)).one()


def _trail(live: LiveSigap, username: str) -> list[str]:
    target = _staff(live, username)
    with Session(live.engine) as session:
        return list(
            session.exec(
                select(AuditLog.action)
                .where(AuditLog.entity == "staff_user", AuditLog.entity_id == target.id)
                .order_by(col(AuditLog.id))
            ).all()
        )


class TestAccounts:
    def test_an_admin_adds_an_officer_disables_and_enables_them(
        self, page: Page, second: Page, live_sigap: LiveSigap
    ) -> None:
        _log_in(page, "bone.admin", PASSWORD)
        page.get_by_role("link", name="Administrasi").click()
        page.get_by_role("link", name="Petugas", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Akun petugas")
        # The chats of staff and of the officers' group are linked from the Chat page.
        expect(page.get_by_role("link", name="Buka halaman Chat")).to_have_attribute(
            "href", "/staff/chats"
        )

        form = page.locator("#new-account")
        form.get_by_label("Nama pengguna").fill("bone.ayu")
        form.get_by_label("Nama", exact=True).fill("Ayu Puspitasari")
        form.get_by_label("Peran").select_option("complaint_officer")
        form.get_by_label("Kata sandi awal").fill("pendek")
        form.get_by_role("button", name="Buat akun").click()
        expect(form.locator("#e-password")).to_contain_text("terlalu pendek")  # beside it
        expect(form.get_by_label("Nama pengguna")).to_have_value("bone.ayu")  # kept
        form.get_by_label("Kata sandi awal").fill("sandi-ayu-yang-panjang")
        form.get_by_role("button", name="Buat akun").click()
        expect(page.get_by_role("status")).to_contain_text("Akun bone.ayu dibuat")

        _log_in(second, "bone.ayu", "sandi-ayu-yang-panjang")
        expect(second.get_by_role("heading", level=1)).to_contain_text("Ringkasan")

        page.get_by_role("button", name="Nonaktifkan bone.ayu").click()
        expect(page.get_by_role("status")).to_contain_text("dinonaktifkan")
        second.goto("/staff/complaints")  # the open session has ended
        expect(second.get_by_role("heading", name="Masuk sebagai petugas")).to_be_visible()
        _log_in(second, "bone.ayu", "sandi-ayu-yang-panjang")
        expect(second.get_by_role("alert")).to_contain_text("salah")

        page.get_by_role("button", name="Aktifkan bone.ayu").click()
        expect(page.get_by_role("status")).to_contain_text("diaktifkan kembali")
        _log_in(second, "bone.ayu", "sandi-ayu-yang-panjang")
        expect(second.get_by_role("heading", level=1)).to_contain_text("Ringkasan")
        assert _trail(live_sigap, "bone.ayu") == ["create", "disable", "enable"]

        # The admin reads it in the audit log, in words.
        page.get_by_role("link", name="Administrasi").click()
        page.get_by_role("link", name="Log audit").click()
        rows = page.locator("#audit tbody tr").filter(has_text="bone.ayu")
        expect(rows.filter(has_text="menonaktifkan akun")).to_have_count(1)
        expect(rows.filter(has_text="mengaktifkan akun")).to_have_count(1)
        expect(page.locator("#audit")).not_to_contain_text("aksi lain")

    def test_a_reset_password_must_be_replaced_before_anything_else(
        self, page: Page, second: Page, live_sigap: LiveSigap
    ) -> None:
        _log_in(page, "lamandau.admin", PASSWORD)
        page.goto("/staff/accounts")
        page.get_by_role("button", name="Atur ulang kata sandi lamandau.operator").click()
        expect(page.get_by_role("status")).to_contain_text("hanya tampil sekali")
        temporary = page.locator("#temporary-password").inner_text()
        assert len(temporary) == 14

        _log_in(second, "lamandau.operator", PASSWORD)  # the old password is gone
        expect(second.get_by_role("alert")).to_contain_text("salah")
        _log_in(second, "lamandau.operator", temporary)
        expect(second.get_by_role("heading", level=1)).to_have_text("Ganti kata sandi")
        second.goto("/staff/proposals")  # nothing else opens first
        expect(second.get_by_role("heading", level=1)).to_have_text("Ganti kata sandi")
        second.get_by_label("Kata sandi sekarang").fill(temporary)
        second.locator("#new").fill("operator-lamandau-baru")
        second.get_by_label("Ulangi kata sandi baru").fill("operator-lamandau-baru")
        second.get_by_role("button", name="Simpan kata sandi").click()
        expect(second.get_by_role("status")).to_contain_text("sudah diganti")
        second.goto("/staff/proposals")
        expect(second.get_by_role("heading", level=1)).to_have_text("Usulan")
        assert not _staff(live_sigap, "lamandau.operator").must_change_password
        assert _trail(live_sigap, "lamandau.operator") == ["reset_password", "password"]

    def test_an_admin_changes_a_role_but_never_their_own(
        self, page: Page, second: Page, live_sigap: LiveSigap
    ) -> None:
        _log_in(page, "manggarai.admin", PASSWORD)
        page.goto("/staff/accounts")
        row = page.locator("#accounts tr[data-username='manggarai.pengaduan']")
        row.get_by_label("Peran manggarai.pengaduan", exact=True).select_option("supervisor")
        row.get_by_role("button", name="Ubah peran manggarai.pengaduan").click()
        expect(page.get_by_role("status")).to_contain_text("Peran manggarai.pengaduan diubah")
        assert _staff(live_sigap, "manggarai.pengaduan").role == "supervisor"
        own = page.locator("#accounts tr[data-username='manggarai.admin']")
        expect(own.get_by_role("button")).to_have_count(1)  # only a password reset

        _log_in(second, "manggarai.operator", PASSWORD)
        expect(second.get_by_role("heading", level=1)).to_contain_text("Ringkasan")
        second.goto("/staff/admin")
        expect(second.get_by_role("link", name="Petugas", exact=True)).to_have_count(0)
        second.goto("/staff/accounts")
        expect(second.get_by_role("alert")).to_contain_text("tidak berhak")
