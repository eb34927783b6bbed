"""Every registered channel's webhook routes."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI

from bot.channels import Channel


def mount(app: FastAPI, channels: Sequence[Channel]) -> None:
    """Webhooks go first, as plain routes of the app itself: routes are matched in order,
    webhooks are the busiest path, and a platform's POST needs neither dependency
    injection nor a place in the staff API's schema."""
    for channel in channels:
        channel.routes(app)
