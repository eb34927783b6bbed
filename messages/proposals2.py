"""Moving around the chat (``kembali``, leaving a draft, a polite answer); time spans with
their plurals; the news of a proposal's step change; the staff's late-step digest; step
outputs and group reports."""

_SPANS_ID = {
    "span.minutes.one": "{n} menit",
    "span.minutes.many": "{n} menit",
    "span.hours.one": "{n} jam",
    "span.hours.many": "{n} jam",
    "span.days.one": "{n} hari",
    "span.days.many": "{n} hari",
    "span.working_days.one": "{n} hari kerja",
    "span.working_days.many": "{n} hari kerja",
}
_SPANS_EN = {
    "span.minutes.one": "{n} minute",
    "span.minutes.many": "{n} minutes",
    "span.hours.one": "{n} hour",
    "span.hours.many": "{n} hours",
    "span.days.one": "{n} day",
    "span.days.many": "{n} days",
    "span.working_days.one": "{n} working day",
    "span.working_days.many": "{n} working days",
}

ID: dict[str, str] = {
    **_SPANS_ID,
    "news.advanced": (
        "Kabar usulan {number} ({programme}):\nSekarang di tahap {position} dari {total}: {step}."
    ),
    "news.returned": (
        "Kabar usulan {number} ({programme}):\nUsulan dikembalikan ke tahap {position} dari "
        "{total}: {step}.\nAlasan: {reason}"
    ),
    "news.returned_help": (
        "Silakan lengkapi yang diminta. Bila ada pertanyaan, hubungi kantor Dinas Sosial."
    ),
    "news.rejected": (
        "Kabar usulan {number} ({programme}):\nUsulan tidak disetujui.\nAlasan: {reason}\n"
        "Bila ada pertanyaan atau keberatan, hubungi kantor Dinas Sosial, atau ketik lapor."
    ),
    "news.completed": "Kabar usulan {number} ({programme}):\nUsulan selesai.",
    "news.actor": "Dikerjakan oleh: {actor}.",
    "news.due": "Standar waktu tahap ini {standard}: paling lambat {due}.",
    "news.next": "Sesudah itu: {step}.",
    "news.last": "Ini tahap terakhir.",
    "news.digest.title": "Tahapan terlambat, {office}, {date}: {n} usulan.",
    "news.digest.line": (
        "- {number}, tahap {position} dari {total}: {step}. Terlambat {late} (batas waktu {due})."
    ),
    "news.digest.more": "... dan {n} usulan lain.",
    "news.digest.where": "Lihat dan proses di halaman staf: Usulan.",
    "web.late": "Terlambat {late}",
    "web.outputs.title": "Hasil tahapan",
    "web.outputs.recorded": "Tersimpan: hasil tahapan dicatat.",
    "web.outputs.number": "No. {number}",
    "web.outputs.issued": "tanggal {date}",
    "web.outputs.scan": "pindaian",
    "web.outputs.none": "Belum ada hasil tahapan yang dicatat.",
    "web.outputs.kind": "Hasil (tanda * perlu nomor)",
    "web.outputs.number_field": "Nomor",
    "web.outputs.date_field": "Tanggal",
    "web.outputs.file_field": "Lokasi berkas pindaian (boleh kosong)",
    "web.outputs.submit": "Catat hasil",
    "programme.steps.plain": "Tahapan:",
    "programme.steps.no_standard": "SOP ini tidak menetapkan standar waktu untuk tiap tahap.",
    "proposal.status.step": "Tahap {position} dari {total}: {step}\nSejak: {since}",
    "proposal.status.standard": "Standar waktu: {standard}",
    "proposal.status.on_time": "Masih dalam batas waktu (sampai {due}).",
    "proposal.status.late": "Terlambat {late} (batas waktu {due}).",
    "proposal.status.next": "Berikutnya: {step} ({standard}).",
    "proposal.status.next_plain": "Berikutnya: {step}.",
    "proposal.status.returned": "Dikembalikan pada {date}. Alasan: {reason}",
    "proposal.status.outputs": "Hasil tahapan yang tercatat:",
    "proposal.status.output": "- {name}{number}{date}",
    "proposal.output.number": " No. {number}",
    "proposal.output.date": ", tanggal {date}",
    "proposal.output.step": (
        "Tahap {position} belum dicapai usulan ini (sekarang tahap {current})."
    ),
    "proposal.output.kind": (
        "Tahap {position} tidak menghasilkan '{kind}'. Yang tercatat di SOP: {kinds}."
    ),
    "proposal.output.number_required": "{name} perlu nomornya.",
    "proposal.output.too_long": "Nomor paling banyak 120 huruf, catatan 500 huruf.",
    "proposal.output.file_path": (
        "Lokasi berkas pindaian harus jalur relatif tanpa '..', paling banyak {most} huruf."
    ),
    "group_report.none": "Program {programme} tidak mewajibkan laporan kelompok.",
    "group_report.kind": "Jenis laporan '{kind}' tidak dikenal. Yang ada: {kinds}.",
    "group_report.period": (
        "Periode '{period}' tidak dikenal. Tulis 2026-Q1 (triwulan) atau 2026 (akhir tahun)."
    ),
    "group_report.exists": "Laporan {kind} periode {period} kelompok {group} sudah tercatat.",
    "nav.option.typed": "{label}: ketik {value}",
    "nav.leave.warn": (
        "Pengaduan yang sedang Anda isi belum dikirim. Bila Anda ke menu utama, isian disimpan"
        " sebagai draf: ketik lanjutkan untuk meneruskannya nanti."
    ),
    "nav.leave.stay": "Lanjutkan mengisi",
    "nav.leave.go": "Ke menu utama",
    "nav.leave.unknown": "Balas 1 untuk melanjutkan, atau 0 untuk ke menu utama.",
    "nav.thanks": (
        "Sama-sama. Semoga membantu! Ketik kembali untuk mundur satu langkah, "
        "atau 0 untuk menu utama."
    ),
}

