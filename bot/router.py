"""Every channel's webhook routes, and the simulator's page when in demo mode."""

from fastapi import APIRouter

from bot.sim.webhook import router as sim_router
from bot.telegram.webhook import router as telegram_router

router = APIRouter()
router.include_router(telegram_router)
router.include_router(sim_router)
