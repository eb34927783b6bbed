"""Phone numbers: the short way for plain Indonesian mobiles gives what libphonenumber gives."""

from __future__ import annotations

import random

from services import phones


def test_a_plain_mobile_number_comes_out_as_libphonenumber_reads_it() -> None:
    # Written as offices write them, valid and not: every length, every first digits.
    draw = random.Random(12)
    written = ["08123456789", "+6281234567890", "0812345", "+62812", "0800000000000000"]
    for _ in range(5_000):
        digits = "".join(draw.choice("0123456789") for _ in range(draw.randint(5, 16)))
        written += ["0" + digits, "08" + digits, "+628" + digits, "+62" + digits]

    short_way = [phones.normalise(text) for text in written]

    assert short_way == [phones._parsed(text) for text in written]
    assert phones.normalise("0812-3456-7890") == "+6281234567890"
    assert phones.normalise("081234567890") == "+6281234567890"
    assert phones.normalise("+62 812 3456 7890") == "+6281234567890"
    assert phones.normalise("bukan nomor") is None
    # Both kinds occur in the sample, so the comparison compares something.
    assert None in short_way
    assert sum(e164 is not None for e164 in short_way) > 1_000
