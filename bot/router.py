"""Every channel's webhook routes, and the simulator's page when in demo mode."""

from fastapi import FastAPI

from bot.sim.webhook import router as sim_router
from bot.telegram.webhook import telegram_webhook
from bot.whatsapp.webhook import whatsapp_verify, whatsapp_webhook


def mount(app: FastAPI) -> None:
    """Webhooks go first, as plain routes of the app itself: routes are matched in order,
    webhooks are the busiest path, and a platform's POST needs neither dependency
    injection nor a place in the staff API's schema."""
    app.add_route("/webhooks/telegram", telegram_webhook, methods=["POST"], include_in_schema=False)
    app.add_route("/webhooks/whatsapp", whatsapp_webhook, methods=["POST"], include_in_schema=False)
    app.add_route("/webhooks/whatsapp", whatsapp_verify, methods=["GET"], include_in_schema=False)
    app.include_router(sim_router)
