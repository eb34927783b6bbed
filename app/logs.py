"""Logging for the server. HTTP client loggers stay quiet: their request lines carry the
Bot API URL, and with it the bot token.

Nothing that reaches a log handler carries a NIK or a No. KK (UU PDP 27/2022): every record,
its traceback included, is scrubbed on its way out. Query strings lose their values (the
access log would otherwise keep ``/api/v1/persons?nik=7414014508910031``), and any run of
sixteen digits keeps only its first four (the province and regency, as a masked NIK does).
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

QUIET = ("httpx", "httpcore", "telegram", "apscheduler.executors.default")

_QUERY_VALUE = re.compile(r"([?&][^=&\s\"'#]+)=[^&\s\"'#]*")
_SIXTEEN_DIGITS = re.compile(r"(?<!\d)(\d{4})\d{12}(?!\d)")
_FORMATTER = logging.Formatter()


def scrub(text: str) -> str:
    text = _QUERY_VALUE.sub(r"\1=…", text)
    return _SIXTEEN_DIGITS.sub(r"\1************", text)


class Scrub(logging.Filter):
    """Rewrites a record's message, traceback and stack so they hold no NIK or query value."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # arguments that do not fit the format: logging reports that itself
            return True
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = _FORMATTER.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


class JsonLines(logging.Formatter):
    """One JSON object a line (``LOG_FORMAT=json``), for a log collector: time (UTC, ISO
    8601), level, logger, message, and the traceback as ``exception`` when there is one. It
    formats what :class:`Scrub` has already cleaned."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = scrub(self.formatException(record.exc_info))
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def configure_logging(level: int = logging.INFO, *, log_format: str = "text") -> None:
    """``log_format``: "text" (a line for a person) or "json" (see :class:`JsonLines`)."""
    logging.basicConfig(level=level, format=TEXT_FORMAT)
    root = logging.getLogger()
    root.setLevel(level)
    if log_format == "json":
        for handler in root.handlers:
            handler.setFormatter(JsonLines())
    for name in QUIET:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    # On the handlers, not the loggers: a logger's filter misses what its children propagate
    # (uvicorn's access log among them).
    for handler in root.handlers:
        if not any(isinstance(f, Scrub) for f in handler.filters):
            handler.addFilter(Scrub())
