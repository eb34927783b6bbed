"""The simulator channel as the rest of Sigap sees it: only in demo mode, never rate-limited."""

from __future__ import annotations

from typing import Any

from bot.channels import Capabilities, Channel, Sender
from bot.sim import CHANNEL as NAME
from bot.sim.adapter import parse
from core.settings import Settings


def _routes(app: Any) -> None:
    from bot.sim.webhook import router

    app.include_router(router)


async def _open_sender(_settings: Settings) -> Sender | None:
    from bot.sim.sender import SimSender

    return SimSender()


def _commands(cli: Any) -> None:
    from bot.sim.commands import chat

    cli.command("chat")(chat)


CHANNEL = Channel(
    name=NAME,
    parse=parse,
    routes=_routes,
    open_sender=_open_sender,
    send_rate=lambda _settings: None,
    capabilities=Capabilities(buttons=True, groups=True),
    commands=_commands,
)
