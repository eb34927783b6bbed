"""Spreadsheets of people and proposals: all rows or none, with a report naming each bad row."""

from __future__ import annotations

from datetime import date
from typing import Any

LAMANDAU = "62.09"
HEADER = [
    "nik",
    "no_kk",
    "nama",
    "tanggal_lahir",
    "jenis_kelamin",
    "status_perkawinan",
    "terdaftar",
]


def person_row(people: Any, **kwargs: Any) -> list[str]:
    body = people.body(LAMANDAU, **kwargs)
    born = date.fromisoformat(body["birth_date"])
    return [
        body["nik"],
        body["kk_number"],
        body["name"],
        born.strftime("%d-%m-%Y"),
        body["sex"],
        "Kawin",
        "DTKS",
    ]


def as_csv(rows: list[list[str]], delimiter: str = ",", bom: bool = False) -> bytes:
    text = "\r\n".join(delimiter.join(r) for r in [HEADER, *rows]) + "\r\n"
    return ("\ufeff" if bom else "").encode() + text.encode()


def upload(who: Any, kind: str, data: bytes) -> Any:
    return who.post(f"/api/v1/imports/{kind}", files={"file": ("data.csv", data, "text/csv")})


def test_a_good_persons_file_imports_every_row(staff: Any, people: Any) -> None:
    operator = staff(LAMANDAU, "operator")
    rows = [person_row(people) for _ in range(3)]
    response = upload(operator, "persons", as_csv(rows))
    assert response.status_code == 201, response.text
    assert response.json()["imported"] == 3
    found = operator.get("/api/v1/persons", params={"nik": rows[1][0]}).json()
    assert found[0]["registries"] == ["DTKS"]


def test_one_bad_row_in_the_middle_is_reported_and_nothing_is_imported(
    staff: Any, people: Any
) -> None:
    operator = staff(LAMANDAU, "operator")
    rows = [person_row(people) for _ in range(5)]
    rows[2][3] = "31-02-1980"  # spreadsheet row 4: the header is row 1
    response = upload(operator, "persons", as_csv(rows))
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "api.csv.invalid"
    assert [(d["row"], d["column"], d["error"]) for d in body["details"]] == [
        (4, "tanggal_lahir", "api.csv.date")
    ]
    assert body["details"][0]["message"] and body["details"][0]["message_en"]
    for row in rows:
        assert operator.get("/api/v1/persons", params={"nik": row[0]}).json() == []


def test_a_row_the_database_refuses_late_rolls_back_the_rows_before_it(
    staff: Any, people: Any
) -> None:
    operator = staff(LAMANDAU, "operator")
    existing = people.register(operator)
    rows = [person_row(people) for _ in range(3)]
    rows.append([existing["nik"], existing["kk_number"], "Dua Kali", "17-05-1980", "P", "kawin"])
    rows[-1].append("")
    response = upload(operator, "persons", as_csv(rows))
    assert response.status_code == 422
    assert [(d["row"], d["error"]) for d in response.json()["details"]] == [
        (5, "error.duplicate_nik")
    ]
    assert operator.get("/api/v1/persons", params={"nik": rows[0][0]}).json() == []


def test_semicolons_a_bom_and_slashed_dates_from_indonesian_excel_work(
    staff: Any, people: Any
) -> None:
    operator = staff(LAMANDAU, "operator")
    rows = [person_row(people) for _ in range(2)]
    rows[0][3] = rows[0][3].replace("-", "/")
    response = upload(operator, "persons", as_csv(rows, delimiter=";", bom=True))
    assert response.status_code == 201, response.text
    assert response.json()["imported"] == 2


def test_a_file_that_is_not_utf8_or_is_empty_is_refused(staff: Any, people: Any) -> None:
    operator = staff(LAMANDAU, "operator")
    latin1 = as_csv([person_row(people, name="Hasnah")]).replace(
        b"Hasnah", "Hasnäh".encode("latin-1")
    )
    response = upload(operator, "persons", latin1)
    assert response.status_code == 422
    assert response.json()["error"] == "error.csv_encoding"
    assert upload(operator, "persons", b"").json()["error"] == "error.csv_empty"
    header_only = upload(operator, "persons", as_csv([]))
    assert header_only.json()["error"] == "error.csv_empty"
    misspelt = upload(operator, "persons", b"nik,no_kk,nama,tgl_lahir\n")
    assert misspelt.status_code == 422
    assert misspelt.json()["error"] == "api.csv.unknown_columns"


def test_proposals_are_imported_for_people_and_groups(staff: Any, people: Any) -> None:
    operator = staff(LAMANDAU, "operator")
    applicants = [people.register(operator) for _ in range(2)]
    data = (
        "program;nik_pemohon;catatan\n"
        + "".join(f"uep-lamandau;{a['nik']};Usulan desa\n" for a in applicants)
    ).encode()
    response = upload(operator, "proposals", data)
    assert response.status_code == 201, response.text
    numbers = response.json()["numbers"]
    assert len(numbers) == 2
    found = operator.get("/api/v1/proposals", params={"nik": applicants[1]["nik"]}).json()
    assert [p["number"] for p in found] == [numbers[1]]


def test_an_ineligible_proposal_row_is_reported_with_its_rule_and_nothing_filed(
    staff: Any, people: Any
) -> None:
    operator = staff(LAMANDAU, "operator")
    good = people.register(operator)
    too_old = people.register(operator, born=date(1950, 1, 1), sex="L")
    data = (
        "program,nik_pemohon\n"
        f"uep-lamandau,{good['nik']}\n"
        f"uep-lamandau,{too_old['nik']}\n"
        "uep-lamandau,6209014101900099\n"
    ).encode()
    response = upload(operator, "proposals", data)
    assert response.status_code == 422
    details = response.json()["details"]
    assert [(d["row"], d["column"], d["error"]) for d in details] == [
        (3, "nik_pemohon", "eligibility.age.too_old"),
        (4, "nik_pemohon", "api.csv.person_missing"),
    ]
    assert operator.get("/api/v1/proposals", params={"nik": good["nik"]}).json() == []


def test_a_complaint_officer_may_not_import(staff: Any, people: Any) -> None:
    officer = staff(LAMANDAU, "complaint_officer")
    response = upload(officer, "persons", as_csv([person_row(people)]))
    assert response.status_code == 403
