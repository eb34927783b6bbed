"""Slash commands as a person uses them on Telegram: the command menu registered with
setMyCommands, /bantuan, /start <office> from an office's poster, and /status, /pengaduan,
/batal from the middle of anything. Chat transcripts through the webhook, the processor and
the fake Bot API."""

from __future__ import annotations

import pytest
import typer
from sqlmodel import Session, select
from typer.testing import CliRunner

import messages
from bot.cli import register
from core.settings import get_settings
from models import Conversation
from services.link_codes import Kind
from tests.bot.chat_harness import SECRET, Harness, People, issue, linked_person

CHAT = 8601


def t(key: str, lang: str = "id", **params: str) -> str:
    return messages.render(key, lang, **params)


def _office_of(harness: Harness, chat: int) -> int | None:
    with Session(harness.engine) as session:
        conversation = session.exec(
            select(Conversation).where(Conversation.chat_id == str(chat))
        ).one()
        return conversation.office_id


class TestTheCommandMenu:
    def test_set_commands_registers_the_six_in_indonesian_and_english(
        self, harness: Harness, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", harness.fake.token)
        monkeypatch.setenv("TELEGRAM_API_BASE_URL", harness.fake.url)
        monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", SECRET)
        get_settings.cache_clear()
        cli = typer.Typer()
        register(cli)
        try:
            result = CliRunner().invoke(cli, ["set-commands"])
            webhook = CliRunner().invoke(cli, ["set-webhook", "https://sigap.example/wh"])
        finally:
            get_settings.cache_clear()
        assert result.exit_code == 0, result.output
        assert webhook.exit_code == 0 and "command menu registered" in webhook.output
        default = harness.fake.commands['{"type": "default"}:']
        english = harness.fake.commands['{"type": "default"}:en']
        names = ["start", "menu", "status", "pengaduan", "bantuan", "batal"]
        assert [c["command"] for c in default] == names
        assert [c["command"] for c in english] == names
        assert default[3]["description"] == t("bot.command.pengaduan")
        assert english[3]["description"] == t("bot.command.pengaduan", "en")


class TestHelp:
    async def test_bantuan_and_help_answer_with_the_short_help_and_the_menu(
        self, harness: Harness
    ) -> None:
        for typed in ("/bantuan", "/help", "/bantuan@sigap_bot"):
            [answer] = await harness.says(CHAT, typed)
            assert answer.startswith(t("bot.help")), typed
            assert t("bot.menu.item.3") in answer  # the menu's choices follow

    async def test_help_in_english_for_a_chat_that_chose_english(self, harness: Harness) -> None:
        await harness.says(CHAT, "6")
        await harness.says(CHAT, "2")
        [answer] = await harness.says(CHAT, "/help")
        assert answer.startswith(t("bot.help", "en"))


class TestStartWithAnOffice:
    async def test_the_poster_link_picks_the_office_and_the_complaint_asks_no_more(
        self, harness: Harness
    ) -> None:
        [welcome] = await harness.says(CHAT, "/start buton-tengah")
        name = "Dinas Sosial Kabupaten Buton Tengah"
        assert welcome.startswith(t("bot.command.office", office=name))
        assert t("bot.menu.title") in welcome
        assert _office_of(harness, CHAT) is not None
        [complaint] = await harness.says(CHAT, "/pengaduan")
        assert complaint.startswith(t("bot.complaint.intro"))  # no "which office?" first

    async def test_an_unknown_office_is_said_and_the_list_offered(self, harness: Harness) -> None:
        [answer] = await harness.says(CHAT, "/start kota-antah")
        assert answer.startswith(t("bot.command.no_office", office="kota-antah"))
        assert t("bot.office.ask") in answer
        [menu] = await harness.says(CHAT, "1")  # the first office of the list
        assert t("bot.menu.title") in menu
        assert _office_of(harness, CHAT) is not None

    async def test_a_link_code_after_start_still_links_and_a_short_one_is_a_typo(
        self, harness: Harness, people: People
    ) -> None:
        code = issue(harness, Kind.PERSON, person=people.siti)
        [linked] = await harness.says(CHAT, f"/start {code}")
        assert linked_person(harness, CHAT) == people.siti.id
        assert "Siti Aminah" in linked
        [typo] = await harness.says(CHAT + 1, "/start 12345")
        assert typo.startswith(t("link.malformed"))


class TestWaysIn:
    async def test_status_and_pengaduan_open_their_stories_asking_the_office_first(
        self, harness: Harness
    ) -> None:
        [which] = await harness.says(CHAT, "/status")
        assert which.startswith(t("bot.office.ask"))
        [how] = await harness.says(CHAT, "1")
        assert how.startswith(t("link.how"))  # not linked: how to link this chat

    async def test_batal_drops_a_half_filed_complaint_from_any_step(self, harness: Harness) -> None:
        await harness.says(CHAT, "/start buton-tengah")
        await harness.says(CHAT, "/pengaduan")
        await harness.says(CHAT, "1")  # a category: on to the programme or the description
        [cancelled] = await harness.says(CHAT, "/batal")
        assert cancelled.startswith(t("bot.command.cancelled"))
        assert t("bot.menu.title") in cancelled
        [menu] = await harness.says(CHAT, "/menu")
        assert menu.startswith(t("bot.menu.title"))

    async def test_a_command_with_words_after_it_is_no_command_of_ours(
        self, harness: Harness
    ) -> None:
        [answer] = await harness.says(CHAT, "/status tolong")
        assert not answer.startswith(t("bot.office.ask"))
