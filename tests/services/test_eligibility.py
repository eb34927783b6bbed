"""Eligibility: each rule of the seed SOPs refuses the applicant it should, and says why."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from services.catalogue import Catalogue, EligibilityRules, Programme, SizeRange, load_catalogue
from services.eligibility import ApplicantFacts, MemberFacts, RuleFailure, check_eligibility
from services.nik import make_nik, mask_nik

TODAY = date(2026, 3, 2)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def _programme(catalogue: Catalogue, code: str) -> Programme:
    programme = catalogue.programme(code)
    assert programme is not None
    return programme


def person(
    regency: str,
    serial: int,
    *,
    kecamatan: str = "01",
    born: date = date(1980, 6, 15),
    sex: str = "L",
    marital: str = "kawin",
    kk: str | None = None,
    registries: tuple[str, ...] = ("DTKS",),
    aided: bool = False,
) -> MemberFacts:
    """One resident, with a NIK and (unless shared) a KK of their own."""
    region = regency.replace(".", "")
    return MemberFacts(
        nik=make_nik(regency, kecamatan, born, sex, serial),
        kk_number=kk or f"{region}{kecamatan}010120{serial:04d}",
        birth_date=born,
        sex=sex,
        marital_status=marital,
        kecamatan_code=f"{regency}.{kecamatan}",
        regency_code=regency,
        registries=frozenset(registries),
        aided_before=aided,
    )


def group(*members: MemberFacts) -> ApplicantFacts:
    return ApplicantFacts(kind="group", members=members)


def alone(member: MemberFacts) -> ApplicantFacts:
    return ApplicantFacts(kind="person", members=(member,))


def bone_group(size: int = 5) -> list[MemberFacts]:
    return [person("73.08", n) for n in range(1, size + 1)]


def bekasi_group(size: int = 10) -> list[MemberFacts]:
    return [person("32.75", n) for n in range(1, size + 1)]


def weavers(size: int = 10) -> list[MemberFacts]:
    statuses = ("cerai_mati", "cerai_hidup", "ditinggal_suami")
    return [
        person("53.10", n, sex="P", marital=statuses[n % 3], registries=("PMKS",))
        for n in range(1, size + 1)
    ]


def check(catalogue: Catalogue, code: str, applicant: ApplicantFacts) -> list[RuleFailure]:
    programme = _programme(catalogue, code)
    return check_eligibility(programme, applicant, office_code=programme.office, today=TODAY)


def only(failures: list[RuleFailure]) -> RuleFailure:
    assert len(failures) == 1, [f.key for f in failures]
    return failures[0]


def assert_told(failure: RuleFailure, *specifics: str) -> None:
    """Both languages give a sentence naming the specifics (a masked NIK, a count...)."""
    for lang in ("id", "en"):
        text = failure.text(lang)
        assert text.strip()
        for specific in specifics:
            assert specific in text, (lang, specific, text)
    assert failure.text("id") != failure.text("en")


class TestGoodApplicants:
    def test_a_kube_of_five_in_one_kecamatan_of_bone(self, catalogue: Catalogue) -> None:
        assert check(catalogue, "kube-bone", group(*bone_group(5))) == []

    def test_a_kube_of_ten_households_in_kota_bekasi(self, catalogue: Catalogue) -> None:
        assert check(catalogue, "kube-bekasi", group(*bekasi_group())) == []

    def test_a_family_in_buton_tengah_listed_in_dtks(self, catalogue: Catalogue) -> None:
        family = person("74.14", 7, sex="P")
        assert check(catalogue, "bpnt-buton-tengah", alone(family)) == []

    def test_a_working_age_resident_of_lamandau(self, catalogue: Catalogue) -> None:
        assert check(catalogue, "uep-lamandau", alone(person("62.09", 3))) == []

    def test_ten_women_weavers_of_manggarai(self, catalogue: Catalogue) -> None:
        assert check(catalogue, "benang-tenun-manggarai", group(*weavers())) == []


class TestApplicant:
    def test_a_person_cannot_apply_for_a_group_programme(self, catalogue: Catalogue) -> None:
        failure = only(check(catalogue, "kube-bone", alone(person("73.08", 1))))
        assert (failure.rule, failure.key) == ("applicant_kind", "eligibility.applicant_kind.group")
        assert_told(failure, "KUBE")

    def test_a_group_cannot_apply_for_a_personal_programme(self, catalogue: Catalogue) -> None:
        failure = only(check(catalogue, "uep-lamandau", group(person("62.09", 1))))
        assert failure.key == "eligibility.applicant_kind.person"
        assert_told(failure, "UEP")

    def test_another_office_does_not_run_the_programme(self, catalogue: Catalogue) -> None:
        programme = _programme(catalogue, "uep-lamandau")
        failures = check_eligibility(
            programme, alone(person("62.09", 1)), office_code="73.08", today=TODAY
        )
        assert [f.key for f in failures] == ["eligibility.office", "eligibility.resident"]
        assert_told(failures[0], "73.08", "UEP")

    def test_a_person_applicant_has_exactly_one_member(self) -> None:
        with pytest.raises(ValueError, match="one member"):
            ApplicantFacts(kind="person", members=(person("62.09", 1), person("62.09", 2)))
        with pytest.raises(ValueError, match="at least one"):
            ApplicantFacts(kind="group", members=())


class TestGroupSize:
    @pytest.mark.parametrize("size", [4, 21])
    def test_bone_takes_five_to_twenty(self, catalogue: Catalogue, size: int) -> None:
        failure = only(check(catalogue, "kube-bone", group(*bone_group(size))))
        assert failure.key == "eligibility.group_size.range"
        assert failure.params == {"count": size, "min": 5, "max": 20}
        assert_told(failure, str(size), "5", "20")

    @pytest.mark.parametrize("size", [5, 20])
    def test_the_bounds_themselves_are_allowed(self, catalogue: Catalogue, size: int) -> None:
        assert check(catalogue, "kube-bone", group(*bone_group(size))) == []

    def test_bekasi_takes_exactly_ten(self, catalogue: Catalogue) -> None:
        failure = only(check(catalogue, "kube-bekasi", group(*bekasi_group(9))))
        assert failure.key == "eligibility.group_size.exact"
        assert_told(failure, "10", "9")

    def test_a_minimum_or_maximum_alone(self, catalogue: Catalogue) -> None:
        bone = _programme(catalogue, "kube-bone")
        at_least = bone.model_copy(
            update={"eligibility": EligibilityRules(group_size=SizeRange(min=6))}
        )
        at_most = bone.model_copy(
            update={"eligibility": EligibilityRules(group_size=SizeRange(max=4))}
        )
        five = group(*bone_group(5))
        low = only(check_eligibility(at_least, five, office_code="73.08", today=TODAY))
        high = only(check_eligibility(at_most, five, office_code="73.08", today=TODAY))
        assert low.key == "eligibility.group_size.at_least"
        assert high.key == "eligibility.group_size.at_most"
        assert_told(low, "6", "5")
        assert_told(high, "4", "5")


class TestAge:
    def test_an_unmarried_seventeen_year_old_is_too_young_for_bone(
        self, catalogue: Catalogue
    ) -> None:
        teen = person("73.08", 9, born=date(2008, 5, 1), marital="belum_kawin")
        failure = only(check(catalogue, "kube-bone", group(*bone_group(4), teen)))
        assert failure.key == "eligibility.age.too_young_unmarried"
        assert failure.params == {"member": mask_nik(teen.nik), "age": 17, "min": 18}
        assert_told(failure, "7308************", "17", "18")

    def test_a_married_seventeen_year_old_qualifies_in_bone(self, catalogue: Catalogue) -> None:
        teen = person("73.08", 9, born=date(2008, 5, 1), marital="kawin")
        assert check(catalogue, "kube-bone", group(*bone_group(4), teen)) == []

    def test_a_seventeen_year_old_not_known_to_have_married_is_too_young_for_bone(
        self, catalogue: Catalogue
    ) -> None:
        teen = person("73.08", 9, born=date(2008, 5, 1), marital="")
        failure = only(check(catalogue, "kube-bone", group(*bone_group(4), teen)))
        assert failure.key == "eligibility.age.too_young_unmarried"

    def test_bone_stops_at_sixty(self, catalogue: Catalogue) -> None:
        sixty_today = person("73.08", 8, born=date(1966, 3, 2))
        sixty_one_today = person("73.08", 9, born=date(1965, 3, 2))
        failures = check(
            catalogue, "kube-bone", group(*bone_group(4), sixty_today, sixty_one_today)
        )
        failure = only(failures)
        assert failure.key == "eligibility.age.too_old"
        assert failure.params["member"] == mask_nik(sixty_one_today.nik)
        assert_told(failure, "61", "60")

    def test_uep_lamandau_is_for_working_age(self, catalogue: Catalogue) -> None:
        child = only(
            check(catalogue, "uep-lamandau", alone(person("62.09", 1, born=date(2012, 1, 1))))
        )
        elder = only(
            check(catalogue, "uep-lamandau", alone(person("62.09", 2, born=date(1960, 1, 1))))
        )
        assert (child.key, child.params["age"]) == ("eligibility.age.too_young", 14)
        assert (elder.key, elder.params["age"]) == ("eligibility.age.too_old", 66)
        assert_told(child, "14", "15")
        assert_told(elder, "66", "64")


class TestWhereMembersLive:
    def test_bone_members_share_one_kecamatan(self, catalogue: Catalogue) -> None:
        neighbour = person("73.08", 9, kecamatan="02")
        failure = only(check(catalogue, "kube-bone", group(*bone_group(4), neighbour)))
        assert failure.key == "eligibility.same_kecamatan"
        assert failure.params == {"count": 2, "kecamatans": "73.08.01, 73.08.02"}
        assert_told(failure, "73.08.01", "73.08.02")

    def test_kabupaten_bekasi_is_not_kota_bekasi(self, catalogue: Catalogue) -> None:
        outsider = person("32.16", 10)
        failure = only(check(catalogue, "kube-bekasi", group(*bekasi_group(9), outsider)))
        assert failure.key == "eligibility.resident"
        assert failure.params == {
            "member": "3216************",
            "regency": "32.16",
            "office_region": "32.75",
        }
        assert_told(failure, "3216************", "32.16", "32.75")


class TestBekasiHouseholds:
    def test_husband_and_wife_are_one_nuclear_family(self, catalogue: Catalogue) -> None:
        members = bekasi_group(8)
        shared_kk = "3275010101200099"
        husband = person("32.75", 20, kk=shared_kk)
        wife = person("32.75", 21, sex="P", kk=shared_kk)
        failure = only(check(catalogue, "kube-bekasi", group(*members, husband, wife)))
        assert failure.key == "eligibility.distinct_families"
        assert failure.params["count"] == 2
        assert_told(failure, mask_nik(shared_kk), mask_nik(husband.nik))

    def test_someone_aided_before_is_refused(self, catalogue: Catalogue) -> None:
        members = bekasi_group()
        members[3] = replace(members[3], aided_before=True)
        failure = only(check(catalogue, "kube-bekasi", group(*members)))
        assert (failure.rule, failure.key) == ("not_aided_before", "eligibility.aided_before")
        assert_told(failure, mask_nik(members[3].nik))


class TestManggaraiWeavers:
    def test_a_man_cannot_join(self, catalogue: Catalogue) -> None:
        members = weavers()
        members[0] = replace(members[0], sex="L")
        failure = only(check(catalogue, "benang-tenun-manggarai", group(*members)))
        assert failure.key == "eligibility.sex.P"
        assert_told(failure, mask_nik(members[0].nik))

    def test_a_married_woman_is_not_a_janda(self, catalogue: Catalogue) -> None:
        members = weavers()
        members[1] = replace(members[1], marital_status="kawin")
        failure = only(check(catalogue, "benang-tenun-manggarai", group(*members)))
        assert failure.key == "eligibility.marital_status"
        assert "kawin" in failure.text("id")
        assert "married" in failure.text("en")
        assert "cerai mati" in failure.text("id")
        assert "widowed" in failure.text("en")

    def test_a_status_the_register_did_not_give_is_said_as_not_recorded(
        self, catalogue: Catalogue
    ) -> None:
        members = weavers()
        members[1] = replace(members[1], marital_status="")
        failure = only(check(catalogue, "benang-tenun-manggarai", group(*members)))
        assert failure.key == "eligibility.marital_status"
        assert "belum tercatat" in failure.text("id")
        assert "not recorded" in failure.text("en")

    def test_dtks_is_not_the_pmks_register(self, catalogue: Catalogue) -> None:
        members = weavers()
        members[2] = replace(members[2], registries=frozenset({"DTKS"}))
        failure = only(check(catalogue, "benang-tenun-manggarai", group(*members)))
        assert failure.key == "eligibility.registered_in"
        assert_told(failure, "PMKS", mask_nik(members[2].nik))


class TestRegistries:
    def test_uep_needs_dtks(self, catalogue: Catalogue) -> None:
        applicant = alone(person("62.09", 5, registries=()))
        failure = only(check(catalogue, "uep-lamandau", applicant))
        assert failure.params == {"member": "6209************", "registries": "DTKS"}
        assert_told(failure, "DTKS")


class TestEveryFailureIsReported:
    def test_three_problems_give_three_reasons(self, catalogue: Catalogue) -> None:
        members = bekasi_group(9)
        members[0] = replace(members[0], aided_before=True)
        members[1] = replace(members[1], regency_code="32.16", registries=frozenset())
        failures = check(catalogue, "kube-bekasi", group(*members))
        assert [(f.rule, f.key) for f in failures] == [
            ("group_size", "eligibility.group_size.exact"),
            ("not_aided_before", "eligibility.aided_before"),
            ("resident_of_office_region", "eligibility.resident"),
            ("registered_in", "eligibility.registered_in"),
        ]
        assert failures[1].params["member"] == mask_nik(members[0].nik)
        assert failures[2].params["member"] == mask_nik(members[1].nik)
