"""Complaints in the chat: what a complainant reads while filing and tracking, and what
officers read in their group. Domain refusals reuse the keys of ``messages/complaints.py``."""

ID: dict[str, str] = {
    "bot.complaint.intro": "Pengaduan. Apa masalahnya? Pilih nomor:",
    "bot.complaint.check": "Cek pengaduan saya",
    "bot.complaint.category_unknown": "Pilihan tidak dikenal. Pilih jenis masalah:",
    "bot.complaint.ask_programme": (
        "Terkait program apa? Pilih nomor, atau ketik - bila tidak tahu."
    ),
    "bot.complaint.skip": "Lewati",
    "bot.complaint.programme_unknown": (
        "Nomor program tidak dikenal. Pilih nomor, atau ketik - untuk lewati."
    ),
    "bot.complaint.ask_description": (
        "Ceritakan masalahnya dengan singkat dan jelas (paling banyak {limit} huruf).\n"
        "Boleh kirim foto dengan keterangan, atau bagikan lokasi."
    ),
    "bot.complaint.empty": "Keterangan belum ada.",
    "bot.complaint.too_long": (
        "Keterangan terlalu panjang ({length} huruf). Mohon diringkas, paling banyak {limit} huruf."
    ),
    "bot.complaint.unsupported": "Maaf, stiker dan pesan suara belum bisa dibaca.",
    "bot.complaint.photo_received": "Foto diterima.",
    "bot.complaint.location_received": "Lokasi diterima.",
    "bot.complaint.ask_confidential": (
        "Rahasiakan nama Anda?\n"
        "Bila ya, nama Anda tidak ditampilkan kepada petugas; hanya pimpinan (Kabid, Kadis) "
        "yang dapat melihatnya."
    ),
    "bot.complaint.confidential_yes": "Ya, rahasiakan",
    "bot.complaint.confidential_no": "Tidak",
    "bot.complaint.choose_1_2": "Balas 1 atau 2.",
    "bot.complaint.summary": (
        "Periksa pengaduan Anda:\nKepada: {office}\nJenis: {category}\nProgram: {programme}\n"
        "Nama: {name}\nNama dirahasiakan: {confidential}\nKeterangan: {description}"
    ),
    "bot.complaint.summary_photo": "Foto: terlampir",
    "bot.complaint.summary_location": "Lokasi: terlampir",
    "bot.complaint.yes": "ya",
    "bot.complaint.no": "tidak",
    "bot.complaint.no_programme": "-",
    "bot.complaint.no_name": "(tanpa nama)",
    "bot.complaint.send": "Kirim",
    "bot.complaint.edit": "Ubah (ulang dari awal)",
    "bot.complaint.cancel": "Batal",
    "bot.complaint.confirm_unknown": "Balas 1 kirim, 2 ubah, atau 0 batal.",
    "bot.complaint.filed": (
        "Pengaduan Anda sudah kami terima.\nNomor tiket: {number}\n"
        "Petugas akan menjawab paling lambat {deadline}.\n\n"
        "Simpan nomor tiket ini; ketik nomornya kapan saja untuk melihat perkembangannya."
    ),
    "bot.complaint.not_found": (
        "Pengaduan {number} tidak ditemukan, atau tidak diajukan dari chat ini."
    ),
    "bot.complaint.list_title": "Pengaduan Anda. Pilih nomor, atau ketik nomor tiket:",
    "bot.complaint.list_none": (
        "Belum ada pengaduan dari chat ini. Bila punya nomor tiket, ketik nomornya "
        "(contoh: ADU-BTG-2026-00001)."
    ),
    "bot.complaint.list_unknown": "Pilihan tidak dikenal. Pilih nomor, atau ketik nomor tiket:",
    "bot.complaint.status.open": "Sedang diproses",
    "bot.complaint.status.answered": "Sudah dijawab",
    "bot.complaint.status.closed": "Selesai",
    "bot.complaint.shown": (
        "Pengaduan {number}\nJenis: {category}\nDiterima: {received}\nStatus: {status}"
    ),
    "bot.complaint.shown_due": "Dijawab paling lambat {deadline}.",
    "bot.complaint.shown_answer": "Jawaban petugas:\n{answer}",
    "bot.complaint.shown_rating": "Penilaian Anda: {score}",
    "bot.complaint.add_info": "Tambah informasi",
    "bot.complaint.settle": "Selesai, sudah tuntas",
    "bot.complaint.reopen": "Belum tuntas, buka lagi",
    "bot.complaint.rate": "Beri penilaian",
    "bot.complaint.ask_info": "Tulis informasi tambahan untuk pengaduan {number}:",
    "bot.complaint.info_sent": "Informasi tambahan untuk {number} sudah diteruskan ke petugas.",
    "bot.complaint.ask_reason": "Apa yang belum tuntas pada pengaduan {number}? Tulis singkat:",
    "bot.complaint.reopened": (
        "Pengaduan {number} dibuka lagi. Petugas akan menjawab paling lambat {deadline}."
    ),
    "bot.complaint.settled": "Terima kasih. Pengaduan {number} selesai dan ditutup.",
    "bot.complaint.ask_rating": "Bagaimana pelayanan pengaduan {number}? Pilih nilai:",
    "bot.complaint.rating.1": "Tidak baik",
    "bot.complaint.rating.2": "Kurang baik",
    "bot.complaint.rating.3": "Baik",
    "bot.complaint.rating.4": "Sangat baik",
    "bot.complaint.rating_unknown": "Balas dengan angka 1 sampai 4.",
    "bot.complaint.ask_comment": "Ada saran atau komentar? Tulis di sini, atau pilih Lewati.",
    "bot.complaint.rated": "Terima kasih atas penilaian Anda untuk pengaduan {number}.",
    "bot.officer.not_registered": (
        "Maaf, Anda belum terdaftar sebagai petugas pengaduan. Hubungi admin Dinas Sosial."
    ),
    "bot.officer.not_found": "Pengaduan {number} tidak ditemukan.",
    "bot.officer.usage": (
        "Format: klaim ADU-BTG-2026-00001, atau jawab ADU-BTG-2026-00001 isi jawaban."
    ),
    "bot.officer.claimed": (
        "Pengaduan {number} ditangani oleh {name}. Balas pesan pengaduannya, atau ketik "
        "jawab {number} isi jawaban."
    ),
    "bot.officer.answered": "Jawaban untuk {number} dari {name} sudah dikirim ke pelapor.",
}

