"""Proposals that talk: a step change reaches the applicants' chats in its transaction; late
steps reach the staff whose role records them, once a working day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from bot.whatsapp.templates import load_templates
from models import (
    BeneficiaryGroup,
    Conversation,
    GroupMember,
    LateDigest,
    Office,
    OutboxMessage,
    Person,
    Programme,
    Proposal,
    StaffUser,
)
from services.catalogue import Catalogue, load_catalogue
from services.catalogue_sync import apply_catalogue
from services.errors import InvalidInput
from services.nik import make_nik
from services.proposal_news import send_late_digests
from services.proposals import Action, transition
from services.roles import Role
from services.staff import create_staff

# Monday 2 November 2026, 09:00 WIB (Lamandau keeps Asia/Pontianak).
MONDAY = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def _office(session: Session, code: str) -> Office:
    return session.exec(select(Office).where(Office.code == code)).one()


def _staff(session: Session, office: Office, role: Role, chat: str | None = None) -> StaffUser:
    return create_staff(
        session=session,
        office_id=office.id or 0,
        username=f"{office.slug}.{role}",
        full_name=str(role),
        role=role,
        password="password-123",
        chat=chat,
    )


def _person(session: Session, office: Office, serial: int, name: str) -> Person:
    born = date(1985, 4, 12)
    person = Person(
        office_id=office.id or 0,
        nik=make_nik(office.code, 1, born, "P", serial),
        kk_number=make_nik(office.code, 1, date(2001, 1, 1), "L", serial),
        name=name,
        birth_date=born,
        sex="P",
        marital_status="kawin",
    )
    session.add(person)
    session.flush()
    return person


def _chat(session: Session, person: Person | None, chat_id: str, lang: str = "id") -> Conversation:
    conversation = Conversation(
        channel="telegram",
        chat_id=chat_id,
        person_id=person.id if person else None,
        language=lang,
        updated_at=MONDAY,
    )
    session.add(conversation)
    session.flush()
    return conversation


def _proposal(
    session: Session, code: str, *, person: Person | None = None, group_id: int | None = None
) -> Proposal:
    programme = session.exec(select(Programme).where(Programme.code == code)).one()
    proposal = Proposal(
        number=f"T-{code}-{person.id if person else group_id}",
        programme_id=programme.id or 0,
        office_id=programme.office_id,
        applicant_person_id=person.id if person else None,
        applicant_group_id=group_id,
        step_position=1,
        step_entered_at=MONDAY,
        submitted_at=MONDAY,
    )
    session.add(proposal)
    session.flush()
    return proposal


def _sent_to(session: Session, conversation: Conversation) -> list[str]:
    return list(
        session.exec(
            select(OutboxMessage.text)
            .where(OutboxMessage.conversation_id == conversation.id)
            .order_by(col(OutboxMessage.id))
        ).all()
    )


class TestApplicantsAreTold:
    def test_each_step_change_with_its_reason_and_what_comes_next(
        self, session: Session, catalogue: Catalogue
    ) -> None:
        apply_catalogue(session=session, catalogue=catalogue)
        office = _office(session, "62.09")
        operator, kabid = (
            _staff(session, office, Role.OPERATOR),
            _staff(session, office, Role.SUPERVISOR),
        )
        siti = _person(session, office, 7, "Siti Aminah")
        chat = _chat(session, siti, "7001")
        english = _chat(session, None, "7002", lang="en")
        proposal = _proposal(session, "uep-lamandau", person=siti)
        session.commit()

        proposal = transition(
            session=session,
            staff=operator,
            proposal_id=proposal.id or 0,
            action=Action.ADVANCE,
            expected_version=proposal.version,
            now=MONDAY + timedelta(minutes=4),
        )
        [advanced] = _sent_to(session, chat)
        assert f"Kabar usulan {proposal.number}" in advanced
        assert "Sekarang di tahap 2 dari 6: Verifikasi kelengkapan data" in advanced
        # Who acts is lost from UEP's SOP table: the catalogue's guess is not told as fact.
        assert "Dikerjakan oleh" not in advanced
        # The SOP's "2 Hari", counted as two working days (and said to be Sigap's reading)
        # from Monday 09.04 WIB: Wednesday at the same time.
        assert (
            '2 hari kerja (bacaan Sigap; SOP menulis "2 Hari"): paling lambat Rabu, 4 November '
            "2026 pukul 09.04 WIB"
        ) in advanced
        assert "Sesudah itu: Penetapan SK penerima bantuan" in advanced

        proposal = transition(
            session=session,
            staff=kabid,
            proposal_id=proposal.id or 0,
            action=Action.RETURN,
            expected_version=proposal.version,
            now=MONDAY + timedelta(hours=2),
            note="KK belum lengkap",
        )
        returned = _sent_to(session, chat)[-1]
        assert "dikembalikan ke tahap 1 dari 6" in returned
        assert "Alasan: KK belum lengkap" in returned
        assert "Silakan lengkapi" in returned

        transition(
            session=session,
            staff=kabid,
            proposal_id=proposal.id or 0,
            action=Action.REJECT,
            expected_version=proposal.version,
            now=MONDAY + timedelta(hours=3),
            note="Tidak terdaftar di DTKS",
        )
        rejected = _sent_to(session, chat)[-1]
        assert "tidak disetujui" in rejected and "Alasan: Tidak terdaftar di DTKS" in rejected
        assert _sent_to(session, english) == []  # not linked to her: told nothing

    def test_a_group_is_told_in_each_linked_members_language_once_per_person(
        self, session: Session, catalogue: Catalogue
    ) -> None:
        apply_catalogue(session=session, catalogue=catalogue)
        office = _office(session, "73.08")
        operator = _staff(session, office, Role.OPERATOR)
        members = [_person(session, office, n, f"Anggota {n}") for n in (1, 2, 3)]
        group = BeneficiaryGroup(office_id=office.id or 0, name="KUBE Melati")
        session.add(group)
        session.flush()
        for person in members:
            session.add(GroupMember(group_id=group.id or 0, person_id=person.id or 0))
        old = _chat(session, members[0], "7101")
        old.updated_at = MONDAY - timedelta(days=3)
        latest = _chat(session, members[0], "7102")  # her other chat, used last
        english = _chat(session, members[1], "7103", lang="en")
        proposal = _proposal(session, "kube-bone", group_id=group.id)
        session.commit()

        transition(
            session=session,
            staff=operator,
            proposal_id=proposal.id or 0,
            action=Action.ADVANCE,
            expected_version=proposal.version,
            now=MONDAY,
        )
        assert _sent_to(session, old) == []
        [news] = _sent_to(session, latest)
        assert "tahap 2 dari 8" in news  # the SOP's eight steps, however Sigap splits them
        [news_en] = _sent_to(session, english)
        assert "Now at step 2 of 8" in news_en and "NIK" not in news_en

    def test_a_refused_step_change_tells_nobody(
        self, session: Session, catalogue: Catalogue
    ) -> None:
        apply_catalogue(session=session, catalogue=catalogue)
        office = _office(session, "62.09")
        kabid = _staff(session, office, Role.SUPERVISOR)
        siti = _person(session, office, 7, "Siti Aminah")
        chat = _chat(session, siti, "7001")
        proposal = _proposal(session, "uep-lamandau", person=siti)
        session.commit()
        with pytest.raises(InvalidInput):
            transition(
                session=session,
                staff=kabid,
                proposal_id=proposal.id or 0,
                action=Action.REJECT,
                expected_version=proposal.version,
                now=MONDAY,
                note=" ",
            )
        session.rollback()
        assert _sent_to(session, chat) == []


class TestLateDigest:
    def _late_uep(self, session: Session, catalogue: Catalogue) -> tuple[Office, Proposal]:
        apply_catalogue(session=session, catalogue=catalogue)
        office = _office(session, "62.09")
        siti = _person(session, office, 7, "Siti Aminah")
        proposal = _proposal(session, "uep-lamandau", person=siti)  # step 1: 5 minutes
        return office, proposal

    def test_once_a_working_day_to_the_roles_that_record_the_step(
        self, session: Session, catalogue: Catalogue
    ) -> None:
        office, proposal = self._late_uep(session, catalogue)
        _staff(session, office, Role.OPERATOR, chat="telegram:8001")
        _staff(session, office, Role.HEAD, chat="telegram:8002")  # step 1 is not the head's
        _staff(session, office, Role.SUPERVISOR)  # no linked chat
        session.commit()
        # 07.30 WIB: before the digest hour.
        early = MONDAY - timedelta(minutes=90)
        assert send_late_digests(session=session, now=early, hour=8, catalogue=catalogue) == 0
        later = MONDAY + timedelta(hours=1, minutes=20)  # 10.20 WIB, due at 09.05
        assert send_late_digests(session=session, now=later, hour=8, catalogue=catalogue) == 1
        session.commit()
        assert send_late_digests(session=session, now=later, hour=8, catalogue=catalogue) == 0
        [digest] = session.exec(
            select(OutboxMessage.text)
            .join(Conversation, col(Conversation.id) == OutboxMessage.conversation_id)
            .where(Conversation.chat_id == "8001")
        ).all()
        assert "Tahapan terlambat, Dinas Sosial Kabupaten Lamandau, 2 November 2026: 1" in digest
        assert f"- {proposal.number}, tahap 1 dari 6" in digest
        # A five-minute standard is late by hours, and due with its time.
        assert "Terlambat 1 jam (batas waktu Senin, 2 November 2026 pukul 09.05 WIB)" in digest
        assert "0 hari" not in digest
        # To a staff member on WhatsApp silent for 24 hours, it goes as its template.
        [extra] = session.exec(
            select(OutboxMessage.extra)
            .join(Conversation, col(Conversation.id) == OutboxMessage.conversation_id)
            .where(Conversation.chat_id == "8001")
        ).all()
        named = extra["template"]
        assert named["params"] == [
            "Dinas Sosial Kabupaten Lamandau", "2 November 2026", "1", digest,
        ]  # fmt: skip
        assert len(load_templates()[named["name"]].params) == 4
        assert len(session.exec(select(LateDigest)).all()) == 1
        # Tuesday: one more.
        tuesday = later + timedelta(days=1)
        assert send_late_digests(session=session, now=tuesday, hour=8, catalogue=catalogue) == 1

    def test_no_digest_on_a_weekend(self, session: Session, catalogue: Catalogue) -> None:
        office, _ = self._late_uep(session, catalogue)
        _staff(session, office, Role.OPERATOR, chat="telegram:8001")
        session.commit()
        saturday = MONDAY + timedelta(days=5, hours=3)
        assert send_late_digests(session=session, now=saturday, hour=8, catalogue=catalogue) == 0
