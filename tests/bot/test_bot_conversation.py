"""A person finds their way around: the menu by button and by digit, office, programmes."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from core.db import unit_of_work
from models import Conversation, Office, Person
from services.nik import make_nik
from services.notices import NewNotice, create_notice
from services.roles import Role
from services.staff import create_staff
from tests.bot.chat_harness import Harness

LAMANDAU = "62.09"


def _office_number(harness: Harness, code: str) -> str:
    """The digit the office has in the 'Pilih kabupaten/kota' list (catalogue order)."""
    codes = [o.code for o in harness.catalogue.offices]
    return str(codes.index(code) + 1)


class TestMenu:
    async def test_start_shows_the_numbered_menu_with_buttons(self, harness: Harness) -> None:
        [reply] = await harness.says(9001, "/start")
        assert "1. Informasi program" in reply and "6. Bahasa / Language" in reply
        markup = harness.fake.sent(9001)[-1]["reply_markup"]
        values = [row[0]["callback_data"] for row in markup["inline_keyboard"]]
        assert values == ["1", "2", "3", "4", "5", "6"]

    async def test_a_button_and_a_typed_digit_lead_to_the_same_place(
        self, harness: Harness
    ) -> None:
        await harness.says(9002, "/start")
        by_button = await harness.presses(9002, "1")
        await harness.says(9003, "/start")
        by_digit = await harness.says(9003, "1")
        assert by_button == by_digit
        assert "Pilih kabupaten/kota Anda" in by_button[0]
        # The pressed button's spinner is stopped through answerCallbackQuery.
        assert "answerCallbackQuery" in harness.fake.methods()

    async def test_unknown_input_gets_a_hint_never_silence(self, harness: Harness) -> None:
        await harness.says(9004, "/start")
        [reply] = await harness.says(9004, "berapa lama prosesnya")
        assert "pilihan tidak dikenal" in reply.lower()
        assert "1." in reply and "6." in reply

    async def test_a_greeting_is_welcomed_with_the_menu(self, harness: Harness) -> None:
        [reply] = await harness.says(9014, "Halo, selamat pagi")
        assert reply.startswith("Selamat datang!")
        assert "Balas dengan angka" in reply

    async def test_zero_menu_and_batal_return_to_the_menu_from_anywhere(
        self, harness: Harness
    ) -> None:
        for word in ("0", "menu", "batal", "/start"):
            await harness.says(9005, "2")  # into the status story
            [reply] = await harness.says(9005, word)
            assert "Balas dengan angka" in reply, word

    async def test_english_is_remembered(self, harness: Harness) -> None:
        await harness.says(9006, "6")
        [reply] = await harness.presses(9006, "2")
        assert "Reply with a number" in reply
        [reply] = await harness.says(9006, "0")
        assert "Programme information" in reply

    async def test_after_a_long_pause_the_conversation_starts_again_at_the_menu(
        self, harness: Harness
    ) -> None:
        await harness.says(9007, "2")
        harness.now += timedelta(minutes=31)
        [reply] = await harness.says(9007, "1")
        assert "sudah berakhir" in reply
        with Session(harness.engine) as session:
            conversation = session.exec(select(Conversation)).one()
        assert conversation.state == "menu"


class TestOfficeAndProgrammes:
    async def test_the_office_is_asked_once_and_remembered(self, harness: Harness) -> None:
        await harness.says(9010, "1")
        [reply] = await harness.says(9010, _office_number(harness, LAMANDAU))
        assert "Program di Dinas Sosial Kabupaten Lamandau" in reply
        await harness.says(9010, "0")
        [reply] = await harness.says(9010, "5")
        assert "Dinas Sosial Kabupaten Lamandau" in reply
        with Session(harness.engine) as session:
            conversation = session.exec(select(Conversation)).one()
            office = session.get(Office, conversation.office_id)
        assert office is not None and office.code == LAMANDAU

    async def test_programme_information_page_by_page(self, harness: Harness) -> None:
        programme = harness.catalogue.programmes_for_office(LAMANDAU)[0]
        await harness.says(9011, "1")
        await harness.says(9011, _office_number(harness, LAMANDAU))
        [overview] = await harness.presses(9011, "1")
        assert programme.name.id in overview and "1. Persyaratan" in overview

        [requirements] = await harness.says(9011, "1")
        assert programme.requirements[0].id in requirements

        [steps] = await harness.says(9011, "2")
        assert programme.steps[1].name.id in steps
        # The SOP's "2 Hari", counted as working days: marked as Sigap's reading.
        assert "(2 hari kerja*)" in steps and "bacaan Sigap, bukan bunyi SOP" in steps

        [apply] = await harness.says(9011, "3")
        assert programme.how_to_apply.id.split()[0] in apply

        [cost] = await harness.says(9011, "4")
        # The SOP states neither a fee nor a duration: the catalogue's assumptions stay unsaid.
        assert programme.cost.assumption and programme.cost.id not in cost
        assert programme.duration.id not in cost
        assert "Biaya: tidak disebut dalam SOP" in cost

        [complaints] = await harness.says(9011, "5")
        # Lamandau's own rule (a marked office setting): two working days, never "2×24 jam".
        assert "paling lama 2 hari kerja" in complaints
        assert "2×24" not in complaints

        [back] = await harness.says(9011, "0")
        assert "Balas dengan angka" in back

    async def test_complaints_show_the_office_channels_and_the_promise(
        self, harness: Harness
    ) -> None:
        buton = "74.14"
        channels = {
            c.value
            for p in harness.catalogue.programmes_for_office(buton)
            for c in p.complaint_channels
            if c.value
        }
        await harness.says(9012, "3")
        [reply] = await harness.says(9012, _office_number(harness, buton))
        assert channels and all(value in reply for value in channels)
        assert "paling lama 2×24 jam" in reply

    async def test_an_office_whose_sop_states_no_answer_time_promises_none(
        self, harness: Harness
    ) -> None:
        bone = "73.08"
        await harness.says(9013, "3")
        [reply] = await harness.says(9013, _office_number(harness, bone))
        assert "0481-21029" in reply  # its channels, as its SOP publishes them
        assert "ditanggapi paling lama" not in reply

    async def test_notices_list_what_where_and_when_of_the_office(self, harness: Harness) -> None:
        with unit_of_work(harness.engine) as session:
            bone = session.exec(select(Office).where(Office.code == "73.08")).one()
            operator = create_staff(
                session=session,
                office_id=bone.id or 0,
                username="bone.operator",
                full_name="Operator Bone",
                role=Role.OPERATOR,
                password="password-123",
            )
            # Bone has someone on its register for the notice to be for.
            session.add(
                Person(
                    office_id=bone.id or 0,
                    nik=make_nik("73.08", 1, date(1980, 5, 5), "P", 41),
                    kk_number="7308010101260041",
                    name="Hasnah",
                    birth_date=date(1980, 5, 5),
                    sex="P",
                    marital_status="kawin",
                )
            )
            session.flush()
            create_notice(
                session=session,
                staff=operator,
                data=NewNotice(
                    kind="registration",
                    title="Registrasi KUBE tahap 2",
                    place="Kantor Dinas Sosial Bone, Watampone",
                    starts_at=harness.now + timedelta(days=2),
                    send_at=harness.now - timedelta(hours=1),
                ),
                now=harness.now - timedelta(hours=2),
            )
        await harness.says(9014, "4")
        [reply] = await harness.says(9014, _office_number(harness, "73.08"))
        assert "Registrasi dan pembukaan rekening: Registrasi KUBE tahap 2" in reply
        assert "Kantor Dinas Sosial Bone, Watampone" in reply
        assert "Kamis, 12 Maret 2026 pukul 10.00 WITA" in reply

    async def test_notices_say_there_are_none_yet_and_give_the_contact(
        self, harness: Harness
    ) -> None:
        bone = harness.catalogue.office("73.08")
        assert bone is not None
        await harness.says(9013, "4")
        [reply] = await harness.says(9013, _office_number(harness, "73.08"))
        assert "Belum ada jadwal atau pengumuman" in reply
        assert bone.phone is not None and bone.phone in reply
