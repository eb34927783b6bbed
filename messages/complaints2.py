"""Complaints as conversations: actions, threads, attachments, offline answers, the clock
rule of each office and the IKM. (Keys of ``messages/complaints.py`` are not repeated here.)"""

ID: dict[str, str] = {
    "complaint.error.changed": (
        "Pengaduan {number} baru saja diubah orang lain. Muat ulang dan coba lagi."
    ),
    "complaint.error.contact": (
        "Tulis kontak pelapor (nomor telepon, email atau alamat): tanpa itu jawaban tidak "
        "bisa disampaikan."
    ),
    "complaint.error.answer_via": (
        "Pelapor {number} tidak memakai chat. Catat jawabannya di halaman staf beserta cara "
        "menyampaikannya (telepon, surat, langsung)."
    ),
    "complaint.channel.sms": "SMS 1708",
    "complaint.channel.website": "Situs web",
    "complaint.channel.facebook": "Facebook",
    "complaint.channel.instagram": "Instagram",
    "complaint.channel.whatsapp_admin": "WhatsApp admin",
    "complaint.clock.working_days": "{days} hari kerja",
    "complaint.clock.days_of_hours": "{days}×24 jam",
    "complaint.clock.hours": "{hours} jam",
    "complaint.role.supervisor": "Kabid",
    "complaint.role.head": "Kadis",
    "complaint.role.ppid": "PPID",
    "complaint.officer.escalated": (
        "ESKALASI ke {to}: pengaduan {number} ({category}) melewati batas jawab {rule} "
        "({deadline}) tanpa jawaban. Pelapor: {who}."
    ),
    "complaint.officer.escalated_late": (
        "ESKALASI ke {to}: pengaduan {number} ({category}) belum dijawab {late} jam setelah "
        "batas jawab {rule} ({deadline}). Pelapor: {who}."
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
    "link.complaint": (
        "Chat ini sekarang mengikuti pengaduan {number}. Jawaban petugas akan dikirim ke sini; "
        "ketik {number} kapan saja untuk melihat perkembangannya."
    ),
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
    "web.complaint.via.sms": "disampaikan lewat SMS",
    "web.complaint.via.lapor": "dijawab di SP4N-LAPOR!",
    "web.complaint.via.recorded": "dicatat, belum disampaikan",
    "web.dashboard.ikm": "Indeks kepuasan (IKM)",
    "web.dashboard.ikm_n": "n = {n} penilaian",
    "web.dashboard.ikm_grade.A": "Sangat baik",
    "web.dashboard.ikm_grade.B": "Baik",
    "web.dashboard.ikm_grade.C": "Kurang baik",
    "web.dashboard.ikm_grade.D": "Tidak baik",
    "web.offline.title": "Catat pengaduan dari saluran lain",
    "web.offline.channel": "Diterima lewat",
    "web.offline.source": "Tepatnya di mana (nomor admin, halaman, alamat email)",
    "web.offline.lapor_tracking": "Nomor pelacakan SP4N-LAPOR! (wajib untuk SP4N-LAPOR!)",
    "web.offline.category": "Jenis masalah",
    "web.offline.programme": "Program",
    "web.offline.description": "Isi pengaduan",
    "web.offline.name": "Nama pelapor",
    "web.offline.contact": "Kontak pelapor (telepon, email atau alamat)",
    "web.offline.confidential": "Rahasiakan nama pelapor dari petugas",
    "web.offline.record": "Catat dan cetak tanda terima",
    "web.receipt.title": "Tanda terima pengaduan",
    "web.receipt.once": (
        "Kode di tanda terima ini hanya ditampilkan sekali. Cetak atau serahkan sekarang; "
        "mencetak ulang membuat kode baru."
    ),
    "web.receipt.phone": "Telepon {phone}",
    "web.receipt.number": "Nomor tiket",
    "web.receipt.deadline": "Pengaduan ini dijawab paling lambat {moment}.",
    "web.receipt.follow": "Ikuti pengaduan Anda lewat chat",
    "web.receipt.how": (
        "Kirim kode ini ke chat Sigap (Telegram atau WhatsApp). Chat itu akan menerima jawaban "
        "petugas, dan nomor tiket bisa diketik di sana kapan saja."
    ),
    "web.receipt.back": "Kembali ke pengaduan",
    "web.complaint.contact": "Kontak",
    "web.complaint.in_chat": "pelapor mengikuti lewat chat",
    "web.complaint.not_in_chat": "pelapor tidak memakai chat",
    "web.complaint.how": "Cara menyampaikan jawaban",
    "web.complaint.receipt": "Cetak tanda terima (kode baru)",
    "web.complaint.answer_recorded": "Jawaban dicatat ({how}); tidak ada yang dikirim lewat chat.",
}

EN: dict[str, str] = {
    "complaint.error.changed": (
        "Complaint {number} was just changed by someone else. Reload and try again."
    ),
    "complaint.error.contact": (
        "Write the complainant's contact (phone, e-mail or address): without it the answer "
        "cannot reach them."
    ),
    "complaint.error.answer_via": (
        "The complainant of {number} does not use the chat. Record the answer on the staff "
        "pages with how it was given (phone, letter, in person)."
    ),
    "complaint.channel.sms": "SMS 1708",
    "complaint.channel.website": "Website",
    "complaint.channel.facebook": "Facebook",
    "complaint.channel.instagram": "Instagram",
    "complaint.channel.whatsapp_admin": "Admin WhatsApp",
    "complaint.clock.working_days": "{days} working {days:day|days}",
    "complaint.clock.days_of_hours": "{days}×24 hours",
    "complaint.clock.hours": "{hours} {hours:hour|hours}",
    "complaint.role.supervisor": "Kabid",
    "complaint.role.head": "Kadis",
    "complaint.role.ppid": "PPID",
    "complaint.officer.escalated": (
        "ESCALATED to {to}: complaint {number} ({category}) passed its deadline of {rule} "
        "({deadline}) unanswered. Complainant: {who}."
    ),
    "complaint.officer.escalated_late": (
        "ESCALATED to {to}: complaint {number} ({category}) is still unanswered {late} "
        "{late:hour|hours} after its deadline of {rule} ({deadline}). Complainant: {who}."
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
    "link.complaint": (
        "This chat now follows complaint {number}. The officers' answer will come here; type "
        "{number} any time to see how it is going."
    ),
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
    "web.complaint.via.sms": "given by SMS",
    "web.complaint.via.lapor": "answered in SP4N-LAPOR!",
    "web.complaint.via.recorded": "recorded, not yet given",
    "web.dashboard.ikm": "Satisfaction index (IKM)",
    "web.dashboard.ikm_n": "n = {n} ratings",
    "web.dashboard.ikm_grade.A": "Very good",
    "web.dashboard.ikm_grade.B": "Good",
    "web.dashboard.ikm_grade.C": "Not good enough",
    "web.dashboard.ikm_grade.D": "Poor",
    "web.offline.title": "Record a complaint from another channel",
    "web.offline.channel": "Received by",
    "web.offline.source": "Where exactly (the admin number, the page, the mailbox)",
    "web.offline.lapor_tracking": "SP4N-LAPOR! tracking number (required for SP4N-LAPOR!)",
    "web.offline.category": "Kind of problem",
    "web.offline.programme": "Programme",
    "web.offline.description": "The complaint",
    "web.offline.name": "Complainant's name",
    "web.offline.contact": "Complainant's contact (phone, e-mail or address)",
    "web.offline.confidential": "Keep the complainant's name from the officers",
    "web.offline.record": "Record and print the receipt",
    "web.receipt.title": "Complaint receipt",
    "web.receipt.once": (
        "The code on this receipt is shown once. Print or hand it over now; printing again "
        "makes a new code."
    ),
    "web.receipt.phone": "Phone {phone}",
    "web.receipt.number": "Ticket number",
    "web.receipt.deadline": "This complaint will be answered by {moment}.",
    "web.receipt.follow": "Follow your complaint in the chat",
    "web.receipt.how": (
        "Send this code to Sigap's chat (Telegram or WhatsApp). That chat receives the "
        "officers' answer, and the ticket number can be typed there any time."
    ),
    "web.receipt.back": "Back to the complaint",
    "web.complaint.contact": "Contact",
    "web.complaint.in_chat": "the complainant follows it in a chat",
    "web.complaint.not_in_chat": "the complainant does not use the chat",
    "web.complaint.how": "How the answer is given",
    "web.complaint.receipt": "Print the receipt (new code)",
    "web.complaint.answer_recorded": "Answer recorded ({how}); nothing was sent by chat.",
}
