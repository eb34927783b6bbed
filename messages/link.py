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
    "link.how": (
        "Status usulan hanya tampil di chat yang terhubung dengan data Anda. Caranya:\n"
        "• tekan tombol Bagikan nomor saya, bila nomor HP Anda tercatat di Dinas Sosial; atau\n"
        "• kirim kode tautan 15 angka dari Dinas Sosial (tertera pada tanda terima usulan "
        "atau pengaduan)."
    ),
    "link.phone_unknown": (
        "Nomor Anda belum tercatat di Dinas Sosial. Kirim kode tautan 15 angka dari Dinas "
        "Sosial (tertera pada tanda terima usulan atau pengaduan) untuk menghubungkan chat ini "
        "dengan data Anda."
    ),
    "link.get_code": "Belum punya kode? Minta di kantor, dengan membawa KTP:",
    "link.share_button": "📱 Bagikan nomor saya",
    "link.no_nik": (
        "NIK dan tanggal lahir tidak lagi dipakai untuk membuka data, karena keduanya tertulis "
        "di KTP. Gunakan nomor HP Anda atau kode tautan dari Dinas Sosial."
    ),
    "link.not_own": (
        "Hanya nomor Anda sendiri yang bisa dipakai: tekan tombol Bagikan nomor saya.\n"
        "Sisa percobaan: {left}."
    ),
    "link.by_phone": (
        "Nomor Anda cocok dengan data {name} di {office}; chat ini sekarang terhubung. "
        "Ketik keluar untuk memutus hubungan ini."
    ),
    "link.household": (
        "Nomor ini tercatat untuk lebih dari satu orang. Ketik tanggal lahir Anda "
        "(contoh: 17-08-1980) untuk memilih data Anda."
    ),
    "link.household_nik": (
        "Masih ada lebih dari satu orang dengan tanggal lahir itu. Ketik 4 angka terakhir NIK Anda."
    ),
    "link.household_no_match": "Tidak cocok. Coba lagi.\nSisa percobaan: {left}.",
    "link.lapsed": (
        "Chat ini tidak lagi terhubung dengan data Anda karena {days} hari tidak dipakai. "
        "Hubungkan lagi lewat menu 2 bila perlu."
    ),
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
    "link.how": (
        "Proposal status shows only in a chat linked to your data. To link it:\n"
        "• press Share my number, if your phone number is on file at the Dinas Sosial; or\n"
        "• send the 15-digit link code from the Dinas Sosial (printed on the receipt of your "
        "proposal or complaint)."
    ),
    "link.phone_unknown": (
        "Your number is not on file at the Dinas Sosial. Send the 15-digit link code from the "
        "Dinas Sosial (printed on the receipt of your proposal or complaint) to link this chat "
        "to your data."
    ),
    "link.get_code": "No code yet? Ask for one at the office, with your ID card (KTP):",
    "link.share_button": "📱 Share my number",
    "link.no_nik": (
        "A NIK and birth date no longer open anyone's data: both are printed on the ID card. "
        "Use your phone number or a link code from the Dinas Sosial."
    ),
    "link.not_own": (
        "Only your own number can be used: press the Share my number button.\n"
        "Attempts left: {left}."
    ),
    "link.by_phone": (
        "Your number matches the data of {name} at {office}; this chat is now linked. "
        "Type keluar to end this link."
    ),
    "link.household": (
        "This number is on file for more than one person. Type your birth date "
        "(e.g. 17-08-1980) to choose your data."
    ),
    "link.household_nik": (
        "More than one person has that birth date. Type the last 4 digits of your NIK."
    ),
    "link.household_no_match": "That does not match. Try again.\nAttempts left: {left}.",
    "link.lapsed": (
        "This chat is no longer linked to your data: it was not used for {days} "
        "{days:day|days}. Link it again through menu 2 if you need to."
    ),
}
