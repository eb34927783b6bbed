"""Notices to beneficiaries (what, where, when), their reminders, corrections and cancellation;
the answers people give (BERHENTI, HADIR); and what staff are told when a notice is refused."""

from __future__ import annotations

ID: dict[str, str] = {
    "notice.kind.registration": "Registrasi dan pembukaan rekening",
    "notice.kind.socialisation": "Sosialisasi",
    "notice.kind.distribution": "Penyaluran bantuan",
    "notice.kind.mentoring": "Pendampingan",
    "notice.kind.handover": "Serah terima bantuan",
    "notice.kind.other": "Pengumuman",
    "notice.message.notice": "📢 {kind}: {title}\nTempat: {place}\nWaktu: {when}",
    "notice.message.reminder": "⏰ Pengingat {kind}: {title}\nTempat: {place}\nWaktu: {when}",
    "notice.message.correction": (
        "✏️ Ralat {kind}: {title}\nYang berlaku sekarang:\nTempat: {place}\nWaktu: {when}"
    ),
    "notice.message.cancellation": "❌ Dibatalkan: {kind} {title} pada {when} di {place}.",
    "notice.message.attend_hint": "Apakah Anda akan hadir? Jawab HADIR atau TIDAK BISA HADIR.",
    "notice.message.stop_hint": "Ketik BERHENTI bila tidak ingin menerima pengumuman lagi.",
    "notice.action.attend": "Hadir",
    "notice.action.decline": "Tidak bisa hadir",
    "notice.reply.stopped": (
        "Baik, Anda tidak akan menerima pengumuman lagi. Ketik MULAI untuk menerimanya kembali."
    ),
    "notice.reply.already_stopped": (
        "Pengumuman untuk Anda sudah dihentikan. Ketik MULAI untuk menerimanya kembali."
    ),
    "notice.reply.started": (
        "Baik, Anda akan menerima pengumuman lagi. Ketik BERHENTI untuk berhenti."
    ),
    "notice.reply.not_stopped": "Anda sudah menerima pengumuman. Ketik BERHENTI untuk berhenti.",
    "notice.reply.attend": "Terima kasih. Kehadiran Anda di {title} ({when}) sudah dicatat.",
    "notice.reply.decline": "Terima kasih. Sudah dicatat bahwa Anda tidak bisa hadir di {title}.",
    "notice.reply.nothing": "Tidak ada acara yang menunggu jawaban Anda.",
    "notice.schedule.title": "Jadwal Anda:",
    "notice.schedule.none": "Belum ada jadwal acara untuk Anda.",
    "notice.schedule.yes": "Anda akan hadir.",
    "notice.schedule.no": "Anda tidak bisa hadir.",
    "notice.schedule.ask": "Jawab HADIR atau TIDAK BISA HADIR.",
    "notice.reason.no_phone": "tidak ada nomor HP",
    "notice.reason.no_chat": "belum pernah chat, tidak ada saluran nomor HP",
    "notice.reason.opted_out": "minta berhenti (BERHENTI)",
    "notice.error.kind": "Jenis pengumuman tidak dikenal; pilih salah satu: {kinds}.",
    "notice.error.title": "Judul wajib diisi, paling panjang 120 huruf.",
    "notice.error.place": "Tempat wajib diisi, paling panjang 200 huruf.",
    "notice.error.details": "Keterangan paling panjang {most} huruf.",
    "notice.error.past": "Waktu acara harus di masa depan.",
    "notice.error.send_after_start": "Pengumuman harus dikirim sebelum acara dimulai.",
    "notice.error.remind_hours": "Pengingat paling awal {most} jam sebelum acara.",
    "notice.error.reminder": (
        'Pengingat tidak dikenali: {value}. Tulis {{"hours_before": 2}} atau '
        '{{"days_before": 1, "at": "08:00"}}.'
    ),
    "notice.error.too_many_reminders": "Paling banyak {most} pengingat.",
    "notice.error.nobody": (
        "Tidak ada penerima yang cocok dengan sasaran ini; tidak ada yang dikirim."
    ),
    "notice.error.not_cancellable": "Pengumuman '{title}' sudah dibatalkan atau sudah berlangsung.",
    "notice.error.not_changeable": "Pengumuman '{title}' sudah dibatalkan atau sudah berlangsung.",
    "notice.error.audience_fixed": "Sasaran tidak bisa diubah setelah pengumuman mulai dikirim.",
    "notice.error.send_fixed": "Waktu kirim tidak bisa diubah setelah pengumuman mulai dikirim.",
    "notice.error.not_pausable": (
        "Pengumuman '{title}' tidak bisa dijeda (sudah dijeda, dibatalkan atau berlangsung)."
    ),
    "notice.error.not_paused": "Pengumuman '{title}' tidak sedang dijeda.",
    "notice.error.when": "Tanggal dan jam tidak dikenali; isi keduanya.",
    "notice.audience.shape": 'Sasaran harus berupa objek JSON, misalnya {{"desa": ["Boneoge"]}}.',
    "notice.audience.key": "Sasaran tidak dikenal: {keys}. Yang dikenal: {known}.",
    "notice.audience.list": "Sasaran '{key}' harus berupa daftar.",
    "notice.audience.too_many": "Sasaran '{key}' paling banyak {most} nilai.",
    "notice.audience.groups": "Kelompok ditulis dengan nomor (id) kelompok.",
    "notice.audience.unknown": "Sasaran tidak dikenal atau salah: {what}.",
    "notice.audience.file_too_large": "Berkas NIK terlalu besar (paling besar {most} MB).",
    "notice.audience.file_encoding": "Berkas NIK harus teks UTF-8 (CSV).",
    "notice.audience.file_no_nik": "Berkas tidak berisi NIK.",
    "bot.notices.title": "Jadwal dan pengumuman {office}:",
}

