"""Link codes in the chat: a person, a staff member's own chat and an officers' group are each
linked by the one-time code the office gave them; wrong, used and expired codes are refused
alike and counted, per chat and per person.

Everything goes through the webhook, the processor, the outbox and python-telegram-bot to the
fake Telegram server, on a real database; codes are issued by the same service the CLI uses.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from models import Office, ProofAttempt, StaffUser
from services import link_codes
from services.link_codes import Kind
from services.roles import Role
from services.staff import create_staff
from tests.bot.chat_harness import Harness, People, group_text_update, issue, linked_person

SITI, OTHER = 8101, 8102
GROUP, OLD_GROUP = -1008880001, -1008880002
OFFICER = 8501
BUTON = "74.14"


class TestAPerson:
    async def test_the_deep_link_links_the_chat_and_the_status_needs_no_more_proof(
        self, harness: Harness, people: People
    ) -> None:
        code = issue(harness, Kind.PERSON, person=people.siti)
        [linked] = await harness.says(SITI, f"/start {code}")
        assert "terhubung dengan data Siti Aminah" in linked
        assert "Dinas Sosial Kabupaten Lamandau" in linked
        assert "Balas dengan angka" in linked  # and the menu follows
        assert linked_person(harness, SITI) == people.siti.id
        [pick] = await harness.says(SITI, "2")
        assert "Ada 2 usulan" in pick

    async def test_every_way_of_sending_it_works_whatever_the_chat_was_doing(
        self, harness: Harness, people: People
    ) -> None:
        forms = ("link {}", "/link {}", "LINK {}", "{}", "/start@SigapBot {}")
        for offset, form in enumerate(forms):
            chat = SITI + 10 + offset
            await harness.says(chat, "3")  # into the complaint story: "which office?"
            code = issue(harness, Kind.PERSON, person=people.siti)
            typed = form.format(link_codes.display(code) if offset % 2 else code)
            [linked] = await harness.says(chat, typed)
            assert "terhubung dengan data Siti Aminah" in linked, form
            assert linked_person(harness, chat) == people.siti.id

    async def test_a_code_works_once_and_the_deep_link_opened_twice_is_no_failure(
        self, harness: Harness, people: People
    ) -> None:
        code = issue(harness, Kind.PERSON, person=people.siti)
        await harness.says(SITI, f"/start {code}")
        [again] = await harness.says(SITI, f"/start {code}")
        assert "terhubung dengan data Siti Aminah" in again
        [refused] = await harness.says(OTHER, f"/start {code}")
        assert "Kode tidak berlaku" in refused and "Sisa percobaan: 4" in refused
        assert "Siti" not in refused
        assert linked_person(harness, OTHER) is None

    async def test_a_code_expires_after_fourteen_days(
        self, harness: Harness, people: People
    ) -> None:
        code = issue(harness, Kind.PERSON, person=people.siti)
        harness.now += timedelta(days=14, minutes=1)
        [refused] = await harness.says(SITI, code)
        assert "Kode tidak berlaku" in refused
        assert linked_person(harness, SITI) is None

    async def test_used_expired_and_unknown_codes_get_the_same_answer(
        self, harness: Harness, people: People
    ) -> None:
        used = issue(harness, Kind.PERSON, person=people.siti)
        await harness.says(SITI, used)
        expired = issue(harness, Kind.PERSON, person=people.budi)
        harness.now += timedelta(days=15)
        unknown = next(c for c in iter(link_codes.new_code, "") if c not in (used, expired))
        answers = [(await harness.says(OTHER, code))[0] for code in (used, expired, unknown)]
        before, after = zip(*(a.split("Sisa percobaan: ") for a in answers), strict=True)
        assert len(set(before)) == 1
        assert [left[0] for left in after] == ["4", "3", "2"]

    async def test_five_wrong_codes_lock_the_chat_for_an_hour(
        self, harness: Harness, people: People
    ) -> None:
        for _ in range(5):
            [last] = await harness.says(OTHER, link_codes.new_code())
        # The first failure was at 10:00 WITA (no office chosen yet); free an hour later.
        assert "Terlalu banyak percobaan" in last and "11:00 (10-03-2026)" in last
        code = issue(harness, Kind.PERSON, person=people.siti)
        [locked] = await harness.says(OTHER, code)
        assert "Terlalu banyak percobaan" in locked
        assert linked_person(harness, OTHER) is None
        harness.now += timedelta(minutes=61)
        [linked] = await harness.says(OTHER, code)
        assert "terhubung dengan data Siti Aminah" in linked

    async def test_a_mistyped_code_is_pointed_out_and_costs_no_attempt(
        self, harness: Harness, people: People
    ) -> None:
        code = issue(harness, Kind.PERSON, person=people.siti)
        typo = code[:3] + code[4] + code[3] + code[5:]
        if typo == code:
            typo = code[:-1] + str((int(code[-1]) + 1) % 10)
        for typed in (typo, "link 12345", "/start 4821390577"):
            [answer] = await harness.says(SITI, typed)
            assert "15 angka" in answer, typed
        with Session(harness.engine) as session:
            assert session.exec(select(ProofAttempt)).all() == []
        [linked] = await harness.says(SITI, code)
        assert "terhubung" in linked

    async def test_failures_naming_one_person_lock_every_chat_out_of_that_person(
        self, harness: Harness, people: People
    ) -> None:
        # Someone holding Siti's old receipt tries it from five chats, once each.
        old = issue(harness, Kind.PERSON, person=people.siti)
        await harness.says(SITI, old)
        for chat in range(8201, 8206):
            [refused] = await harness.says(chat, old)
            assert "Kode tidak berlaku" in refused and "Sisa percobaan: 4" in refused
        fresh = issue(harness, Kind.PERSON, person=people.siti)
        [locked] = await harness.says(8206, fresh)
        assert "Terlalu banyak percobaan" in locked
        assert linked_person(harness, 8206) is None
        # Another person's code is not held up by Siti's lock.
        [budi] = await harness.says(8207, issue(harness, Kind.PERSON, person=people.budi))
        assert "Budi Santoso" in budi
        harness.now += timedelta(minutes=61)
        [linked] = await harness.says(8206, fresh)
        assert "Siti Aminah" in linked
        with Session(harness.engine) as session:
            failures = session.exec(
                select(ProofAttempt).where(ProofAttempt.person_id == people.siti.id)
            ).all()
        assert sum(not f.succeeded for f in failures) == 5


@pytest.fixture
def buton_officer(harness: Harness) -> None:
    with Session(harness.engine) as session:
        office = session.exec(select(Office).where(Office.code == BUTON)).one()
        office.officers_chat = f"telegram:{OLD_GROUP}"
        create_staff(
            session=session,
            office_id=office.id or 0,
            username="buteng.officer",
            full_name="Ibu Wa Ode",
            role=Role.COMPLAINT_OFFICER,
            password="password-123",
        )
        session.add(office)
        session.commit()


async def _file_complaint(harness: Harness, chat: int) -> None:
    codes = [o.code for o in harness.catalogue.offices]
    for typed in (
        "3",
        str(codes.index(BUTON) + 1),
        "1",  # bantuan terlambat
        "1",  # BPNT Buton Tengah
        "Beras bulan Februari belum diterima.",
        "2",  # not confidential
        "1",  # send
    ):
        await harness.says(chat, typed)


class TestStaffAndOfficers:
    async def test_an_officers_group_linked_by_code_hears_new_complaints(
        self, harness: Harness, buton_officer: None
    ) -> None:
        code = issue(harness, Kind.OFFICERS)
        update = group_text_update(harness.next_update_id(), GROUP, OFFICER, f"/start@Bot {code}")
        [confirmed] = await harness.sends(GROUP, update)
        assert "chat petugas pengaduan Dinas Sosial Kabupaten Buton Tengah" in confirmed
        with Session(harness.engine) as session:
            office = session.exec(select(Office).where(Office.code == BUTON)).one()
        assert office.officers_chat == f"telegram:{GROUP}"
        await _file_complaint(harness, SITI)
        [announcement] = harness.fake.texts(GROUP)[1:]
        assert "Beras bulan Februari" in announcement
        assert harness.fake.texts(OLD_GROUP) == []  # the group it replaced hears nothing

    async def test_a_staff_members_own_chat_linked_by_code_hears_new_complaints(
        self, harness: Harness, buton_officer: None
    ) -> None:
        code = issue(harness, Kind.STAFF, staff="buteng.officer")
        [confirmed] = await harness.says(OFFICER, f"link {code}")
        assert "chat pribadi Ibu Wa Ode" in confirmed
        with Session(harness.engine) as session:
            staff = session.exec(select(StaffUser)).one()
        assert staff.chat == f"telegram:{OFFICER}"
        await _file_complaint(harness, SITI)
        [alert] = harness.fake.texts(OFFICER)[1:]
        assert "Beras bulan Februari" in alert
        # ...and the officer can claim it from there.
        [claimed] = await harness.says(OFFICER, "klaim ADU-BTG-2026-00001")
        assert "Ibu Wa Ode" in claimed

    async def test_a_persons_code_is_refused_in_a_group_and_stays_usable(
        self, harness: Harness, people: People
    ) -> None:
        code = issue(harness, Kind.PERSON, person=people.siti)
        update = group_text_update(harness.next_update_id(), GROUP, OFFICER, f"/link {code}")
        [refused] = await harness.sends(GROUP, update)
        assert "hanya bisa dipakai di chat pribadi" in refused
        [linked] = await harness.says(SITI, code)
        assert "Siti Aminah" in linked

    async def test_a_bare_number_in_a_group_is_the_groups_own_talk(
        self, harness: Harness, buton_officer: None
    ) -> None:
        code = issue(harness, Kind.OFFICERS)
        update = group_text_update(harness.next_update_id(), GROUP, OFFICER, code)
        assert await harness.sends(GROUP, update) == []
