"""Staff administration: accounts, passwords, log-in throttling (pages, API and CLI)."""

from __future__ import annotations

ID: dict[str, str] = {
    "staffadmin.password.short": "Kata sandi terlalu pendek: paling sedikit {min} karakter.",
    "staffadmin.password.long": "Kata sandi terlalu panjang: paling banyak {max} karakter.",
    "staffadmin.password.username": "Kata sandi tidak boleh memuat nama pengguna.",
    "staffadmin.password.common": (
        "Kata sandi terlalu mudah ditebak; pakai beberapa kata atau campuran huruf dan angka."
    ),
    "staffadmin.password.current_wrong": "Kata sandi sekarang salah.",
    "staffadmin.password.same": "Kata sandi baru harus berbeda dari yang sekarang.",
    "staffadmin.password.mismatch": "Kedua isian kata sandi baru tidak sama.",
    "staffadmin.password.change_first": (
        "Ganti kata sandi sementara Anda dahulu di halaman /staff/password."
    ),
    "staffadmin.login.locked": (
        "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {minutes} menit."
    ),
    "staffadmin.office.unknown": "Kantor {office} tidak dikenal. Kantor yang ada: {known}.",
    "staffadmin.staff.unknown": "Petugas {username} tidak ditemukan.",
    "staffadmin.staff.self": (
        "Anda tidak bisa menonaktifkan atau mengubah peran akun Anda sendiri; minta admin lain."
    ),
    "staffadmin.role.unknown": "Peran {role} tidak dikenal. Peran yang ada: {known}.",
    "staffadmin.username.invalid": (
        "Nama pengguna {username} tidak valid: 3-60 huruf kecil, angka, titik, - atau _."
    ),
    "staffadmin.name.invalid": "Nama lengkap wajib diisi (paling banyak 120 karakter).",
    "staffadmin.nav": "Petugas",
    "staffadmin.title": "Akun petugas",
    "staffadmin.col.username": "Nama pengguna",
    "staffadmin.col.name": "Nama",
    "staffadmin.col.role": "Peran",
    "staffadmin.col.state": "Status",
    "staffadmin.col.chat": "Chat pribadi",
    "staffadmin.active": "aktif",
    "staffadmin.disabled": "nonaktif",
    "staffadmin.must_change": "harus ganti kata sandi",
    "staffadmin.chat.linked": "terhubung",
    "staffadmin.chat.none": "belum",
    "staffadmin.disable": "Nonaktifkan",
    "staffadmin.enable": "Aktifkan",
    "staffadmin.reset": "Atur ulang kata sandi",
    "staffadmin.set_role": "Ubah peran",
    "staffadmin.ppid": "Pejabat PPID",
    "staffadmin.chats": (
        "Chat pribadi petugas dan grup petugas pengaduan dihubungkan dengan kode di halaman Chat."
    ),
    "staffadmin.chats.link": "Buka halaman Chat",
    "staffadmin.new": "Petugas baru",
    "staffadmin.new.password": "Kata sandi awal (paling sedikit {min} karakter)",
    "staffadmin.new.submit": "Buat akun",
    "staffadmin.done.created": "Akun {username} dibuat.",
    "staffadmin.done.disabled": "Akun {username} dinonaktifkan; sesi masuknya berakhir.",
    "staffadmin.done.enabled": "Akun {username} diaktifkan kembali.",
    "staffadmin.done.role": "Peran {username} diubah.",
    "staffadmin.temp.title": "Kata sandi sementara untuk {username}",
    "staffadmin.temp.once": (
        "Kata sandi ini hanya tampil sekali. Berikan langsung kepada petugas; saat masuk "
        "nanti ia harus menggantinya dengan kata sandi sendiri."
    ),
    "staffadmin.temp.back": "Kembali ke daftar petugas",
    "staffadmin.change.title": "Ganti kata sandi",
    "staffadmin.change.forced": (
        "Anda masuk dengan kata sandi sementara. Pilih kata sandi sendiri sebelum melanjutkan."
    ),
    "staffadmin.change.current": "Kata sandi sekarang",
    "staffadmin.change.new": "Kata sandi baru (paling sedikit {min} karakter)",
    "staffadmin.change.again": "Ulangi kata sandi baru",
    "staffadmin.change.submit": "Simpan kata sandi",
    "staffadmin.change.done": "Kata sandi Anda sudah diganti.",
}

EN: dict[str, str] = {
    "staffadmin.password.short": "The password is too short: at least {min} characters.",
    "staffadmin.password.long": "The password is too long: at most {max} characters.",
    "staffadmin.password.username": "The password must not contain the username.",
    "staffadmin.password.common": (
        "The password is too easy to guess; use several words or mix letters and digits."
    ),
    "staffadmin.password.current_wrong": "The current password is wrong.",
    "staffadmin.password.same": "The new password must differ from the current one.",
    "staffadmin.password.mismatch": "The two new passwords differ.",
    "staffadmin.password.change_first": (
        "Change your temporary password first, at /staff/password."
    ),
    "staffadmin.login.locked": "Too many failed log-ins. Try again in {minutes} minutes.",
    "staffadmin.office.unknown": "Unknown office {office}. Offices: {known}.",
    "staffadmin.staff.unknown": "No staff member {username}.",
    "staffadmin.staff.self": (
        "You cannot disable your own account or change its role; ask another admin."
    ),
    "staffadmin.role.unknown": "Unknown role {role}. Roles: {known}.",
    "staffadmin.username.invalid": (
        "Invalid username {username}: 3-60 lower-case letters, digits, dots, - or _."
    ),
    "staffadmin.name.invalid": "A full name is required (at most 120 characters).",
    "staffadmin.nav": "Staff",
    "staffadmin.title": "Staff accounts",
    "staffadmin.col.username": "Username",
    "staffadmin.col.name": "Name",
    "staffadmin.col.role": "Role",
    "staffadmin.col.state": "State",
    "staffadmin.col.chat": "Own chat",
    "staffadmin.active": "active",
    "staffadmin.disabled": "disabled",
    "staffadmin.must_change": "must change password",
    "staffadmin.chat.linked": "linked",
    "staffadmin.chat.none": "not yet",
    "staffadmin.disable": "Disable",
    "staffadmin.enable": "Enable",
    "staffadmin.reset": "Reset password",
    "staffadmin.set_role": "Change role",
    "staffadmin.ppid": "PPID officer",
    "staffadmin.chats": (
        "Staff members' own chats and the officers' group are linked by code on the Chats page."
    ),
    "staffadmin.chats.link": "Open the Chats page",
    "staffadmin.new": "New staff member",
    "staffadmin.new.password": "First password (at least {min} characters)",
    "staffadmin.new.submit": "Create account",
    "staffadmin.done.created": "Account {username} created.",
    "staffadmin.done.disabled": "Account {username} disabled; its sessions ended.",
    "staffadmin.done.enabled": "Account {username} enabled again.",
    "staffadmin.done.role": "Role of {username} changed.",
    "staffadmin.temp.title": "Temporary password for {username}",
    "staffadmin.temp.once": (
        "This password is shown only once. Hand it to the staff member; at their next log-in "
        "they must replace it with their own."
    ),
    "staffadmin.temp.back": "Back to the staff list",
    "staffadmin.change.title": "Change password",
    "staffadmin.change.forced": (
        "You logged in with a temporary password. Choose your own before going on."
    ),
    "staffadmin.change.current": "Current password",
    "staffadmin.change.new": "New password (at least {min} characters)",
    "staffadmin.change.again": "New password again",
    "staffadmin.change.submit": "Save password",
    "staffadmin.change.done": "Your password has been changed.",
}
