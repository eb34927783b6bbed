"""One place for settings, read from the environment and `.env`."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "secret"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Like .env, relative to the directory Sigap is started in (never inside the installed
    # package, which may not be writable).
    database_url: str = Field(
        default_factory=lambda: f"sqlite:///{Path.cwd() / 'var' / 'sigap.db'}"
    )
    office_timezone: str = "Asia/Makassar"
    complaint_response_hours: int = Field(default=48, ge=1, le=24 * 30)
    # Reminders before the deadline, in hours; then Kabid at breach, Kadis and PPID later.
    complaint_reminder_hours: list[int] = Field(default=[24, 4])
    complaint_head_escalation_hours: int = Field(default=24, ge=1)
    complaint_reopen_days: int = Field(default=7, ge=0)
    secret_key: SecretStr = SecretStr("change-me")
    demo_mode: bool = False
    session_hours: int = Field(default=12, ge=1, le=24 * 7)
    # A staff session unused this long ends before SESSION_HOURS is up.
    session_idle_minutes: int = Field(default=120, ge=5, le=24 * 60 * 7)
    # Failed log-ins within LOGIN_LOCK_MINUTES that lock further log-ins for a username, and
    # (higher: an office's staff often share one address) from one client address.
    login_max_failures: int = Field(default=5, ge=1, le=1000)
    login_max_failures_per_address: int = Field(default=20, ge=1, le=10_000)
    login_lock_minutes: int = Field(default=15, ge=1, le=24 * 60)
    # The reverse proxies (comma-separated addresses or networks, or *) whose
    # X-Forwarded-Proto and X-Forwarded-For `sigap serve` believes.
    forwarded_allow_ips: str = "127.0.0.1"
    # The catalogue shipped with Sigap (the `catalogue` package) unless an office has its own.
    catalogue_dir: Path = ROOT / "catalogue"
    # Complaint attachments (photos, documents, voice notes) fetched from the platforms; staff
    # open them only through the staff pages, never at a public address.
    attachments_dir: Path = ROOT / "var" / "attachments"
    # A file larger than this is not fetched (Telegram's Bot API hands out at most 20 MB).
    attachment_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)

    telegram_bot_token: SecretStr | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org"
    # The bot's @username without the @, for deep links (https://t.me/<username>?start=<code>).
    telegram_bot_username: str | None = None

    whatsapp_access_token: SecretStr | None = None
    whatsapp_phone_number_id: str | None = None
    whatsapp_app_secret: SecretStr | None = None
    whatsapp_verify_token: SecretStr | None = None
    whatsapp_api_base_url: str = "https://graph.facebook.com/v21.0"
    # The business number people write to, in international digits (6281234567890), for
    # deep links (https://wa.me/<number>?text=<code>).
    whatsapp_display_number: str | None = None
    # A webhook body larger than this is refused (413) before it is read any further.
    webhook_max_bytes: int = Field(default=1_048_576, ge=1024)

    # The channel that reaches a person who never wrote to the bot, at the phone on file (its
    # chat is the number's digits): a notice goes there when the person has no linked chat.
    # Empty: such persons are listed as not reached.
    phone_channel: str = "whatsapp"

    # Messages per second over all chats of a channel, shared by every worker process.
    telegram_send_rate: float = Field(default=30, gt=0, le=10_000)
    whatsapp_send_rate: float = Field(default=80, gt=0, le=10_000)

    # A worker process beside the web server (app/worker.py); off where `sigap worker` runs.
    run_workers: bool = True
    conversation_timeout_minutes: int = Field(default=30, ge=1)
    status_attempts_per_hour: int = Field(default=5, ge=1)
    # How long a one-time link code stays usable: a person's is printed on a receipt and may
    # wait days for the person to get to a phone; a staff member's or an officers' chat's is
    # used at once by the one who asked for it.
    link_code_person_days: int = Field(default=14, ge=1, le=90)
    link_code_staff_hours: int = Field(default=24, ge=1, le=24 * 7)
    # A chat's link to a person ends after this many days without a message from the chat.
    link_lapse_days: int = Field(default=90, ge=1, le=3650)
    # How long personal data is kept, per kind (services/retention.py, a daily job); 0 keeps
    # that kind forever.
    retention_inbound_days: int = Field(default=30, ge=0, le=36500)
    retention_outbox_days: int = Field(default=90, ge=0, le=36500)
    retention_audit_days: int = Field(default=1825, ge=0, le=36500)

    # /metrics asks for this as a bearer token; unset, it answers only on loopback, to
    # requests that came through no proxy.
    metrics_token: SecretStr | None = None
    # Log lines as text for a person, or one JSON object a line for a log collector.
    log_format: Literal["text", "json"] = "text"
    # From this hour on each office's clock (working days), staff get one digest of the late
    # steps their role may record, in their linked chat.
    late_digest_hour: int = Field(default=8, ge=0, le=23)

    @field_validator("office_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("phone_channel")
    @classmethod
    def _channel_name(cls, value: str) -> str:
        name = value.strip().lower()
        if name and not re.fullmatch(r"[a-z][a-z0-9_]{1,19}", name):
            raise ValueError("a channel name such as whatsapp, or empty for none")
        return name

    @field_validator("telegram_bot_username")
    @classmethod
    def _bot_username(cls, value: str | None) -> str | None:
        name = (value or "").strip().removeprefix("@")
        if not name:
            return None  # left empty, as .env.example has it
        if not re.fullmatch(r"[A-Za-z0-9_]{5,32}", name):
            raise ValueError("a Telegram username is 5-32 letters, digits or _")
        return name

    @field_validator("whatsapp_display_number")
    @classmethod
    def _display_number(cls, value: str | None) -> str | None:
        digits = re.sub(r"[\s+().-]", "", value or "")
        if not digits:
            return None
        if not re.fullmatch(r"[1-9][0-9]{7,14}", digits):
            raise ValueError("an international phone number, e.g. 6281234567890")
        return digits

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if not value.startswith(("sqlite://", "postgresql://", "postgresql+psycopg://")):
            raise ValueError("must start with sqlite:// or postgresql://")
        return value

    @model_validator(mode="after")
    def _real_secret_outside_demo(self) -> Settings:
        if not self.demo_mode and self.secret_key.get_secret_value() in PLACEHOLDER_SECRETS:
            raise ValueError("SECRET_KEY must be set to a real secret unless DEMO_MODE=true")
        return self

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url.startswith("postgresql://"):
            return "postgresql+psycopg://" + self.database_url.removeprefix("postgresql://")
        return self.database_url

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.office_timezone)


class SettingsError(SystemExit):
    """Start-up stops with one line naming the variable, never a traceback."""


def describe(error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        name = "_".join(str(part) for part in item["loc"]).upper() or "SETTINGS"
        problems.append(f"{name}: {item['msg']}")
    return "invalid configuration: " + "; ".join(problems)


@lru_cache
def get_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsError(describe(exc)) from None
