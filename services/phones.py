"""Phone numbers in one form, so that the number a person writes from matches the one on file.

Staff type numbers as people say them (``0812-3456-7890``, ``+62 812 3456 7890``,
``62812…``); WhatsApp and Telegram give them in international digits. Both become E.164
(``+6281234567890``) through Google's libphonenumber rules, read as Indonesian unless they
carry a country code.
"""

from __future__ import annotations

import re

import phonenumbers

REGION = "ID"

# Most numbers on an office's list are Indonesian mobiles written as bare digits, ``08…`` or
# ``+628…``. For those, libphonenumber's parse would find exactly country code 62 and the
# digits after the ``0`` or ``+62`` (``08`` is no international prefix, which is ``00[89]``;
# and a valid remainder is always stripped of the national prefix ``0``), so the number is
# built directly and only checked: a quarter of parse's cost, the same result. Anything else,
# or one the check refuses, goes the whole way.
_PLAIN_MOBILE = re.compile(r"(?:0|\+62)(8[0-9]{6,15})")


def normalise(text: str | None) -> str | None:
    """The number in E.164, or None when ``text`` is no valid phone number."""
    if not text or len(text) > 40:
        return None
    if plain := _PLAIN_MOBILE.fullmatch(text):
        digits = plain[1]
        number = phonenumbers.PhoneNumber(country_code=62, national_number=int(digits))
        if phonenumbers.is_valid_number(number):
            return "+62" + digits
    return _parsed(text)


def _parsed(text: str) -> str | None:
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
