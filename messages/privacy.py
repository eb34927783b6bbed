"""Words of the personal-data pages (UU PDP 27/2022): the audit log viewer, a person's data
exported or erased on request; and the printed link-code receipt handed to an applicant."""

from __future__ import annotations

ID: dict[str, str] = {
    "privacy.nav.audit": "Log audit",
    "link_receipt.how": (
        "Kirim kode ini ke bot Sigap di Telegram atau WhatsApp, atau pindai kode QR di bawah "
        "dengan kamera ponsel Anda lalu tekan kirim. Setelah itu status usulan Anda bisa "
        "dilihat di chat itu."
    ),
    "link_receipt.keep": (
        "Simpan kertas ini dan jangan berikan kodenya kepada orang lain: kode ini membuka data "
        "Anda, dan hanya bisa dipakai satu kali."
    ),
    "link_receipt.print": "Cetak tanda terima",
    "privacy.nav.person_data": "Data pribadi",
    "privacy.person.not_found": "Tidak ada orang dengan NIK itu.",
    "privacy.data.title": "Data pribadi atas permintaan",
    "privacy.data.intro": (
        "Seseorang berhak meminta salinan data pribadinya atau penghapusannya (UU PDP 27/2022). "
        "Periksa KTP pemohon lebih dahulu. Setiap ekspor dan penghapusan tercatat di log audit."
    ),
    "privacy.data.nik": "NIK orang itu",
    "privacy.data.find": "Cari",
    "privacy.data.who": "{name}, NIK {nik}",
    "privacy.data.held": (
        "Tersimpan: {proposals} usulan ({open_proposals} masih berjalan), {complaints} "
        "pengaduan ({open_complaints} belum selesai), {chats} chat terhubung."
    ),
    "privacy.data.export": "Ekspor data",
    "privacy.data.json": "Unduh JSON",
    "privacy.data.csv": "Unduh CSV",
    "privacy.data.erase": "Hapus data pribadi",
    "privacy.data.erase_warning": (
        "Nama, NIK, No. KK, nomor telepon, alamat dan tanggal lahir diganti atau dihapus; chat "
        "diputus; isi pengaduan dan lampirannya dikosongkan. Usulan, pengaduan, jumlah-jumlah "
        "dan log audit tetap ada. Ini tidak bisa dibatalkan: ekspor dulu bila orang itu "
        "memintanya."
    ),
    "privacy.data.confirm": "Ketik {word} untuk memastikan",
    "privacy.erase.word": "HAPUS",
    "privacy.erase.confirm_wrong": "Ketik {word} untuk memastikan penghapusan.",
    "privacy.erase.already": "Data pribadi orang ini sudah dihapus.",
    "privacy.data.erased": "Data pribadi orang ini telah dihapus pada {moment}.",
    "privacy.action.read": "membaca data",
    "privacy.action.create": "mendaftarkan",
    "privacy.action.update": "mengubah data",
    "privacy.action.import": "mengimpor dari CSV",
    "privacy.action.link": "menghubungkan chat",
    "privacy.action.unlink": "memutus chat",
    "privacy.action.link_code": "membuat kode tautan",
    "privacy.action.view_audit": "melihat log audit",
    "privacy.action.export_audit": "mengunduh log audit",
    "privacy.action.export": "mengekspor data pribadi",
    "privacy.action.erase": "menghapus data pribadi",
    "privacy.action.other": "aksi lain ({code})",
    "privacy.entity.person": "orang",
    "privacy.entity.proposal": "usulan",
    "privacy.entity.complaint": "pengaduan",
    "privacy.entity.group": "kelompok",
    "privacy.entity.staff_user": "petugas",
    "privacy.entity.office": "kantor",
    "privacy.entity.audit_log": "log audit",
    "privacy.entity.other": "{entity}",
    "privacy.actor.system": "sistem",
    "privacy.actor.cli": "baris perintah (CLI)",
    "privacy.actor.chat": "chat {channel}",
    "privacy.audit.title": "Log audit",
    "privacy.audit.intro": (
        "Siapa membaca atau mengubah data pribadi, dan kapan (UU PDP 27/2022). Membuka halaman "
        "ini dan mengunduhnya juga tercatat."
    ),
    "privacy.audit.staff": "Petugas",
    "privacy.audit.any_staff": "Semua petugas",
    "privacy.audit.action": "Aksi",
    "privacy.audit.any_action": "Semua aksi",
    "privacy.audit.from": "Dari tanggal",
    "privacy.audit.until": "Sampai tanggal",
    "privacy.audit.filter": "Saring",
    "privacy.audit.nik": "NIK orang",
    "privacy.audit.find_person": "Saring menurut orang",
    "privacy.audit.person_shown": "Hanya catatan tentang orang dengan NIK {nik}.",
    "privacy.audit.all_persons": "Tampilkan semua orang",
    "privacy.audit.csv": "Unduh CSV",
    "privacy.audit.none": "Tidak ada catatan yang cocok.",
    "privacy.audit.page": "Halaman {page} dari {pages} ({total} catatan)",
    "privacy.audit.newer": "Lebih baru",
    "privacy.audit.older": "Lebih lama",
    "privacy.col.when": "Waktu",
    "privacy.col.who": "Oleh",
    "privacy.col.action": "Aksi",
    "privacy.col.about": "Tentang",
    "privacy.col.detail": "Keterangan",
}

