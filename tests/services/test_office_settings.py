"""An office's own settings over its catalogue entry: hours and contacts the bot gives, and the
complaint clock where its SOP states none; only its head or admin sets them, audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from core.settings import Settings
from models import AuditLog, Office, OfficeSetting
from services import office_settings
from services.catalogue import Catalogue, load_catalogue
from services.catalogue_sync import apply_catalogue
from services.complaints import NewComplaint, clock_rules, file_complaint
from services.errors import Forbidden, InvalidInput
from services.office_settings import SettingsIn
from tests import privacy_world as build
from tests.privacy_world import NOW


@pytest.fixture
def catalogue() -> Catalogue:
    return load_catalogue()


def _form(spec_office: Office, **changes: object) -> SettingsIn:
    values: dict[str, object] = {
        "hours_id": spec_office.hours,
        "address": spec_office.address,
        "phone": spec_office.phone,
        "email": spec_office.email,
        "website": spec_office.website,
    }
    return SettingsIn.model_validate({**values, **changes})


def _audit(session: Session, office: Office) -> list[str]:
    rows = session.exec(
        select(AuditLog).where(AuditLog.entity == "office", AuditLog.entity_id == office.id)
    ).all()
    return [row.detail for row in rows]


def test_the_admin_sets_the_hours_and_phone_the_bot_gives(
    session: Session, catalogue: Catalogue
) -> None:
    office = build.offices(session)["lamandau"]
    spec = catalogue.office(office.code)
    assert spec is not None
    admin = build.staff(session, office, "admin", "t.admin")

    office_settings.save_settings(
        session=session,
        staff=admin,
        office=office,
        spec=spec,
        data=_form(
            office,
            hours_id="Senin–Kamis 07.30–15.30 WIB, Jumat 07.30–11.00 WIB",
            hours_en="Mon–Thu 07:30–15:30, Fri 07:30–11:00 (WIB)",
            phone="0532-21000",
        ),
        now=NOW,
    )

    told = office_settings.contact(session=session, office=office, spec=spec, lang="en")
    assert (told.hours, told.phone) == ("Mon–Thu 07:30–15:30, Fri 07:30–11:00 (WIB)", "0532-21000")
    assert office.phone == "0532-21000"  # the row the pages read, at once
    assert _audit(session, office) == ["settings: hours_id, hours_en, phone"]

    # The catalogue copied again at the next start keeps what the office set.
    apply_catalogue(session=session, catalogue=catalogue)
    assert office.phone == "0532-21000"
    assert office.hours.startswith("Senin–Kamis")


def test_a_value_equal_to_the_catalogues_is_kept_as_the_catalogues(
    session: Session, catalogue: Catalogue
) -> None:
    office = build.offices(session)["bone"]
    spec = catalogue.office(office.code)
    assert spec is not None
    head = build.staff(session, office, "head", "t.kadis")

    settings = office_settings.save_settings(
        session=session, staff=head, office=office, spec=spec, data=_form(office), now=NOW
    )

    row = session.get_one(OfficeSetting, office.id)
    assert (row.phone, row.hours_id, row.clock_kind) == ("", "", "")
    assert settings.changed == frozenset()
    assert _audit(session, office) == ["settings: unchanged"]


def test_a_clock_the_sop_does_not_state_is_the_offices_to_set(
    session: Session, catalogue: Catalogue
) -> None:
    office = build.offices(session)["lamandau"]
    spec = catalogue.office(office.code)
    assert spec is not None and spec.complaint_clock is not None
    assert not spec.complaint_clock.from_sop  # "Office setting (not from the seed)"
    admin = build.staff(session, office, "admin", "t.admin")
    office_settings.save_settings(
        session=session,
        staff=admin,
        office=office,
        spec=spec,
        data=_form(office, clock_kind="hours", clock_amount=72),
        now=NOW,
    )

    complaint = file_complaint(
        session=session,
        data=NewComplaint(
            office_id=office.id or 0,
            category="bantuan-terlambat",
            description="Bantuan belum cair",
            channel="walk_in",
        ),
        now=NOW,
        policy=clock_rules(Settings(demo_mode=True), catalogue),
    )
    assert complaint.clock_rule == "hours:72"
    assert complaint.due_at == NOW + timedelta(hours=72)
    assert "clock" in _audit(session, office)[0]


def test_a_clock_the_sop_states_cannot_be_changed_but_contacts_can(
    session: Session, catalogue: Catalogue
) -> None:
    office = build.offices(session)["buton-tengah"]
    spec = catalogue.office(office.code)
    assert spec is not None and spec.complaint_clock is not None
    assert spec.complaint_clock.from_sop  # "Respon pengaduan paling lama 2x24 jam"
    head = build.staff(session, office, "head", "t.kadis")

    with pytest.raises(InvalidInput) as refused:
        office_settings.save_settings(
            session=session,
            staff=head,
            office=office,
            spec=spec,
            data=_form(office, clock_kind="hours", clock_amount=96),
            now=NOW,
        )
    assert refused.value.key == "officeset.error.clock_sop"

    office_settings.save_settings(
        session=session,
        staff=head,
        office=office,
        spec=spec,
        data=_form(office, clock_kind="hours", clock_amount=48, email="pengaduan@example.id"),
        now=NOW,
    )
    assert office.email == "pengaduan@example.id"


def test_only_the_head_and_the_admin_change_the_settings(
    session: Session, catalogue: Catalogue
) -> None:
    office = build.offices(session)["bone"]
    spec = catalogue.office(office.code)
    assert spec is not None
    for role in ("operator", "supervisor", "complaint_officer"):
        member = build.staff(session, office, role, f"t.{role}")
        with pytest.raises(Forbidden):
            office_settings.save_settings(
                session=session,
                staff=member,
                office=office,
                spec=spec,
                data=_form(office, phone="0"),
                now=NOW,
            )
    assert session.get(OfficeSetting, office.id) is None


def test_settings_out_of_bounds_are_refused_by_the_form_model() -> None:
    base = {"hours_id": "Senin–Jumat"}
    for wrong in (
        {"clock_kind": "working_days", "clock_amount": 11},
        {"clock_kind": "hours", "clock_amount": 0},
        {"clock_kind": "working_days", "clock_amount": 2, "clock_office_hours": "16:00-08:00"},
        {"email": "not an address"},
        {"website": "javascript:alert(1)"},
        {"hours_id": "x" * 121},
    ):
        with pytest.raises(ValueError):
            SettingsIn.model_validate({**base, **wrong})


def test_every_offices_clock_says_whether_its_sop_states_it(catalogue: Catalogue) -> None:
    """The settings page locks a clock its SOP states: each source must say which it is."""
    for office in catalogue.offices:
        clock = office.complaint_clock
        if clock is not None:
            assert clock.from_sop or "not from the seed" in clock.source, office.slug
