"""Complaints as conversations: actions, threads, attachments, offline answers, the clock
rule of each office and the IKM. (Keys of ``messages/complaints.py`` are not repeated here.)"""

ID: dict[str, str] = {
    "complaint.error.changed": (
        "Pengaduan {number} baru saja diubah orang lain. Muat ulang dan coba lagi."
    ),
    "complaint.action.claim": "Tangani",
    "complaint.action.answer": "Jawab",
    "complaint.action.add_info": "Tambah informasi",
    "complaint.action.settle": "Sudah tuntas",
    "complaint.action.reopen": "Belum, buka lagi",
    "complaint.action.rate": "Beri penilaian",
    "complaint.officer.message": (
        "PESAN PELAPOR {number}:\n\n{text}\n\nBalas pesan ini untuk menjawab pelapor."
    ),
    "complaint.officer.location": "Lokasi: {link}",
    "complaint.officer.file": "{what} terlampir: buka di halaman staf Sigap (Pengaduan).",
    "complaint.attachment.photo": "Foto",
    "complaint.attachment.document": "Dokumen",
    "complaint.attachment.voice": "Pesan suara",
    "complaint.attachment.location": "Lokasi",
    "bot.complaint.back": "Kembali",
    "bot.complaint.previous": "Keterangan sebelumnya:\n{description}",
    "bot.complaint.added": "Ditambahkan ke keterangan pengaduan.",
    "bot.complaint.long_kept": (
        "Keterangan panjang diterima seluruhnya; disimpan dalam {parts} bagian."
    ),
    "bot.complaint.document_received": "Dokumen diterima.",
    "bot.complaint.voice_received": "Pesan suara diterima.",
    "bot.complaint.voice_description": "(Keterangan dalam pesan suara terlampir.)",
    "bot.complaint.summary_files": "Berkas (dokumen/pesan suara): {count}",
    "bot.complaint.draft.kept": (
        "Pengaduan yang sedang Anda tulis disimpan sebagai draf. Ketik 'lanjutkan' untuk "
        "meneruskannya."
    ),
    "bot.complaint.draft.resumed": "Melanjutkan draf pengaduan Anda.",
    "bot.complaint.draft.waiting": (
        "Anda punya draf pengaduan yang belum dikirim; ketik 'lanjutkan' untuk meneruskannya, "
        "atau mulai pengaduan baru di bawah."
    ),
    "bot.complaint.thread.which": "Pesan Anda untuk pengaduan yang mana? Pilih nomor:",
    "bot.complaint.thread.relayed": (
        "Pesan Anda sudah diteruskan ke petugas dan dicatat pada pengaduan {number}."
    ),
    "bot.officer.ack_not_sent": (
        "Balasan singkat ini tidak dikirim ke pelapor {number}. Untuk menjawab pelapor, balas "
        "dengan jawaban lengkap, atau ketik: jawab {number} isi jawaban."
    ),
    "web.complaint.thread": "Percakapan",
    "web.complaint.officer": "Petugas",
    "web.complaint.from_complainant": "Pelapor",
    "web.complaint.reopen_reason": "alasan membuka ulang",
    "web.complaint.map": "Lokasi di peta",
    "web.complaint.file.pending": "sedang diunduh",
    "web.complaint.file.failed": "gagal diunduh",
    "web.complaint.file.stored": "tersimpan",
    "web.complaint.file.none": "-",
    "web.complaint.via.chat": "dikirim ke chat pelapor",
    "web.complaint.via.linked_chat": "dikirim ke chat yang kemudian ditautkan pelapor",
    "web.complaint.via.phone_call": "disampaikan lewat telepon",
    "web.complaint.via.letter": "disampaikan lewat surat",
    "web.complaint.via.in_person": "disampaikan langsung",
    "web.complaint.via.email": "disampaikan lewat email",
    "web.complaint.via.recorded": "dicatat, belum disampaikan",
}

EN: dict[str, str] = {
    "complaint.error.changed": (
        "Complaint {number} was just changed by someone else. Reload and try again."
    ),
    "complaint.action.claim": "Handle",
    "complaint.action.answer": "Answer",
    "complaint.action.add_info": "Add information",
    "complaint.action.settle": "Settled",
    "complaint.action.reopen": "Not yet, reopen",
    "complaint.action.rate": "Rate the service",
    "complaint.officer.message": (
        "MESSAGE FROM THE COMPLAINANT {number}:\n\n{text}\n\n"
        "Reply to this message to answer the complainant."
    ),
    "complaint.officer.location": "Location: {link}",
    "complaint.officer.file": "{what} attached: open it on Sigap's staff pages (Complaints).",
    "complaint.attachment.photo": "Photo",
    "complaint.attachment.document": "Document",
    "complaint.attachment.voice": "Voice note",
    "complaint.attachment.location": "Location",
    "bot.complaint.back": "Back",
    "bot.complaint.previous": "Your description so far:\n{description}",
    "bot.complaint.added": "Added to the complaint's description.",
    "bot.complaint.long_kept": "The long description is kept whole, in {parts} parts.",
    "bot.complaint.document_received": "Document received.",
    "bot.complaint.voice_received": "Voice note received.",
    "bot.complaint.voice_description": "(Described in the attached voice note.)",
    "bot.complaint.summary_files": "Files (documents/voice notes): {count}",
    "bot.complaint.draft.kept": (
        "The complaint you were writing is kept as a draft. Type 'lanjutkan' to go on with it."
    ),
    "bot.complaint.draft.resumed": "Going on with your draft complaint.",
    "bot.complaint.draft.waiting": (
        "You have a draft complaint not yet sent; type 'lanjutkan' to go on with it, or start "
        "a new complaint below."
    ),
    "bot.complaint.thread.which": "Which complaint is your message about? Choose a number:",
    "bot.complaint.thread.relayed": (
        "Your message went to the officers and is kept with complaint {number}."
    ),
    "bot.officer.ack_not_sent": (
        "This short reply was not sent to the complainant of {number}. To answer them, reply "
        "with the full answer, or type: jawab {number} answer text."
    ),
    "web.complaint.thread": "Conversation",
    "web.complaint.officer": "Officer",
    "web.complaint.from_complainant": "Complainant",
    "web.complaint.reopen_reason": "reason for reopening",
    "web.complaint.map": "Location on the map",
    "web.complaint.file.pending": "being fetched",
    "web.complaint.file.failed": "could not be fetched",
    "web.complaint.file.stored": "stored",
    "web.complaint.file.none": "-",
    "web.complaint.via.chat": "sent to the complainant's chat",
    "web.complaint.via.linked_chat": "sent to a chat the complainant linked later",
    "web.complaint.via.phone_call": "given by phone",
    "web.complaint.via.letter": "given by letter",
    "web.complaint.via.in_person": "given in person",
    "web.complaint.via.email": "given by e-mail",
    "web.complaint.via.recorded": "recorded, not yet given",
}
