"""The catalogue: the five seed SOPs as YAML, checked strictly when Sigap starts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from services import complaint_categories
from services.catalogue import (
    DEFAULT_DIRECTORY,
    Catalogue,
    CatalogueError,
    ComplaintChannel,
    TimeStandard,
    load_catalogue,
)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture
def catalogue_dir(tmp_path: Path) -> Path:
    """A private copy of the real catalogue that a test may spoil."""
    target = tmp_path / "catalogue"
    shutil.copytree(DEFAULT_DIRECTORY, target)
    return target


def _programme_data(directory: Path, code: str) -> dict:
    return yaml.safe_load((directory / "programmes" / f"{code}.yaml").read_text(encoding="utf-8"))


def _write(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


class TestOffices:
    def test_the_five_offices_with_their_region_codes_slugs_and_time_zones(
        self, catalogue: Catalogue
    ) -> None:
        found = {(o.code, o.slug, o.short_code, o.timezone) for o in catalogue.offices}
        assert found == {
            ("73.08", "bone", "BON", "Asia/Makassar"),
            ("32.75", "bekasi", "BKS", "Asia/Jakarta"),
            ("74.14", "buton-tengah", "BTG", "Asia/Makassar"),
            ("62.09", "lamandau", "LMD", "Asia/Pontianak"),
            ("53.10", "manggarai", "MGR", "Asia/Makassar"),
        }

    def test_contact_details_come_from_the_seeds(self, catalogue: Catalogue) -> None:
        bone = catalogue.office("73.08")
        assert bone is not None
        assert bone.name.id == "Dinas Sosial Kabupaten Bone"
        assert bone.address == "Jalan Andalas No 49"
        assert bone.phone == "0481-21029"
        assert bone.email == "dinsosbone.office@gmail.com"
        manggarai = catalogue.office_by_slug("manggarai")
        assert manggarai is not None
        assert manggarai.address == "Jalan Renya Rosari No.33, Ruteng"
        assert manggarai.website == "https://www.manggaraikab.go.id"
        # The Bekasi decree publishes no contacts, and none are made up.
        bekasi = catalogue.office("32.75")
        assert bekasi is not None
        assert (bekasi.address, bekasi.phone, bekasi.email) == (None, None, None)

    def test_an_unknown_office_is_not_found(self, catalogue: Catalogue) -> None:
        assert catalogue.office("99.99") is None
        assert catalogue.office_by_slug("jakarta") is None


class TestSeedProgrammes:
    def test_each_office_runs_its_programme(self, catalogue: Catalogue) -> None:
        by_office = {
            code: [p.code for p in catalogue.programmes_for_office(code)]
            for code in ("73.08", "32.75", "74.14", "62.09", "53.10")
        }
        assert by_office == {
            "73.08": ["kube-bone"],
            "32.75": ["kube-bekasi"],
            "74.14": ["bpnt-buton-tengah"],
            "62.09": ["uep-lamandau"],
            "53.10": ["benang-tenun-manggarai"],
        }

    def test_kube_bone_follows_its_eight_numbered_steps(self, catalogue: Catalogue) -> None:
        bone = catalogue.programme("kube-bone")
        assert bone is not None
        assert bone.applicant == "group"
        assert bone.legal_basis is not None
        assert bone.legal_basis.number == "04.2 TAHUN 2023"
        # Step 5 of the SOP has two actors and is two steps here.
        assert [s.code for s in bone.steps] == [
            "proposal-received",
            "forwarded-to-linjamsos",
            "verification",
            "site-monitoring",
            "monitoring-report",
            "head-approval",
            "regent-decree",
            "disbursement",
            "mentoring",
        ]
        decree = bone.step("regent-decree")
        assert decree is not None
        assert decree.actor.id == "Bupati"
        assert decree.allowed_roles == ("head",)
        assert len(bone.requirements) == 11
        assert bone.requirements[0].id == "Terdaftar dalam DTKS"
        assert bone.requirements[4].en == "The group has 5 to 20 members"
        assert bone.cost.en == "Free of charge"

    def test_kube_bone_lists_each_named_officer_once_on_whatsapp_and_telegram(
        self, catalogue: Catalogue
    ) -> None:
        bone = catalogue.programme("kube-bone")
        assert bone is not None
        officers = [c for c in bone.complaint_channels if c.kind == "whatsapp"]
        whatsapp = {c.label.id: c.value for c in officers}
        assert len(officers) == len(whatsapp) == 8  # each once
        assert whatsapp["Ayu Puspitasari, S.Sos"] == "+62 857-5624-2215"
        assert whatsapp["Sri Hartina"] == "+62 823-4833-4845"
        assert all(c.kinds == ("whatsapp", "telegram") for c in officers)
        assert not [c for c in bone.complaint_channels if c.kind == "telegram"]
        kinds = {c.kind for c in bone.complaint_channels}
        assert {"phone", "website", "email", "facebook", "instagram", "box"} <= kinds

    def test_kube_bekasi_takes_ten_heads_of_distinct_households(self, catalogue: Catalogue) -> None:
        bekasi = catalogue.programme("kube-bekasi")
        assert bekasi is not None
        assert bekasi.legal_basis is not None
        assert bekasi.legal_basis.number == "400.510.5.5/Kep.317-Dinsos/VI/2024"
        rules = bekasi.eligibility
        assert (rules.group_size.min, rules.group_size.max) == (10, 10)  # type: ignore[union-attr]
        assert rules.distinct_families and rules.not_aided_before
        assert rules.registered_in == ("DTKS",)
        assert len(bekasi.requirements) == 13
        mayor = bekasi.step("mayor-decree")
        assert mayor is not None
        assert mayor.allowed_roles == ("head",)

    def test_bpnt_buton_tengah_answers_complaints_within_two_days(
        self, catalogue: Catalogue
    ) -> None:
        bpnt = catalogue.programme("bpnt-buton-tengah")
        assert bpnt is not None
        assert bpnt.applicant == "person"
        assert bpnt.legal_basis is None  # the seed's "No. SK" is blank
        assert bpnt.complaint_response_hours == 48
        admins = [c.value for c in bpnt.complaint_channels if c.kind == "whatsapp"]
        assert admins == ["082271391906", "082349133203", "081315681007", "082290463559"]
        assert bpnt.complaint_channels[0].kind == "book"
        bank = bpnt.step("account-opening")
        assert bank is not None
        assert bank.actor.id == "Bank Penyalur (Himbara)"

    def test_uep_lamandau_has_six_steps_with_their_time_standards(
        self, catalogue: Catalogue
    ) -> None:
        uep = catalogue.programme("uep-lamandau")
        assert uep is not None
        standards = [s.time_standard for s in uep.steps]
        assert [(t.minutes, t.working_days) for t in standards if t] == [
            (5, None),
            (None, 2),
            (None, 3),
            (None, 1),
            (None, 1),
            (None, 1),
        ]
        # The SOP writes "2 Hari": working days are Sigap's reading, and marked so.
        assert standards[0] == TimeStandard(minutes=5)
        assert all(t and t.assumption for t in standards[1:])
        assert uep.steps[0].output is not None
        assert uep.steps[0].output.id == "Proposal Usulan yang sudah didisposisi oleh pimpinan"
        assert uep.steps[-1].output is not None
        assert uep.steps[-1].output.id == "Bantuan UEP tersalurkan kepada KPM"
        assert uep.eligibility.age is not None
        assert (uep.eligibility.age.min, uep.eligibility.age.max) == (15, 64)
        assert uep.eligibility.age.assumption  # "usia produktif" has no numbers in the SOP
        assert uep.step_position("recipient-decree") == 3

    def test_benang_tenun_manggarai_is_for_groups_of_ten_women_left_alone(
        self, catalogue: Catalogue
    ) -> None:
        tenun = catalogue.programme("benang-tenun-manggarai")
        assert tenun is not None
        rules = tenun.eligibility
        assert rules.sex == "P"
        assert set(rules.marital_status_in or ()) == {
            "cerai_mati",
            "cerai_hidup",
            "ditinggal_suami",
        }
        assert rules.registered_in == ("PMKS",)
        assert len(tenun.steps) == 7
        channels = {(c.kind, c.value) for c in tenun.complaint_channels}
        assert ("sms", "1708") in channels
        assert ("lapor", "https://www.lapor.go.id") in channels
        assert ("walk_in", None) in channels

    def test_every_text_is_there_in_english_too(self, catalogue: Catalogue) -> None:
        for programme in catalogue.programmes:
            assert programme.name.get("en") != programme.name.get("id")
            for step in programme.steps:
                assert step.name.en.strip()
                assert step.actor.en.strip()

    def test_admin_may_record_any_step_without_being_listed(self, catalogue: Catalogue) -> None:
        for programme in catalogue.programmes:
            for step in programme.steps:
                assert "admin" not in step.allowed_roles
                assert step.may_record("admin")
        bone = catalogue.programme("kube-bone")
        assert bone is not None
        decree = bone.step("regent-decree")
        assert decree is not None
        assert not decree.may_record("operator")
        assert decree.may_record("head")

    def test_unknown_programme_is_not_found(self, catalogue: Catalogue) -> None:
        assert catalogue.programme("pkh-bone") is None
        assert catalogue.programmes_for_office("99.99") == ()


class TestComplaintChannelLinks:
    def test_a_whatsapp_number_written_locally_opens_a_chat(self) -> None:
        channel = ComplaintChannel.model_validate(
            {
                "kind": "whatsapp",
                "label": {"id": "Admin 1", "en": "Admin 1"},
                "value": "0822-7139 1906",
            }
        )
        assert channel.international_number == "6282271391906"
        assert channel.url == "https://wa.me/6282271391906"

    def test_a_short_sms_code_keeps_its_digits(self) -> None:
        channel = ComplaintChannel.model_validate(
            {"kind": "sms", "label": {"id": "SMS", "en": "SMS"}, "value": "1708"}
        )
        assert channel.url == "sms:1708"

    def test_a_phone_channel_without_a_number_is_refused(self) -> None:
        with pytest.raises(ValidationError, match="needs a 'value'"):
            ComplaintChannel.model_validate({"kind": "phone", "label": {"id": "x", "en": "x"}})


class TestTimeStandard:
    @pytest.mark.parametrize("data", [{}, {"minutes": 5, "working_days": 1}])
    def test_exactly_one_unit_is_given(self, data: dict) -> None:
        with pytest.raises(ValidationError, match="exactly one"):
            TimeStandard.model_validate(data)

    def test_zero_days_is_no_standard(self) -> None:
        with pytest.raises(ValidationError):
            TimeStandard(working_days=0)


class TestReadingOnce:
    def test_a_catalogue_is_read_once_and_again_when_a_file_changes(
        self, catalogue_dir: Path
    ) -> None:
        first = load_catalogue(catalogue_dir)
        assert load_catalogue(catalogue_dir) is first
        data = _programme_data(catalogue_dir, "kube-bone")
        data["name"]["en"] = "Joint Business Groups of Bone"
        _write(catalogue_dir / "programmes" / "kube-bone.yaml", data)
        changed = load_catalogue(catalogue_dir)
        assert changed is not first
        programme = changed.programme("kube-bone")
        assert programme is not None and programme.name.en == "Joint Business Groups of Bone"

    def test_a_file_broken_after_a_good_read_is_refused(self, catalogue_dir: Path) -> None:
        load_catalogue(catalogue_dir)
        data = _programme_data(catalogue_dir, "kube-bone")
        data["office"] = "73.99"
        _write(catalogue_dir / "programmes" / "kube-bone.yaml", data)
        with pytest.raises(CatalogueError, match=r"kube-bone\.yaml: office '73\.99'"):
            load_catalogue(catalogue_dir)


class TestBrokenFiles:
    """A mistake in a file stops start-up with the file and the field named."""

    def test_a_misspelt_field_is_refused(self, catalogue_dir: Path) -> None:
        data = _programme_data(catalogue_dir, "uep-lamandau")
        data["steps"][1]["time_standard"] = {"working_dayz": 2}
        _write(catalogue_dir / "programmes" / "uep-lamandau.yaml", data)
        with pytest.raises(CatalogueError) as caught:
            load_catalogue(catalogue_dir)
        message = str(caught.value)
        assert "uep-lamandau.yaml" in message
        assert "steps.1.time_standard.working_dayz" in message

    def test_a_programme_of_an_unknown_office_is_refused(self, catalogue_dir: Path) -> None:
        data = _programme_data(catalogue_dir, "kube-bone")
        data["office"] = "73.99"
        _write(catalogue_dir / "programmes" / "kube-bone.yaml", data)
        with pytest.raises(CatalogueError, match=r"kube-bone\.yaml: office '73\.99'"):
            load_catalogue(catalogue_dir)

    def test_two_steps_with_one_code_are_refused(self, catalogue_dir: Path) -> None:
        data = _programme_data(catalogue_dir, "kube-bekasi")
        data["steps"][1]["code"] = data["steps"][0]["code"]
        _write(catalogue_dir / "programmes" / "kube-bekasi.yaml", data)
        with pytest.raises(CatalogueError, match=r"kube-bekasi\.yaml: .*proposal-received"):
            load_catalogue(catalogue_dir)

    def test_a_programme_without_steps_is_refused(self, catalogue_dir: Path) -> None:
        data = _programme_data(catalogue_dir, "bpnt-buton-tengah")
        data["steps"] = []
        _write(catalogue_dir / "programmes" / "bpnt-buton-tengah.yaml", data)
        with pytest.raises(CatalogueError, match=r"bpnt-buton-tengah\.yaml: steps"):
            load_catalogue(catalogue_dir)

    def test_listing_admin_is_refused(self, catalogue_dir: Path) -> None:
        data = _programme_data(catalogue_dir, "kube-bone")
        data["steps"][0]["allowed_roles"] = ["operator", "admin"]
        _write(catalogue_dir / "programmes" / "kube-bone.yaml", data)
        with pytest.raises(CatalogueError, match="'admin' may always record"):
            load_catalogue(catalogue_dir)

    def test_an_unknown_marital_status_is_refused(self, catalogue_dir: Path) -> None:
        data = _programme_data(catalogue_dir, "benang-tenun-manggarai")
        data["eligibility"]["marital_status_in"] = ["janda"]
        _write(catalogue_dir / "programmes" / "benang-tenun-manggarai.yaml", data)
        with pytest.raises(CatalogueError, match=r"eligibility\.marital_status_in\.0"):
            load_catalogue(catalogue_dir)

    def test_a_file_that_is_not_yaml_is_refused(self, catalogue_dir: Path) -> None:
        path = catalogue_dir / "programmes" / "kube-bone.yaml"
        path.write_text("code: kube-bone\nname: {id: [unclosed\n", encoding="utf-8")
        with pytest.raises(CatalogueError, match=r"kube-bone\.yaml: is not valid YAML"):
            load_catalogue(catalogue_dir)

    def test_a_code_that_differs_from_the_file_name_is_refused(self, catalogue_dir: Path) -> None:
        data = _programme_data(catalogue_dir, "kube-bone")
        (catalogue_dir / "programmes" / "kube-bone.yaml").unlink()
        _write(catalogue_dir / "programmes" / "kube-bone-2024.yaml", data)
        with pytest.raises(CatalogueError, match="must match the file name 'kube-bone-2024'"):
            load_catalogue(catalogue_dir)

    def test_a_bad_time_zone_in_the_offices_file_is_refused(self, catalogue_dir: Path) -> None:
        path = catalogue_dir / "offices.yaml"
        path.write_text(
            path.read_text(encoding="utf-8").replace("Asia/Pontianak", "Asia/Palangkaraya"),
            encoding="utf-8",
        )
        with pytest.raises(CatalogueError, match=r"offices\.yaml: offices\.3\.timezone"):
            load_catalogue(catalogue_dir)

    def test_a_short_code_two_offices_share_or_not_three_capitals_is_refused(
        self, catalogue_dir: Path
    ) -> None:
        path = catalogue_dir / "offices.yaml"
        original = path.read_text(encoding="utf-8")
        path.write_text(original.replace("short_code: BKS", "short_code: BON"), encoding="utf-8")
        with pytest.raises(CatalogueError, match=r"office short_code used twice: \['BON'\]"):
            load_catalogue(catalogue_dir)
        path.write_text(original.replace("short_code: BKS", "short_code: Bks"), encoding="utf-8")
        with pytest.raises(CatalogueError, match=r"offices\.1\.short_code"):
            load_catalogue(catalogue_dir)

    def test_a_missing_offices_file_is_refused(self, tmp_path: Path) -> None:
        with pytest.raises(CatalogueError, match=r"offices\.yaml: file not found"):
            load_catalogue(tmp_path)


class TestNewProgramme:
    def test_a_new_file_is_picked_up_without_code_change(self, catalogue_dir: Path) -> None:
        data = _programme_data(catalogue_dir, "kube-bone")
        data["code"] = "kube-bone-2027"
        data["name"] = {"id": "KUBE Bone 2027", "en": "KUBE Bone 2027"}
        _write(catalogue_dir / "programmes" / "kube-bone-2027.yaml", data)

        loaded = load_catalogue(catalogue_dir)

        new = loaded.programme("kube-bone-2027")
        assert new is not None
        assert new.name.en == "KUBE Bone 2027"
        assert sorted(p.code for p in loaded.programmes_for_office("73.08")) == [
            "kube-bone",
            "kube-bone-2027",
        ]


class TestComplaintCategories:
    def test_the_shipped_categories_in_their_order(self, catalogue: Catalogue) -> None:
        codes = [c.code for c in catalogue.complaint_categories]
        assert codes[0] == "bantuan-terlambat" and codes[-1] == "lainnya"
        found = catalogue.complaint_category("pungli")
        assert found is not None and found.label.en == "Illegal levy or deduction from aid"
        assert catalogue.complaint_category("no-such-thing") is None

    def test_catalogue_dir_governs_the_categories(self, catalogue_dir: Path) -> None:
        path = catalogue_dir / "complaint_categories.yaml"
        _write(path, {"categories": [{"code": "air", "label": {"id": "Air", "en": "Water"}}]})
        assert [c.code for c in load_catalogue(catalogue_dir).complaint_categories] == ["air"]
        assert [c.code for c in complaint_categories.load_categories(catalogue_dir)] == ["air"]
        assert complaint_categories.category("air", catalogue_dir) is not None

    def test_a_missing_categories_file_is_named(self, catalogue_dir: Path) -> None:
        (catalogue_dir / "complaint_categories.yaml").unlink()
        with pytest.raises(CatalogueError, match=r"complaint_categories\.yaml: file not found"):
            load_catalogue(catalogue_dir)

    def test_a_category_code_used_twice_is_refused(self, catalogue_dir: Path) -> None:
        label = {"id": "Air", "en": "Water"}
        _write(
            catalogue_dir / "complaint_categories.yaml",
            {"categories": [{"code": "air", "label": label}, {"code": "air", "label": label}]},
        )
        with pytest.raises(CatalogueError, match="used twice"):
            load_catalogue(catalogue_dir)
