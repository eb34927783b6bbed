"""Phone numbers in one form, so that the number a person writes from matches the one on file.

Staff type numbers as people say them (``0812-3456-7890``, ``+62 812 3456 7890``,
``62812…``); WhatsApp and Telegram give them in international digits. Both become E.164
(``+6281234567890``) through Google's libphonenumber rules, read as Indonesian unless they
carry a country code.
"""

from __future__ import annotations

import phonenumbers

REGION = "ID"


def normalise(text: str | None) -> str | None:
    """The number in E.164, or None when ``text`` is no valid phone number."""
    if not text or len(text) > 40:
        return None
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
