"""Proposals on the staff pages, in a real browser (issue 14, part 2): an operator files one
through the intake form (the eligibility check first, errors beside the field), prints the
applicant's receipt with its link code and QR codes, moves it and records the decree's number;
the list finds a proposal by a part of its number, a NIK or a name; each role is offered only
what it may do; steps are numbered as the SOP numbers them (issue 13)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from core.db import unit_of_work
from models import Office, Person, Programme, Proposal, ProposalOutput, StaffUser
from services.nik import make_nik
from services.persons import PersonIn, register_person
from services.proposals import Action, transition
from tests.web.conftest import LiveSigap, log_in


def _register(live: LiveSigap, *, name: str, serial: int, registries: list[str]) -> Person:
    """A Lamandau resident of working age, on file at the office (as the People pages do)."""
    born = date(1986, 4, 9)
    with unit_of_work(live.engine) as session:
        office = session.exec(select(Office).where(Office.slug == "lamandau")).one()
        person = register_person(
            session=session,
            office_id=office.id or 0,
            data=PersonIn(
                nik=make_nik(office.code, 3, born, "P", serial),
                kk_number=make_nik(office.code, 3, date(2001, 1, 1), "L", serial)[:12] + "0001",
                name=name,
                birth_date=born,
                sex="P",
                marital_status="kawin",
                desa="Desa Bukit Raya",
                kecamatan="Bulik",
                phone="0812-7000-0777",
                registries=registries,
            ),
            now=datetime.now(UTC),
        )
        session.expunge(person)
    return person


def _proposal(live: LiveSigap, number: str) -> Proposal:
    with Session(live.engine) as session:
        return session.exec(select(Proposal).where(Proposal.number == number)).one()


def _choose(page: Page, programme: str) -> None:
    page.goto("/staff/proposals")
    page.get_by_role("link", name="Ajukan usulan baru").click()
    page.get_by_label("Program").select_option(programme)
    page.get_by_role("button", name="Pilih program").click()


class TestFilingAProposal:
    def test_an_operator_files_moves_and_records_the_decree_number(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        person = _register(live_sigap, name="Theresia Ningsih", serial=7001, registries=["DTKS"])
        log_in(page, "lamandau.operator")
        _choose(page, "uep-lamandau")

        # A NIK that is no NIK: said beside the field, in Indonesian, and nothing is filed.
        page.get_by_label("NIK pemohon").fill("6209 1234")
        page.get_by_role("button", name="Ajukan", exact=True).click()
        nik_field = page.get_by_label("NIK pemohon")
        expect(nik_field).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#e-nik")).to_have_text("NIK harus 16 angka.")
        expect(nik_field).to_have_value("6209 1234")  # what was typed stays

        nik_field.fill(person.nik)
        page.get_by_role("button", name="Periksa syarat").click()
        expect(page.locator("#eligibility")).to_contain_text("Theresia Ningsih")
        expect(page.locator("#eligibility")).to_contain_text("Memenuhi semua syarat")
        page.get_by_role("button", name="Ajukan", exact=True).click()

        expect(page.get_by_role("status")).to_contain_text("sudah diajukan")
        number = page.get_by_role("heading", level=1).inner_text().removeprefix("Usulan ")
        assert re.fullmatch(r"UEP-LMD-\d{4}-\d{4}", number)
        expect(page.locator("#current-step")).to_contain_text("Tahap 1 dari 6")
        # The applicant as the operator checks them: the NIK whole, the desa, the phone.
        expect(page.locator("#nik")).to_have_text(person.nik)
        expect(page.locator("#desa")).to_contain_text("Desa Bukit Raya")
        expect(page.locator("#contact")).to_have_text("0812-7000-0777")

        # The applicant's receipt: the number, a link code and each channel's QR code.
        page.get_by_role("button", name="Cetak tanda terima (kode baru)").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Tanda terima usulan")
        expect(page.locator("#number")).to_have_text(number)
        assert len(page.locator("#code").inner_text().replace(" ", "")) == 15
        assert page.locator("#links svg.qr").count() >= 1
        page.get_by_role("link", name="Kembali ke usulan").click()

        # Step 1 and 2 are the operator's; a return or a rejection is not offered to them.
        options = page.locator("#action option")
        expect(options).to_have_count(1)
        expect(options).to_have_text(["Lanjut ke tahap berikutnya"])
        page.get_by_role("button", name="Simpan").click()
        expect(page.locator("#current-step")).to_contain_text("Tahap 2 dari 6")
        page.get_by_role("button", name="Simpan").click()
        expect(page.locator("#current-step")).to_contain_text("Tahap 3 dari 6")
        # Step 3 is the Kepala Dinas's decree: nothing to press for the operator...
        expect(page.locator("#move")).to_have_count(0)
        expect(page.locator("#no-actions")).to_contain_text("Kepala Dinas")

        # ... but the decree's number, once signed, is typed in by the operator.
        page.get_by_label("Hasil (tanda * perlu nomor)").select_option("3:sk-penerima")
        page.get_by_label("Nomor", exact=True).fill("188.45/12/2026")
        page.get_by_label("Tanggal").fill("2026-03-02")
        page.get_by_role("button", name="Catat hasil").click()
        expect(page.get_by_role("status")).to_contain_text("hasil tahapan dicatat")
        step_three = page.locator("#timeline li[data-step='3']")
        expect(step_three).to_contain_text("Tahap 3 dari 6")
        expect(step_three).to_contain_text("No. 188.45/12/2026")
        expect(step_three).to_contain_text("sedang di sini")
        # The steps behind it, with who moved them and against which standard.
        step_one = page.locator("#timeline li[data-step='1']")
        expect(step_one).to_contain_text("Standar waktu: 5 menit")
        expect(step_one).to_contain_text("Operator Layanan")
        expect(step_one).to_contain_text("selesai")

        filed = _proposal(live_sigap, number)
        assert (filed.applicant_person_id, filed.step_position) == (person.id, 3)
        with Session(live_sigap.engine) as session:
            [output] = session.exec(
                select(ProposalOutput).where(ProposalOutput.proposal_id == filed.id)
            ).all()
        assert (output.kind, output.number) == ("sk-penerima", "188.45/12/2026")

    def test_someone_not_in_the_dtks_is_told_why_and_nothing_is_filed(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        person = _register(live_sigap, name="Yuliana Dewi", serial=7002, registries=[])
        log_in(page, "lamandau.operator")
        _choose(page, "uep-lamandau")
        page.get_by_label("NIK pemohon").fill(person.nik)
        page.get_by_role("button", name="Ajukan", exact=True).click()
        expect(page.locator("#failures")).to_contain_text("belum terdaftar dalam DTKS")
        expect(page.locator("#e-nik")).to_contain_text("belum bisa diajukan")
        with Session(live_sigap.engine) as session:
            filed = session.exec(
                select(Proposal).where(Proposal.applicant_person_id == person.id)
            ).all()
        assert filed == []

    def test_a_complaint_officer_files_no_proposal_and_is_told_so(self, page: Page) -> None:
        log_in(page, "lamandau.pengaduan", then="/staff/proposals")
        expect(page.locator("#file-proposal")).to_have_count(0)
        response = page.goto("/staff/proposals/new")
        assert response is not None and response.status == 403
        expect(page.get_by_role("alert")).to_contain_text("tidak berhak")


class TestFindingProposals:
    def test_by_a_part_of_its_number_a_nik_or_a_name(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        with Session(live_sigap.engine) as session:
            second = session.exec(
                select(Proposal).where(Proposal.number == "UEP-LMD-2026-0002")
            ).one()
            applicant = session.get(Person, second.applicant_person_id)
            assert applicant is not None
        log_in(page, "lamandau.operator")
        page.goto("/staff/proposals")
        search = page.get_by_label("Cari")
        for typed in ("0002", applicant.nik, applicant.name.split()[0].lower()):
            search.fill(typed)
            page.get_by_label("Status").select_option("all")
            page.get_by_role("button", name="Tampilkan").click()
            expect(page.get_by_role("link", name="UEP-LMD-2026-0002")).to_be_visible()
        # A NIK matches whole, never by its first digits.
        page.get_by_label("Cari").fill(applicant.nik[:12])
        page.get_by_role("button", name="Tampilkan").click()
        expect(page.get_by_role("link", name="UEP-LMD-2026-0002")).to_have_count(0)

    def test_by_programme_step_desa_and_lateness(self, page: Page, live_sigap: LiveSigap) -> None:
        log_in(page, "lamandau.operator")
        page.goto("/staff/proposals?programme=uep-lamandau")
        # The steps of the chosen programme, as the SOP numbers them.
        page.get_by_label("Tahap").select_option("2")
        page.get_by_role("button", name="Tampilkan").click()
        rows = page.locator("#proposals tbody tr")
        expect(rows.first).to_contain_text("Tahap 2 dari 6")
        for text in rows.all_inner_texts():
            assert "Tahap 2 dari 6" in text
        page.goto("/staff/proposals?programme=uep-lamandau&desa=Desa+Demo+2")
        expect(page.locator("#proposals tbody tr").first).to_contain_text("Desa Demo 2")
        for text in page.locator("#proposals tbody tr").all_inner_texts():
            assert "Desa Demo 2" in text
        page.goto("/staff/proposals?programme=uep-lamandau&late=true")
        for text in page.locator("#proposals tbody tr").all_inner_texts():
            assert "Terlambat" in text


class TestStepsAsTheSopNumbersThem:
    def test_bone_counts_eight_steps_and_its_split_step_is_5a_and_5b(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        bone = _proposal(live_sigap, "KUBE-BON-2026-0001")
        log_in(page, "bone.pengaduan", then=f"/staff/proposals/{bone.id}")
        expect(page.locator("#current-step")).to_contain_text("Tahap 1 dari 8")
        timeline = page.locator("#timeline > li")
        expect(timeline).to_have_count(9)  # Sigap records the SOP's step 5 in two
        expect(timeline.nth(4)).to_contain_text("Tahap 5a dari 8")
        expect(timeline.nth(5)).to_contain_text("Tahap 5b dari 8")
        expect(timeline.nth(8)).to_contain_text("Tahap 8 dari 8")
        page.goto("/staff/proposals?programme=kube-bone")
        expect(page.locator("#proposals")).to_contain_text("dari 8")
        expect(page.locator("#proposals")).not_to_contain_text("dari 9")

    def test_the_summary_and_the_report_number_bones_steps_as_its_sop(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        log_in(page, "bone.kadis")
        expect(page.locator("#per-step tbody tr").first).to_contain_text("1. ")
        page.goto("/staff/reports")
        steps = page.locator("table.steps[data-programme='kube-bone'] tbody tr td:first-child")
        labels = [text.split(".")[0] for text in steps.all_inner_texts()]
        assert labels == ["1", "2", "3", "4", "5a", "5b", "6", "7", "8"]

    def test_a_complaint_officer_sees_the_group_members_with_nik_masked(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        bone = _proposal(live_sigap, "KUBE-BON-2026-0001")
        log_in(page, "bone.pengaduan", then=f"/staff/proposals/{bone.id}")
        members = page.locator("#members tbody tr")
        expect(members.first).to_contain_text("ketua")
        assert members.count() >= 2
        for text in members.all_inner_texts():
            assert re.search(r"7308\*{12}", text), text
        # Reading is all a complaint officer does here: no move, no receipt, no output.
        expect(page.locator("#move")).to_have_count(0)
        expect(page.locator("#receipt")).to_have_count(0)
        expect(page.locator("#record-output")).to_have_count(0)


class TestWhoMayDoWhat:
    def test_the_kabid_may_send_back_and_reject_the_operator_may_not(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        with Session(live_sigap.engine) as session:
            at_two = session.exec(
                select(Proposal)
                .where(
                    col(Proposal.number).startswith("UEP-LMD-"),
                    Proposal.step_position == 2,
                    Proposal.status == "in_progress",
                )
                .order_by(col(Proposal.id))
            ).first()
        assert at_two is not None
        log_in(page, "lamandau.kabid", then=f"/staff/proposals/{at_two.id}")
        expect(page.locator("#action option")).to_have_text(
            ["Kembalikan ke tahap sebelumnya", "Tolak usulan"]
        )
        page.context.clear_cookies()
        log_in(page, "lamandau.operator", then=f"/staff/proposals/{at_two.id}")
        expect(page.locator("#action option")).to_have_text(["Lanjut ke tahap berikutnya"])

    def test_a_form_sent_after_someone_else_moved_the_proposal_says_so(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        person = _register(live_sigap, name="Lusiana Hartati", serial=7003, registries=["DTKS"])
        log_in(page, "lamandau.operator")
        _choose(page, "uep-lamandau")
        page.get_by_label("NIK pemohon").fill(person.nik)
        page.get_by_role("button", name="Ajukan", exact=True).click()
        expect(page.get_by_role("status")).to_contain_text("sudah diajukan")
        # A second tab moves it first; this tab's form still carries the old version.
        other = page.context.new_page()
        other.goto(page.url)
        other.get_by_role("button", name="Simpan").click()
        expect(other.locator("#current-step")).to_contain_text("Tahap 2 dari 6")
        page.get_by_role("button", name="Simpan").click()
        expect(page.get_by_role("alert")).to_contain_text("sudah diubah orang lain")
        expect(page.locator("#current-step")).to_contain_text("Tahap 2 dari 6")


class TestGroupReports:
    def test_a_bekasi_kube_owes_its_three_reports_and_one_is_recorded(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        now = datetime.now(UTC)
        with unit_of_work(live_sigap.engine) as session:
            proposal = session.exec(
                select(Proposal)
                .join(Programme, col(Programme.id) == Proposal.programme_id)
                .where(Programme.code == "kube-bekasi", Proposal.step_position == 3)
            ).one()
            admin = session.exec(
                select(StaffUser).where(StaffUser.username == "bekasi.admin")
            ).one()
            # The Wali Kota's decree (step 3) and the handover (step 4) are done today.
            for _ in range(2):
                proposal = transition(
                    session=session,
                    staff=admin,
                    proposal_id=proposal.id or 0,
                    action=Action.ADVANCE,
                    expected_version=proposal.version,
                    now=now,
                )
            proposal_id = proposal.id
        log_in(page, "bekasi.operator", then=f"/staff/proposals/{proposal_id}")
        page.get_by_role("link", name="Laporan kelompok (triwulan dan akhir tahun)").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Laporan kelompok")
        rows = page.locator("#reports tbody tr")
        expect(rows).to_have_count(6)  # three kinds, for this quarter and for the year's end
        table = page.locator("#reports")
        for kind in ("Laporan Bantuan Sosial", "Laporan Pelaksanaan", "Laporan Aset"):
            expect(table).to_contain_text(kind)
        local = now.astimezone(ZoneInfo("Asia/Jakarta"))
        quarter = (local.month - 1) // 3 + 1
        expect(table).to_contain_text(f"Triwulan {quarter} {local.year}")
        expect(table).to_contain_text(f"Akhir tahun {local.year}")

        # A period that is none is refused beside its field, in words.
        page.get_by_label("Jenis laporan").select_option("laporan-aset")
        page.get_by_label("Periode").fill(f"{local.year}-Q5")
        page.get_by_role("button", name="Catat laporan").click()
        expect(page.locator("#e-period")).to_be_visible()
        expect(page.get_by_label("Periode")).to_have_attribute("aria-invalid", "true")

        page.get_by_label("Periode").fill(f"{local.year}-Q{quarter}")
        page.get_by_role("button", name="Catat laporan").click()
        expect(page.get_by_role("status")).to_contain_text("Laporan kelompok dicatat")
        recorded = page.locator("#reports tbody tr", has_text="Laporan Aset").first
        expect(recorded).to_contain_text("tepat waktu")
