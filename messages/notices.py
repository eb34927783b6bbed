"""Notices to beneficiaries (what, where, when), their reminders, and staff-facing errors."""

from __future__ import annotations

ID: dict[str, str] = {
    "notice.kind.registration": "Registrasi",
    "notice.kind.socialisation": "Sosialisasi",
    "notice.kind.distribution": "Penyaluran bantuan",
    "notice.kind.other": "Pengumuman",
    "notice.message.notice": "📢 {kind}: {title}\nTempat: {place}\nWaktu: {when}",
    "notice.message.reminder": "⏰ Pengingat {kind}: {title}\nTempat: {place}\nWaktu: {when}",
    "notice.message.cancel": "❌ Dibatalkan: {kind} {title} pada {when} di {place}.",
    "notice.error.kind": "Jenis pengumuman tidak dikenal; pilih salah satu: {kinds}.",
    "notice.error.title": "Judul wajib diisi, paling panjang 120 huruf.",
    "notice.error.place": "Tempat wajib diisi, paling panjang 200 huruf.",
    "notice.error.past": "Waktu acara harus di masa depan.",
    "notice.error.send_after_start": "Pengumuman harus dikirim sebelum acara dimulai.",
    "notice.error.remind_hours": "Pengingat paling awal {most} jam sebelum acara.",
    "notice.error.not_cancellable": "Pengumuman '{title}' sudah dibatalkan atau sudah berlangsung.",
    "notice.error.when": "Tanggal dan jam tidak dikenali; isi keduanya.",
    "bot.notices.title": "Jadwal dan pengumuman {office}:",
}

EN: dict[str, str] = {
    "notice.kind.registration": "Registration",
    "notice.kind.socialisation": "Information session",
    "notice.kind.distribution": "Aid distribution",
    "notice.kind.other": "Notice",
    "notice.message.notice": "📢 {kind}: {title}\nPlace: {place}\nTime: {when}",
    "notice.message.reminder": "⏰ Reminder, {kind}: {title}\nPlace: {place}\nTime: {when}",
    "notice.message.cancel": "❌ Cancelled: {kind} {title} on {when} at {place}.",
    "notice.error.kind": "Unknown kind of notice; choose one of: {kinds}.",
    "notice.error.title": "A title is required, at most 120 characters.",
    "notice.error.place": "A place is required, at most 200 characters.",
    "notice.error.past": "The event must be in the future.",
    "notice.error.send_after_start": "The notice must go out before the event starts.",
    "notice.error.remind_hours": "A reminder can come at most {most} hours before the event.",
    "notice.error.not_cancellable": "The notice '{title}' is already cancelled or under way.",
    "notice.error.when": "The date and time were not understood; fill in both.",
    "bot.notices.title": "Schedules and notices of {office}:",
}
