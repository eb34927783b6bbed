"""Telegram's commands on the `sigap` command line: the webhook, and what Telegram says of it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC
from typing import TypeVar

import typer
from telegram import Bot
from telegram.error import InvalidToken, TelegramError

from bot.telegram.bot_commands import register_commands
from bot.telegram.polling import ALLOWED_UPDATES
from core.settings import get_settings

T = TypeVar("T")


def _bot() -> Bot:
    from bot.telegram.sender import make_bot

    bot = make_bot(get_settings())
    if bot is None:
        raise typer.BadParameter("TELEGRAM_BOT_TOKEN is not set")
    return bot


def _call(call: Callable[[Bot], Awaitable[T]]) -> T:
    """One Bot API call; Telegram's refusal is one line, never a traceback."""
    bot = _bot()

    async def run() -> T:
        async with bot:
            return await call(bot)

    try:
        return asyncio.run(run())
    except InvalidToken:
        # Not PTB's message: it quotes the token.
        typer.echo("Telegram refused the token: check TELEGRAM_BOT_TOKEN", err=True)
        raise typer.Exit(1) from None
    except TelegramError as exc:
        typer.echo(f"Telegram refused: {type(exc).__name__}: {exc}", err=True)
        raise typer.Exit(1) from None


def set_webhook(
    url: str = typer.Argument(..., help="Public HTTPS URL of /webhooks/telegram"),
) -> None:
    """Register the webhook with Telegram, with our secret token and the updates we read."""
    settings = get_settings()
    if settings.telegram_webhook_secret is None:
        raise typer.BadParameter("TELEGRAM_WEBHOOK_SECRET is not set")
    secret = settings.telegram_webhook_secret.get_secret_value()

    async def register(bot: Bot) -> bool:
        ok = await bot.set_webhook(url=url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)
        if ok:
            await register_commands(bot)
        return bool(ok)

    ok = _call(register)
    typer.echo("webhook and command menu registered" if ok else "Telegram refused the webhook")
    if not ok:
        raise typer.Exit(1)


def set_commands() -> None:
    """Register the command menu (/start, /menu, /status, /pengaduan, /bantuan, /batal) in
    Indonesian and English; `sigap set-webhook` and `sigap poll` do it too."""
    _call(register_commands)
    typer.echo("command menu registered")


def webhook_info() -> None:
    """What Telegram knows of the webhook: its URL (none: long polling), the updates waiting
    for Sigap, and the last error Telegram met delivering them."""
    info = _call(lambda bot: bot.get_webhook_info())
    typer.echo(f"url: {info.url or '(none: updates wait for sigap poll)'}")
    typer.echo(f"pending updates: {info.pending_update_count}")
    if info.last_error_date is not None:
        when = info.last_error_date.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        typer.echo(f"last error: {when}: {info.last_error_message or ''}")


def delete_webhook(
    drop_pending: bool = typer.Option(
        False, "--drop-pending", help="Also drop the updates Telegram holds (they are lost)."
    ),
) -> None:
    """Remove the webhook, e.g. to fetch updates with `sigap poll` instead. Updates waiting
    at Telegram are kept for the poller unless --drop-pending."""
    ok = _call(lambda bot: bot.delete_webhook(drop_pending_updates=drop_pending))
    typer.echo("webhook deleted" if ok else "Telegram refused to delete the webhook")
    if not ok:
        raise typer.Exit(1)
