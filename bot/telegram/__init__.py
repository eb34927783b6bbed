"""Telegram: the only package that knows the bot talks to Telegram."""

CHANNEL = "telegram"
