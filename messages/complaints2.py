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
}
