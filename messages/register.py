"""The KPM register: reading an office's list of beneficiary families, and its staff page."""

from __future__ import annotations

ID: dict[str, str] = {
    # The file as a whole: nothing is read from it.
    "register.file.empty": "Berkas kosong: tidak ada baris data di bawah judul kolom.",
    "register.file.xls": (
        "Berkas .xls (Excel 97–2003) tidak dapat dibaca. Buka di Excel atau LibreOffice, "
        "lalu simpan sebagai .xlsx atau CSV."
    ),
    "register.file.not_a_list": "Berkas ini bukan CSV atau XLSX.",
    "register.file.unreadable": "Berkas tidak dapat dibaca sebagai {kind}: {problem}.",
    "register.file.no_header": (
        "Judul kolom tidak ditemukan di {rows} baris pertama: harus ada kolom NIK "
        "(misalnya 'NIK' atau 'NIK KPM')."
    ),
    "register.file.missing_columns": "Kolom wajib tidak ada: {columns}.",
    "register.file.duplicate_columns": "Dua kolom berarti hal yang sama: {columns}.",
    "register.file.too_large": "Berkas lebih besar dari {max_mb} MB; bagi menjadi beberapa berkas.",
    # One row: the row is not imported, the others are.
    "register.row.required": "Kolom {column} wajib diisi.",
    "register.row.too_long": "Isian kolom {column} terlalu panjang (paling banyak {max} huruf).",
    "register.row.number_cell": (
        "Kolom {column} tersimpan sebagai angka, sehingga angka-angka terakhirnya hilang. "
        "Format kolom itu sebagai Teks, lalu ketik ulang isinya."
    ),
    "register.row.formula_error": "Sel kolom {column} berisi galat rumus {value}.",
    "register.row.merged": (
        "Sel digabung (merge) melintasi kolom {columns}; pisahkan sel itu agar setiap kolom "
        "berisi satu nilai."
    ),
    "register.row.phone": "Isian telepon '{value}' bukan nomor telepon (satu nomor per sel).",
    "register.row.kks": "Nomor KKS hanya berisi angka, 12 sampai 19 angka.",
    "register.row.dtks": "ID DTKS/DTSEN hanya berisi huruf, angka, titik dan tanda hubung.",
    "register.row.date": "Tanggal lahir '{value}' tidak dikenali; tulis hh-bb-tttt.",
    "register.row.duplicate_in_file": "NIK yang sama sudah ada di baris {other} berkas ini.",
    "register.row.other_office": (
        "NIK ini sudah terdaftar di kantor lain; orang itu tidak dapat diimpor di sini."
    ),
    "register.row.too_many_cells": "Baris ini berisi lebih banyak sel daripada judul kolom.",
    # The staff page.
    "register.nav": "Daftar KPM",
    "register.title": "Daftar KPM",
    "register.intro": (
        "Unggah daftar KPM kantor (CSV atau XLSX). Setiap baris diperiksa dulu; tidak ada yang "
        "disimpan sebelum Anda menekan Impor. NIK yang sudah terdaftar diperbarui, bukan "
        "digandakan. Isian kosong tidak menghapus data yang sudah ada."
    ),
    "register.columns": "Kolom yang dikenali",
    "register.required_columns": "Wajib: NIK, No. KK, dan Nama (atau Nama Kepala Keluarga).",
    "register.upload.label": "Berkas daftar (CSV atau XLSX)",
    "register.upload.button": "Periksa berkas",
    "register.upload.missing": "Pilih berkas CSV atau XLSX terlebih dulu.",
    "register.recent": "Impor terakhir",
    "register.none_yet": "Belum ada impor.",
    "register.status.checking": "sedang diperiksa",
    "register.status.checked": "sudah diperiksa, menunggu impor",
    "register.status.importing": "sedang diimpor",
    "register.status.done": "selesai",
    "register.status.failed": "tidak dapat dibaca",
    "register.status.cancelled": "dibatalkan",
    "register.status.stalled": "terhenti",
    "register.job.title": "Impor {filename}",
    "register.job.uploaded": "Diunggah {when} oleh {who}.",
    "register.job.checking": "Memeriksa… {rows} baris sudah dibaca.",
    "register.job.importing": "Mengimpor… sampai baris {row} ({done} dari {rows} baris).",
    "register.job.refresh": "Halaman ini diperbarui sendiri setiap beberapa detik.",
    "register.job.stalled": (
        "Pekerjaan ini terhenti (server dimulai ulang?). Yang sudah tersimpan tetap tersimpan; "
        "lanjutkan dari baris berikutnya."
    ),
    "register.job.resume": "Lanjutkan",
    "register.job.checked": (
        "{rows} baris dibaca: {create} orang baru, {update} diperbarui, {keep} tidak berubah, "
        "{rejected} baris ditolak."
    ),
    "register.job.confirm": (
        "Baris yang ditolak tidak akan diimpor; perbaiki berkasnya dan unggah lagi bila perlu. "
        "Impor baris lainnya sekarang?"
    ),
    "register.job.import": "Impor {count} baris",
    "register.job.cancel": "Batalkan",
    "register.job.done": (
        "Selesai: {created} orang baru, {updated} diperbarui, {unchanged} tidak berubah, "
        "{rejected} baris ditolak."
    ),
    "register.job.cancelled": "Impor ini dibatalkan; tidak ada yang disimpan.",
    "register.job.failed": "Berkas tidak dapat diimpor: {problem}",
    "register.job.ignored": "Kolom yang tidak dikenali dan diabaikan: {columns}.",
    "register.job.errors": "Baris yang ditolak",
    "register.job.more_errors": (
        "… dan {count} galat lainnya (sigap import persons --check menampilkan semuanya)."
    ),
    "register.job.again": "Unggah berkas lain",
    "register.job.not_checked": "Impor ini tidak menunggu konfirmasi lagi.",
    "register.job.not_stalled": "Impor ini masih berjalan.",
    "register.col.row": "Baris",
    "register.col.column": "Kolom",
    "register.col.problem": "Masalah",
    "register.col.file": "Berkas",
    "register.col.when": "Waktu",
    "register.col.status": "Status",
}