EN: dict[str, str] = {
    "notice.kind.registration": "Registration and account opening",
    "notice.kind.socialisation": "Information session",
    "notice.kind.distribution": "Aid distribution",
    "notice.kind.mentoring": "Mentoring",
    "notice.kind.handover": "Hand-over of aid",
    "notice.kind.other": "Notice",
    "notice.message.notice": "📢 {kind}: {title}\nPlace: {place}\nTime: {when}",
    "notice.message.reminder": "⏰ Reminder, {kind}: {title}\nPlace: {place}\nTime: {when}",
    "notice.message.correction": (
        "✏️ Correction, {kind}: {title}\nNow:\nPlace: {place}\nTime: {when}"
    ),
    "notice.message.cancellation": "❌ Cancelled: {kind} {title} on {when} at {place}.",
    "notice.message.attend_hint": "Will you come? Answer HADIR (yes) or TIDAK BISA HADIR (no).",
    "notice.message.stop_hint": "Type BERHENTI (stop) to receive no more notices.",
    "notice.action.attend": "I will come",
    "notice.action.decline": "I cannot come",
    "notice.reply.stopped": (
        "Done: you will receive no more notices. Type MULAI (start) to have them again."
    ),
    "notice.reply.already_stopped": (
        "Notices to you are stopped already. Type MULAI (start) to have them again."
    ),
    "notice.reply.started": "Done: you will receive notices again. Type BERHENTI (stop) to stop.",
    "notice.reply.not_stopped": "You receive notices already. Type BERHENTI (stop) to stop.",
    "notice.reply.attend": "Thank you. You are noted as coming to {title} ({when}).",
    "notice.reply.decline": "Thank you. You are noted as not able to come to {title}.",
    "notice.reply.nothing": "No event is waiting for your answer.",
    "notice.schedule.title": "Your schedule:",
    "notice.schedule.none": "There are no events for you yet.",
    "notice.schedule.yes": "You will come.",
    "notice.schedule.no": "You cannot come.",
    "notice.schedule.ask": "Answer HADIR (yes) or TIDAK BISA HADIR (no).",
    "notice.reason.no_phone": "no phone on file",
    "notice.reason.no_chat": "never chatted, no phone channel set up",
    "notice.reason.opted_out": "asked to stop (BERHENTI)",
    "notice.error.kind": "Unknown kind of notice; choose one of: {kinds}.",
    "notice.error.title": "A title is required, at most 120 characters.",
    "notice.error.place": "A place is required, at most 200 characters.",
    "notice.error.details": "Details are at most {most} characters.",
    "notice.error.past": "The event must be in the future.",
    "notice.error.send_after_start": "The notice must go out before the event starts.",
    "notice.error.remind_hours": "A reminder can come at most {most} hours before the event.",
    "notice.error.reminder": (
        'Reminder not understood: {value}. Write {{"hours_before": 2}} or '
        '{{"days_before": 1, "at": "08:00"}}.'
    ),
    "notice.error.too_many_reminders": "At most {most} reminders.",
    "notice.error.nobody": "Nobody matches this audience; nothing was sent.",
    "notice.error.not_cancellable": "The notice '{title}' is already cancelled or under way.",
    "notice.error.not_changeable": "The notice '{title}' is cancelled or its event under way.",
    "notice.error.audience_fixed": "The audience cannot change once the notice is going out.",
    "notice.error.send_fixed": "The sending time cannot change once the notice is going out.",
    "notice.error.not_pausable": (
        "The notice '{title}' cannot be paused (paused, cancelled or under way)."
    ),
    "notice.error.not_paused": "The notice '{title}' is not paused.",
    "notice.error.when": "The date and time were not understood; fill in both.",
    "notice.audience.shape": 'The audience is a JSON object, e.g. {{"desa": ["Boneoge"]}}.',
    "notice.audience.key": "Unknown audience: {keys}. Known: {known}.",
    "notice.audience.list": "The audience '{key}' must be a list.",
    "notice.audience.too_many": "The audience '{key}' takes at most {most} values.",
    "notice.audience.groups": "Groups are given by their ids.",
    "notice.audience.unknown": "Unknown or wrong in the audience: {what}.",
    "notice.audience.file_too_large": "The NIK file is too large (at most {most} MB).",
    "notice.audience.file_encoding": "The NIK file must be UTF-8 text (CSV).",
    "notice.audience.file_no_nik": "The file holds no NIK.",
    "bot.notices.title": "Schedules and notices of {office}:",
}