EN: dict[str, str] = {
    "privacy.nav.audit": "Audit log",
    "link_receipt.how": (
        "Send this code to the Sigap bot on Telegram or WhatsApp, or scan a QR code below with "
        "your phone's camera and press send. Then you can see your proposal's status in that "
        "chat."
    ),
    "link_receipt.keep": (
        "Keep this paper and give the code to no one: it opens your data, and works only once."
    ),
    "link_receipt.print": "Print the receipt",
    "privacy.nav.person_data": "Personal data",
    "privacy.person.not_found": "No person with that NIK.",
    "privacy.data.title": "Personal data on request",
    "privacy.data.intro": (
        "A person may ask for a copy of their personal data or for its erasure (UU PDP "
        "27/2022). Check their KTP first. Every export and erasure is in the audit log."
    ),
    "privacy.data.nik": "Their NIK",
    "privacy.data.find": "Find",
    "privacy.data.who": "{name}, NIK {nik}",
    "privacy.data.held": (
        "Held: {proposals} proposals ({open_proposals} still running), {complaints} complaints "
        "({open_complaints} not closed), {chats} linked chats."
    ),
    "privacy.data.export": "Export the data",
    "privacy.data.json": "Download JSON",
    "privacy.data.csv": "Download CSV",
    "privacy.data.erase": "Erase personal data",
    "privacy.data.erase_warning": (
        "Name, NIK, No. KK, phone number, address and birth date are replaced or removed; chats "
        "are unlinked; complaint texts and attachments are blanked. Proposals, complaints, "
        "counts and the audit log stay. This cannot be undone: export first if the person "
        "asks for it."
    ),
    "privacy.data.confirm": "Type {word} to confirm",
    "privacy.erase.word": "HAPUS",
    "privacy.erase.confirm_wrong": "Type {word} to confirm the erasure.",
    "privacy.erase.already": "This person's personal data has already been erased.",
    "privacy.data.erased": "This person's personal data was erased on {moment}.",
    "privacy.action.read": "read data",
    "privacy.action.create": "registered",
    "privacy.action.update": "changed data",
    "privacy.action.import": "imported from CSV",
    "privacy.action.link": "linked a chat",
    "privacy.action.unlink": "unlinked a chat",
    "privacy.action.link_code": "issued a link code",
    "privacy.action.view_audit": "viewed the audit log",
    "privacy.action.export_audit": "downloaded the audit log",
    "privacy.action.export": "exported personal data",
    "privacy.action.erase": "erased personal data",
    "privacy.action.other": "other action ({code})",
    "privacy.entity.person": "person",
    "privacy.entity.proposal": "proposal",
    "privacy.entity.complaint": "complaint",
    "privacy.entity.group": "group",
    "privacy.entity.staff_user": "staff member",
    "privacy.entity.office": "office",
    "privacy.entity.audit_log": "audit log",
    "privacy.entity.other": "{entity}",
    "privacy.actor.system": "system",
    "privacy.actor.cli": "command line (CLI)",
    "privacy.actor.chat": "chat {channel}",
    "privacy.audit.title": "Audit log",
    "privacy.audit.intro": (
        "Who read or changed personal data, and when (UU PDP 27/2022). Opening this page and "
        "downloading it are recorded too."
    ),
    "privacy.audit.staff": "Staff member",
    "privacy.audit.any_staff": "All staff",
    "privacy.audit.action": "Action",
    "privacy.audit.any_action": "All actions",
    "privacy.audit.from": "From",
    "privacy.audit.until": "Until",
    "privacy.audit.filter": "Filter",
    "privacy.audit.nik": "NIK of the person",
    "privacy.audit.find_person": "Filter by person",
    "privacy.audit.person_shown": "Only rows about the person with NIK {nik}.",
    "privacy.audit.all_persons": "Show all persons",
    "privacy.audit.csv": "Download CSV",
    "privacy.audit.none": "No rows match.",
    "privacy.audit.page": "Page {page} of {pages} ({total} rows)",
    "privacy.audit.newer": "Newer",
    "privacy.audit.older": "Older",
    "privacy.col.when": "When",
    "privacy.col.who": "By",
    "privacy.col.action": "Action",
    "privacy.col.about": "About",
    "privacy.col.detail": "Detail",
}
