"""People and groups in a real browser: an operator registers a person and their household,
corrects a mistake the server points at beside its field, registers a group and previews a
programme's rules; a complaint officer sees NIKs masked; another office's person is a page
that says so."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from core.db import unit_of_work
from models import AuditLog, BeneficiaryGroup, Office, Person
from services.nik import make_nik
from services.persons import PersonIn, register_person
from tests.web.conftest import LiveSigap, log_in

BONE = "73.08"
SITI = make_nik(BONE, 2, date(1986, 3, 12), "P", 8101)
ANDI = make_nik(BONE, 2, date(1984, 7, 1), "L", 8102)


@pytest.fixture
def second(browser: Browser, live_sigap: LiveSigap) -> Iterator[Page]:
    """Another staff member's browser, with cookies of its own."""
    context = browser.new_context(base_url=live_sigap.url, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _person(live: LiveSigap, nik: str) -> Person:
    with Session(live.engine) as session:
        return session.exec(select(Person).where(Person.nik == nik)).one()


def _fill_person(page: Page, nik: str, name: str, born: str, sex: str) -> None:
    page.get_by_label("NIK", exact=True).fill(nik)
    page.get_by_label("Nama", exact=True).fill(name)
    page.get_by_label("Tanggal lahir").fill(born)
    page.get_by_label("Jenis kelamin").select_option(label=sex)
    page.get_by_label("Status perkawinan").select_option(label="kawin")


class TestAnOperatorRegistersPeopleAndAGroup:
    def test_a_person_their_household_and_their_group(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        log_in(page, "bone.operator")
        page.get_by_role("link", name="Warga", exact=True).click()
        page.get_by_role("link", name="Daftarkan warga").click()

        # The birth date typed does not agree with the NIK: said beside the date, in
        # Indonesian, and nothing typed is lost.
        _fill_person(page, SITI, "Siti Rahmawati", "1986-03-13", "perempuan")
        page.get_by_label("No. KK").fill("7308020101868101")
        page.get_by_label("Desa/kelurahan").fill("Watampone")
        page.get_by_role("button", name="Simpan").click()
        expect(page.locator("#e-birth_date")).to_contain_text("tidak cocok")
        expect(page.get_by_label("Tanggal lahir")).to_have_attribute("aria-invalid", "true")
        expect(page.get_by_label("Nama", exact=True)).to_have_value("Siti Rahmawati")

        page.get_by_label("Tanggal lahir").fill("1986-03-12")
        page.get_by_role("button", name="Simpan").click()
        expect(page.get_by_role("status")).to_have_text("Warga terdaftar.")
        expect(page.get_by_role("heading", level=1)).to_have_text("Siti Rahmawati")
        expect(page.locator("[data-field=nik]")).to_have_text(SITI)  # an operator sees it whole

        # Her husband, on the same Kartu Keluarga: the KK and the desa come filled in.
        page.get_by_role("link", name="Daftarkan anggota keluarga").click()
        expect(page.get_by_label("No. KK")).to_have_value("7308020101868101")
        expect(page.get_by_label("Desa/kelurahan")).to_have_value("Watampone")
        _fill_person(page, ANDI, "Andi Makkasau", "1984-07-01", "laki-laki")
        page.get_by_role("button", name="Simpan").click()
        expect(page.locator("#household")).to_contain_text("Siti Rahmawati")

        # Found again by the No. KK (both of them) and by part of a name.
        page.get_by_role("link", name="Warga", exact=True).click()
        page.get_by_label("NIK, No. KK, atau nama").fill("7308020101868101")
        page.get_by_role("button", name="Cari").click()
        expect(page.locator("#people tbody tr")).to_have_count(2)
        page.get_by_label("NIK, No. KK, atau nama").fill("makkasau")
        page.get_by_role("button", name="Cari").click()
        expect(page.locator("#people tbody tr")).to_have_count(1)

        # A group: a NIK nobody registered is named beside the members' field.
        page.get_by_role("link", name="Kelompok", exact=True).click()
        page.get_by_role("link", name="Daftarkan kelompok").click()
        page.get_by_label("Nama kelompok").fill("KUBE Mawar Watampone")
        page.get_by_label("Jenis", exact=True).select_option(label="KUBE (Kelompok Usaha Bersama)")
        unknown = make_nik(BONE, 2, date(1990, 1, 1), "L", 8199)
        page.get_by_label("NIK anggota").fill(f"{SITI}\n{ANDI}\n{unknown}")
        page.get_by_role("button", name="Simpan kelompok").click()
        expect(page.locator("#e-member_niks")).to_contain_text(unknown)
        expect(page.locator("#e-member_niks")).to_contain_text("belum terdaftar")

        page.get_by_label("NIK anggota").fill(f"{SITI}\n{ANDI}")
        page.get_by_role("button", name="Simpan kelompok").click()
        expect(page.get_by_role("status")).to_have_text("Kelompok terdaftar.")
        members = page.locator("#members tbody tr")
        expect(members).to_have_count(2)
        expect(members.first).to_contain_text("Ketua")

        # The preview names every rule the group does not meet yet; nothing is filed.
        page.get_by_role("button", name="Cek").click()
        result = page.locator("#eligibility-result")
        expect(result).to_contain_text("Belum memenuhi syarat")
        expect(result).to_contain_text("DTKS")
        expect(result.locator("li")).not_to_have_count(0)
        with Session(live_sigap.engine) as session:
            group = session.exec(
                select(BeneficiaryGroup).where(BeneficiaryGroup.name == "KUBE Mawar Watampone")
            ).one()
            created = session.exec(
                select(AuditLog).where(AuditLog.entity == "group", AuditLog.entity_id == group.id)
            ).all()
        assert [row.action for row in created] == ["create"]

    def test_a_correction_is_audited_and_a_stale_form_says_what_happened(
        self, page: Page, second: Page, live_sigap: LiveSigap
    ) -> None:
        nik = make_nik(BONE, 3, date(1979, 11, 2), "P", 8103)
        with unit_of_work(live_sigap.engine) as session:
            bone = session.exec(select(Office).where(Office.code == BONE)).one()
            data = PersonIn(
                nik=nik,
                kk_number="7308030101798103",
                name="Wa Ina",
                birth_date=date(1979, 11, 2),
                sex="P",
                marital_status="cerai_mati",
            )
            person = register_person(
                session=session, office_id=bone.id or 0, data=data, now=datetime.now(UTC)
            )
        log_in(page, "bone.operator", then=f"/staff/people/{person.id}/edit")
        log_in(second, "bone.kabid", then=f"/staff/people/{person.id}/edit")

        second.get_by_label("Nomor HP").fill("0813-4000-1234")
        second.get_by_role("button", name="Simpan").click()
        expect(second.get_by_role("status")).to_have_text("Perubahan tersimpan.")

        # The operator's form was read before the Kabid saved: refused, and shown afresh.
        page.get_by_label("Pekerjaan").fill("Penjahit")
        page.get_by_role("button", name="Simpan").click()
        expect(page.get_by_role("alert")).to_contain_text("baru saja diubah orang lain")
        expect(page.get_by_label("Nomor HP")).to_have_value("0813-4000-1234")

        with Session(live_sigap.engine) as session:
            updates = session.exec(
                select(AuditLog).where(
                    AuditLog.entity == "person",
                    AuditLog.entity_id == person.id,
                    AuditLog.action == "update",
                )
            ).all()
        assert [row.detail for row in updates] == ["changed: phone, phone_e164"]


def test_a_complaint_officer_sees_the_nik_masked_and_cannot_correct(
    page: Page, live_sigap: LiveSigap
) -> None:
    person = _person(live_sigap, "7308015105910064")
    log_in(page, "bone.pengaduan", then=f"/staff/people/{person.id}")
    expect(page.locator("[data-field=nik]")).to_have_text("7308" + "*" * 12)
    expect(page.get_by_role("link", name="Ubah data")).to_have_count(0)
    response = page.goto(f"/staff/people/{person.id}/edit")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Tidak bisa dibuka")
    expect(page.get_by_role("alert")).to_contain_text("Petugas pengaduan")


def test_another_offices_person_and_a_stale_form_token_get_pages_that_say_so(
    page: Page, live_sigap: LiveSigap
) -> None:
    elsewhere = _person(live_sigap, "6209016608910079")  # Lamandau's
    log_in(page, "bone.operator")
    response = page.goto(f"/staff/people/{elsewhere.id}")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Tidak ditemukan")
    expect(page.get_by_role("alert")).to_have_text("Data orang itu tidak ditemukan.")

    page.goto("/staff/people")
    page.locator("#search input[name=form_token]").evaluate("e => e.value = 'stale'")
    page.get_by_label("NIK, No. KK, atau nama").fill("Hasnah")
    page.get_by_role("button", name="Cari").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Formulir kedaluwarsa")
    expect(page.get_by_role("alert")).to_contain_text("Muat ulang halaman")
