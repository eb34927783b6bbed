"""NIK and No. KK: each typing mistake is told apart, so the person knows what to re-check."""

from __future__ import annotations

from datetime import date

import pytest

import messages
from services.errors import InvalidInput
from services.nik import IdentityError, make_nik, mask_nik, validate_kk, validate_nik

TODAY = date(2026, 3, 2)


def _mistake(value: str) -> IdentityError:
    with pytest.raises(IdentityError) as caught:
        validate_nik(value, today=TODAY)
    return caught.value


class TestValidNik:
    def test_a_mans_nik_tells_region_birth_date_and_sex(self) -> None:
        info = validate_nik("7308011705850001", today=TODAY)
        assert info.nik == "7308011705850001"
        assert info.province_code == "73"
        assert info.regency_code == "73.08"
        assert info.kecamatan_code == "73.08.01"
        assert info.birth_date == date(1985, 5, 17)
        assert info.sex == "L"

    def test_a_womans_day_has_forty_added(self) -> None:
        info = validate_nik("5310025705850002", today=TODAY)
        assert info.sex == "P"
        assert info.birth_date == date(1985, 5, 17)

    def test_the_last_day_for_a_woman_is_seventy_one(self) -> None:
        info = validate_nik("5310027112900003", today=TODAY)
        assert (info.sex, info.birth_date) == ("P", date(1990, 12, 31))

    def test_spaces_dots_and_dashes_are_ignored(self) -> None:
        assert validate_nik(" 7308.0117-0585 0001 ", today=TODAY).nik == "7308011705850001"

    @pytest.mark.parametrize(
        ("nik", "born"),
        [
            ("7308010101050001", date(2005, 1, 1)),  # 2005 is in the past
            ("7308010101950001", date(1995, 1, 1)),  # 2095 would be in the future
            ("7308010102260001", date(2026, 2, 1)),  # earlier this year
            ("7308010104260001", date(1926, 4, 1)),  # later this year: a hundred years ago
        ],
    )
    def test_a_two_digit_year_is_the_latest_one_not_in_the_future(
        self, nik: str, born: date
    ) -> None:
        assert validate_nik(nik, today=TODAY).birth_date == born


class TestNikMistakes:
    def test_letters_are_not_digits(self) -> None:
        error = _mistake("73080117O5850001")
        assert error.key == "identity.nik.digits"

    @pytest.mark.parametrize("value", ["730801170585000", "73080117058500011", ""])
    def test_a_nik_has_sixteen_digits(self, value: str) -> None:
        error = _mistake(value)
        assert error.key == "identity.nik.length"
        assert error.params == {"length": len(value)}
        assert f"{len(value)} angka" in messages.render(error.key, "id", **error.params)

    def test_an_unknown_province(self) -> None:
        error = _mistake("2008011705850001")
        assert (error.key, error.params) == ("identity.nik.province", {"province": "20"})
        assert "(20)" in messages.render(error.key, "en", **error.params)

    def test_regency_zero_zero(self) -> None:
        assert _mistake("7300011705850001").key == "identity.nik.regency"

    def test_kecamatan_zero_zero(self) -> None:
        error = _mistake("7308001705850001")
        assert (error.key, error.params) == ("identity.nik.kecamatan", {"regency": "73.08"})

    @pytest.mark.parametrize("day", ["00", "32", "40", "72", "99"])
    def test_a_day_neither_a_mans_nor_a_womans(self, day: str) -> None:
        error = _mistake(f"730801{day}05850001")
        assert (error.key, error.params) == ("identity.nik.birth_day", {"day": day})

    @pytest.mark.parametrize("month", ["00", "13"])
    def test_a_month_outside_the_year(self, month: str) -> None:
        error = _mistake(f"73080117{month}850001")
        assert (error.key, error.params) == ("identity.nik.birth_month", {"month": month})

    @pytest.mark.parametrize(
        ("nik", "day"),
        [("7308013102850001", "31"), ("7308017002850001", "30"), ("7308012902850001", "29")],
    )
    def test_a_date_the_calendar_does_not_have(self, nik: str, day: str) -> None:
        error = _mistake(nik)
        assert error.key == "identity.nik.birth_date"
        assert error.params == {"day": day, "month": "02", "year": "85"}
        assert f"{day}-02-85" in messages.render(error.key, "id", **error.params)

    def test_serial_zero(self) -> None:
        assert _mistake("7308011705850000").key == "identity.nik.serial"

    def test_the_error_is_an_input_error_with_both_languages(self) -> None:
        error = _mistake("73080117058500")
        assert isinstance(error, ValueError)
        assert isinstance(error, InvalidInput)
        assert error.status == 422
        body = error.as_dict()
        assert body["error"] == "identity.nik.length"
        assert "14" in body["message"]
        assert "14" in body["message_en"]


class TestKk:
    def test_a_valid_number_comes_back_as_sixteen_digits(self) -> None:
        assert validate_kk("3275 0312 0319 0007") == "3275031203190007"

    @pytest.mark.parametrize(
        ("value", "key"),
        [
            ("3275O31203190007", "identity.kk.digits"),
            ("327503120319000", "identity.kk.length"),
            ("1075031203190007", "identity.kk.province"),
            ("3200031203190007", "identity.kk.regency"),
            ("3275031203190000", "identity.kk.serial"),
        ],
    )
    def test_each_mistake_has_its_own_message(self, value: str, key: str) -> None:
        with pytest.raises(IdentityError) as caught:
            validate_kk(value)
        assert caught.value.key == key
        assert messages.render(key, "id", **caught.value.params)


class TestMask:
    def test_only_the_region_prefix_shows(self) -> None:
        assert mask_nik("7308011705850001") == "7308************"

    def test_separators_do_not_leak_digits(self) -> None:
        assert mask_nik("7308-0117-0585-0001") == "7308************"


class TestMakeNik:
    def test_a_built_nik_reads_back_as_built(self) -> None:
        nik = make_nik("62.09", "03", date(1979, 11, 8), "P", 42)
        assert nik == "6209034811790042"
        info = validate_nik(nik, today=TODAY)
        assert (info.kecamatan_code, info.birth_date, info.sex) == (
            "62.09.03",
            date(1979, 11, 8),
            "P",
        )

    def test_a_bad_part_is_refused(self) -> None:
        with pytest.raises(ValueError, match="serial"):
            make_nik("73.08", 1, date(1980, 1, 1), "L", 0)
        with pytest.raises(ValueError, match="sex"):
            make_nik("73.08", 1, date(1980, 1, 1), "F", 1)
        with pytest.raises(IdentityError):
            make_nik("99.08", 1, date(1980, 1, 1), "L", 1)
