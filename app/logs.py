"""Logging for the server. HTTP client loggers stay quiet: their request lines carry the
Bot API URL, and with it the bot token."""

from __future__ import annotations

import logging

QUIET = ("httpx", "httpcore", "telegram", "apscheduler.executors.default")


def configure_logging(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger().setLevel(level)
    for name in QUIET:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
