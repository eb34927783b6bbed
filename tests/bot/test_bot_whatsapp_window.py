"""WhatsApp's 24-hour window (issue 12): inside it a person gets Sigap's own messages and
buttons; outside it, or before they ever wrote, the approved template the message names; and
what WhatsApp later says of each message (delivered, read, failed) reaches its outbox row.

Driven like the other WhatsApp stories: signed Cloud API webhooks into the app, the workers at
an explicit ``now``, and the fake Graph API on loopback, which keeps the window as Meta does
once its clock is set (``wa.fake.clock``) and refuses a free-form message outside it (131047).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from bot.channels import OUTSIDE_WINDOW, DeliveryStatus
from bot.statuses import HOLD, apply_held
from bot.whatsapp.adapter import statuses
from models import (
    Complaint,
    Conversation,
    HeldStatus,
    Office,
    OutboxMessage,
    Proposal,
    StaffUser,
)
from services.complaints import (
    ClockPolicy,
    NewComplaint,
    add_message,
    answer,
    file_complaint,
    sweep,
)
from services.outbox import ensure_conversation, queue, template
from services.proposals import Action, transition
from services.roles import Role
from services.staff import create_staff
from tests.bot.chat_harness import MORNING, make_people
from tests.bot.whatsapp_harness import SITI, WhatsAppHarness, cloud_message, envelope
from tests.fakes.whatsapp_server import PHONE_NUMBER_ID, FakeWhatsApp, template_buttons

TWO_DAYS_LATER = MORNING + timedelta(days=2)
ANSWER = "Saldo BPNT Ibu sudah masuk tanggal 20.\nSilakan cek di e-warong."


def _queue(
    wa: WhatsAppHarness,
    text: str,
    *,
    extra: dict[str, Any] | None = None,
    buttons: list[Any] | None = None,
) -> int:
    """A business-initiated message to Siti's WhatsApp chat, as a service queues one."""
    with Session(wa.engine) as session:
        chat = ensure_conversation(session, channel="whatsapp", chat_id=SITI, now=wa.now)
        row = queue(
            session, conversation_id=chat, text=text, now=wa.now, extra=extra, buttons=buttons
        )
        session.commit()
        return row.id or 0


def _row(wa: WhatsAppHarness, row_id: int) -> OutboxMessage:
    with Session(wa.engine) as session:
        return session.get_one(OutboxMessage, row_id)


def _chat(wa: WhatsAppHarness) -> Conversation:
    with Session(wa.engine) as session:
        return session.exec(select(Conversation).where(Conversation.chat_id == SITI)).one()


def _later(wa: WhatsAppHarness, when: datetime) -> None:
    """Time passes, for Sigap's workers and for WhatsApp alike."""
    wa.now = when
    wa.fake.clock = when


BUTTONS = [
    [{"label": "Hadir", "value": "hadir 7"}],
    [{"label": "Tidak bisa hadir", "value": "tidak hadir 7"}],
]
NOTICE = template(
    "sigap_notice",
    "Sosialisasi",
    "Sosialisasi BPNT",
    "Balai Desa Nanga Bulik",
    "Selasa, 12 Maret 2026 pukul 09.00 WIB",
    "Bawa KTP dan KKS",
)


