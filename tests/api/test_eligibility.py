"""Each eligibility rule refuses a bad proposal through the API, with its own message."""

from __future__ import annotations

from datetime import date
from typing import Any

BONE, BEKASI, MANGGARAI = "73.08", "32.75", "53.10"


def refused_rules(operator: Any, programme: str, group: dict[str, Any]) -> list[dict[str, Any]]:
    response = operator.post(
        "/api/v1/proposals", json={"programme_code": programme, "group_id": group["id"]}
    )
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "error.ineligible"
    for detail in body["details"]:
        assert detail["message"] and detail["message_en"]
    details: list[dict[str, Any]] = body["details"]
    return details


def test_a_kube_bone_group_of_four_is_too_small(staff: Any, people: Any) -> None:
    operator = staff(BONE, "operator")
    members = [people.register(operator) for _ in range(4)]
    details = refused_rules(operator, "kube-bone", people.group(operator, members))
    assert [(d["rule"], d["error"]) for d in details] == [
        ("group_size", "eligibility.group_size.range")
    ]
    assert "4" in details[0]["message"]


def test_kube_bone_members_must_share_a_kecamatan(staff: Any, people: Any) -> None:
    operator = staff(BONE, "operator")
    members = [people.register(operator, kecamatan=1) for _ in range(4)]
    members.append(people.register(operator, kecamatan=2))
    details = refused_rules(operator, "kube-bone", people.group(operator, members))
    assert [d["rule"] for d in details] == ["same_kecamatan"]


def test_a_kube_bone_member_over_sixty_is_out_of_the_age_range(staff: Any, people: Any) -> None:
    operator = staff(BONE, "operator")
    members = [people.register(operator) for _ in range(4)]
    members.append(people.register(operator, born=date(1950, 3, 1), sex="L"))
    details = refused_rules(operator, "kube-bone", people.group(operator, members))
    assert [(d["rule"], d["error"]) for d in details] == [("age", "eligibility.age.too_old")]


def test_two_kube_bekasi_members_on_one_family_card_are_refused(staff: Any, people: Any) -> None:
    operator = staff(BEKASI, "operator")
    first = people.register(operator)
    members = [first] + [people.register(operator) for _ in range(8)]
    members.append(people.register(operator, sex="L", kk_number=first["kk_number"]))
    details = refused_rules(operator, "kube-bekasi", people.group(operator, members))
    assert [(d["rule"], d["error"]) for d in details] == [
        ("distinct_families", "eligibility.distinct_families")
    ]


def test_a_man_may_not_apply_for_benang_tenun_manggarai(staff: Any, people: Any) -> None:
    operator = staff(MANGGARAI, "operator")
    widow = {"marital_status": "cerai_mati", "registries": ("PMKS",)}
    members = [people.register(operator, **widow) for _ in range(9)]
    members.append(people.register(operator, sex="L", name="Yohanes Jehadu", **widow))
    details = refused_rules(operator, "benang-tenun-manggarai", people.group(operator, members))
    assert [(d["rule"], d["error"]) for d in details] == [("sex", "eligibility.sex.P")]


def test_an_eligible_kube_bone_group_is_accepted(staff: Any, people: Any) -> None:
    operator = staff(BONE, "operator")
    members = [people.register(operator) for _ in range(5)]
    group = people.group(operator, members)
    response = operator.post(
        "/api/v1/proposals", json={"programme_code": "kube-bone", "group_id": group["id"]}
    )
    assert response.status_code == 201, response.text
    applicant = response.json()["applicant"]
    assert (applicant["kind"], applicant["id"], applicant["name"], applicant["nik"]) == (
        "group",
        group["id"],
        "KUBE Maju",
        None,
    )
    assert len(applicant["members"]) == 5
