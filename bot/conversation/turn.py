"""One turn of a conversation: what the handlers read and how they answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

import messages
from bot.inbound import Button, OutboundReply
from core.settings import Settings
from models import Conversation, Office
from services.catalogue import Catalogue
from services.catalogue import Office as OfficeSpec

# Typed or pressed anywhere, these lead back to the main menu.
MENU_WORDS = frozenset({"0", "menu", "/start", "start", "batal", "/menu", "cancel"})
LOGOUT_WORDS = frozenset({"keluar", "/keluar", "logout"})
# The value of a "share my number" button, should a channel ever send it back as a choice.
SHARE_PHONE = "share_phone"


@dataclass
class Turn:
    session: Session
    conversation: Conversation
    catalogue: Catalogue
    settings: Settings
    now: datetime
    replies: list[OutboundReply] = field(default_factory=list)
    # The sender's own number when the platform vouches for it (see InboundEvent.phone).
    phone: str | None = None
    # Shared by the turns of one pass of the processor (one transaction): what every turn
    # looks up and nothing in a turn changes, read once instead of once per message.
    shared: dict[str, Any] = field(default_factory=dict)

    @property
    def lang(self) -> str:
        return self.conversation.language or messages.DEFAULT_LANGUAGE

    @property
    def actor(self) -> str:
        return f"chat:{self.conversation.channel}:{self.conversation.chat_id}"

    def t(self, key: str, /, **params: Any) -> str:
        return messages.render(key, self.lang, **params)

    def say(
        self,
        text: str,
        options: Sequence[tuple[str, str]] = (),
        *,
        footer: str = "",
        share_phone: str | None = None,
    ) -> None:
        """Send ``text``; each option (value, label) is a numbered line and a button.

        ``footer`` follows the numbered lines: background the reader may skip.
        ``share_phone``: the label of a button that sends the person's own number, where the
        channel can ask for it (it is no numbered line: nothing typed does the same).
        """
        if options:
            listed = "\n".join(self._option_line(value, label) for value, label in options)
            text = f"{text}\n\n{listed}"
        if footer:
            text = f"{text}\n\n{footer}"
        buttons = tuple(
            (Button((f"{value}. {label}" if value.isdigit() else label)[:60], value),)
            for value, label in options
        )
        if share_phone is not None:
            buttons = ((Button(share_phone[:60], SHARE_PHONE, "share_phone"),), *buttons)
        self.replies.append(OutboundReply(text=text, buttons=buttons))

    def _option_line(self, value: str, label: str) -> str:
        # A numbered line for a digit; a word or sign ("-" to skip) is said as what to type.
        if value.isdigit():
            return f"{value}. {label}"
        return self.t("nav.option.typed", value=value, label=label)

    def goto(self, state: str, **data: Any) -> None:
        """Enter ``state`` with exactly ``data``: nothing leaks from one story into the next."""
        self.conversation.state = state
        self.conversation.data = dict(data)

    def offices(self) -> list[Office]:
        if "offices" not in self.shared:
            self.shared["offices"] = list(self.session.exec(select(Office)).all())
        offices: list[Office] = self.shared["offices"]
        return offices

    def local(self, moment: datetime) -> datetime:
        """``moment`` on the clocks of the chat's office (the default zone before one is known)."""
        found = self.office()
        return moment.astimezone(ZoneInfo(found[0].timezone) if found else self.settings.zone)

    def office(self) -> tuple[Office, OfficeSpec] | None:
        if self.conversation.office_id is None:
            return None
        row = self.session.get(Office, self.conversation.office_id)
        spec = self.catalogue.office(row.code) if row else None
        return (row, spec) if row and spec else None
