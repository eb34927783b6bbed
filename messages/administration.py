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
    "officeset.intro": (
        "Yang bukan ketentuan SOP: jam buka dan kontak yang disampaikan bot kepada warga, dan "
        "batas waktu jawab pengaduan bila SOP kantor tidak menetapkannya. Hanya Kepala Dinas "
        "dan admin yang bisa mengubahnya; setiap perubahan tercatat di log audit."
    ),
    "officeset.saved": "Pengaturan kantor tersimpan; bot memakainya mulai sekarang.",
    "officeset.contact": "Jam buka dan kontak",
    "officeset.hours_id": "Jam buka (Bahasa Indonesia)",
    "officeset.hours_en": "Jam buka (Bahasa Inggris)",
    "officeset.address": "Alamat kantor",
    "officeset.phone": "Telepon",
    "officeset.email": "Email",
    "officeset.website": "Situs web",
    "officeset.clock": "Batas waktu jawab pengaduan",
    "officeset.clock.now": "Sekarang: {rule}.",
    "officeset.clock.sop": "Ditetapkan SOP kantor (“{quote}”), jadi tidak bisa diubah di sini.",
    "officeset.clock.own": "Diatur oleh kantor ini.",
    "officeset.clock.default": "SOP kantor tidak menetapkannya, jadi kantor dapat mengaturnya.",
    "officeset.clock.locked": "Batas waktu jawab pengaduan ditetapkan SOP kantor.",
    "officeset.clock.kind": "Dihitung dalam",
    "officeset.clock.kind.hours": "jam (terus berjalan, termasuk malam dan hari libur)",
    "officeset.clock.kind.working_days": "hari kerja (Senin–Jumat, tanpa hari libur)",
    "officeset.clock.amount": "Berapa jam atau hari kerja",
    "officeset.clock.amount_hint": "Misalnya 48 jam, atau 2 hari kerja (paling banyak 10).",
    "officeset.clock.opens": "Kantor buka pukul",
    "officeset.clock.closes": "Kantor tutup pukul",
    "officeset.clock.hours_hint": (
        "Untuk hari kerja: pengaduan yang masuk di luar jam ini mulai dihitung saat kantor buka."
    ),
    "officeset.save": "Simpan pengaturan",
    "officeset.who_may": "Hanya Kepala Dinas dan admin yang bisa mengubah pengaturan kantor.",
    "officeset.error.clock_sop": (
        "Batas waktu jawab pengaduan kantor ini ditetapkan SOP; tidak bisa diubah di sini."
    ),
    "officeset.error.clock_amount": "Isi berapa jam atau hari kerja.",
    "quarantine.intro": (
        "Pesan dari chat yang tiga kali gagal diproses bot disisihkan agar chat lain tetap "
        "dilayani (pelapornya sudah menerima permintaan maaf). Setelah kesalahannya diperbaiki, "
        "pilih Coba lagi; bila pesan itu memang tidak bisa diproses, pilih Buang. Isi pesan "
        "tidak ditampilkan, hanya cuplikan pendek dengan angka panjang disamarkan."
    ),
    "quarantine.col.channel": "Saluran",
    "quarantine.col.received": "Diterima",
    "quarantine.col.error": "Jenis kesalahan",
    "quarantine.col.tries": "Percobaan",
    "quarantine.col.excerpt": "Cuplikan",
    "quarantine.col.action": "Tindakan",
    "quarantine.no_office": "chat belum memilih kantor",
    "quarantine.retry": "Coba lagi",
    "quarantine.discard": "Buang",
    "quarantine.none": "Tidak ada pesan yang tertahan.",
    "quarantine.done.retried": "Pesan dikembalikan ke antrean; bot akan memprosesnya lagi.",
    "quarantine.done.discarded": "Pesan dibuang dan tidak akan diproses.",
    "quarantine.error.moved": "Pesan itu sudah tidak tertahan (mungkin admin lain menanganinya).",
    "privacy.entity.inbound_message": "pesan masuk",
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
    "officeset.intro": (
        "What is not an SOP rule: the opening hours and contacts the bot gives people, and "
        "the complaint answer time where the office's SOP states none. Only the head of office "
        "and the administrator can change them; every change is in the audit log."
    ),
    "officeset.saved": "Office settings saved; the bot uses them from now on.",
    "officeset.contact": "Opening hours and contacts",
    "officeset.hours_id": "Opening hours (Indonesian)",
    "officeset.hours_en": "Opening hours (English)",
    "officeset.address": "Office address",
    "officeset.phone": "Phone",
    "officeset.email": "E-mail",
    "officeset.website": "Website",
    "officeset.clock": "Complaint answer time",
    "officeset.clock.now": "Now: {rule}.",
    "officeset.clock.sop": "Set by the office's SOP (“{quote}”), so it cannot be changed here.",
    "officeset.clock.own": "Set by this office.",
    "officeset.clock.default": "The office's SOP states none, so the office may set its own.",
    "officeset.clock.locked": "The complaint answer time is set by the office's SOP.",
    "officeset.clock.kind": "Counted in",
    "officeset.clock.kind.hours": "hours (running on, nights and holidays too)",
    "officeset.clock.kind.working_days": "working days (Monday to Friday, without holidays)",
    "officeset.clock.amount": "How many hours or working days",
    "officeset.clock.amount_hint": "For example 48 hours, or 2 working days (at most 10).",
    "officeset.clock.opens": "The office opens at",
    "officeset.clock.closes": "The office closes at",
    "officeset.clock.hours_hint": (
        "For working days: a complaint received outside these hours counts from the next opening."
    ),
    "officeset.save": "Save the settings",
    "officeset.who_may": "Only the head of office and the administrator can change these.",
    "officeset.error.clock_sop": (
        "This office's complaint answer time is set by its SOP; it cannot be changed here."
    ),
    "officeset.error.clock_amount": "Give how many hours or working days.",
    "quarantine.intro": (
        "Messages the bot failed to handle three times are set aside so other chats are still "
        "served (the sender already had an apology). Once the fault is fixed, choose Retry; if "
        "a message can never be handled, choose Discard. What people wrote is not shown, only "
        "a short excerpt with long numbers masked."
    ),
    "quarantine.col.channel": "Channel",
    "quarantine.col.received": "Received",
    "quarantine.col.error": "Kind of error",
    "quarantine.col.tries": "Tries",
    "quarantine.col.excerpt": "Excerpt",
    "quarantine.col.action": "Action",
    "quarantine.no_office": "the chat has not chosen an office",
    "quarantine.retry": "Retry",
    "quarantine.discard": "Discard",
    "quarantine.none": "No message is set aside.",
    "quarantine.done.retried": "The message is back in the queue; the bot will handle it again.",
    "quarantine.done.discarded": "The message was discarded and will not be handled.",
    "quarantine.error.moved": "That message is no longer set aside (another admin saw to it?).",
    "privacy.entity.inbound_message": "incoming message",
}
