"""Each registered channel's commands on the `sigap` command line."""

from __future__ import annotations

from typing import Any

from bot.channels import registered


def register(cli: Any) -> None:
    for channel in registered():
        channel.commands(cli)
