"""Complaints on the staff pages, in a real browser (issue 14, part 3): the inbox by deadline
with its countdown (green, amber under 12 hours, red once breached), its filters and every
status; the thread with the complainant's photo shown inline to an officer (the opening
audited); claim, answer and reassign; the escalation history; bad input and the wrong role
answered with a page that says why."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import segno
from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from core.db import unit_of_work
from models import AuditLog, Complaint, Office, OutboxMessage, StaffUser
from services.complaint_attachments import mark_stored
from services.complaints import (
    ClockPolicy,
    NewAttachment,
    NewComplaint,
    add_message,
    attachments,
    file_complaint,
    sweep,
)
from services.outbox import ensure_conversation
from services.staff import create_staff
from services.storage import DirectoryStorage
from tests.web.conftest import LiveSigap, log_in

RED, AMBER, GREEN = "rgb(179, 38, 30)", "rgb(122, 83, 0)", "rgb(30, 107, 52)"


def _file(
    live: LiveSigap,
    *,
    hours_ago: float,
    text: str,
    category: str = "bantuan-terlambat",
    chat: str | None = None,
) -> Complaint:
    """A complaint to Buton Tengah (2×24 jam) received ``hours_ago``, by chat or by book."""
    received = datetime.now(UTC) - timedelta(hours=hours_ago)
    with unit_of_work(live.engine) as session:
        office = session.exec(select(Office).where(Office.slug == "buton-tengah")).one()
        conversation = (
            ensure_conversation(session, channel="sim", chat_id=chat, now=received)
            if chat
            else None
        )
        complaint = file_complaint(
            session=session,
            data=NewComplaint(
                office_id=office.id or 0,
                category=category,
                description=text,
                channel="sim" if chat else "book",
                complainant_name="Wa Ode Hasmia",
                complainant_contact="" if chat else "0812-7000-0960",
                conversation_id=conversation,
            ),
            now=received,
            policy=ClockPolicy(),
        )
        session.expunge(complaint)
    return complaint


def _png() -> bytes:
    out = io.BytesIO()
    segno.make_qr("foto kartu KKS").save(out, kind="png", scale=6)
    return out.getvalue()


def _row(page: Page, number: str):  # type: ignore[no-untyped-def]
    return page.locator("#complaints tbody tr", has=page.get_by_role("link", name=number))


class TestTheInbox:
    def test_the_kabid_sees_a_breached_complaint_in_red_and_one_near_its_deadline_in_amber(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        breached = _file(live_sigap, hours_ago=53, text="Kartu KKS saya diblokir.")
        near = _file(live_sigap, hours_ago=40, text="Bantuan belum cair sejak Mei.")
        fresh = _file(live_sigap, hours_ago=2, text="Nama saya salah di daftar.")
        log_in(page, "buton-tengah.kabid", then="/staff/complaints")

        red = _row(page, breached.number).locator(".tag")
        expect(red).to_contain_text("Lewat 5 jam")
        expect(red).to_have_css("color", RED)
        amber = _row(page, near.number).locator(".tag")
        expect(amber).to_contain_text("Sisa 7 jam")
        expect(amber).to_have_css("color", AMBER)
        green = _row(page, fresh.number).locator(".tag")
        expect(green).to_contain_text("Sisa 1 hari")
        expect(green).to_have_css("color", GREEN)
        # Nearest deadline first: the breached one before the one still in time.
        numbers = page.locator("#complaints tbody tr td:first-child").all_inner_texts()
        assert numbers.index(breached.number) < numbers.index(near.number)
        assert numbers.index(near.number) < numbers.index(fresh.number)

        # The clock's next run escalates the breached one to the Kabid: its history says so.
        sweep(engine=live_sigap.engine, now=datetime.now(UTC), policy=ClockPolicy())
        page.get_by_role("link", name=breached.number).click()
        expect(page.locator("#countdown")).to_have_css("color", RED)
        expect(page.locator("#events li.escalation")).to_contain_text(["Eskalasi ke Kabid"])
        assert "escalate-" not in page.locator("#events").inner_text()

    def test_every_status_and_the_filters(self, page: Page, live_sigap: LiveSigap) -> None:
        with Session(live_sigap.engine) as session:
            answered = session.exec(
                select(Complaint).where(Complaint.status == "answered").order_by(col(Complaint.id))
            ).first()
            pungli = session.exec(select(Complaint).where(Complaint.category == "pungli")).first()
        assert answered is not None and pungli is not None
        log_in(page, "buton-tengah.pengaduan", then="/staff/complaints")
        expect(page.get_by_role("link", name=answered.number)).to_have_count(0)
        for status in ("answered", "all"):
            page.get_by_label("Status").select_option(status)
            page.get_by_role("button", name="Tampilkan").click()
            expect(page.get_by_role("link", name=answered.number)).to_be_visible()
            expect(_row(page, answered.number)).to_contain_text("sudah dijawab")
        # The inbox's old checkbox link still shows the answered ones too.
        page.goto("/staff/complaints?answered=true")
        expect(page.get_by_role("link", name=answered.number)).to_be_visible()

        page.goto("/staff/complaints")
        page.get_by_label("Kategori").select_option("pungli")
        page.get_by_role("button", name="Tampilkan").click()
        expect(page.get_by_role("link", name=pungli.number)).to_be_visible()
        for text in page.locator("#complaints tbody tr").all_inner_texts():
            assert "pungli" in text.lower() or "pungutan" in text.lower(), text
        page.get_by_label("Kategori").select_option("")
        page.get_by_label("Saluran").select_option("walk_in")
        page.get_by_role("button", name="Tampilkan").click()
        for text in page.locator("#complaints tbody tr").all_inner_texts():
            assert "Datang langsung" in text, text


class TestAnOfficerAtWork:
    def test_answers_with_the_thread_and_the_photo_in_view(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        assert live_sigap.attachments is not None
        complaint = _file(
            live_sigap, hours_ago=3, text="Agen menahan kartu KKS saya.", chat="photo-story"
        )
        now = datetime.now(UTC)
        with unit_of_work(live_sigap.engine) as session:
            row = session.get_one(Complaint, complaint.id)
            add_message(
                session=session,
                complaint=row,
                text="Ini foto tanda terimanya.",
                now=now,
                attachments=[
                    NewAttachment(
                        kind="photo",
                        channel="sim",
                        platform_ref="sim-photo-1",
                        mime_type="image/png",
                    )
                ],
                via="sim",
            )
            [photo] = attachments(session=session, complaint_id=complaint.id or 0)
            key = f"complaints/{complaint.id}/{photo.id}.png"
            DirectoryStorage(live_sigap.attachments).put(key, _png())
            mark_stored(
                session=session,
                attachment_id=photo.id or 0,
                key=key,
                size=1,
                mime_type="image/png",
                file_name="tanda-terima.png",
                now=now,
            )
            photo_id = photo.id

        log_in(page, "buton-tengah.pengaduan", then=f"/staff/complaints/{complaint.id}")
        thread = page.locator("#thread")
        expect(thread).to_contain_text("Agen menahan kartu KKS saya.")
        expect(thread).to_contain_text("Ini foto tanda terimanya.")
        image = thread.locator("img")
        expect(image).to_be_visible()
        # The photo really loaded, through the page that checks the office and role first.
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
        )
        with Session(live_sigap.engine) as session:
            officer = session.exec(
                select(StaffUser).where(StaffUser.username == "buton-tengah.pengaduan")
            ).one()
            opened = session.exec(
                select(AuditLog).where(
                    AuditLog.entity == "complaint_attachment",
                    AuditLog.entity_id == photo_id,
                    AuditLog.staff_id == officer.id,
                )
            ).all()
        assert opened, "opening the photo is audited"

        page.get_by_role("button", name="Tangani").click()
        expect(page.get_by_role("status")).to_contain_text("Anda tangani")
        page.get_by_label("Jawaban untuk pelapor").fill(
            "Sudah kami hubungi agennya; kartu kembali."
        )
        page.get_by_role("button", name="Kirim jawaban").click()
        expect(page.get_by_role("status")).to_contain_text("dikirim ke pelapor")
        expect(page.locator("#thread li.officer")).to_contain_text("kartu kembali")
        expect(page.locator("#thread img")).to_be_visible()  # still there beside the answer
        expect(page.locator("#events")).to_contain_text("Dijawab oleh")

    def test_the_photo_is_not_for_an_operator(self, page: Page, live_sigap: LiveSigap) -> None:
        with Session(live_sigap.engine) as session:
            stored = session.exec(
                select(Complaint)
                .join(Office, col(Office.id) == Complaint.office_id)
                .where(Office.slug == "buton-tengah")
            ).first()
        assert stored is not None
        log_in(page, "buton-tengah.operator")
        response = page.goto(f"/staff/complaints/{stored.id}/attachments/1")
        assert response is not None and response.status == 403
        assert response.headers["content-type"].startswith("text/html")
        expect(page.get_by_role("alert")).to_contain_text("tidak berhak")
        response = page.goto("/staff/complaints")
        assert response is not None and response.status == 403

    def test_the_kabid_hands_a_complaint_to_another_officer(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        complaint = _file(live_sigap, hours_ago=5, text="Saldo e-warung tidak cocok.")
        with unit_of_work(live_sigap.engine) as session:
            office = session.exec(select(Office).where(Office.slug == "buton-tengah")).one()
            create_staff(
                session=session,
                office_id=office.id or 0,
                username="buton-tengah.pengaduan2",
                full_name="Wa Ode Sarni",
                role="complaint_officer",
                password="sigap-demo-2",
                chat="sim:pengaduan2-buton-tengah",
            )
        log_in(page, "buton-tengah.kabid", then=f"/staff/complaints/{complaint.id}")
        expect(page.locator("#holder")).to_contain_text("Belum ada petugas")
        page.get_by_label("Alihkan ke").select_option(label="Wa Ode Sarni")
        page.get_by_role("button", name="Alihkan", exact=True).click()
        expect(page.get_by_role("status")).to_contain_text("kini ditangani Wa Ode Sarni")
        expect(page.locator("#holder")).to_contain_text("Wa Ode Sarni")
        expect(page.locator("#events")).to_contain_text("kepada Wa Ode Sarni")
        with Session(live_sigap.engine) as session:
            sent = session.exec(select(OutboxMessage.text)).all()
        assert any("DIALIHKAN KE ANDA" in t and complaint.number in t for t in sent)

        # An officer who does not hold it hands nothing over.
        page.context.clear_cookies()
        log_in(page, "buton-tengah.pengaduan", then=f"/staff/complaints/{complaint.id}")
        expect(page.locator("#reassign")).to_have_count(0)


class TestRecordingOffline:
    def test_a_walk_in_without_a_contact_is_refused_beside_the_field(
        self, page: Page, live_sigap: LiveSigap
    ) -> None:
        log_in(page, "buton-tengah.operator", then="/staff/complaints/new")
        page.get_by_label("Diterima lewat").select_option("walk_in")
        page.get_by_label("Isi pengaduan").fill("Saya belum menerima KKS baru.")
        page.get_by_role("button", name="Catat dan cetak tanda terima").click()
        contact = page.get_by_label("Kontak pelapor (telepon, email atau alamat)")
        expect(contact).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#e-complainant_contact")).to_contain_text("Tulis kontak pelapor")
        expect(page.get_by_label("Isi pengaduan")).to_have_value("Saya belum menerima KKS baru.")

        page.get_by_label("Diterima lewat").select_option("lapor")
        page.get_by_role("button", name="Catat dan cetak tanda terima").click()
        expect(page.locator("#e-lapor_tracking")).to_contain_text("nomor pelacakan")
        with Session(live_sigap.engine) as session:
            recorded = session.exec(
                select(Complaint).where(Complaint.description == "Saya belum menerima KKS baru.")
            ).all()
        assert recorded == []
