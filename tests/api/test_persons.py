"""Registering and finding people; every read of a person is audited."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from models import AuditLog, Person

LAMANDAU, BONE = "62.09", "73.08"


def audit_rows(db: Engine, person_id: int) -> list[AuditLog]:
    with Session(db) as session:
        query = select(AuditLog).where(AuditLog.entity == "person", AuditLog.entity_id == person_id)
        return list(session.exec(query).all())


def test_a_person_is_found_by_exact_nik_but_not_by_a_nik_prefix(staff: Any, people: Any) -> None:
    operator = staff(LAMANDAU, "operator")
    person = people.register(operator, name="Maria Goreti")

    exact = operator.get("/api/v1/persons", params={"nik": person["nik"]})
    assert [p["id"] for p in exact.json()] == [person["id"]]

    prefix = operator.get("/api/v1/persons", params={"nik": person["nik"][:12]})
    assert prefix.status_code == 200
    assert prefix.json() == []

    by_name = operator.get("/api/v1/persons", params={"name": "goreti"})
    assert [p["name"] for p in by_name.json()] == ["Maria Goreti"]


def test_every_read_of_a_person_writes_an_audit_row(staff: Any, people: Any, db: Engine) -> None:
    operator = staff(LAMANDAU, "operator")
    person = people.register(operator)
    assert [r.action for r in audit_rows(db, person["id"])] == ["create"]

    assert operator.get(f"/api/v1/persons/{person['id']}").status_code == 200
    operator.get("/api/v1/persons", params={"nik": person["nik"]})

    rows = audit_rows(db, person["id"])
    assert [r.action for r in rows] == ["create", "read", "read"]
    assert {r.staff_id for r in rows} == {operator.info["id"]}


def test_a_person_of_another_office_answers_as_one_that_does_not_exist(
    staff: Any, people: Any
) -> None:
    person = people.register(staff(LAMANDAU, "operator"))
    outsider = staff(BONE, "supervisor")

    response = outsider.get(f"/api/v1/persons/{person['id']}")
    missing = outsider.get(f"/api/v1/persons/{person['id'] + 1000}")
    assert response.status_code == missing.status_code == 404
    assert response.json() == missing.json()
    # Search is scoped too: the NIK simply is not among Bone's people.
    assert outsider.get("/api/v1/persons", params={"nik": person["nik"]}).json() == []


def test_a_nik_that_contradicts_the_birth_date_is_refused_with_its_reason(
    staff: Any, people: Any
) -> None:
    operator = staff(LAMANDAU, "operator")
    body = people.body(LAMANDAU)
    body["birth_date"] = "1981-05-17"
    response = operator.post("/api/v1/persons", json=body)
    assert response.status_code == 422
    assert response.json()["error"] == "identity.nik.birth_mismatch"


def test_a_complaint_officer_may_read_but_not_register(staff: Any, people: Any) -> None:
    officer = staff(LAMANDAU, "complaint_officer")
    response = officer.post("/api/v1/persons", json=people.body(LAMANDAU))
    assert response.status_code == 403
    assert response.json()["error"] == "error.forbidden_role"


def test_a_complaint_officer_reads_the_nik_and_kk_masked_an_operator_whole(
    staff: Any, people: Any
) -> None:
    operator = staff(LAMANDAU, "operator")
    person = people.register(operator)
    officer = staff(LAMANDAU, "complaint_officer")

    seen = officer.get(f"/api/v1/persons/{person['id']}").json()
    assert seen["nik"] == person["nik"][:4] + "*" * 12
    assert seen["kk_number"] == person["kk_number"][:4] + "*" * 12
    whole = operator.get(f"/api/v1/persons/{person['id']}").json()
    assert (whole["nik"], whole["kk_number"]) == (person["nik"], person["kk_number"])


def test_bad_input_is_a_4xx_that_names_the_problem_never_a_500(
    staff: Any, people: Any, client: TestClient
) -> None:
    operator = staff(LAMANDAU, "operator")
    broken = operator.post(
        "/api/v1/persons",
        content=b'{"nik": "62',
        headers={"Content-Type": "application/json"},
    )
    assert broken.status_code == 422

    unknown = operator.post("/api/v1/persons", json={**people.body(LAMANDAU), "agama": "x"})
    assert unknown.status_code == 422
    assert [d["field"] for d in unknown.json()["details"]] == ["agama"]

    wrong_type = operator.post("/api/v1/persons", json={**people.body(LAMANDAU), "sex": 1})
    assert wrong_type.status_code == 422

    huge = operator.post("/api/v1/persons", json={**people.body(LAMANDAU), "name": "A" * 5000})
    assert huge.status_code == 422

    long_registry = {**people.body(LAMANDAU), "registries": ["X" * 59]}
    assert operator.post("/api/v1/persons", json=long_registry).status_code == 422

    assert operator.get(f"/api/v1/persons/{10**12}").status_code == 422
    assert operator.get("/api/v1/persons/abc").status_code == 422
    assert operator.get("/api/v1/persons/999999").status_code == 404
    assert operator.get("/api/v1/persons").status_code == 422


def test_a_phone_on_file_is_kept_as_typed_and_in_one_form_for_matching(
    staff: Any, people: Any, db: Engine
) -> None:
    operator = staff(LAMANDAU, "operator")
    body = people.body(LAMANDAU)
    response = operator.post("/api/v1/persons", json={**body, "phone": "0852 1111 2222"})
    assert response.status_code == 201, response.text
    odd = operator.post("/api/v1/persons", json={**people.body(LAMANDAU), "phone": "12"})
    assert odd.status_code == 201, odd.text
    with Session(db) as session:
        phones = {p.phone: p.phone_e164 for p in session.exec(select(Person)).all()}
    assert phones == {"0852 1111 2222": "+6285211112222", "12": ""}
