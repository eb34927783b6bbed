"""Siti checks her proposals: only after proving who she is, and never seeing a full NIK."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from models import AuditLog, Conversation, ProofAttempt
from services.nik import mask_nik
from services.proposal_status import parse_birth_date, parse_identifier
from tests.bot.chat_harness import SITI_BIRTH, Harness, People


class TestParsing:
    def test_birth_dates_in_the_ways_people_type_them(self) -> None:
        for typed in ("17-08-1980", "17/08/1980", "17081980", "17 8 1980", " 17.8.1980 "):
            assert parse_birth_date(typed) == SITI_BIRTH, typed
        assert parse_birth_date("31-02-1980") is None
        assert parse_birth_date("kemarin") is None

    def test_proposal_numbers_ignore_case_and_spaces(self) -> None:
        for typed in ("UEP-2026-0007", "uep-2026-0007", " uep - 2026 - 0007 ", "uep 2026 0007"):
            identifier = parse_identifier(typed)
            assert identifier is not None and identifier.value == "UEP-2026-0007", typed
        nik = parse_identifier("6209 0157 0880 0007")
        assert nik is not None and nik.kind == "nik"
        assert parse_identifier("hello") is None


class TestProof:
    async def test_number_and_birth_date_show_the_status(
        self, harness: Harness, people: People
    ) -> None:
        await harness.says(8001, "2")
        [ask] = await harness.says(8001, "uep-2026-0007")
        assert "tanggal lahir" in ask
        [status] = await harness.says(8001, "17/08/1980")
        programme = harness.catalogue.programme("uep-lamandau")
        assert programme is not None
        assert "Usulan UEP-2026-0007" in status
        assert programme.steps[1].name.id in status  # current step, in plain words
        assert "Sejak: 02-03-2026" in status
        assert "Terlambat 4 hari kerja" in status  # due 4 March, now 10 March
        assert programme.steps[2].name.id in status  # what comes next
        assert mask_nik(people.siti.nik) in status
        with Session(harness.engine) as session:
            conversation = session.exec(select(Conversation)).one()
            audit = session.exec(select(AuditLog)).one()
        assert conversation.person_id == people.siti.id
        assert (audit.actor, audit.action, audit.entity, audit.entity_id) == (
            "chat:telegram:8001",
            "read",
            "proposal",
            people.uep.id,
        )

    async def test_nik_proof_lists_all_proposals_including_the_group_one(
        self, harness: Harness, people: People
    ) -> None:
        await harness.says(8002, "2")
        await harness.says(8002, people.siti.nik)
        [pick] = await harness.says(8002, "17081980")
        assert "Ada 2 usulan" in pick
        assert "UEP-2026-0007" in pick and "KUBE-2026-0003" in pick
        [kube] = await harness.presses(8002, "2" if pick.index("KUBE") > pick.index("UEP") else "1")
        assert "Usulan KUBE-2026-0003" in kube and "KUBE Mawar" in kube
        assert "Tahap 1 dari" in kube

    async def test_a_wrong_pair_gets_the_same_answer_whether_or_not_the_number_exists(
        self, harness: Harness, people: People
    ) -> None:
        await harness.says(8003, "2")
        await harness.says(8003, "UEP-2026-0007")
        [wrong_date] = await harness.says(8003, "01-01-1990")
        await harness.says(8003, "UEP-2026-9999")
        [no_such_number] = await harness.says(8003, "01-01-1990")
        # Identical but for the remaining-attempts count.
        assert wrong_date.replace("percobaan: 4", "") == no_such_number.replace("percobaan: 3", "")
        assert "Data tidak cocok" in wrong_date and "Sisa percobaan: 4" in wrong_date
        assert "Sisa percobaan: 3" in no_such_number
        with Session(harness.engine) as session:
            assert session.exec(select(Conversation)).one().person_id is None

    async def test_five_failures_lock_the_chat_for_an_hour(
        self, harness: Harness, people: People
    ) -> None:
        await harness.says(8004, "2")
        for _ in range(5):
            await harness.says(8004, "UEP-2026-0007")
            [last] = await harness.says(8004, "02-02-1982")
        assert "Terlalu banyak percobaan" in last
        # The first failure was at 10:00 WITA; the chat is free an hour later.
        assert "11:00 (10-03-2026)" in last
        # Even the right birth date is not checked while locked.
        await harness.says(8004, "2")
        [locked] = await harness.says(8004, "2")
        assert "Terlalu banyak percobaan" in locked
        harness.now += timedelta(minutes=61)
        await harness.says(8004, "2")
        await harness.says(8004, "UEP-2026-0007")
        [status] = await harness.says(8004, "17-08-1980")
        assert "Usulan UEP-2026-0007" in status
        with Session(harness.engine) as session:
            attempts = session.exec(select(ProofAttempt)).all()
        assert [a.succeeded for a in attempts] == [False] * 5 + [True]

    async def test_keluar_unlinks_the_person(self, harness: Harness, people: People) -> None:
        await harness.says(8005, "2")
        await harness.says(8005, "UEP-2026-0007")
        await harness.says(8005, "17-08-1980")
        [bye] = await harness.says(8005, "keluar")
        assert "sudah keluar" in bye
        [ask] = await harness.says(8005, "2")
        assert "nomor usulan" in ask

    async def test_the_full_nik_never_reaches_telegram(
        self, harness: Harness, people: People
    ) -> None:
        await harness.says(8006, "2")
        await harness.says(8006, people.siti.nik)
        await harness.says(8006, "17-08-1980")
        await harness.says(8006, "1")
        await harness.says(8006, "9")
        await harness.says(8006, "2")
        everything = harness.fake.all_params_text()
        assert mask_nik(people.siti.nik) in everything
        assert people.siti.nik not in everything
        assert people.siti.kk_number not in everything