EN: dict[str, str] = {
    "bot.complaint.intro": "Complaints. What is the problem? Choose a number:",
    "bot.complaint.check": "Check my complaints",
    "bot.complaint.category_unknown": "Unknown choice. Choose the kind of problem:",
    "bot.complaint.ask_programme": "Which programme is it about? Choose, or type - if unsure.",
    "bot.complaint.skip": "Skip",
    "bot.complaint.programme_unknown": "Unknown programme number. Choose one, or type - to skip.",
    "bot.complaint.ask_description": (
        "Describe the problem briefly and clearly (at most {limit} characters).\n"
        "You may send a photo with a caption, or share a location."
    ),
    "bot.complaint.empty": "There is no description yet.",
    "bot.complaint.too_long": (
        "The description is too long ({length} characters). Please shorten it to {limit}."
    ),
    "bot.complaint.unsupported": "Sorry, stickers and voice messages cannot be read yet.",
    "bot.complaint.photo_received": "Photo received.",
    "bot.complaint.location_received": "Location received.",
    "bot.complaint.ask_confidential": (
        "Keep your name confidential?\n"
        "If yes, officers do not see your name; only supervisors (Kabid, Kadis) can."
    ),
    "bot.complaint.confidential_yes": "Yes, keep it confidential",
    "bot.complaint.confidential_no": "No",
    "bot.complaint.choose_1_2": "Reply 1 or 2.",
    "bot.complaint.summary": (
        "Check your complaint:\nTo: {office}\nKind: {category}\nProgramme: {programme}\n"
        "Name: {name}\nName confidential: {confidential}\nDescription: {description}"
    ),
    "bot.complaint.summary_photo": "Photo: attached",
    "bot.complaint.summary_location": "Location: attached",
    "bot.complaint.yes": "yes",
    "bot.complaint.no": "no",
    "bot.complaint.no_programme": "-",
    "bot.complaint.no_name": "(no name)",
    "bot.complaint.send": "Send",
    "bot.complaint.edit": "Change (start again)",
    "bot.complaint.cancel": "Cancel",
    "bot.complaint.confirm_unknown": "Reply 1 to send, 2 to change, or 0 to cancel.",
    "bot.complaint.filed": (
        "We have received your complaint.\nTicket number: {number}\n"
        "An officer will answer by {deadline}.\n\n"
        "Keep this ticket number; type it any time to see how it is going."
    ),
    "bot.complaint.not_found": "Complaint {number} was not found, or was not filed from this chat.",
    "bot.complaint.list_title": "Your complaints. Choose one, or type a ticket number:",
    "bot.complaint.list_none": (
        "No complaints from this chat yet. If you have a ticket number, type it "
        "(e.g. ADU-BTG-2026-00001)."
    ),
    "bot.complaint.list_unknown": "Unknown choice. Choose one, or type a ticket number:",
    "bot.complaint.status.open": "Being handled",
    "bot.complaint.status.answered": "Answered",
    "bot.complaint.status.closed": "Settled",
    "bot.complaint.shown": (
        "Complaint {number}\nKind: {category}\nReceived: {received}\nStatus: {status}"
    ),
    "bot.complaint.shown_due": "To be answered by {deadline}.",
    "bot.complaint.shown_answer": "The officer's answer:\n{answer}",
    "bot.complaint.shown_rating": "Your rating: {score}",
    "bot.complaint.add_info": "Add information",
    "bot.complaint.settle": "Settled, problem solved",
    "bot.complaint.reopen": "Not solved, reopen",
    "bot.complaint.rate": "Rate the service",
    "bot.complaint.ask_info": "Write the additional information for complaint {number}:",
    "bot.complaint.info_sent": "The additional information for {number} went to the officers.",
    "bot.complaint.ask_reason": "What is still unsolved in complaint {number}? Write briefly:",
    "bot.complaint.reopened": (
        "Complaint {number} is open again. An officer will answer by {deadline}."
    ),
    "bot.complaint.settled": "Thank you. Complaint {number} is settled and closed.",
    "bot.complaint.ask_rating": "How was the handling of complaint {number}? Choose a score:",
    "bot.complaint.rating.1": "Not good",
    "bot.complaint.rating.2": "Fair",
    "bot.complaint.rating.3": "Good",
    "bot.complaint.rating.4": "Very good",
    "bot.complaint.rating_unknown": "Reply with a number from 1 to 4.",
    "bot.complaint.ask_comment": "Any suggestion or comment? Write it here, or choose Skip.",
    "bot.complaint.rated": "Thank you for rating complaint {number}.",
    "bot.officer.not_registered": (
        "Sorry, you are not registered as a complaint officer. Ask the office's admin."
    ),
    "bot.officer.not_found": "Complaint {number} was not found.",
    "bot.officer.usage": (
        "Format: klaim ADU-BTG-2026-00001, or jawab ADU-BTG-2026-00001 answer text."
    ),
    "bot.officer.claimed": (
        "Complaint {number} is handled by {name}. Reply to its message, or type "
        "jawab {number} answer text."
    ),
    "bot.officer.answered": "The answer to {number} from {name} was sent to the complainant.",
}
