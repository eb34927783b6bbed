"""Siti checks her proposals: only in a chat linked to her by something she has (her phone, or
a code from the office), never by what is printed on her KTP, and never seeing a full NIK."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from models import AuditLog, Conversation, Person, ProofAttempt
from services import chat_links, link_codes, phones
from services.link_codes import Kind
from services.nik import make_nik, mask_nik
from services.proposal_status import parse_birth_date
from tests.bot.chat_harness import (
    SITI_BIRTH,
    Harness,
    People,
    contact_update,
    issue,
    linked_person,
)

SITI_NUMBER = "+62 812-3456-7001"  # as Telegram may send it: with spaces, with or without +
LAMANDAU_DIGIT = "4"  # the offices' places in the list the bot shows
BUTON_DIGIT = "3"


def offered_share_button(harness: Harness, chat: int) -> bool:
    last = harness.fake.sent(chat)[-1]
    markup = last.get("reply_markup") or {}
    if isinstance(markup, str):
        import json

        markup = json.loads(markup)
    return any(b.get("request_contact") for row in markup.get("keyboard", []) for b in row)


async def share(
    harness: Harness, chat: int, phone: str, *, user_id: int | None = None
) -> list[str]:
    update = contact_update(harness.next_update_id(), chat, phone, user_id=user_id)
    return await harness.sends(chat, update)


class TestParsing:
    def test_birth_dates_in_the_ways_people_type_them(self) -> None:
        today = date(2026, 3, 10)
        for typed in (
            "17-08-1980",
            "17/08/1980",
            "17081980",
            "17 8 1980",
            " 17.8.1980 ",
            "17 Agustus 1980",
            "17-8-80",
            "1980-08-17",
        ):
            assert parse_birth_date(typed, today=today) == SITI_BIRTH, typed
        assert parse_birth_date("31-02-1980", today=today) is None
        assert parse_birth_date("kemarin", today=today) is None
        assert parse_birth_date("17-08-2030", today=today) is None

    def test_phones_on_file_and_from_platforms_meet_in_one_form(self) -> None:
        for typed in ("0812-3456-7001", "+62 812 3456 7001", "6281234567001", "+6281234567001"):
            assert phones.normalise(typed) == "+6281234567001", typed
        for typed in ("", "0812", "hello", "+1 999", "9" * 50):
            assert phones.normalise(typed) is None, typed


class TestNotByNik:
    async def test_a_nik_and_the_birth_date_read_off_it_open_nothing(
        self, harness: Harness, people: People
    ) -> None:
        await harness.says(8001, "2")
        [how] = await harness.says(8001, BUTON_DIGIT)
        # How to link instead, and where to get a code: the office's address and phone (no
        # hours: no SOP states them, and Buton Tengah has set none).
        assert "Bagikan nomor saya" in how and "kode tautan 15 angka" in how
        spec = harness.catalogue.office("74.14")
        assert spec is not None and spec.address and spec.phone
        assert spec.address in how and spec.phone in how and "Jam layanan" not in how
        assert offered_share_button(harness, 8001)
        [refused] = await harness.says(8001, people.siti.nik)
        assert "tidak lagi dipakai" in refused
        [also_refused] = await harness.says(8001, "17-08-1980")
        assert "Usulan" not in also_refused and "Siti" not in also_refused
        assert linked_person(harness, 8001) is None
        assert people.siti.name not in harness.fake.all_params_text()

    async def test_a_proposal_number_opens_nothing_either(
        self, harness: Harness, people: People
    ) -> None:
        await harness.says(8002, "2")
        await harness.says(8002, LAMANDAU_DIGIT)
        [answer] = await harness.says(8002, "UEP-LMD-2026-0007")
        assert "Tahap" not in answer and "Siti" not in answer
        assert linked_person(harness, 8002) is None


class TestSharedPhone:
    async def test_her_own_number_on_file_links_the_chat(
        self, harness: Harness, people: People
    ) -> None:
        await harness.says(8003, "2")
        await harness.says(8003, LAMANDAU_DIGIT)
        linked, pick = await share(harness, 8003, SITI_NUMBER)
        assert "cocok dengan data Siti Aminah" in linked
        assert "Ada 2 usulan" in pick
        assert linked_person(harness, 8003) == people.siti.id
        with Session(harness.engine) as session:
            attempt = session.exec(select(ProofAttempt)).one()
            audit = session.exec(select(AuditLog).where(AuditLog.action == "link")).one()
        assert (attempt.succeeded, attempt.method, attempt.person_id) == (
            True,
            "phone",
            people.siti.id,
        )
        assert (audit.actor, audit.entity_id) == ("chat:telegram:8003", people.siti.id)

    async def test_a_contact_of_someone_else_is_refused_and_counted(
        self, harness: Harness, people: People
    ) -> None:
        # Siti's number, sent as a contact card by another user (forwarded, or typed in).
        [forged] = await share(harness, 8004, SITI_NUMBER, user_id=8999)
        assert "Hanya nomor Anda sendiri" in forged and "Sisa percobaan: 4" in forged
        assert "Siti" not in forged
        [no_user] = await share(harness, 8004, SITI_NUMBER, user_id=0)
        assert "Sisa percobaan: 3" in no_user
        assert linked_person(harness, 8004) is None
        for _ in range(3):
            [last] = await share(harness, 8004, SITI_NUMBER, user_id=8999)
        assert "Terlalu banyak percobaan" in last
        # Locked: not even her own number is looked at now.
        [locked] = await share(harness, 8004, SITI_NUMBER)
        assert "Terlalu banyak percobaan" in locked
        assert linked_person(harness, 8004) is None

    async def test_a_number_not_on_file_is_told_to_get_a_code(
        self, harness: Harness, people: People
    ) -> None:
        await harness.says(8005, "2")
        await harness.says(8005, LAMANDAU_DIGIT)
        [unknown] = await share(harness, 8005, "0813-9999-0000")
        assert "belum tercatat" in unknown and "kode tautan" in unknown
        assert not offered_share_button(harness, 8005)
        assert linked_person(harness, 8005) is None
        with Session(harness.engine) as session:
            assert session.exec(select(ProofAttempt)).all() == []  # their own: nothing guessed

    async def test_a_household_phone_asks_which_of_them_showing_nothing_first(
        self, harness: Harness, people: People
    ) -> None:
        with Session(harness.engine) as session:
            mother = Person(
                office_id=people.siti.office_id,
                nik=make_nik("62.09", 1, date(1955, 3, 2), "P", 9),
                kk_number=people.siti.kk_number,
                name="Hadijah",
                birth_date=date(1955, 3, 2),
                sex="P",
                marital_status="cerai_mati",
                phone=people.siti.phone,
                phone_e164=people.siti.phone_e164,
            )
            session.add(mother)
            session.commit()
        [which] = await share(harness, 8006, SITI_NUMBER)
        assert "lebih dari satu orang" in which and "tanggal lahir" in which
        assert "Siti" not in which and "Hadijah" not in which and "2 " not in which
        [wrong] = await harness.says(8006, "01-01-1990")
        assert "Tidak cocok" in wrong and "Sisa percobaan: 4" in wrong
        linked, pick = await harness.says(8006, "17-08-1980")
        assert "Siti Aminah" in linked and "Hadijah" not in linked + pick
        assert linked_person(harness, 8006) == people.siti.id

    async def test_a_person_locked_by_failures_elsewhere_cannot_be_linked_by_phone(
        self, harness: Harness, people: People
    ) -> None:
        old = issue(harness, Kind.PERSON, person=people.siti)
        await harness.says(8007, old)
        for chat in range(8301, 8306):
            await harness.says(chat, old)  # her used code, from five other chats
        [locked] = await share(harness, 8008, SITI_NUMBER)
        assert "Terlalu banyak percobaan" in locked
        assert linked_person(harness, 8008) is None


class TestLinkedChat:
    async def test_the_status_in_plain_words_and_its_read_audited(
        self, harness: Harness, people: People
    ) -> None:
        await harness.says(8010, issue(harness, Kind.PERSON, person=people.siti))
        [pick] = await harness.says(8010, "2")
        [status] = await harness.presses(
            8010, "1" if pick.index("UEP") < pick.index("KUBE") else "2"
        )
        programme = harness.catalogue.programme("uep-lamandau")
        assert programme is not None
        assert "Usulan UEP-LMD-2026-0007" in status
        assert programme.steps[1].name.id in status  # current step, in plain words
        assert "Sejak: Senin, 2 Maret 2026 pukul 09.00 WIB" in status
        # Due Wednesday 4 March at 09.00, now Tuesday 10 March: in the standard's own unit.
        assert "Terlambat 4 hari kerja (batas waktu Rabu, 4 Maret 2026 pukul 09.00 WIB)" in status
        assert 'Standar waktu: 2 hari kerja (bacaan Sigap; SOP menulis "2 Hari")' in status
        assert programme.steps[2].name.id in status  # what comes next
        assert mask_nik(people.siti.nik) in status
        with Session(harness.engine) as session:
            audit = session.exec(select(AuditLog).where(AuditLog.action == "read")).one()
        assert (audit.actor, audit.entity, audit.entity_id) == (
            "chat:telegram:8010",
            "proposal",
            people.uep.id,
        )

    async def test_the_group_proposal_is_listed_too(self, harness: Harness, people: People) -> None:
        await harness.says(8011, issue(harness, Kind.PERSON, person=people.siti))
        [pick] = await harness.says(8011, "2")
        assert "UEP-LMD-2026-0007" in pick and "KUBE-BON-2026-0003" in pick
        [kube] = await harness.presses(8011, "2" if pick.index("KUBE") > pick.index("UEP") else "1")
        assert "Usulan KUBE-BON-2026-0003" in kube and "KUBE Mawar" in kube
        assert "Tahap 1 dari 8" in kube  # as the SOP numbers its steps

    async def test_keluar_unlinks_at_once(self, harness: Harness, people: People) -> None:
        await harness.says(8012, issue(harness, Kind.PERSON, person=people.siti))
        [bye] = await harness.says(8012, "keluar")
        assert "sudah keluar" in bye
        assert linked_person(harness, 8012) is None
        [how] = await harness.says(8012, "2")
        assert "kode tautan" in how and "Usulan" not in how

    async def test_ninety_days_without_use_and_the_link_has_lapsed(
        self, harness: Harness, people: People
    ) -> None:
        await harness.says(8013, issue(harness, Kind.PERSON, person=people.siti))
        harness.now += timedelta(days=89)
        [pick] = await harness.says(8013, "2")
        assert "Ada 2 usulan" in pick  # used within 90 days: still linked
        harness.now += timedelta(days=91)
        lapsed, menu = await harness.says(8013, "2")
        assert "90 hari tidak dipakai" in lapsed
        assert "Balas dengan angka" in menu  # the pick list of months ago means nothing now
        [how] = await harness.says(8013, "2")
        assert "kode tautan" in how and "Usulan" not in how
        assert linked_person(harness, 8013) is None

    async def test_the_daily_job_ends_idle_links_before_anyone_writes(
        self, harness: Harness, people: People
    ) -> None:
        await harness.says(8014, issue(harness, Kind.PERSON, person=people.siti))
        await harness.says(8015, issue(harness, Kind.PERSON, person=people.budi))
        harness.now += timedelta(days=60)
        await harness.says(8015, "0")  # Budi's chat is used; Siti's is not
        with Session(harness.engine) as session:
            later = harness.now + timedelta(days=31)
            assert chat_links.lapse_idle(session=session, now=later, days=90) == 1
            assert chat_links.lapse_idle(session=session, now=later, days=90) == 0
            session.commit()
            chats = {c.chat_id: c.person_id for c in session.exec(select(Conversation)).all()}
            audit = session.exec(select(AuditLog).where(AuditLog.action == "unlink")).one()
        assert chats == {"8014": None, "8015": people.budi.id}
        assert audit.detail == "chat unlinked: lapsed"

    async def test_the_full_nik_never_reaches_telegram(
        self, harness: Harness, people: People
    ) -> None:
        await share(harness, 8016, SITI_NUMBER)
        await harness.says(8016, "1")
        await harness.says(8016, "9")
        await harness.says(8016, "2")
        everything = harness.fake.all_params_text()
        assert mask_nik(people.siti.nik) in everything
        assert people.siti.nik not in everything
        assert people.siti.kk_number not in everything
        assert link_codes.parse(people.siti.nik) is None
