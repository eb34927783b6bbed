"""Telegram: the only package that knows the bot talks to Telegram."""

import os

CHANNEL = "telegram"

# python-telegram-bot 22.2+ gives durations (RetryAfter.retry_after, ...) as whole seconds
# with a deprecation warning on every read, or as timedelta once opted in; the next major
# version gives timedelta only. Sigap reads either (bot/telegram/sender.py), and opts in
# before PTB is first used, so a 429 logs no warning. An explicit setting is left as it is.
os.environ.setdefault("PTB_TIMEDELTA", "true")
