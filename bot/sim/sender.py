"""Delivery to the simulator is marking the row sent; the page or CLI polls for sent rows."""

from __future__ import annotations

from bot.channels import Outgoing, SendResult
from bot.sim import CHANNEL


class SimSender:
    channel = CHANNEL

    async def send(self, message: Outgoing) -> SendResult:
        return SendResult("sent", platform_message_id=f"sim-{message.id}")

    async def aclose(self) -> None:
        return None