class TestTheWindow:
    async def test_inside_the_window_sigaps_own_message_goes_with_its_buttons(
        self, wa: WhatsAppHarness
    ) -> None:
        await wa.says(SITI, "halo")
        _later(wa, MORNING + timedelta(hours=20))
        row = _queue(wa, "Sosialisasi BPNT, Selasa pukul 09.00.", extra=NOTICE, buttons=BUTTONS)
        await wa.deliver()
        sent = wa.fake.sent(SITI)[-1]
        assert sent["type"] == "interactive"
        assert [b["reply"]["id"] for b in sent["interactive"]["action"]["buttons"]] == [
            "hadir 7",
            "tidak hadir 7",
        ]
        assert sent["interactive"]["body"]["text"] == "Sosialisasi BPNT, Selasa pukul 09.00."
        assert "sent_as_template" not in _row(wa, row).extra

    async def test_a_person_silent_for_more_than_24_hours_gets_the_template(
        self, wa: WhatsAppHarness
    ) -> None:
        await wa.says(SITI, "halo")
        _later(wa, MORNING + timedelta(hours=25))
        attempts = wa.fake.attempts()
        row = _queue(wa, "Sosialisasi BPNT, Selasa pukul 09.00.", extra=NOTICE)
        assert await wa.deliver() == 1
        # Straight to the template: no free-form message tried first.
        assert wa.fake.attempts() == attempts + 1
        [sent] = wa.fake.sent(SITI)[-1:]
        assert sent["type"] == "template"
        assert sent["template"]["name"] == "sigap_notice"
        assert sent["template"]["language"]["code"] == "id"
        [shown] = wa.fake.texts(SITI)[-1:]
        assert shown.startswith("Pemberitahuan Sosialisasi: Sosialisasi BPNT")
        assert "Tempat: Balai Desa Nanga Bulik" in shown
        assert "Waktu: Selasa, 12 Maret 2026 pukul 09.00 WIB" in shown
        # Without buttons of its own, a quick reply sends back its text.
        assert template_buttons(sent) == [
            ("Hadir", "Hadir"),
            ("Tidak bisa hadir", "Tidak bisa hadir"),
        ]
        found = _row(wa, row)
        assert (found.status, found.extra["sent_as_template"]) == ("sent", "sigap_notice")
        assert found.platform_message_id == wa.fake.calls[-1].message_id

    async def test_a_person_who_never_wrote_gets_the_template_with_the_rows_buttons(
        self, wa: WhatsAppHarness
    ) -> None:
        _later(wa, MORNING)
        row = _queue(wa, "Sosialisasi BPNT.", extra=NOTICE, buttons=BUTTONS)
        await wa.deliver()
        [sent] = wa.fake.sent(SITI)
        assert sent["type"] == "template"
        # A press means what pressing the same button in the chat means.
        assert template_buttons(sent) == [
            ("Hadir", "hadir 7"),
            ("Tidak bisa hadir", "tidak hadir 7"),
        ]
        assert _row(wa, row).status == "sent"

    async def test_without_a_template_the_message_alone_is_unreachable_and_says_why(
        self, wa: WhatsAppHarness
    ) -> None:
        await wa.says(SITI, "halo")
        _later(wa, MORNING + timedelta(days=3))
        attempts = wa.fake.attempts()
        plain = _queue(wa, "Kabar tanpa template.")
        notice = _queue(wa, "Sosialisasi BPNT.", extra=NOTICE)
        await wa.deliver()
        await wa.deliver()
        unreachable = _row(wa, plain)
        assert (unreachable.status, unreachable.last_error) == ("unreachable", OUTSIDE_WINDOW)
        # Nothing was tried for it, the chat is not given up, and the template behind it went.
        assert _chat(wa).unreachable_at is None
        assert _row(wa, notice).status == "sent"
        assert [b["type"] for b in wa.fake.sent(SITI)[-1:]] == ["template"]
        assert wa.fake.attempts() == attempts + 1


