"""WhatsApp's customer-service window: what it means, in one place.

A business may send free-form messages (text, buttons, lists) to a person only within 24 hours
of the person's last message; outside that window only an approved template goes, and a
free-form message is refused with Graph error 131047 ("Re-engagement message").

The chat's ``last_inbound_at`` is when the processor handled the person's message, a little
later than WhatsApp saw it (seconds, or more after downtime). The window is therefore counted
as closing ``MARGIN`` early; should WhatsApp still refuse, its 131047 sends the template.
"""

from __future__ import annotations

from datetime import datetime, timedelta

WINDOW = timedelta(hours=24)
MARGIN = timedelta(minutes=10)


def window_open(last_inbound_at: datetime | None, *, now: datetime) -> bool:
    """May a free-form message go at ``now`` to a person who last wrote at ``last_inbound_at``
    (None: never)?"""
    if last_inbound_at is None:
        return False
    return now < last_inbound_at + WINDOW - MARGIN
