"""Complaints: what complainants, officers and their supervisors read."""

ID = {
    "complaint.error.empty": "Isian tidak boleh kosong.",
    "complaint.error.too_long": "Terlalu panjang ({length} huruf). Paling banyak {limit} huruf.",
    "complaint.error.category": "Kategori pengaduan {category} tidak dikenal.",
    "complaint.error.channel": "Saluran pengaduan {channel} tidak dikenal.",
    "complaint.error.lapor_tracking": "Pengaduan SP4N-LAPOR! wajib disertai nomor pelacakan.",
    "complaint.error.programme": "Program itu bukan program kantor ini.",
    "complaint.error.closed": "Pengaduan {number} sudah selesai dan ditutup.",
    "complaint.error.claimed": "Pengaduan {number} sudah ditangani oleh {name}.",
    "complaint.error.not_answered": "Pengaduan {number} belum dijawab.",
    "complaint.error.still_open": "Pengaduan {number} masih dalam proses; belum bisa dibuka ulang.",
    "complaint.error.reopen_window": (
        "Pengaduan {number} hanya bisa dibuka ulang paling lama {days} hari setelah dijawab."
    ),
    "complaint.error.not_closed": "Penilaian diberikan setelah pengaduan {number} selesai.",
    "complaint.error.rating": "Nilai harus 1, 2, 3 atau 4.",
    "complaint.hidden_name": "(dirahasiakan)",
    "complaint.channel.telegram": "Telegram",
    "complaint.channel.whatsapp": "WhatsApp",
    "complaint.channel.sim": "Simulator",
    "complaint.channel.book": "Buku pengaduan",
    "complaint.channel.walk_in": "Datang langsung",
    "complaint.channel.phone": "Telepon",
    "complaint.channel.email": "Email",
    "complaint.channel.lapor": "SP4N-LAPOR!",
    "complaint.channel.box": "Kotak saran",
    "complaint.answer_to_complainant": (
        "Jawaban untuk pengaduan {number}:\n\n{answer}\n\n"
        "Ketik 'selesai {number}' bila sudah tuntas, atau 'buka {number}' bila belum."
    ),
    "complaint.officer.new": (
        "PENGADUAN BARU {number}\n"
        "Kategori: {category}\nSaluran: {channel}\nPelapor: {who} (NIK {nik})\n"
        "Batas jawab: {deadline}\n\n{description}\n\n"
        "Balas pesan ini untuk menjawab pelapor."
    ),
    "complaint.officer.reopened": (
        "PENGADUAN DIBUKA ULANG {number}\n"
        "Kategori: {category}\nPelapor: {who}\nBatas jawab baru: {deadline}\n\n"
        "Alasan pelapor: {reason}\n\nPengaduan semula: {description}"
    ),
    "complaint.officer.reminder": (
        "PENGINGAT: pengaduan {number} ({category}) belum dijawab. Sisa waktu {hours} jam, "
        "batas {deadline}."
    ),
}

EN = {
    "complaint.error.empty": "This may not be empty.",
    "complaint.error.too_long": "Too long ({length} characters). At most {limit}.",
    "complaint.error.category": "Unknown complaint category {category}.",
    "complaint.error.channel": "Unknown complaint channel {channel}.",
    "complaint.error.lapor_tracking": "An SP4N-LAPOR! complaint needs its tracking number.",
    "complaint.error.programme": "That programme does not belong to this office.",
    "complaint.error.closed": "Complaint {number} is settled and closed.",
    "complaint.error.claimed": "Complaint {number} is already handled by {name}.",
    "complaint.error.not_answered": "Complaint {number} has not been answered yet.",
    "complaint.error.still_open": "Complaint {number} is still being handled; it cannot reopen.",
    "complaint.error.reopen_window": (
        "Complaint {number} can only be reopened within {days} {days:day|days} of its answer."
    ),
    "complaint.error.not_closed": "Rate complaint {number} once it is settled.",
    "complaint.error.rating": "The score must be 1, 2, 3 or 4.",
    "complaint.hidden_name": "(confidential)",
    "complaint.channel.telegram": "Telegram",
    "complaint.channel.whatsapp": "WhatsApp",
    "complaint.channel.sim": "Simulator",
    "complaint.channel.book": "Complaint book",
    "complaint.channel.walk_in": "Walk-in",
    "complaint.channel.phone": "Phone",
    "complaint.channel.email": "E-mail",
    "complaint.channel.lapor": "SP4N-LAPOR!",
    "complaint.channel.box": "Suggestion box",
    "complaint.answer_to_complainant": (
        "Answer to complaint {number}:\n\n{answer}\n\n"
        "Type 'selesai {number}' if it is settled, or 'buka {number}' if not."
    ),
    "complaint.officer.new": (
        "NEW COMPLAINT {number}\n"
        "Category: {category}\nChannel: {channel}\nComplainant: {who} (NIK {nik})\n"
        "Answer by: {deadline}\n\n{description}\n\n"
        "Reply to this message to answer the complainant."
    ),
    "complaint.officer.reopened": (
        "COMPLAINT REOPENED {number}\n"
        "Category: {category}\nComplainant: {who}\nNew deadline: {deadline}\n\n"
        "The complainant's reason: {reason}\n\nThe complaint: {description}"
    ),
    "complaint.officer.reminder": (
        "REMINDER: complaint {number} ({category}) is unanswered. {hours} {hours:hour|hours} left, "
        "deadline {deadline}."
    ),
}
