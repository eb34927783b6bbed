"""Which office a NIK or a person belongs to: the records of the person the chat has shown to
be, else the NIK's region code; never the records of someone the chat has not shown to be."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, select

from models import Office, Person
from services import phones, routing
from services.catalogue import load_catalogue
from services.catalogue_sync import apply_catalogue
from services.nik import make_nik

TODAY = date(2026, 3, 10)
WA_NUMBER = "6281234560042"


@pytest.fixture
def offices(session: Session) -> dict[str, Office]:
    apply_catalogue(session=session, catalogue=load_catalogue())
    return {o.code: o for o in session.exec(select(Office)).all()}


def _person(session: Session, office: Office, nik: str, *, phone: str = "") -> Person:
    person = Person(
        office_id=office.id or 0,
        nik=nik,
        kk_number=nik[:12] + "0001",
        name="Wa Ode Sitti",
        birth_date=date(1988, 4, 12),
        sex="P",
        marital_status="kawin",
        phone=phone,
        phone_e164=phones.normalise(phone) or "",
    )
    session.add(person)
    session.flush()
    return person


# Born in Kota Baubau (74.72, no office of Sigap), now on Buton Tengah's register.
MOVED = make_nik("74.72", 3, date(1988, 4, 12), "P", 52)
LAMANDAU = make_nik("62.09", 1, date(1980, 8, 17), "P", 7)
MAKASSAR = make_nik("73.71", 2, date(1979, 1, 2), "L", 9)


class TestTheRegionCode:
    def test_a_nik_goes_to_the_office_serving_its_regency(
        self, session: Session, offices: dict[str, Office]
    ) -> None:
        routed = routing.office_for(session=session, nik=LAMANDAU)
        assert routed is not None
        assert (routed.office.code, routed.by, routed.nik) == ("62.09", "region", LAMANDAU)

    def test_a_region_no_office_serves_names_none(
        self, session: Session, offices: dict[str, Office]
    ) -> None:
        assert routing.office_for(session=session, nik=MAKASSAR) is None
        assert routing.regency_code(MAKASSAR) == "73.71"


class TestTheRecords:
    def test_the_linked_person_s_records_come_before_the_region(
        self, session: Session, offices: dict[str, Office]
    ) -> None:
        moved = _person(session, offices["74.14"], MOVED)
        routed = routing.office_for(session=session, nik=MOVED, person_id=moved.id)
        assert routed is not None and (routed.office.code, routed.by) == ("74.14", "records")

    def test_so_do_the_records_of_whoever_writes_from_the_phone_on_file(
        self, session: Session, offices: dict[str, Office]
    ) -> None:
        _person(session, offices["74.14"], MOVED, phone="0812-3456-0042")
        routed = routing.office_for(
            session=session, nik=f" {MOVED[:4]} {MOVED[4:]}", phone=WA_NUMBER
        )
        assert routed is not None and (routed.office.code, routed.by) == ("74.14", "records")

    def test_anyone_else_learns_nothing_the_digits_do_not_say(
        self, session: Session, offices: dict[str, Office]
    ) -> None:
        # A copy of her KTP must not tell where she is registered now.
        _person(session, offices["74.14"], MOVED, phone="0812-3456-0042")
        assert routing.office_for(session=session, nik=MOVED) is None
        assert routing.office_for(session=session, nik=MOVED, phone="6281299990000") is None
        # On Bone's register with a Lamandau NIK: an unknown chat is sent by the digits.
        _person(session, offices["73.08"], LAMANDAU)
        routed = routing.office_for(session=session, nik=LAMANDAU, person_id=None)
        assert routed is not None and routed.office.code == "62.09"

    def test_a_person_s_own_office_is_their_register(
        self, session: Session, offices: dict[str, Office]
    ) -> None:
        moved = _person(session, offices["74.14"], MOVED)
        home = routing.home_office(session=session, person=moved)
        assert home is not None and (home.office.code, home.by) == ("74.14", "records")


class TestTheChatsOwnNumber:
    def test_a_number_on_one_office_s_register_names_that_office(
        self, session: Session, offices: dict[str, Office]
    ) -> None:
        _person(session, offices["74.14"], MOVED, phone="0812-3456-0042")
        routed = routing.phone_office(session=session, phone=WA_NUMBER)
        assert routed is not None and (routed.office.code, routed.by) == ("74.14", "records")

    def test_a_household_number_on_two_offices_registers_names_none(
        self, session: Session, offices: dict[str, Office]
    ) -> None:
        _person(session, offices["74.14"], MOVED, phone="0812-3456-0042")
        _person(session, offices["62.09"], LAMANDAU, phone="+62 812 3456 0042")
        assert routing.phone_office(session=session, phone=WA_NUMBER) is None

    def test_a_number_on_no_register_or_an_erased_person_names_none(
        self, session: Session, offices: dict[str, Office]
    ) -> None:
        assert routing.phone_office(session=session, phone=WA_NUMBER) is None
        erased = _person(session, offices["74.14"], MOVED, phone="0812-3456-0042")
        erased.erased_at = datetime(2026, 3, 1, tzinfo=UTC)
        session.flush()
        assert routing.phone_office(session=session, phone=WA_NUMBER) is None


class TestNiksInWords:
    def test_niks_as_people_type_them_each_once(self) -> None:
        spaced = f"{LAMANDAU[:4]} {LAMANDAU[4:8]} {LAMANDAU[8:12]} {LAMANDAU[12:]}"
        dotted = f"{MAKASSAR[:2]}.{MAKASSAR[2:4]}.{MAKASSAR[4:]}"
        text = f"NIK saya {spaced}, suami {dotted}. Lagi: {LAMANDAU}."
        assert routing.niks_in(text, today=TODAY) == [LAMANDAU, MAKASSAR]

    def test_phone_numbers_account_numbers_and_impossible_niks_are_not_niks(self) -> None:
        text = (
            "HP 081234567890, rekening 12345678901234567890, "
            "kartu 6209015708800000 (serial 0000), 0009015708800007 (provinsi 00)"
        )
        assert routing.niks_in(text, today=TODAY) == []


class TestAComplaint:
    def test_a_nik_from_another_office_s_region_points_there(
        self, session: Session, offices: dict[str, Office]
    ) -> None:
        routes = routing.complaint_routes(
            session=session,
            target=offices["73.08"],
            description=f"Bantuan belum cair. NIK {LAMANDAU}",
            person_id=None,
            phone=None,
            today=TODAY,
        )
        assert [(r.office.code, r.by) for r in routes] == [("62.09", "region")]

    def test_nothing_points_elsewhere_without_a_nik_or_for_a_region_no_office_serves(
        self, session: Session, offices: dict[str, Office]
    ) -> None:
        for description in ("Petugas tidak datang.", f"NIK {MAKASSAR}", f"NIK {LAMANDAU}"):
            routes = routing.complaint_routes(
                session=session,
                target=offices["62.09"] if "6209" in description else offices["73.08"],
                description=description,
                person_id=None,
                phone=None,
                today=TODAY,
            )
            assert routes == [], description

    def test_a_linked_person_who_picked_another_office_is_pointed_home(
        self, session: Session, offices: dict[str, Office]
    ) -> None:
        siti = _person(session, offices["62.09"], LAMANDAU)
        routes = routing.complaint_routes(
            session=session,
            target=offices["73.08"],
            description="Ketua kelompok tidak membagi hasil usaha.",
            person_id=siti.id,
            phone=None,
            today=TODAY,
        )
        assert [(r.office.code, r.by, r.nik) for r in routes] == [("62.09", "records", "")]


def test_a_programme_for_its_residents_names_the_niks_from_elsewhere() -> None:
    catalogue = load_catalogue()
    uep = catalogue.programme("uep-lamandau")
    assert uep is not None and uep.eligibility.resident_of_office_region
    assert routing.outside_region(uep, [LAMANDAU, MAKASSAR]) == [MAKASSAR]
