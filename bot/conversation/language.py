"""Bahasa Indonesia or English; every later message follows the choice."""

from __future__ import annotations

from bot.conversation import menu
from bot.conversation.turn import Turn

CHOOSE_LANGUAGE = "choose_language"
_LANGUAGES = {"1": "id", "2": "en", "indonesia": "id", "id": "id", "english": "en", "en": "en"}


def start(turn: Turn) -> None:
    turn.goto(CHOOSE_LANGUAGE)
    turn.say(turn.t("bot.language.ask"), [("1", "Bahasa Indonesia"), ("2", "English")])


def on_choose_language(turn: Turn, text: str) -> None:
    lang = _LANGUAGES.get(text.lower())
    if lang is None:
        turn.say(turn.t("bot.language.unknown"), [("1", "Bahasa Indonesia"), ("2", "English")])
        return
    turn.conversation.language = lang
    menu.show(turn, intro=turn.t("bot.language.done"))
