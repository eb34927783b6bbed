"""The bot's slash commands: their descriptions in a channel's command menu, the help, and
what /start <office> and /batal answer."""

from __future__ import annotations

ID: dict[str, str] = {
    "bot.command.start": "Mulai dan tampilkan menu utama",
    "bot.command.menu": "Menu utama",
    "bot.command.status": "Cek status usulan bantuan",
    "bot.command.pengaduan": "Sampaikan atau cek pengaduan",
    "bot.command.bantuan": "Cara memakai layanan ini",
    "bot.command.batal": "Batalkan yang sedang diisi, kembali ke menu",
    "bot.command.cancelled": "Dibatalkan.",
    "bot.command.office": "Anda terhubung dengan {office}.",
    "bot.command.no_office": 'Kantor "{office}" tidak dikenal.',
    "bot.help": (
        "Sigap melayani warga atas nama Dinas Sosial: syarat dan langkah program bantuan, "
        "status usulan Anda, pengaduan dan jadwal kegiatan.\n"
        "Balas dengan angka pilihan, atau ketik:\n"
        "/menu - menu utama\n"
        "/status - status usulan\n"
        "/pengaduan - pengaduan\n"
        "/batal - batalkan dan kembali ke menu\n"
        "Punya kode tautan 15 angka dari Dinas Sosial? Kirim saja kodenya di sini."
    ),
}

EN: dict[str, str] = {
    "bot.command.start": "Start and show the main menu",
    "bot.command.menu": "Main menu",
    "bot.command.status": "Check the status of an aid proposal",
    "bot.command.pengaduan": "File or check a complaint",
    "bot.command.bantuan": "How to use this service",
    "bot.command.batal": "Cancel what you are filling in, back to the menu",
    "bot.command.cancelled": "Cancelled.",
    "bot.command.office": "You are connected with {office}.",
    "bot.command.no_office": 'Office "{office}" is not known.',
    "bot.help": (
        "Sigap serves citizens on behalf of the Social Affairs Office: the requirements and "
        "steps of aid programmes, the status of your proposal, complaints and event "
        "schedules.\n"
        "Reply with a choice number, or type:\n"
        "/menu - main menu\n"
        "/status - proposal status\n"
        "/pengaduan - complaints\n"
        "/batal - cancel and go back to the menu\n"
        "Have a 15-digit link code from the Social Affairs Office? Just send it here."
    ),
}