class TestWhatsAppSaysTheWindowIsClosed:
    """Sigap thinks the person wrote recently; WhatsApp, which knows better, refuses."""

    async def _closed_behind_our_back(self, wa: WhatsAppHarness) -> None:
        await wa.says(SITI, "halo")
        _later(wa, MORNING + timedelta(hours=2))
        wa.fake.last_inbound[SITI] = MORNING - timedelta(days=2)

    async def test_the_template_goes_once_on_the_same_row(self, wa: WhatsAppHarness) -> None:
        await self._closed_behind_our_back(wa)
        row = _queue(wa, "Sosialisasi BPNT.", extra=NOTICE)
        before = wa.fake.attempts()
        assert await wa.deliver() == 1
        refused, accepted = wa.fake.calls[before:]
        assert (refused.ok, refused.body["type"]) == (False, "text")
        assert (accepted.ok, accepted.body["type"]) == (True, "template")
        # One row, sent once; delivering again sends nothing more.
        await wa.deliver(now=wa.now + timedelta(minutes=1))
        assert wa.fake.attempts() == before + 2
        with Session(wa.engine) as session:
            rows = session.exec(select(OutboxMessage).where(OutboxMessage.id >= row)).all()
        assert [(r.status, r.extra["sent_as_template"]) for r in rows] == [("sent", "sigap_notice")]

    async def test_a_template_that_meets_the_rate_limit_is_retried_as_the_template(
        self, wa: WhatsAppHarness
    ) -> None:
        await self._closed_behind_our_back(wa)
        row = _queue(wa, "Sosialisasi BPNT.", extra=NOTICE)
        before = wa.fake.attempts()
        wa.fake.fail_next(1, 130429, after=1)  # the free-form is refused by the window
        assert await wa.deliver() == 0
        assert _row(wa, row).status == "queued"
        assert await wa.deliver(now=wa.now + timedelta(seconds=1)) == 1
        kinds = [(c.ok, c.body["type"]) for c in wa.fake.calls[before:]]
        assert kinds == [(False, "text"), (False, "template"), (True, "template")]

    async def test_without_a_template_the_row_is_unreachable_with_the_reason(
        self, wa: WhatsAppHarness
    ) -> None:
        await self._closed_behind_our_back(wa)
        row = _queue(wa, "Kabar tanpa template.")
        await wa.deliver()
        found = _row(wa, row)
        assert found.status == "unreachable"
        assert (found.last_error or "").startswith(OUTSIDE_WINDOW)
        assert "131047" in (found.last_error or "")
        assert _chat(wa).unreachable_at is None


