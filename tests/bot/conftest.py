"""Fixtures for the bot's stories; the helpers live in chat_harness.py so tests import them."""

from tests.bot.chat_harness import catalogue, fake_telegram, harness, people, settings

__all__ = ["catalogue", "fake_telegram", "harness", "people", "settings"]
