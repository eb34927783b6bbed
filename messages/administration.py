"""The Administrasi page, the office's own settings and the updates the bot set aside."""

from __future__ import annotations

ID: dict[str, str] = {
    "admin.title": "Administrasi",
    "admin.chats": "Kode tautan chat",
    "admin.chats.about": (
        "Hubungkan chat Telegram atau WhatsApp pribadi Anda untuk menerima pengingat dan "
        "eskalasi pengaduan."
    ),
    "admin.chats.officers": "Di sana juga kode untuk grup petugas pengaduan kantor.",
    "admin.password.about": "Ganti kata sandi akun Anda.",
    "admin.office": "Pengaturan kantor",
    "admin.office.about": (
        "Jam buka, alamat dan kontak yang disampaikan bot, dan batas waktu jawab pengaduan "
        "bila SOP kantor tidak menetapkannya."
    ),
    "admin.accounts.about": "Buat, nonaktifkan, atur ulang kata sandi, dan ubah peran petugas.",
    "admin.quarantine": "Pesan masuk yang tertahan",
    "admin.quarantine.about": (
        "Pesan dari chat yang gagal diproses bot berulang kali: coba lagi atau buang."
    ),
    "admin.audit.about": "Siapa membaca atau mengubah data pribadi, dan kapan.",
    "admin.person_data.about": "Ekspor atau hapus data seseorang atas permintaannya (UU PDP).",
}

EN: dict[str, str] = {
    "admin.title": "Administration",
    "admin.chats": "Chat link codes",
    "admin.chats.about": (
        "Link your own Telegram or WhatsApp chat to receive complaint reminders and escalations."
    ),
    "admin.chats.officers": "The code for the office's complaint officers' group is there too.",
    "admin.password.about": "Change your account's password.",
    "admin.office": "Office settings",
    "admin.office.about": (
        "Opening hours, address and contacts the bot gives, and the complaint answer time "
        "where the office's SOP states none."
    ),
    "admin.accounts.about": "Create, disable, reset the password of, and change staff roles.",
    "admin.quarantine": "Incoming messages set aside",
    "admin.quarantine.about": (
        "Messages from chats the bot failed to handle several times: retry or discard them."
    ),
    "admin.audit.about": "Who read or changed personal data, and when.",
    "admin.person_data.about": "Export or erase a person's data at their request (UU PDP).",
}
