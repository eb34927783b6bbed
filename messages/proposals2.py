"""Words for moving around the chat (``kembali``, leaving a draft, a polite answer)."""

ID: dict[str, str] = {
    "nav.option.typed": "{label}: ketik {value}",
    "nav.leave.warn": (
        "Pengaduan yang sedang Anda isi belum dikirim dan akan hilang bila Anda ke menu utama."
    ),
    "nav.leave.stay": "Lanjutkan mengisi",
    "nav.leave.go": "Ke menu utama, hapus isian",
    "nav.leave.unknown": "Balas 1 untuk melanjutkan, atau 0 untuk ke menu utama.",
    "nav.thanks": (
        "Sama-sama. Semoga membantu! Ketik kembali untuk mundur satu langkah, "
        "atau 0 untuk menu utama."
    ),
}

EN: dict[str, str] = {
    "nav.option.typed": "{label}: type {value}",
    "nav.leave.warn": (
        "The complaint you are writing has not been sent and will be lost if you go to the "
        "main menu."
    ),
    "nav.leave.stay": "Go on writing",
    "nav.leave.go": "Main menu, discard it",
    "nav.leave.unknown": "Reply 1 to go on, or 0 for the main menu.",
    "nav.thanks": ("You are welcome. Type kembali to go one step back, or 0 for the main menu."),
}
