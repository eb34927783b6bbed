"""The office's report page and its CSV file."""

from __future__ import annotations

ID: dict[str, str] = {
    "reports.title": "Laporan {office}",
    "reports.period": "Periode {first} sampai {last}",
    "reports.from": "Dari tanggal",
    "reports.to": "Sampai tanggal",
    "reports.show": "Tampilkan",
    "reports.print": "Versi cetak",
    "reports.error.order": "Tanggal akhir harus sesudah tanggal awal.",
    "reports.error.long": "Periode paling panjang {days} hari.",
    "reports.complaints": "Pengaduan",
    "reports.chart.months": "Pengaduan diterima dan dijawab tepat waktu per bulan",
    "reports.chart.received": "Diterima",
    "reports.chart.on_time": "Dijawab tepat waktu",
    "reports.chart.month_line": "{month}: {received} diterima, {on_time} dijawab tepat waktu",
    "reports.chart.steps": "Usulan per tahap, {programme}",
    "reports.chart.entered": "Masuk tahap ini",
    "reports.chart.late": "Terlambat",
    "reports.chart.step_line": "{step}: {entered} masuk, {late} terlambat",
    "reports.months.caption": (
        "Tepat waktu: jawaban pertama sebelum batas waktu kantor ({hours} jam bila SOP tidak "
        "menetapkan lain)."
    ),
    "reports.col.month": "Bulan",
    "reports.col.late": "Dijawab terlambat",
    "reports.col.unanswered": "Belum dijawab",
    "reports.col.figure": "Angka",
    "reports.col.value": "Nilai",
    "reports.col.category": "Menurut kategori",
    "reports.col.channel": "Menurut saluran",
    "reports.col.desa": "Menurut desa pelapor",
    "reports.col.open_now": "Di tahap ini sekarang",
    "reports.desa.unknown": "Tidak diketahui (pelapor tidak terdaftar)",
    "reports.first_answer": "Waktu sampai jawaban pertama",
    "reports.percentile": "{p}% dijawab dalam",
    "reports.ikm": "IKM",
    "reports.ikm_grade": "Mutu IKM",
    "reports.ikm_n": "Jumlah penilaian (n)",
    "reports.proposals": "Usulan",
    "reports.proposals.about": (
        "Per tahap SOP: berapa usulan masuk tahap itu dalam periode ini, dan berapa yang "
        "melewati standar waktu tahapnya (keluar terlambat, atau masih di sana melewati batas)."
    ),
    "reports.proposals.none": "Kantor ini belum punya program.",
    "reports.untimed": "tanpa standar waktu",
    "reports.notices": "Jangkauan pengumuman",
    "reports.notices.sent": "Pengumuman terkirim",
    "reports.notices.chats": "Chat yang dijangkau",
    "reports.notices.reminders": "Pengingat terkirim",
    "reports.notices.cancelled": "Dibatalkan",
    "reports.csv.period": "Periode",
}

EN: dict[str, str] = {
    "reports.title": "Report of {office}",
    "reports.period": "Period {first} to {last}",
    "reports.from": "From",
    "reports.to": "To",
    "reports.show": "Show",
    "reports.print": "Print version",
    "reports.error.order": "The end date must come after the start date.",
    "reports.error.long": "A period is at most {days} days.",
    "reports.complaints": "Complaints",
    "reports.chart.months": "Complaints received and answered on time, per month",
    "reports.chart.received": "Received",
    "reports.chart.on_time": "Answered on time",
    "reports.chart.month_line": "{month}: {received} received, {on_time} answered on time",
    "reports.chart.steps": "Proposals per step, {programme}",
    "reports.chart.entered": "Entered the step",
    "reports.chart.late": "Late",
    "reports.chart.step_line": "{step}: {entered} entered, {late} late",
    "reports.months.caption": (
        "On time: the first answer by the office's deadline ({hours} hours unless its SOP "
        "says otherwise)."
    ),
    "reports.col.month": "Month",
    "reports.col.late": "Answered late",
    "reports.col.unanswered": "Not answered yet",
    "reports.col.figure": "Figure",
    "reports.col.value": "Value",
    "reports.col.category": "By category",
    "reports.col.channel": "By channel",
    "reports.col.desa": "By the complainant's village",
    "reports.col.open_now": "In the step now",
    "reports.desa.unknown": "Unknown (complainant not on file)",
    "reports.first_answer": "Time to the first answer",
    "reports.percentile": "{p}% answered within",
    "reports.ikm": "IKM",
    "reports.ikm_grade": "IKM grade",
    "reports.ikm_n": "Number of ratings (n)",
    "reports.proposals": "Proposals",
    "reports.proposals.about": (
        "Per SOP step: how many proposals entered the step in this period, and how many went "
        "past the step's time standard (left it late, or are still there past the deadline)."
    ),
    "reports.proposals.none": "This office has no programmes yet.",
    "reports.untimed": "no time standard",
    "reports.notices": "Reach of notices",
    "reports.notices.sent": "Notices sent",
    "reports.notices.chats": "Chats reached",
    "reports.notices.reminders": "Reminders sent",
    "reports.notices.cancelled": "Cancelled",
    "reports.csv.period": "Period",
}
