"""Start-up refuses bad settings with one clear line naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.settings import Settings, SettingsError, describe, get_settings

ROOT = Path(__file__).resolve().parent.parent


def _run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("DEMO_", "SECRET_"))}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-c", "from app.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=60,
        cwd=os.path.dirname(os.path.dirname(__file__)),
    )


def test_an_unknown_time_zone_stops_start_up_naming_the_variable() -> None:
    result = _run_cli({"OFFICE_TIMEZONE": "Asia/Atlantis", "DEMO_MODE": "true"}, "db", "upgrade")
    assert result.returncode != 0
    assert "OFFICE_TIMEZONE" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_placeholder_secret_is_refused_outside_demo_mode() -> None:
    result = _run_cli({"SECRET_KEY": "change-me", "DEMO_MODE": "false"}, "db", "upgrade")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_secret_is_never_echoed_in_the_error() -> None:
    with pytest.raises(Exception) as info:
        Settings(secret_key="s3cr3t-value-xyz", complaint_response_hours=0, demo_mode=False)
    assert "s3cr3t-value-xyz" not in describe(info.value)  # type: ignore[arg-type]
    assert "COMPLAINT_RESPONSE_HOURS" in describe(info.value)  # type: ignore[arg-type]


def test_defaults_follow_the_seeds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_MODE", "true")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.complaint_response_hours == 48
    assert settings.office_timezone == "Asia/Makassar"
    assert settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith("var/sigap.db")


def test_get_settings_raises_a_clean_exit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://nope")
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingsError) as info:
            get_settings()
        assert "DATABASE_URL" in str(info.value)
    finally:
        get_settings.cache_clear()


def test_every_setting_is_documented_in_the_env_example() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    documented = {
        line.lstrip("#").split("=", 1)[0].strip()
        for line in example.splitlines()
        if "=" in line and line.lstrip("#").split("=", 1)[0].strip().isupper()
    }
    assert {name.upper() for name in Settings.model_fields} <= documented
