"""Sentences of the staff API that the shared error keys do not cover (CSV import, search)."""

from __future__ import annotations

ID: dict[str, str] = {
    "api.search.criteria": "Isi paling sedikit satu kriteria pencarian: {fields}.",
    "api.csv.invalid": (
        "Berkas CSV berisi {count} kesalahan pada {rows} baris; tidak ada data yang diimpor. "
        "Perbaiki baris yang disebut lalu unggah ulang seluruh berkas."
    ),
    "api.csv.too_large": (
        "Berkas CSV terlalu besar: paling besar {max_kb} KB dan {max_rows} baris data. "
        "Bagi berkas menjadi beberapa bagian."
    ),
    "api.csv.malformed": "Berkas tidak bisa dibaca sebagai CSV: {problem}.",
    "api.csv.unknown_columns": (
        "Kolom tidak dikenal: {columns}. Kolom yang dikenal: {known}. Periksa ejaan judul kolom."
    ),
    "api.csv.duplicate_columns": "Judul kolom muncul dua kali: {columns}.",
    "api.csv.too_many_cells": "Baris ini berisi lebih banyak sel daripada judul kolom.",
    "api.csv.required": "Kolom {column} wajib diisi.",
    "api.csv.date": (
        "Tanggal '{value}' tidak dikenali; tulis sebagai dd-mm-yyyy, dd/mm/yyyy atau yyyy-mm-dd."
    ),
    "api.csv.sex": "Jenis kelamin '{value}' tidak dikenali; tulis L atau P.",
    "api.csv.marital_status": (
        "Status perkawinan '{value}' tidak dikenali; pilih salah satu: {allowed}."
    ),
    "api.csv.invalid_value": "Isian kolom {column} tidak valid ({problem}).",
    "api.csv.nik_scientific": (
        "{column} tertulis sebagai angka ilmiah ({value}): spreadsheet mengubah angka panjang. "
        "Ubah format kolom menjadi Teks lalu ketik ulang nomornya."
    ),
    "api.csv.duplicate_in_file": "NIK {nik} sudah ada di baris {other} berkas ini.",
    "api.csv.person_missing": "Belum ada orang terdaftar dengan NIK {nik} di kantor ini.",
    "api.csv.applicant": (
        "Isi nik_pemohon untuk pemohon perorangan, atau nama_kelompok dan nik_anggota untuk "
        "kelompok (tidak keduanya)."
    ),
}

EN: dict[str, str] = {
    "api.search.criteria": "Give at least one search criterion: {fields}.",
    "api.csv.invalid": (
        "The CSV file has {count} errors on {rows} rows; nothing was imported. Fix the rows "
        "named and upload the whole file again."
    ),
    "api.csv.too_large": (
        "The CSV file is too large: at most {max_kb} KB and {max_rows} data rows. Split it "
        "into several files."
    ),
    "api.csv.malformed": "The file cannot be read as CSV: {problem}.",
    "api.csv.unknown_columns": (
        "Unknown columns: {columns}. Known columns: {known}. Check the spelling of the headers."
    ),
    "api.csv.duplicate_columns": "Column headers given twice: {columns}.",
    "api.csv.too_many_cells": "This row has more cells than there are column headers.",
    "api.csv.required": "Column {column} must be filled in.",
    "api.csv.date": (
        "Date '{value}' not recognised; write it as dd-mm-yyyy, dd/mm/yyyy or yyyy-mm-dd."
    ),
    "api.csv.sex": "Sex '{value}' not recognised; write L or P.",
    "api.csv.marital_status": "Marital status '{value}' not recognised; use one of: {allowed}.",
    "api.csv.invalid_value": "Invalid value in column {column} ({problem}).",
    "api.csv.nik_scientific": (
        "{column} was written in scientific notation ({value}): the spreadsheet changed a long "
        "number. Format the column as Text and type the number again."
    ),
    "api.csv.duplicate_in_file": "NIK {nik} already appears on row {other} of this file.",
    "api.csv.person_missing": "No person with NIK {nik} is registered at this office.",
    "api.csv.applicant": (
        "Fill in nik_pemohon for a person applicant, or nama_kelompok and nik_anggota for a "
        "group (not both)."
    ),
}
