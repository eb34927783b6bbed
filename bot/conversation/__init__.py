"""The channel-neutral conversation: named states, one small function per state.

See README.md in this folder for the state diagram.
"""

from bot.conversation.engine import respond
from bot.conversation.turn import Turn

__all__ = ["Turn", "respond"]