EN: dict[str, str] = {
    **_SPANS_EN,
    "news.advanced": (
        "News of proposal {number} ({programme}):\nNow at step {position} of {total}: {step}."
    ),
    "news.returned": (
        "News of proposal {number} ({programme}):\nThe proposal was sent back to step "
        "{position} of {total}: {step}.\nReason: {reason}"
    ),
    "news.returned_help": (
        "Please complete what is asked. For questions, contact the Social Affairs Office."
    ),
    "news.rejected": (
        "News of proposal {number} ({programme}):\nThe proposal was not approved.\n"
        "Reason: {reason}\nFor questions or objections, contact the Social Affairs Office, "
        "or type lapor."
    ),
    "news.completed": "News of proposal {number} ({programme}):\nThe proposal is completed.",
    "news.actor": "Done by: {actor}.",
    "news.due": "This step's time standard is {standard}: due by {due}.",
    "news.next": "After that: {step}.",
    "news.last": "This is the last step.",
    "news.digest.title": "Late steps, {office}, {date}: {n} {n:proposal|proposals}.",
    "news.digest.line": (
        "- {number}, step {position} of {total}: {step}. Late by {late} (due {due})."
    ),
    "news.digest.more": "... and {n} more proposals.",
    "news.digest.where": "See and process them on the staff pages: Proposals.",
    "web.late": "Late by {late}",
    "web.outputs.title": "Step outputs",
    "web.outputs.recorded": "Saved: the output is recorded.",
    "web.outputs.number": "No. {number}",
    "web.outputs.issued": "dated {date}",
    "web.outputs.scan": "scan",
    "web.outputs.none": "No step output recorded yet.",
    "web.outputs.kind": "Output (* needs a number)",
    "web.outputs.number_field": "Number",
    "web.outputs.date_field": "Date",
    "web.outputs.file_field": "Where the scan is kept (optional)",
    "web.outputs.submit": "Record output",
    "programme.steps.plain": "Steps:",
    "programme.steps.no_standard": "This SOP sets no time standard for its steps.",
    "proposal.status.step": "Step {position} of {total}: {step}\nSince: {since}",
    "proposal.status.standard": "Time standard: {standard}",
    "proposal.status.on_time": "Within the time standard (until {due}).",
    "proposal.status.late": "Late by {late} (deadline {due}).",
    "proposal.status.next": "Next: {step} ({standard}).",
    "proposal.status.next_plain": "Next: {step}.",
    "proposal.status.returned": "Sent back on {date}. Reason: {reason}",
    "proposal.status.outputs": "Recorded step outputs:",
    "proposal.status.output": "- {name}{number}{date}",
    "proposal.output.number": " No. {number}",
    "proposal.output.date": ", dated {date}",
    "proposal.output.step": (
        "This proposal has not reached step {position} (it is at step {current})."
    ),
    "proposal.output.kind": (
        "Step {position} does not produce '{kind}'. What the SOP lists: {kinds}."
    ),
    "proposal.output.number_required": "{name} needs its number.",
    "proposal.output.too_long": "A number takes at most 120 characters, a note 500.",
    "proposal.output.file_path": (
        "The scan's location must be a relative path without '..', at most {most} characters."
    ),
    "group_report.none": "Programme {programme} asks no group reports.",
    "group_report.kind": "Unknown report kind '{kind}'. Known: {kinds}.",
    "group_report.period": (
        "Unknown period '{period}'. Write 2026-Q1 (a quarter) or 2026 (the year end)."
    ),
    "group_report.exists": "Report {kind} for {period} of group {group} is already recorded.",
    "nav.option.typed": "{label}: type {value}",
    "nav.leave.warn": (
        "The complaint you are writing has not been sent. If you go to the main menu it is kept"
        " as a draft: type lanjutkan to go on with it later."
    ),
    "nav.leave.stay": "Go on writing",
    "nav.leave.go": "Main menu",
    "nav.leave.unknown": "Reply 1 to go on, or 0 for the main menu.",
    "nav.thanks": ("You are welcome. Type kembali to go one step back, or 0 for the main menu."),
}
