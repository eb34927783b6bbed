"""The words people use instead of the digits and buttons: read once, in one place.

A numbered choice may come typed as ``1``, ``1.``, ``1)``, ``(1)``, ``no. 1``, ``nomor 1``,
``pilih 1``, ``satu`` or ``one``; :func:`choice` turns each into ``"1"``. A few phrases mean a
menu item or a move wherever they are typed (:func:`intent`): ``cek status``, ``lapor``,
``syarat``, ``menu``, ``kembali`` (one step back), ``terima kasih`` (a polite answer), and
``-``/``lewati`` to skip a question that may be skipped. What people answer to a notice is
read here too (:func:`notice_reply`): ``BERHENTI``/``STOP`` and ``MULAI``/``START`` for
broadcasts, ``HADIR`` and ``TIDAK BISA HADIR`` (each may name the notice: ``hadir 12``, the
value of the notice's buttons). Dates have their own reader (:mod:`services.dates`).
"""

from __future__ import annotations

import re
from enum import StrEnum

NUMBER_WORDS: dict[str, str] = {
    "nol": "0", "kosong": "0", "zero": "0",
    "satu": "1", "kesatu": "1", "pertama": "1", "one": "1", "first": "1",
    "dua": "2", "kedua": "2", "two": "2", "second": "2",
    "tiga": "3", "ketiga": "3", "three": "3", "third": "3",
    "empat": "4", "keempat": "4", "four": "4", "fourth": "4",
    "lima": "5", "kelima": "5", "five": "5", "fifth": "5",
    "enam": "6", "keenam": "6", "six": "6", "sixth": "6",
    "tujuh": "7", "ketujuh": "7", "seven": "7", "seventh": "7",
    "delapan": "8", "kedelapan": "8", "eight": "8", "eighth": "8",
    "sembilan": "9", "kesembilan": "9", "nine": "9", "ninth": "9",
    "sepuluh": "10", "kesepuluh": "10", "ten": "10", "tenth": "10",
}  # fmt: skip

# "nomor 2", "no. 2", "pilih 2", "pilihan dua", "angka 2", "yang kedua".
_LEAD = re.compile(r"^(?:nomor|nomer|no\.?|nmr|pilih(?:an)?|angka|yang|yg|number|option)\s+")
# "2.", "2)", "(2)", "2]", "[2]", "#2", "2️⃣".
_DIGITS = re.compile(r"^[(\[#]?\s*(\d{1,3})\s*[.)\]:]?(?:\ufe0f?\u20e3)?$")


class Intent(StrEnum):
    MENU = "menu"
    BACK = "back"
    THANKS = "thanks"
    STATUS = "status"
    COMPLAINT = "complaint"
    REQUIREMENTS = "requirements"
    SKIP = "skip"


_PHRASES: dict[Intent, frozenset[str]] = {
    Intent.MENU: frozenset({"menu", "menu utama", "main menu", "/menu", "beranda", "home"}),
    Intent.BACK: frozenset(
        {"kembali", "balik", "mundur", "sebelumnya", "back", "go back", "previous", "<", "/back"}
    ),
    Intent.THANKS: frozenset(
        {
            "terima kasih", "terimakasih", "trima kasih", "makasih", "makasi", "mksh", "trims",
            "tq", "ty", "thanks", "thank you", "thx", "terima kasih banyak", "makasih ya",
            "matur nuwun", "ok terima kasih", "oke terima kasih", "baik terima kasih",
        }
    ),
    Intent.STATUS: frozenset(
        {
            "cek status", "status", "cek usulan", "status usulan", "cek proposal",
            "status proposal", "cek bantuan", "status bantuan", "check status", "my proposal",
        }
    ),
    Intent.COMPLAINT: frozenset(
        {
            "lapor", "laporan", "melapor", "pengaduan", "aduan", "mengadu", "adukan", "komplain",
            "keluhan", "complaint", "complain", "report",
        }
    ),
    Intent.REQUIREMENTS: frozenset(
        {"syarat", "persyaratan", "syarat-syarat", "syaratnya", "apa syaratnya", "requirements"}
    ),
    Intent.SKIP: frozenset({"-", "lewati", "lewat", "skip", "tidak ada", "tdk ada", "none"}),
}  # fmt: skip


def _clean(text: str) -> str:
    """Lower case, single spaces, without the closing punctuation people add."""
    return " ".join(text.lower().split()).strip(" !?,")


def choice(text: str) -> str | None:
    """The digits a typed choice stands for (``"satu"``, ``"1."`` → ``"1"``), or None."""
    cleaned = _LEAD.sub("", _clean(text)).strip()
    if cleaned in NUMBER_WORDS:
        return NUMBER_WORDS[cleaned]
    found = _DIGITS.match(cleaned)
    return str(int(found[1])) if found else None


def intent(text: str) -> Intent | None:
    """The move a phrase asks for, whatever the state, or None."""
    cleaned = _clean(text)
    if cleaned != "-":
        cleaned = cleaned.strip(".")
    return next((name for name, phrases in _PHRASES.items() if cleaned in phrases), None)


def is_skip(text: str) -> bool:
    return intent(text) is Intent.SKIP


class NoticeReply(StrEnum):
    STOP = "stop"
    START = "start"
    ATTEND = "attend"
    DECLINE = "decline"


_NOTICE_REPLIES: dict[NoticeReply, frozenset[str]] = {
    NoticeReply.STOP: frozenset(
        {"berhenti", "stop", "stop pengumuman", "berhenti pengumuman", "unsubscribe"}
    ),
    NoticeReply.START: frozenset({"mulai", "start", "mulai lagi", "mulai pengumuman"}),
    NoticeReply.ATTEND: frozenset(
        {
            "hadir", "saya hadir", "ya hadir", "akan hadir", "saya akan hadir", "bisa hadir",
            "insya allah hadir", "insyaallah hadir", "siap hadir", "i will come", "attend",
        }
    ),
    NoticeReply.DECLINE: frozenset(
        {
            "tidak bisa hadir", "tidak hadir", "tdk bisa hadir", "tdk hadir",
            "tidak dapat hadir", "berhalangan", "berhalangan hadir", "saya tidak bisa hadir",
            "i cannot come", "cannot come", "decline",
        }
    ),
}  # fmt: skip
_WITH_ID = re.compile(r"^(?P<words>.+?)\s+#?(?P<id>\d{1,9})$")


def notice_reply(text: str) -> tuple[NoticeReply, int | None] | None:
    """What a person answers to notices, and the notice it names if any; None otherwise."""
    cleaned = _clean(text).strip(".")
    notice_id = None
    found = _WITH_ID.match(cleaned)
    if found is not None:
        cleaned, notice_id = found["words"], int(found["id"])
    for reply, phrases in _NOTICE_REPLIES.items():
        if cleaned in phrases:
            if notice_id is not None and reply in (NoticeReply.STOP, NoticeReply.START):
                return None
            return reply, notice_id
    return None
