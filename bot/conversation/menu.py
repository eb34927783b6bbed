"""The main menu: six doors, reachable from anywhere with 0, menu, /start or batal."""

from __future__ import annotations

from bot.conversation.turn import Turn

MENU = "menu"

# Words people type instead of the digit.
_WORDS = {
    "1": {"1", "info", "informasi", "program", "programme"},
    "2": {"2", "status", "cek", "usulan", "proposal"},
    "3": {"3", "pengaduan", "aduan", "complaint", "complaints"},
    "4": {"4", "jadwal", "jadwal saya", "pengumuman", "schedule", "my schedule", "notices"},
    "5": {"5", "kontak", "contact", "alamat", "kantor"},
    "6": {"6", "bahasa", "language", "english", "indonesia"},
}


# A first "halo" deserves a welcome, not "unknown choice".
_GREETINGS = {
    "halo", "hallo", "hai", "hi", "hello", "assalamualaikum", "assalamu'alaikum", "pagi",
    "siang", "sore", "malam", "selamat", "permisi", "p", "tes", "test", "start",
}  # fmt: skip


def understands(text: str) -> bool:
    """Whether the menu reads ``text`` as a choice or a greeting (else it is someone's own
    words, which may be meant for an officer)."""
    word = text.lower().strip()
    first_word = word.split()[0].strip(",.!?") if word.split() else ""
    return any(word in words for words in _WORDS.values()) or first_word in _GREETINGS


def options(turn: Turn) -> list[tuple[str, str]]:
    return [(value, turn.t(f"bot.menu.item.{value}")) for value in ("1", "2", "3", "4", "5", "6")]


def show(turn: Turn, *, intro: str | None = None) -> None:
    turn.goto(MENU)
    text = turn.t("bot.menu.title")
    if intro:
        text = f"{intro}\n\n{text}"
    turn.say(text, options(turn))


def on_menu(turn: Turn, text: str) -> None:
    choice = next((value for value, words in _WORDS.items() if text.lower() in words), None)
    if choice is None:
        first_word = text.lower().split()[0].strip(",.!?") if text.split() else ""
        if first_word in _GREETINGS:
            show(turn, intro=turn.t("bot.menu.welcome"))
            return
        from bot.conversation import status

        if turn.conversation.person_id is None and status.looks_like_nik(text):
            # The old way to check a proposal: told it opens nothing, and where to ask.
            status.nik_typed(turn, text)
            return
        turn.say(turn.t("bot.menu.unknown"), options(turn))
        return
    open_item(turn, choice)


def open_item(turn: Turn, choice: str) -> None:
    # Imported here: each story module imports this one for `show`.
    from bot.conversation import complaint_intake, contact, language, office, programmes, status

    if choice == "2":
        status.start(turn)
    elif choice == "4" and turn.conversation.person_id is not None:
        contact.notices(turn)  # the person's own schedule needs no office picked
    elif choice == "6":
        language.start(turn)
    elif turn.office() is None:
        office.ask(turn, then=choice)
    elif choice == "1":
        programmes.start(turn)
    elif choice == "3":
        complaint_intake.start(turn)
    elif choice == "4":
        contact.notices(turn)
    else:
        contact.contact(turn)
