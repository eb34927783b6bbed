"""Link codes: fifteen digits a person can read aloud and type, stored only as a keyed hash,
one use each, and a newer code for the same target replaces the older one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from models import AuditLog, Conversation, LinkCode, Office, Person
from services import link_codes
from services.catalogue import load_catalogue
from services.catalogue_sync import apply_catalogue
from services.errors import InvalidInput
from services.link_codes import Kind, Linked, Refused
from services.nik import make_nik

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
SECRET = "a-secret-for-tests-only"
FORTNIGHT = timedelta(days=14)


class TestTheForm:
    def test_fifteen_digits_in_three_groups_with_a_check_digit(self) -> None:
        codes = {link_codes.new_code() for _ in range(200)}
        assert len(codes) == 200
        for code in codes:
            assert len(code) == 15 and code.isdigit() and link_codes.well_formed(code)
            shown = link_codes.display(code)
            assert [len(group) for group in shown.split(" ")] == [5, 5, 5]

    def test_every_mistyped_digit_and_every_swap_of_neighbours_is_caught(self) -> None:
        code = link_codes.new_code()
        for i in range(15):
            for digit in "0123456789":
                if digit != code[i]:
                    typo = code[:i] + digit + code[i + 1 :]
                    assert not link_codes.well_formed(typo), typo
            if i < 14 and code[i] != code[i + 1]:
                swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
                assert not link_codes.well_formed(swapped), swapped

    def test_typed_with_spaces_dashes_or_dots_it_is_the_same_code(self) -> None:
        for typed in ("48213 90577 12406", "48213-90577-12406", " 48213.90577.12406 "):
            assert link_codes.parse(typed) == "482139057712406", typed

    def test_a_nik_a_phone_number_or_words_are_no_code(self) -> None:
        for typed in ("7414014508910031", "6281234567890", "08123456789", "UEP-2026-0001", "1"):
            assert link_codes.parse(typed) is None, typed
        assert link_codes.parse("４８２１３９０５７７１２４０６") is None  # full-width digits


@pytest.fixture
def town(session: Session) -> tuple[Office, Person, Conversation]:
    apply_catalogue(session=session, catalogue=load_catalogue())
    office = session.exec(select(Office).where(Office.code == "74.14")).one()
    person = Person(
        office_id=office.id or 0,
        nik=make_nik("74.14", 1, date(1991, 8, 5), "P", 31),
        kk_number="7414010101260031",
        name="Rosmini",
        birth_date=date(1991, 8, 5),
        sex="P",
        marital_status="kawin",
    )
    chat = Conversation(channel="telegram", chat_id="777")
    session.add_all([person, chat])
    session.flush()
    return office, person, chat


def _issue(
    session: Session,
    office: Office,
    person: Person,
    *,
    now: datetime = NOW,
    kind: Kind = Kind.PERSON,
) -> str:
    return link_codes.issue(
        session=session,
        kind=kind,
        office=office,
        person=person,
        now=now,
        valid_for=FORTNIGHT,
        secret=SECRET,
        issued_by="cli",
    ).code


def _redeem(session: Session, chat: Conversation, code: str, *, now: datetime = NOW) -> object:
    return link_codes.redeem(
        session=session,
        conversation=chat,
        code=code,
        shared=False,
        now=now,
        secret=SECRET,
        limit=5,
    )


class TestIssuing:
    def test_only_a_keyed_hash_is_stored_and_the_issue_is_audited(
        self, session: Session, town: tuple[Office, Person, Conversation]
    ) -> None:
        office, person, _chat = town
        code = _issue(session, office, person)
        row = session.exec(select(LinkCode)).one()
        assert code not in row.code_hash and row.code_hash != link_codes._hash(code, "other")
        assert (row.kind, row.person_id, row.expires_at) == ("person", person.id, NOW + FORTNIGHT)
        audit = session.exec(select(AuditLog)).one()
        assert (audit.actor, audit.action, audit.entity, audit.entity_id) == (
            "cli",
            "link_code",
            "person",
            person.id,
        )

    def test_a_new_code_replaces_the_older_one(
        self, session: Session, town: tuple[Office, Person, Conversation]
    ) -> None:
        office, person, chat = town
        first = _issue(session, office, person)
        second = _issue(session, office, person, now=NOW + timedelta(minutes=5))
        assert _redeem(session, chat, first) == Refused("invalid", left=4)
        assert isinstance(_redeem(session, chat, second), Linked)
        assert chat.person_id == person.id

    def test_a_person_of_another_office_is_refused(
        self, session: Session, town: tuple[Office, Person, Conversation]
    ) -> None:
        _office, person, _chat = town
        bone = session.exec(select(Office).where(Office.code == "73.08")).one()
        with pytest.raises(InvalidInput):
            _issue(session, bone, person)
        with pytest.raises(InvalidInput):
            _issue(session, bone, person, kind=Kind.OFFICERS)


class TestRedeeming:
    def test_used_expired_and_never_issued_codes_read_the_same(
        self, session: Session, town: tuple[Office, Person, Conversation]
    ) -> None:
        office, person, chat = town
        used = _issue(session, office, person)
        assert isinstance(_redeem(session, chat, used), Linked)
        other = Conversation(channel="whatsapp", chat_id="6281100001111")
        session.add(other)
        session.flush()
        assert _redeem(session, other, used) == Refused("invalid", left=4)
        expired = _issue(session, office, person)
        later = NOW + FORTNIGHT
        assert _redeem(session, other, expired, now=later) == Refused("invalid", left=4)
        never = next(c for c in iter(link_codes.new_code, "") if c not in (used, expired))
        assert _redeem(session, other, never, now=later) == Refused("invalid", left=3)
        assert other.person_id is None

    def test_a_mistyped_check_digit_is_pointed_out_and_not_counted(
        self, session: Session, town: tuple[Office, Person, Conversation]
    ) -> None:
        office, person, chat = town
        code = _issue(session, office, person)
        typo = code[:-1] + str((int(code[-1]) + 1) % 10)
        for _ in range(6):
            assert _redeem(session, chat, typo) == Refused("malformed")
        assert isinstance(_redeem(session, chat, code), Linked)
