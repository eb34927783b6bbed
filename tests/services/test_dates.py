"""Dates as people type them: day first, digits or words, short years."""

from __future__ import annotations

from datetime import date

from services.dates import parse_date

TODAY = date(2026, 3, 10)
FIFTH_OF_AUGUST_1991 = date(1991, 8, 5)


class TestParseDate:
    def test_every_common_form_of_one_date(self) -> None:
        for typed in (
            "5 Agustus 1991",
            "5 agustus 1991",
            "05 AGUSTUS 1991",
            "5 Agt 1991",
            "5 agu. 1991",
            "5 Aug 1991",
            "5 August 1991",
            "5-Agustus-1991",
            "5 Agustus 91",
            "5-8-91",
            "5/8/91",
            "5.8.1991",
            "05/08/1991",
            "05-08-1991",
            "05081991",
            "5 8 1991",
            "1991-08-05",
            "1991/8/5",
            "tanggal 5 Agustus 1991",
            "tgl 5-8-1991",
            " 5  agustus , 1991 ",
        ):
            assert parse_date(typed, today=TODAY) == FIFTH_OF_AUGUST_1991, typed

    def test_a_two_digit_year_is_the_latest_not_after_today(self) -> None:
        assert parse_date("1-1-20", today=TODAY) == date(2020, 1, 1)
        assert parse_date("1-1-26", today=TODAY) == date(2026, 1, 1)
        assert parse_date("1-12-26", today=TODAY) == date(1926, 12, 1)
        assert parse_date("17 Agustus 45", today=TODAY) == date(1945, 8, 17)

    def test_what_is_no_date(self) -> None:
        for typed in ("", "kemarin", "31-02-1980", "5 Agustusan 1991", "5 13 1991", "1991", "5-8"):
            assert parse_date(typed, today=TODAY) is None, typed

    def test_every_month_name(self) -> None:
        names = [
            "Januari", "Februari", "Maret", "April", "Mei", "Juni",
            "Juli", "Agustus", "September", "Oktober", "November", "Desember",
        ]  # fmt: skip
        for month, name in enumerate(names, start=1):
            assert parse_date(f"2 {name} 2000", today=TODAY) == date(2000, month, 2), name
