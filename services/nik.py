"""NIK (Nomor Induk Kependudukan) and No. KK (Kartu Keluarga number) checks.

A NIK is 16 digits: ``PP RR CC DDMMYY SSSS`` — province, regency/city, kecamatan, birth date
(women add 40 to the day), and a serial. A No. KK shares the region prefix. The checks here are
structural only: they catch typing mistakes early in a conversation, not identity fraud, and
each kind of mistake gets its own message so the person knows which digits to look at again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from services.errors import InvalidInput

# Kemendagri province codes (Permendagri 58/2021 and the 2022 Papua splits).
PROVINCE_CODES: frozenset[str] = frozenset(
    f"{n:02d}"
    for n in (
        *range(11, 20),
        21,
        *range(31, 37),
        *range(51, 54),
        *range(61, 66),
        *range(71, 77),
        81,
        82,
        *range(91, 98),
    )
)

_SEPARATORS = re.compile(r"[\s.\-]")
_FEMALE_DAY_OFFSET = 40


class IdentityError(InvalidInput, ValueError):
    """A NIK or No. KK that cannot be right; ``key`` and ``params`` name the mistake."""

    def __init__(self, key: str, /, **params: Any) -> None:
        super().__init__(key, **params)


@dataclass(frozen=True)
class NikInfo:
    nik: str
    province_code: str  # "73"
    regency_code: str  # "73.08"
    kecamatan_code: str  # "73.08.01"
    birth_date: date
    sex: str  # "L" or "P"


def normalise(value: str) -> str:
    """Drop the spaces, dots and dashes people type to group the digits."""
    return _SEPARATORS.sub("", value)


def _check_digits(kind: str, value: str) -> str:
    digits = normalise(value)
    # [0-9] rather than str.isdigit(): Arabic-Indic and superscript digits are not NIK digits.
    if digits and not re.fullmatch(r"[0-9]+", digits):
        raise IdentityError(f"identity.{kind}.digits")
    if len(digits) != 16:
        raise IdentityError(f"identity.{kind}.length", length=len(digits))
    return digits


def _check_region(kind: str, digits: str) -> None:
    if digits[0:2] not in PROVINCE_CODES:
        raise IdentityError(f"identity.{kind}.province", province=digits[0:2])
    if digits[2:4] == "00":
        raise IdentityError(f"identity.{kind}.regency", province=digits[0:2])


def _resolve_year(two_digits: int, month: int, day: int, today: date) -> date:
    """The most recent date with these digits that is not after ``today``."""
    try:
        candidate = date(2000 + two_digits, month, day)
    except ValueError:
        # 29 February in a year that is a leap year only in one of the two centuries.
        candidate = None
    if candidate is not None and candidate <= today:
        return candidate
    return date(1900 + two_digits, month, day)


def validate_nik(value: str, *, today: date | None = None) -> NikInfo:
    """Check a NIK's structure and read what it encodes; raises :class:`IdentityError`."""
    today = today or date.today()
    nik = _check_digits("nik", value)
    _check_region("nik", nik)
    if nik[4:6] == "00":
        raise IdentityError("identity.nik.kecamatan", regency=f"{nik[0:2]}.{nik[2:4]}")

    day_digits, month, year_digits = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if 1 <= day_digits <= 31:
        sex, day = "L", day_digits
    elif 1 + _FEMALE_DAY_OFFSET <= day_digits <= 31 + _FEMALE_DAY_OFFSET:
        sex, day = "P", day_digits - _FEMALE_DAY_OFFSET
    else:
        raise IdentityError("identity.nik.birth_day", day=nik[6:8])
    if not 1 <= month <= 12:
        raise IdentityError("identity.nik.birth_month", month=nik[8:10])
    try:
        birth_date = _resolve_year(year_digits, month, day, today)
    except ValueError:
        raise IdentityError(
            "identity.nik.birth_date", day=f"{day:02d}", month=f"{month:02d}", year=nik[10:12]
        ) from None

    if nik[12:16] == "0000":
        raise IdentityError("identity.nik.serial")
    return NikInfo(
        nik=nik,
        province_code=nik[0:2],
        regency_code=f"{nik[0:2]}.{nik[2:4]}",
        kecamatan_code=f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}",
        birth_date=birth_date,
        sex=sex,
    )


def validate_kk(value: str) -> str:
    """Check a No. KK's structure and return its 16 digits; raises :class:`IdentityError`."""
    kk = _check_digits("kk", value)
    _check_region("kk", kk)
    if kk[12:16] == "0000":
        raise IdentityError("identity.kk.serial")
    return kk


def mask_nik(nik: str) -> str:
    """``7308************``: enough to tell records apart on screen, too little to misuse."""
    digits = normalise(nik)
    return digits[:4] + "*" * max(16 - len(digits[:4]), 0)


def make_nik(
    regency_code: str,
    kecamatan_two_digits: str | int,
    birth_date: date,
    sex: str,
    serial: int,
) -> str:
    """A structurally valid NIK, for demo data and tests. Raises ValueError on bad parts."""
    match = re.fullmatch(r"(\d{2})\.?(\d{2})", regency_code)
    if match is None:
        raise ValueError(f"regency code must look like '73.08', got {regency_code!r}")
    if sex not in {"L", "P"}:
        raise ValueError(f"sex must be 'L' or 'P', got {sex!r}")
    if not 1 <= serial <= 9999:
        raise ValueError(f"serial must be 1..9999, got {serial}")
    kecamatan = f"{int(kecamatan_two_digits):02d}"
    day = birth_date.day + (_FEMALE_DAY_OFFSET if sex == "P" else 0)
    nik = (
        f"{match[1]}{match[2]}{kecamatan}"
        f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"
    )
    # Built NIKs must pass the same checks as typed ones; the year is checked separately
    # because two digits cannot say which century they belong to.
    validate_nik(nik, today=date.max)
    return nik
