"""Fixtures for the bot's stories; the helpers live in chat_harness.py, whatsapp_harness.py
and channels_harness.py so tests import them."""

from tests.bot.channels_harness import channels_client, channels_settings
from tests.bot.chat_harness import catalogue, fake_telegram, harness, people, settings
from tests.bot.whatsapp_harness import fake_whatsapp, wa, wa_settings

__all__ = [
    "catalogue",
    "channels_client",
    "channels_settings",
    "fake_telegram",
    "fake_whatsapp",
    "harness",
    "people",
    "settings",
    "wa",
    "wa_settings",
]
