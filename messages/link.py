"""Link codes: what a chat reads when it sends one, and what the command line prints."""

from __future__ import annotations

ID: dict[str, str] = {
    "link.person": (
        "Chat ini sekarang terhubung dengan data {name} di {office}. Ketik 2 untuk melihat "
        "status usulan, atau keluar untuk memutus hubungan ini."
    ),
    "link.staff": (
        "Chat ini sekarang chat pribadi {name} di {office}: pengingat dan eskalasi pengaduan "
        "dikirim ke sini."
    ),
    "link.officers": (
        "Chat ini sekarang chat petugas pengaduan {office}: setiap pengaduan baru diumumkan di "
        "sini. Tekan Tangani untuk menangani, balas pesannya untuk menjawab."
    ),
    "link.invalid": (
        "Kode tidak berlaku. Periksa lagi angkanya, atau minta kode baru di kantor Dinas "
        "Sosial.\\nSisa percobaan: {left}."
    ),
    "link.malformed": (
        "Kode itu tidak lengkap atau salah ketik: kode terdiri dari 15 angka, seperti tertulis "
        "pada tanda terima. Periksa lagi angkanya."
    ),
    "link.shared": "Kode ini hanya bisa dipakai di chat pribadi dengan bot, bukan di grup.",
    "link.locked": "Terlalu banyak percobaan yang salah. Coba lagi setelah pukul {time} ({date}).",
}

EN: dict[str, str] = {
    "link.person": (
        "This chat is now linked to the data of {name} at {office}. Type 2 to see the status "
        "of proposals, or keluar to end this link."
    ),
    "link.staff": (
        "This chat is now the own chat of {name} at {office}: complaint reminders and "
        "escalations come here."
    ),
    "link.officers": (
        "This chat is now the officers' chat of {office}: every new complaint is announced "
        "here. Press Tangani to take one, reply to its message to answer."
    ),
    "link.invalid": (
        "This code is not valid. Check the digits, or ask the Dinas Sosial office for a new "
        "code.\\nAttempts left: {left}."
    ),
    "link.malformed": (
        "That code is incomplete or mistyped: a code has 15 digits, as printed on the receipt. "
        "Check the digits again."
    ),
    "link.shared": "This code only works in a private chat with the bot, not in a group.",
    "link.locked": "Too many wrong attempts. Try again after {time} ({date}).",
}
