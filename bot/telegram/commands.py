"""`sigap set-webhook URL`: register Sigap's webhook with Telegram."""

from __future__ import annotations

import asyncio

import typer

from core.settings import get_settings

ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]


def set_webhook(
    url: str = typer.Argument(..., help="Public HTTPS URL of /webhooks/telegram"),
) -> None:
    """Register the webhook with Telegram, with our secret token and the updates we read."""
    from bot.telegram.sender import make_bot

    settings = get_settings()
    bot = make_bot(settings)
    if bot is None:
        raise typer.BadParameter("TELEGRAM_BOT_TOKEN is not set")
    if settings.telegram_webhook_secret is None:
        raise typer.BadParameter("TELEGRAM_WEBHOOK_SECRET is not set")
    secret = settings.telegram_webhook_secret.get_secret_value()

    async def register_webhook() -> bool:
        async with bot:
            return await bot.set_webhook(
                url=url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
            )

    ok = asyncio.run(register_webhook())
    typer.echo("webhook registered" if ok else "Telegram refused the webhook")
    if not ok:
        raise typer.Exit(1)
