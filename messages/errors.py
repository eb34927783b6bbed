"""Errors staff see from the API (and the bot, where it shares them)."""

ID = {
    "error.not_found": "{what} tidak ditemukan.",
    "error.forbidden_role": "Peran Anda ({role}) tidak berhak melakukan ini.",
    "error.step_role": 'Langkah "{step}" hanya boleh dicatat oleh: {roles}. Peran Anda: {role}.',
    "error.unauthenticated": "Silakan masuk terlebih dahulu.",
    "error.bad_login": "Nama pengguna atau kata sandi salah.",
    "error.stale_version": (
        "Usulan {number} sudah diubah orang lain (versi {current}, Anda mengirim versi "
        "{given}). Muat ulang lalu coba lagi."
    ),
    "error.proposal_closed": "Usulan {number} sudah {status}; tidak bisa diubah lagi.",
    "error.last_step": "Usulan {number} sudah di langkah terakhir; gunakan 'selesai'.",
    "error.not_last_step": (
        "Usulan {number} belum di langkah terakhir (langkah {position} dari {total})."
    ),
    "error.first_step": "Usulan {number} sudah di langkah pertama; tidak bisa dikembalikan.",
    "error.reason_required": "Alasan wajib diisi.",
    "error.ineligible": "Usulan tidak memenuhi syarat program {programme}.",
    "error.programme_inactive": "Program {programme} tidak aktif.",
    "error.applicant_kind": "Program {programme} menerima pemohon {expected}, bukan {given}.",
    "error.duplicate_nik": "NIK {nik} sudah terdaftar.",
    "error.validation": "Isian tidak valid.",
    "error.internal": "Terjadi kesalahan pada server. Silakan coba lagi.",
    "error.csv_header": "Kolom wajib tidak ada di CSV: {columns}.",
    "error.csv_empty": "Berkas CSV kosong.",
    "error.csv_encoding": "Berkas harus berupa CSV dengan encoding UTF-8.",
    "error.group_member_missing": "Anggota dengan NIK {nik} belum terdaftar.",
    "error.unknown_role": "Peran {role} tidak dikenal.",
    "error.username_taken": "Nama pengguna {username} sudah dipakai.",
    "error.link_code_target": (
        "Kode tautan dibuat untuk satu orang, satu petugas, atau grup petugas satu kantor."
    ),
    "identity.nik.birth_mismatch": (
        "Tanggal lahir {given} tidak cocok dengan tanggal lahir di NIK ({nik_date})."
    ),
    "identity.nik.sex_mismatch": "Jenis kelamin {given} tidak cocok dengan NIK ({nik_sex}).",
}

EN = {
    "error.not_found": "{what} not found.",
    "error.forbidden_role": "Your role ({role}) may not do this.",
    "error.step_role": 'Step "{step}" may only be recorded by: {roles}. Your role: {role}.',
    "error.unauthenticated": "Please log in first.",
    "error.bad_login": "Wrong username or password.",
    "error.stale_version": (
        "Proposal {number} was changed by someone else (version {current}, you sent "
        "{given}). Reload and try again."
    ),
    "error.proposal_closed": "Proposal {number} is already {status}; it cannot change.",
    "error.last_step": "Proposal {number} is at its last step; use 'complete'.",
    "error.not_last_step": (
        "Proposal {number} is not at its last step (step {position} of {total})."
    ),
    "error.first_step": "Proposal {number} is at its first step; it cannot go back.",
    "error.reason_required": "A reason is required.",
    "error.ineligible": "The proposal does not meet the requirements of {programme}.",
    "error.programme_inactive": "Programme {programme} is not active.",
    "error.applicant_kind": "Programme {programme} takes {expected} applicants, not {given}.",
    "error.duplicate_nik": "NIK {nik} is already registered.",
    "error.validation": "Invalid input.",
    "error.internal": "Something went wrong on the server. Please try again.",
    "error.csv_header": "Required columns missing from the CSV: {columns}.",
    "error.csv_empty": "The CSV file is empty.",
    "error.csv_encoding": "The file must be a UTF-8 encoded CSV.",
    "error.group_member_missing": "No person registered with NIK {nik}.",
    "error.unknown_role": "Unknown role {role}.",
    "error.username_taken": "Username {username} is already taken.",
    "error.link_code_target": (
        "A link code is made for one person, one staff member, or one office's officers' chat."
    ),
    "identity.nik.birth_mismatch": "Birth date {given} does not match the NIK's ({nik_date}).",
    "identity.nik.sex_mismatch": "Sex {given} does not match the NIK ({nik_sex}).",
}
