"""The command menu Telegram shows beside the message box (``setMyCommands``): the
conversation's commands, described in Indonesian for everyone and in English for people whose
Telegram is in English."""

from __future__ import annotations

from telegram import Bot, BotCommand

from bot.conversation.commands import described

# (our language, Telegram's language_code): None is the list for every other language.
LISTS = (("id", None), ("en", "en"))


async def register_commands(bot: Bot) -> None:
    for lang, language_code in LISTS:
        commands = [BotCommand(name, text[:256]) for name, text in described(lang)]
        await bot.set_my_commands(commands, language_code=language_code)