EN: dict[str, str] = {
    "register.file.empty": "The file is empty: no data rows below the column headers.",
    "register.file.xls": (
        "An .xls file (Excel 97–2003) cannot be read. Open it in Excel or LibreOffice and save "
        "it as .xlsx or CSV."
    ),
    "register.file.not_a_list": "This file is neither CSV nor XLSX.",
    "register.file.unreadable": "The file cannot be read as {kind}: {problem}.",
    "register.file.no_header": (
        "No column headers in the first {rows} rows: there must be a NIK column "
        "(such as 'NIK' or 'NIK KPM')."
    ),
    "register.file.missing_columns": "Required columns missing: {columns}.",
    "register.file.duplicate_columns": "Two columns mean the same: {columns}.",
    "register.file.too_large": "The file is larger than {max_mb} MB; split it into several.",
    "register.row.required": "Column {column} must be filled in.",
    "register.row.too_long": "Column {column} is too long (at most {max} characters).",
    "register.row.number_cell": (
        "Column {column} is stored as a number, so its last digits are lost. Format the column "
        "as Text and type its values again."
    ),
    "register.row.formula_error": "The cell of column {column} holds the formula error {value}.",
    "register.row.merged": (
        "A merged cell spans the columns {columns}; unmerge it so each column holds one value."
    ),
    "register.row.phone": "Phone '{value}' is no phone number (one number per cell).",
    "register.row.kks": "A KKS number has digits only, 12 to 19 of them.",
    "register.row.dtks": "A DTKS/DTSEN id has letters, digits, dots and dashes only.",
    "register.row.date": "Birth date '{value}' not recognised; write dd-mm-yyyy.",
    "register.row.duplicate_in_file": "The same NIK is already on row {other} of this file.",
    "register.row.other_office": (
        "This NIK is registered at another office; the person cannot be imported here."
    ),
    "register.row.too_many_cells": "This row has more cells than there are column headers.",
    "register.nav": "KPM register",
    "register.title": "KPM register",
    "register.intro": (
        "Upload the office's list of KPM families (CSV or XLSX). Every row is checked first; "
        "nothing is saved before you press Import. A NIK already registered is updated, not "
        "duplicated. An empty cell never erases what is on file."
    ),
    "register.columns": "Columns understood",
    "register.required_columns": "Required: NIK, No. KK, and Nama (or Nama Kepala Keluarga).",
    "register.upload.label": "List file (CSV or XLSX)",
    "register.upload.button": "Check the file",
    "register.upload.missing": "Choose a CSV or XLSX file first.",
    "register.recent": "Recent imports",
    "register.none_yet": "No imports yet.",
    "register.status.checking": "being checked",
    "register.status.checked": "checked, waiting to be imported",
    "register.status.importing": "being imported",
    "register.status.done": "done",
    "register.status.failed": "unreadable",
    "register.status.cancelled": "cancelled",
    "register.status.stalled": "stalled",
    "register.job.title": "Import of {filename}",
    "register.job.uploaded": "Uploaded {when} by {who}.",
    "register.job.checking": "Checking… {rows} rows read so far.",
    "register.job.importing": "Importing… up to row {row} ({done} of {rows} rows).",
    "register.job.refresh": "This page refreshes itself every few seconds.",
    "register.job.stalled": (
        "This work has stalled (was the server restarted?). What was saved stays saved; go on "
        "from the next row."
    ),
    "register.job.resume": "Go on",
    "register.job.checked": (
        "{rows} rows read: {create} new persons, {update} updated, {keep} unchanged, "
        "{rejected} rows rejected."
    ),
    "register.job.confirm": (
        "Rejected rows will not be imported; fix the file and upload it again if needed. "
        "Import the other rows now?"
    ),
    "register.job.import": "Import {count} rows",
    "register.job.cancel": "Cancel",
    "register.job.done": (
        "Done: {created} new persons, {updated} updated, {unchanged} unchanged, "
        "{rejected} rows rejected."
    ),
    "register.job.cancelled": "This import was cancelled; nothing was saved.",
    "register.job.failed": "The file cannot be imported: {problem}",
    "register.job.ignored": "Columns not understood and ignored: {columns}.",
    "register.job.errors": "Rejected rows",
    "register.job.more_errors": (
        "… and {count} more errors (sigap import persons --check shows them all)."
    ),
    "register.job.again": "Upload another file",
    "register.job.not_checked": "This import is no longer waiting for confirmation.",
    "register.job.not_stalled": "This import is still running.",
    "register.col.row": "Row",
    "register.col.column": "Column",
    "register.col.problem": "Problem",
    "register.col.file": "File",
    "register.col.when": "When",
    "register.col.status": "Status",
}
