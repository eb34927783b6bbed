"""Siti on Telegram and on WhatsApp: one person, two chats, the same proposals and complaints;
the answer to a complaint goes back to the chat it came from.

Both channels' apps run on the one database, each with its fake platform over loopback.
"""

from __future__ import annotations

from sqlmodel import Session, select

from models import Complaint, Conversation, StaffUser
from services import complaints
from services.link_codes import Kind
from services.roles import Role
from services.staff import create_staff
from tests.bot.chat_harness import Harness, People, issue
from tests.bot.whatsapp_harness import SITI as SITI_WA
from tests.bot.whatsapp_harness import WhatsAppHarness

SITI_TG = 8601


async def test_one_person_on_both_channels(
    harness: Harness, wa: WhatsAppHarness, people: People
) -> None:
    # WhatsApp: her number is on file, so asking for the status links the chat at once.
    linked, wa_pick = await wa.says(SITI_WA, "2")
    assert "Siti Aminah" in linked and "UEP-LMD-2026-0007" in wa_pick
    # Telegram: a code from the office links her other chat.
    await harness.says(SITI_TG, issue(harness, Kind.PERSON, person=people.siti))
    [tg_pick] = await harness.says(SITI_TG, "2")
    assert "UEP-LMD-2026-0007" in tg_pick and "KUBE-BON-2026-0003" in tg_pick
    with Session(harness.engine) as session:
        chats = session.exec(select(Conversation).where(Conversation.person_id == people.siti.id))
        assert {c.channel for c in chats.all()} == {"telegram", "whatsapp"}

    # She files a complaint on Telegram (her office, Lamandau, is known from the link)...
    for typed in ("0", "3", "2", "-", "Nama saya salah ketik di DTKS.", "2"):
        await harness.says(SITI_TG, typed)
    [filed] = await harness.says(SITI_TG, "1")
    assert "ADU-LMD-2026-00001" in filed
    # ...and follows it on WhatsApp.
    [shown] = await wa.says(SITI_WA, "ADU-LMD-2026-00001")
    assert "Pengaduan ADU-LMD-2026-00001" in shown and "Sedang diproses" in shown

    # The answer goes to the chat the complaint came from, not to every chat of hers.
    with Session(harness.engine, expire_on_commit=False) as session:
        complaint = session.exec(select(Complaint)).one()
        officer = create_staff(
            session=session,
            office_id=complaint.office_id,
            username="lamandau.officer",
            full_name="Petugas",
            role=Role.COMPLAINT_OFFICER,
            password="password-123",
        )
        session.commit()
        staff = session.get_one(StaffUser, officer.id)
        complaints.answer(
            session=session,
            staff=staff,
            complaint_id=complaint.id or 0,
            text="Data sudah kami perbaiki.",
            now=harness.now,
        )
        session.commit()
    before = len(wa.fake.texts(SITI_WA))
    await harness.deliver()
    await wa.deliver()
    assert any("Data sudah kami perbaiki." in t for t in harness.fake.texts(SITI_TG))
    assert wa.fake.texts(SITI_WA)[before:] == []
