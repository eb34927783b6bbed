"""The WhatsApp templates file: read strictly, listed in the README as Meta must approve them,
filled as WhatsApp accepts; and Telegram, which has no window, never minds a template."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlmodel import Session

from bot.inbound import Button
from bot.whatsapp.templates import (
    FILE_NAME,
    MAX_BODY,
    TemplateError,
    filled,
    load_templates,
    template_message,
)
from services.catalogue import DEFAULT_DIRECTORY, CatalogueError
from services.notice_fanout import TEMPLATE_PARAMS
from services.outbox import ensure_conversation, queue, template
from tests.bot.chat_harness import Harness

README = Path(__file__).resolve().parents[2] / "README.md"
EVERY_KIND = {
    "sigap_notice",
    "sigap_reminder",
    "sigap_correction",
    "sigap_cancellation",
    "sigap_complaint_answer",
    "sigap_complaint_new",
    "sigap_complaint_due",
    "sigap_complaint_escalated",
    "sigap_complaint_staff_news",
    "sigap_late_digest",
    "sigap_proposal_step",
}


def _write(tmp_path: Path, body: str, params: str = "[a, b]", name: str = "sigap_x") -> Path:
    (tmp_path / FILE_NAME).write_text(
        f"templates:\n  - name: {name}\n    language: id\n    category: UTILITY\n"
        f"    body: {body!r}\n    params: {params}\n",
        encoding="utf-8",
    )
    return tmp_path


class TestTheFile:
    def test_every_business_initiated_kind_has_its_template(self) -> None:
        templates = load_templates()
        assert set(templates) == EVERY_KIND
        assert {t.language for t in templates.values()} == {"id"}
        assert {t.category for t in templates.values()} == {"UTILITY"}
        assert templates["sigap_notice"].buttons == ("Hadir", "Tidak bisa hadir")

    def test_the_broadcasts_fill_each_template_with_as_many_parameters_as_it_has(
        self,
    ) -> None:
        templates = load_templates()
        for name, fields in TEMPLATE_PARAMS.values():
            assert len(fields) == len(templates[name].params), name

    def test_the_readme_lists_each_exactly_as_it_is_to_be_registered(self) -> None:
        readme = README.read_text(encoding="utf-8")
        for name, found in load_templates().items():
            assert f"**`{name}`** (UTILITY, language `id`)" in readme
            assert f"```text\n{found.body}\n```" in readme
            for label in found.buttons:
                assert f'"{label}"' in readme

    @pytest.mark.parametrize(
        ("body", "params", "says"),
        [
            ("Halo {{1}} dan {{3}}.", "[a, b]", "placeholders [1, 3]"),
            ("Halo {{1}}.", "[a, b]", "placeholders [1]"),
            ("{{1}} halo {{2}}.", "[a, b]", "begin or end"),
            ("Halo {{1}} dan {{2}}", "[a, b]", "begin or end"),
            ("Halo {{1}} {{2}} ya.", "[a, b]", "side by side"),
        ],
        ids=["skips-one", "too-few", "starts-with-one", "ends-with-one", "side-by-side"],
    )
    def test_a_body_meta_would_refuse_stops_the_start_naming_the_file(
        self, tmp_path: Path, body: str, params: str, says: str
    ) -> None:
        with pytest.raises(CatalogueError, match=re.escape(says)) as refused:
            load_templates(_write(tmp_path, body, params))
        assert FILE_NAME in str(refused.value)

    def test_a_name_used_twice_is_refused(self, tmp_path: Path) -> None:
        one = "  - {name: sigap_x, language: id, category: UTILITY, body: 'Hi {{1}}.', params: [a]}"
        (tmp_path / FILE_NAME).write_text(f"templates:\n{one}\n{one}\n", encoding="utf-8")
        with pytest.raises(CatalogueError, match="used twice"):
            load_templates(tmp_path)

    def test_an_offices_own_catalogue_without_the_file_uses_the_shipped_one(
        self, tmp_path: Path
    ) -> None:
        assert set(load_templates(tmp_path)) == EVERY_KIND
        assert load_templates(tmp_path) == load_templates(DEFAULT_DIRECTORY)


class TestFillingIn:
    def test_parameters_become_one_line_and_never_empty(self) -> None:
        answer = load_templates()["sigap_complaint_answer"]
        message = template_message(answer, ["ADU-2026-00001", "Saldo\n\nsudah\tmasuk.   "], [])
        body = message["components"][0]["parameters"]
        assert [p["text"] for p in body] == ["ADU-2026-00001", "Saldo sudah masuk."]
        empty = template_message(answer, ["ADU-2026-00001", "  \n"], [])
        assert empty["components"][0]["parameters"][1]["text"] == "-"

    def test_a_long_answer_is_shortened_until_the_body_fits(self) -> None:
        answer = load_templates()["sigap_complaint_answer"]
        message = template_message(answer, ["ADU-2026-00001", "kata " * 400], [])
        values = [p["text"] for p in message["components"][0]["parameters"]]
        assert values[0] == "ADU-2026-00001"
        assert values[1].endswith("…")
        assert len(filled(answer, values)) == MAX_BODY

    def test_quick_replies_carry_the_rows_buttons_only_when_they_match_in_number(self) -> None:
        notice = load_templates()["sigap_notice"]
        params = ["Dinas", "Sosialisasi", "Selasa", "Balai", "-"]
        two = [Button("Hadir", "hadir 3"), Button("Tidak bisa hadir", "tidak hadir 3")]
        payloads = [
            c["parameters"][0]["payload"]
            for c in template_message(notice, params, two)["components"]
            if c["type"] == "button"
        ]
        assert payloads == ["hadir 3", "tidak hadir 3"]
        one = template_message(notice, params, two[:1])["components"]
        assert [c["parameters"][0]["payload"] for c in one if c["type"] == "button"] == [
            "Hadir",
            "Tidak bisa hadir",
        ]

    def test_a_wrong_number_of_parameters_is_the_rows_mistake(self) -> None:
        with pytest.raises(TemplateError, match="takes 3 parameters, the row gives 1"):
            template_message(load_templates()["sigap_proposal_step"], ["UEP-1"], [])


async def test_telegram_has_no_window_and_sends_the_rows_text(harness: Harness) -> None:
    """A chat that never wrote, a message naming a template: on Telegram it is just sent."""
    with Session(harness.engine) as session:
        chat = ensure_conversation(session, channel="telegram", chat_id="9901", now=harness.now)
        queue(
            session,
            conversation_id=chat,
            text="Jawaban untuk pengaduan ADU-2026-00001: saldo sudah masuk.",
            now=harness.now,
            extra=template("sigap_complaint_answer", "ADU-2026-00001", "saldo sudah masuk."),
        )
        session.commit()
    assert await harness.deliver() == 1
    assert harness.fake.texts(9901) == [
        "Jawaban untuk pengaduan ADU-2026-00001: saldo sudah masuk."
    ]