class TestDeliveryStatuses:
    async def _sent(self, wa: WhatsAppHarness) -> tuple[int, str]:
        await wa.says(SITI, "halo")
        [row] = wa.outbox()
        assert row.platform_message_id is not None
        return row.id or 0, row.platform_message_id

    async def test_delivered_then_read_move_the_row_forward_and_answer_nobody(
        self, wa: WhatsAppHarness
    ) -> None:
        row, wamid = await self._sent(wa)
        attempts, stored = wa.fake.attempts(), wa.stored()
        assert (await wa.fake.report(wa.client, wamid, "sent")).status_code == 200
        assert _row(wa, row).status == "sent"
        await wa.fake.report(wa.client, wamid, "delivered")
        assert _row(wa, row).status == "delivered"
        await wa.fake.report(wa.client, wamid, "read")
        assert _row(wa, row).status == "read"
        # Webhooks come in any order: a late "delivered" or "failed" does not undo "read".
        await wa.fake.report(wa.client, wamid, "delivered")
        await wa.fake.report(wa.client, wamid, "failed", error_code=131000)
        assert (_row(wa, row).status, _row(wa, row).last_error) == ("read", None)
        assert wa.process() == 0
        await wa.deliver()
        assert (wa.fake.attempts(), wa.stored()) == (attempts, stored)

    async def test_failed_records_whatsapps_error(self, wa: WhatsAppHarness) -> None:
        row, wamid = await self._sent(wa)
        await wa.fake.report(wa.client, wamid, "failed", error_code=131026)
        found = _row(wa, row)
        assert found.status == "failed"
        assert found.last_error == (
            "131026 Message undeliverable (Unable to deliver message to this recipient)"
        )

    async def test_a_later_131047_sends_the_template_and_without_one_says_why(
        self, wa: WhatsAppHarness
    ) -> None:
        await wa.says(SITI, "halo")
        _later(wa, MORNING + timedelta(hours=1))
        notice, plain = _queue(wa, "Sosialisasi.", extra=NOTICE), _queue(wa, "Kabar.")
        assert await wa.deliver() == 2
        assert [b["type"] for b in wa.fake.sent(SITI)[-2:]] == ["text", "text"]
        # WhatsApp took both, then found the window closed (Meta may say so only later).
        for row in (notice, plain):
            wamid = _row(wa, row).platform_message_id or ""
            await wa.fake.report(wa.client, wamid, "failed", error_code=131047)
        assert _row(wa, notice).status == "queued"
        found = _row(wa, plain)
        assert found.status == "unreachable"
        assert (found.last_error or "").startswith(f"{OUTSIDE_WINDOW} (131047 Re-engagement")
        assert await wa.deliver(now=wa.now + timedelta(minutes=1)) == 1
        assert wa.fake.sent(SITI)[-1]["template"]["name"] == "sigap_notice"
        assert _row(wa, notice).status == "sent"
        # Once: should that fail in the same way too, the row gives up.
        await wa.fake.report(
            wa.client, _row(wa, notice).platform_message_id or "", "failed", error_code=131047
        )
        assert _row(wa, notice).status == "unreachable"

    async def test_many_webhooks_at_once_are_all_recorded(self, wa: WhatsAppHarness) -> None:
        """A broadcast brings statuses in bursts: together, in whatever order, none is lost."""
        await wa.says(SITI, "halo")
        rows = [_queue(wa, f"Kabar {n}.") for n in range(6)]
        assert await wa.deliver() == 6
        wamids = [_row(wa, row).platform_message_id or "" for row in rows]
        reports = [
            wa.fake.report(wa.client, wamid, status)
            for status in ("read", "delivered")
            for wamid in wamids
        ]
        reports.append(wa.fake.report(wa.client, wamids[0], "failed", error_code=131026))
        answers = await asyncio.gather(*reports)
        assert {response.status_code for response in answers} == {200}
        assert [_row(wa, row).status for row in rows] == ["read"] * 6

    async def test_statuses_that_come_before_the_row_is_recorded_as_sent_are_applied_after(
        self, wa: WhatsAppHarness
    ) -> None:
        """WhatsApp accepted the message and its receipts come while the sender is still
        waiting for the API's answer: the row has no wamid yet."""
        await wa.says(SITI, "halo")
        row = _queue(wa, "Kabar.")
        wa.fake.limit(1000.0, delay=0.5)  # the API answers half a second after accepting
        accepted = len(wa.fake.calls)
        sending = asyncio.create_task(wa.deliver())
        while len(wa.fake.calls) == accepted:
            await asyncio.sleep(0.01)
        wamid = wa.fake.calls[-1].message_id or ""
        for status in ("sent", "delivered", "read"):
            assert (await wa.fake.report(wa.client, wamid, status)).status_code == 200
        assert _row(wa, row).platform_message_id is None
        assert await sending == 1
        assert (_row(wa, row).status, _row(wa, row).platform_message_id) == ("sent", wamid)
        # The worker's job applies what was held, once; nothing is answered.
        assert apply_held(wa.engine, now=wa.now) == 2
        assert _row(wa, row).status == "read"
        assert apply_held(wa.engine, now=wa.now) == 0
        assert wa.process() == 0

    async def test_a_held_failure_reaches_the_row_and_what_no_row_ever_names_expires(
        self, wa: WhatsAppHarness
    ) -> None:
        await wa.says(SITI, "halo")
        row = _queue(wa, "Kabar.")
        wamid = f"wamid.FAKE{len(wa.fake.sent()) + 1:06d}"  # the id WhatsApp will give it
        await wa.fake.report(wa.client, wamid, "failed", error_code=131026)
        await wa.fake.report(wa.client, "wamid.SOMEONE-ELSES", "delivered")
        assert await wa.deliver() == 1
        assert _row(wa, row).platform_message_id == wamid
        assert apply_held(wa.engine, now=wa.now) == 1
        found = _row(wa, row)
        assert (found.status, found.last_error) == (
            "failed",
            "131026 Message undeliverable (Unable to deliver message to this recipient)",
        )
        with Session(wa.engine) as session:
            assert session.exec(select(HeldStatus.platform_message_id)).all() == [
                "wamid.SOMEONE-ELSES"
            ]
        apply_held(wa.engine, now=datetime.now(UTC) + HOLD + timedelta(seconds=1))
        with Session(wa.engine) as session:
            assert session.exec(select(HeldStatus)).all() == []

    async def test_statuses_for_another_number_change_nothing(self, wa: WhatsAppHarness) -> None:
        row, wamid = await self._sent(wa)
        payload = wa.fake.status_webhook(wamid, "read")
        payload["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "999000111"
        assert (await wa.post(payload)).status_code == 200
        assert _row(wa, row).status == "sent"

    async def test_an_unsigned_status_is_refused(self, wa: WhatsAppHarness) -> None:
        row, wamid = await self._sent(wa)
        response = await wa.post(wa.fake.status_webhook(wamid, "read"), signature=None)
        assert response.status_code == 401
        assert _row(wa, row).status == "sent"


class TestReadingStatuses:
    """What the adapter makes of a status webhook, whatever it holds."""

    def _read(self, *entries: Any) -> list[DeliveryStatus]:
        value = {"metadata": {"phone_number_id": PHONE_NUMBER_ID}, "statuses": list(entries)}
        payload = {"entry": [{"changes": [{"field": "messages", "value": value}]}]}
        return statuses(payload, phone_number_id=PHONE_NUMBER_ID)

    def test_the_four_statuses_and_a_failures_error(self) -> None:
        failed = FakeWhatsApp().status_webhook("wamid.4", "failed", error_code=131047)
        entry = failed["entry"][0]["changes"][0]["value"]["statuses"][0]
        found = self._read(
            *({"id": f"wamid.{n}", "status": s} for n, s in enumerate(["sent", "delivered"])),
            {"id": "wamid.3", "status": "read"},
            entry,
        )
        assert [(s.platform_message_id, s.status) for s in found] == [
            ("wamid.0", "sent"),
            ("wamid.1", "delivered"),
            ("wamid.3", "read"),
            ("wamid.4", "failed"),
        ]
        assert found[-1].window_closed
        assert found[-1].error.startswith("131047 Re-engagement message (More than 24 hours")

    @pytest.mark.parametrize(
        "entry",
        [
            {"id": "wamid.1", "status": ["read"]},
            {"id": "wamid.1", "status": {"x": 1}},
            {"id": 7, "status": "read"},
            {"id": "", "status": "read"},
            {"id": "wamid." + "9" * 200, "status": "read"},
            {"id": "wamid.1", "status": "deleted"},
            {"status": "read"},
            "read",
            None,
        ],
    )
    def test_what_is_no_status_of_ours_is_left_out(self, entry: Any) -> None:
        assert self._read(entry) == []

    def test_an_error_without_its_usual_fields_still_reads(self) -> None:
        [found] = self._read({"id": "wamid.1", "status": "failed", "errors": [{}, "x", None]})
        assert (found.status, found.window_closed) == ("failed", False)


class TestTheProcessorKeepsTheWindow:
    async def test_a_message_opens_it_and_a_reaction_does_not(self, wa: WhatsAppHarness) -> None:
        await wa.says(SITI, "halo")
        assert _chat(wa).last_inbound_at == MORNING
        wa.now = MORNING + timedelta(hours=3)
        reaction = cloud_message(
            wa.wamid(), SITI, "reaction", reaction={"message_id": "wamid.X", "emoji": "👍"}
        )
        await wa.exchange(SITI, envelope(reaction))
        assert _chat(wa).last_inbound_at == MORNING
        await wa.says(SITI, "menu")
        assert _chat(wa).last_inbound_at == MORNING + timedelta(hours=3)


def _buton_officer(wa: WhatsAppHarness) -> tuple[int, int]:
    with Session(wa.engine, expire_on_commit=False) as session:
        office = session.exec(select(Office).where(Office.code == "74.14")).one()
        officer = create_staff(
            session=session,
            office_id=office.id or 0,
            username="buteng.officer",
            full_name="Ibu Wa Ode",
            role=Role.COMPLAINT_OFFICER,
            password="password-123",
        )
        session.commit()
        return office.id or 0, officer.id or 0


def _complaint(wa: WhatsAppHarness, office_id: int) -> Complaint:
    """Siti's complaint, filed at ``wa.now``."""
    with Session(wa.engine, expire_on_commit=False) as session:
        complaint = file_complaint(
            session=session,
            data=NewComplaint(
                office_id=office_id,
                category="bantuan-terlambat",
                description="Saldo BPNT bulan Februari\nbelum masuk.",
                channel="whatsapp",
                conversation_id=_chat(wa).id,
            ),
            now=wa.now,
            policy=ClockPolicy(),
        )
        session.commit()
        return complaint


class TestAComplaintAnsweredAfterTwoDays:
    async def test_it_goes_as_the_answer_template_and_its_button_settles_it(
        self, wa: WhatsAppHarness
    ) -> None:
        await wa.says(SITI, "halo")
        office_id, officer_id = _buton_officer(wa)
        complaint = _complaint(wa, office_id)
        _later(wa, TWO_DAYS_LATER)
        with Session(wa.engine) as session:
            answer(
                session=session,
                staff=session.get_one(StaffUser, officer_id),
                complaint_id=complaint.id or 0,
                text=ANSWER,
                now=wa.now,
            )
            session.commit()
        await wa.deliver()
        sent = wa.fake.sent(SITI)[-1]
        assert sent["template"]["name"] == "sigap_complaint_answer"
        # One line, as WhatsApp wants its parameters.
        params = [p["text"] for p in sent["template"]["components"][0]["parameters"]]
        assert params == [complaint.number, " ".join(ANSWER.split("\n"))]
        assert template_buttons(sent) == [
            ("Sudah tuntas", f"selesai {complaint.number}"),
            ("Belum, buka lagi", f"buka {complaint.number}"),
        ]

        # She presses "Sudah tuntas" under the template.
        press = cloud_message(
            wa.wamid(),
            SITI,
            "button",
            button={"payload": f"selesai {complaint.number}", "text": "Sudah tuntas"},
            context={"from": "6281100000000", "id": wa.fake.calls[-1].message_id},
        )
        [settled, *_] = await wa.exchange(SITI, envelope(press))
        assert f"Pengaduan {complaint.number} selesai dan ditutup" in settled
        with Session(wa.engine) as session:
            assert session.get_one(Complaint, complaint.id).status == "closed"
        # Her press opened the window again: the answer came back as Sigap's own message.
        assert wa.fake.sent(SITI)[-1]["type"] != "template"


OFFICER, KABID = "6281299990001", "6281299990002"


def _buton_staff_on_whatsapp(wa: WhatsAppHarness) -> int:
    """A complaint officer and a Kabid of Buton Tengah, each with a WhatsApp chat."""
    with Session(wa.engine, expire_on_commit=False) as session:
        office = session.exec(select(Office).where(Office.code == "74.14")).one()
        for username, role, phone in (
            ("buteng.officer", Role.COMPLAINT_OFFICER, OFFICER),
            ("buteng.kabid", Role.SUPERVISOR, KABID),
        ):
            create_staff(
                session=session,
                office_id=office.id or 0,
                username=username,
                full_name=username,
                role=role,
                password="password-123",
                chat=f"whatsapp:{phone}",
            )
        session.commit()
        return office.id or 0


def _params(sent: dict[str, Any]) -> list[str]:
    return [p["text"] for p in sent["template"]["components"][0]["parameters"]]


class TestStaffAfterASilence:
    """Officers and supervisors on WhatsApp who have not written to the bot for a day still
    hear of a new complaint, of its deadline and of its escalation: as templates."""

    async def test_an_officer_silent_for_25_hours_gets_the_new_complaint_as_a_template(
        self, wa: WhatsAppHarness
    ) -> None:
        office_id = _buton_staff_on_whatsapp(wa)
        await wa.says(OFFICER, "halo")
        await wa.says(SITI, "halo")
        _later(wa, MORNING + timedelta(hours=25))
        await wa.says(SITI, "halo")  # the complainant's own window is open
        complaint = _complaint(wa, office_id)
        attempts = wa.fake.attempts()
        await wa.deliver()
        sent = wa.fake.sent(OFFICER)[-1]
        assert sent["template"]["name"] == "sigap_complaint_new"
        # Straight to the template: no free-form message refused first.
        assert wa.fake.attempts() == attempts + 1
        number, category, deadline, description = _params(sent)
        assert number == complaint.number
        assert deadline.endswith("WITA")
        assert category == "Bantuan terlambat atau tidak diterima"
        assert description == "Saldo BPNT bulan Februari belum masuk."
        # "Tangani" claims the complaint, as the button under the free-form alert does.
        assert template_buttons(sent) == [("Tangani", f"klaim {complaint.number}")]
        [row] = [r for r in wa.outbox() if r.platform_message_id == wa.fake.calls[-1].message_id]
        assert (row.status, row.extra["sent_as_template"]) == ("sent", "sigap_complaint_new")

        # Inside the window the officer gets Sigap's own alert, with its button.
        await wa.says(OFFICER, "halo")
        _complaint(wa, office_id)
        await wa.deliver()
        assert wa.fake.sent(OFFICER)[-1]["type"] == "interactive"

    async def _alerted(self, wa: WhatsAppHarness) -> Complaint:
        """Siti's complaint, its alert gone to an officer who never wrote to the bot."""
        office_id = _buton_staff_on_whatsapp(wa)
        await wa.says(SITI, "halo")
        complaint = _complaint(wa, office_id)
        await wa.deliver()
        assert wa.fake.sent(OFFICER)[-1]["template"]["name"] == "sigap_complaint_new"
        return complaint

    async def test_the_complainants_new_message_reaches_a_silent_officer_as_staff_news(
        self, wa: WhatsAppHarness
    ) -> None:
        complaint = await self._alerted(wa)
        with Session(wa.engine) as session:
            add_message(
                session=session,
                complaint=session.get_one(Complaint, complaint.id),
                text="Sudah saya cek\ndi e-warong, belum ada.",
                now=wa.now,
            )
            session.commit()
        await wa.deliver()
        relayed = wa.fake.sent(OFFICER)[-1]
        assert relayed["template"]["name"] == "sigap_complaint_staff_news"
        number, news = _params(relayed)
        assert number == complaint.number
        assert news.startswith(f"PESAN PELAPOR {complaint.number}: Sudah saya cek di e-warong")

    async def test_the_reminder_and_the_escalation_go_as_templates_to_who_is_silent(
        self, wa: WhatsAppHarness
    ) -> None:
        complaint = await self._alerted(wa)

        _later(wa, complaint.due_at - timedelta(hours=3, minutes=30))
        assert sweep(engine=wa.engine, now=wa.now, policy=ClockPolicy()) == 2
        await wa.deliver()
        reminder = wa.fake.sent(OFFICER)[-1]
        assert reminder["template"]["name"] == "sigap_complaint_due"
        number, _, hours, _ = _params(reminder)
        assert (number, hours) == (complaint.number, "4")  # 3 h 30 min left, rounded up

        _later(wa, complaint.due_at + timedelta(minutes=1))
        assert sweep(engine=wa.engine, now=wa.now, policy=ClockPolicy()) == 1
        await wa.deliver()
        [escalated] = wa.fake.sent(KABID)
        assert escalated["template"]["name"] == "sigap_complaint_escalated"
        to, number, _, _, rule = _params(escalated)
        assert (to, number, rule) == ("Kabid", complaint.number, "2×24 jam")
        assert wa.fake.texts(KABID)[0].startswith(f"Eskalasi ke Kabid: pengaduan {number} (")


class TestProposalNewsAfterASilence:
    async def test_a_step_change_goes_as_the_proposal_template(self, wa: WhatsAppHarness) -> None:
        people = make_people(wa.engine)  # Siti's WhatsApp number is on file: it links at once
        await wa.says(SITI, "2")
        _later(wa, TWO_DAYS_LATER)
        with Session(wa.engine, expire_on_commit=False) as session:
            office = session.exec(select(Office).where(Office.code == "62.09")).one()
            operator = create_staff(
                session=session,
                office_id=office.id or 0,
                username="lamandau.operator",
                full_name="Operator",
                role=Role.OPERATOR,
                password="password-123",
            )
            proposal = session.get_one(Proposal, people.uep.id)
            transition(
                session=session,
                staff=operator,
                proposal_id=proposal.id or 0,
                action=Action.ADVANCE,
                expected_version=proposal.version,
                now=wa.now,
            )
            session.commit()
        await wa.deliver()
        sent = wa.fake.sent(SITI)[-1]
        assert sent["template"]["name"] == "sigap_proposal_step"
        shown = wa.fake.texts(SITI)[-1]
        assert shown.startswith(f"Kabar usulan {people.uep.number} (")
        assert "Sekarang di tahap 3 dari 6" in shown


@pytest.mark.parametrize("status", ["delivered", "read"])
async def test_a_status_about_a_message_sigap_never_sent_changes_nothing(
    wa: WhatsAppHarness, status: str
) -> None:
    await wa.says(SITI, "halo")
    before = [(r.id, r.status) for r in wa.outbox()]
    response = await wa.fake.report(wa.client, "wamid.SOMEONE-ELSES", status)
    assert response.status_code == 200
    assert [(r.id, r.status) for r in wa.outbox()] == before
