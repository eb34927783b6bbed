"""The words people use, as chat transcripts: number words and "1.", phrases for menu items,
"kembali" one step back, "terima kasih", dates in words, and "0" that is always the menu but
never loses a draft unawares."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from bot.conversation.words import Intent, choice, intent
from models import Complaint, Conversation, Office, Person
from services.nik import make_nik
from tests.bot.chat_harness import Harness, People, contact_update

LAMANDAU, BUTON = "62.09", "74.14"
CHAT = 9501


def _digit(harness: Harness, code: str) -> str:
    return str([o.code for o in harness.catalogue.offices].index(code) + 1)


def _state(harness: Harness, chat: int) -> str:
    with Session(harness.engine) as session:
        return session.exec(
            select(Conversation.state).where(Conversation.chat_id == str(chat))
        ).one()


def _complaints(harness: Harness) -> list[Complaint]:
    with Session(harness.engine) as session:
        return list(session.exec(select(Complaint)).all())


class TestReading:
    def test_typed_choices(self) -> None:
        for typed in ("1", "1.", "1)", "(1)", " 1 ", "satu", "Satu", "pertama", "nomor 1",
                      "no. 1", "pilih satu", "yang pertama", "one", "#1", "1️⃣"):  # fmt: skip
            assert choice(typed) == "1", typed
        assert choice("dua") == "2" and choice("sepuluh") == "10" and choice("nol") == "0"
        for typed in ("", "halo", "1 2", "17-08-1980", "satu dua", "-"):
            assert choice(typed) is None, typed

    def test_phrases(self) -> None:
        assert intent("Cek status") is Intent.STATUS
        assert intent("lapor") is Intent.COMPLAINT and intent("Pengaduan") is Intent.COMPLAINT
        assert intent("syarat") is Intent.REQUIREMENTS
        assert intent("Kembali") is Intent.BACK
        assert intent("Terima kasih!") is Intent.THANKS and intent("makasih") is Intent.THANKS
        assert intent("-") is Intent.SKIP and intent("lewati") is Intent.SKIP
        assert intent("Menu") is Intent.MENU
        assert intent("beras belum datang") is None


class TestNumbers:
    async def test_number_words_and_punctuated_digits_are_the_digits(
        self, harness: Harness
    ) -> None:
        [offices] = await harness.says(CHAT, "satu")
        assert "Pilih kabupaten/kota Anda" in offices
        [programmes] = await harness.says(CHAT, f"{_digit(harness, LAMANDAU)}.")
        assert "Program di Dinas Sosial Kabupaten Lamandau" in programmes
        [page] = await harness.says(CHAT, "1)")
        assert "Mau tahu apa?" in page
        [requirements] = await harness.says(CHAT, "nomor satu")
        assert "Persyaratan:" in requirements
        [menu] = await harness.says(CHAT, "nol")
        assert "Balas dengan angka" in menu


class TestPhrases:
    async def test_cek_status_lapor_and_syarat_open_their_items(self, harness: Harness) -> None:
        [how] = await harness.says(CHAT, "cek status")
        assert "Pilih kabupaten/kota Anda" in how  # menu 2 asks the office first
        await harness.says(CHAT, _digit(harness, BUTON))
        assert _state(harness, CHAT) == "status_how"

        [complaint] = await harness.says(CHAT, "lapor")
        assert "Pengaduan. Apa masalahnya?" in complaint
        [again] = await harness.says(CHAT, "Pengaduan")
        assert "Pengaduan. Apa masalahnya?" in again

        # Buton Tengah has one programme: "syarat" opens its requirements at once.
        [requirements] = await harness.says(CHAT, "syarat")
        assert "Persyaratan:" in requirements
        assert "Keluarga Penerima Manfaat (KPM)" in requirements

    async def test_syarat_before_the_office_is_known_asks_it_then_shows_requirements(
        self, harness: Harness
    ) -> None:
        [offices] = await harness.says(CHAT, "syarat")
        assert "Pilih kabupaten/kota Anda" in offices
        [requirements] = await harness.says(CHAT, _digit(harness, LAMANDAU))
        assert "Persyaratan:" in requirements and "Usia produktif" in requirements

    async def test_terima_kasih_is_answered_politely_and_changes_nothing(
        self, harness: Harness
    ) -> None:
        await harness.says(CHAT, "1")
        await harness.says(CHAT, _digit(harness, LAMANDAU))
        [polite] = await harness.says(CHAT, "Terima kasih")
        assert polite.startswith("Sama-sama")
        assert _state(harness, CHAT) == "programmes"
        [page] = await harness.says(CHAT, "1")  # still in the programme list
        assert "Mau tahu apa?" in page


class TestBack:
    async def test_kembali_steps_back_through_the_programme_pages_to_the_menu(
        self, harness: Harness
    ) -> None:
        await harness.says(CHAT, "1")
        await harness.says(CHAT, _digit(harness, LAMANDAU))
        await harness.says(CHAT, "1")
        [programmes] = await harness.says(CHAT, "kembali")
        assert "Program di Dinas Sosial Kabupaten Lamandau" in programmes
        [menu] = await harness.says(CHAT, "kembali")
        assert "Balas dengan angka" in menu

    async def test_kembali_in_a_complaint_keeps_what_was_chosen(self, harness: Harness) -> None:
        await harness.says(CHAT, "3")
        await harness.says(CHAT, _digit(harness, BUTON))
        await harness.says(CHAT, "1")  # bantuan terlambat
        await harness.says(CHAT, "1")  # BPNT
        await harness.says(CHAT, "Beras Februari belum diterima.")
        [described] = await harness.says(CHAT, "kembali")  # from "confidential?"
        assert "Ceritakan masalahnya" in described
        [programme] = await harness.says(CHAT, "kembali")
        assert "Terkait program apa?" in programme
        [category] = await harness.says(CHAT, "kembali")
        assert "Apa masalahnya?" in category
        [menu] = await harness.says(CHAT, "kembali")
        assert "Balas dengan angka" in menu

    async def test_kembali_walks_back_through_a_filed_complaint_to_the_menu(
        self, harness: Harness
    ) -> None:
        await harness.says(CHAT, "3")
        await harness.says(CHAT, _digit(harness, BUTON))
        for typed in ("1", "1", "Beras Februari belum diterima.", "2"):
            await harness.says(CHAT, typed)
        [filed] = await harness.says(CHAT, "1")
        [number] = [c.number for c in _complaints(harness)]
        assert number in filed

        await harness.says(CHAT, "3")
        await harness.says(CHAT, "7")  # my complaints
        [shown] = await harness.says(CHAT, "satu")
        assert number in shown and _state(harness, CHAT) == "complaint_shown"
        await harness.says(CHAT, "1")  # add information: the person's own words come next
        assert _state(harness, CHAT) == "complaint_add_info"
        [again] = await harness.says(CHAT, "kembali")  # not taken as the information
        assert number in again and _state(harness, CHAT) == "complaint_shown"
        [listed] = await harness.says(CHAT, "kembali")
        assert number in listed and _state(harness, CHAT) == "complaint_list"
        [category] = await harness.says(CHAT, "kembali")
        assert "Apa masalahnya?" in category
        [menu] = await harness.says(CHAT, "kembali")
        assert "Balas dengan angka" in menu
        with Session(harness.engine) as session:
            complaint = session.exec(select(Complaint)).one()
            assert "kembali" not in complaint.description

    async def test_kembali_at_the_draft_warning_goes_back_to_the_question(
        self, harness: Harness
    ) -> None:
        await harness.says(CHAT, "3")
        await harness.says(CHAT, _digit(harness, BUTON))
        await harness.says(CHAT, "1")
        await harness.says(CHAT, "-")
        await harness.says(CHAT, "Beras Februari belum diterima.")
        [warning] = await harness.says(CHAT, "0")
        assert "belum dikirim" in warning
        [question] = await harness.says(CHAT, "kembali")
        assert "Rahasiakan nama Anda?" in question
        await harness.says(CHAT, "2")
        [summary] = await harness.says(CHAT, "9")  # "9" goes back too, at the confirmation
        assert "Rahasiakan nama Anda?" in summary

    async def test_kembali_at_a_first_question_is_the_menu(self, harness: Harness) -> None:
        for item in ("6", "5", "2"):  # the language, the office for contacts, for a status
            await harness.says(CHAT, item)
            [menu] = await harness.says(CHAT, "kembali")
            assert "Balas dengan angka" in menu, item


class TestZeroIsTheMenu:
    async def test_a_draft_is_not_lost_without_a_warning(self, harness: Harness) -> None:
        await harness.says(CHAT, "3")
        await harness.says(CHAT, _digit(harness, BUTON))
        await harness.says(CHAT, "1")
        [describe] = await harness.says(CHAT, "-")  # skipping is "-", never "0"
        assert "Ceritakan masalahnya" in describe
        await harness.says(CHAT, "Beras Februari belum diterima.")
        [warning] = await harness.says(CHAT, "0")
        assert "belum dikirim" in warning and "disimpan sebagai draf" in warning
        assert "1. Lanjutkan mengisi" in warning and "0. Ke menu utama" in warning
        [resumed] = await harness.says(CHAT, "1")
        assert "Rahasiakan nama Anda?" in resumed
        await harness.says(CHAT, "2")
        [warning] = await harness.says(CHAT, "menu")
        assert "belum dikirim" in warning
        [unclear] = await harness.says(CHAT, "hmm")
        assert "Balas 1 untuk melanjutkan" in unclear
        [summary] = await harness.says(CHAT, "lanjutkan")
        assert "Beras Februari belum diterima." in summary  # the confirmation, intact
        [filed] = await harness.says(CHAT, "1")
        assert "Nomor tiket:" in filed
        assert len(_complaints(harness)) == 1

    async def test_zero_twice_leaves_and_nothing_is_filed(self, harness: Harness) -> None:
        await harness.says(CHAT, "3")
        await harness.says(CHAT, _digit(harness, BUTON))
        await harness.says(CHAT, "1")
        await harness.says(CHAT, "lewati")
        await harness.says(CHAT, "Beras Februari belum diterima.")
        await harness.says(CHAT, "0")
        [menu] = await harness.says(CHAT, "0")
        assert "Balas dengan angka" in menu
        assert _complaints(harness) == []

    async def test_without_a_draft_zero_goes_straight_to_the_menu(self, harness: Harness) -> None:
        await harness.says(CHAT, "3")
        await harness.says(CHAT, _digit(harness, BUTON))
        await harness.says(CHAT, "1")
        [menu] = await harness.says(CHAT, "0")  # at "which programme?": nothing typed yet
        assert "Balas dengan angka" in menu


class TestDates:
    async def test_a_birth_date_in_words_picks_the_household_member(
        self, harness: Harness, people: People
    ) -> None:
        with Session(harness.engine) as session:
            office = session.exec(select(Office).where(Office.code == LAMANDAU)).one()
            session.add(
                Person(
                    office_id=office.id or 0,
                    nik=make_nik(LAMANDAU, 1, date(1955, 3, 2), "P", 9),
                    kk_number=people.siti.kk_number,
                    name="Hadijah",
                    birth_date=date(1955, 3, 2),
                    sex="P",
                    marital_status="cerai_mati",
                    phone=people.siti.phone,
                    phone_e164=people.siti.phone_e164,
                )
            )
            session.commit()
        update = contact_update(harness.next_update_id(), CHAT, "+6281234567001")
        [which] = await harness.sends(CHAT, update)
        assert "tanggal lahir" in which
        [unknown] = await harness.says(CHAT, "tujuh belas agustus")
        assert "Tanggal tidak dikenal" in unknown
        linked, _ = await harness.says(CHAT, "17 Agustus 1980")
        assert "Siti Aminah" in linked

    async def test_short_and_iso_forms(self, harness: Harness, people: People) -> None:
        with Session(harness.engine) as session:
            budi = session.get_one(Person, people.budi.id)  # on Siti's phone too
            budi.phone, budi.phone_e164 = people.siti.phone, people.siti.phone_e164
            session.add(budi)
            session.commit()
        for chat, typed in ((9511, "17-8-80"), (9512, "1980-08-17"), (9513, "17/08/1980")):
            update = contact_update(harness.next_update_id(), chat, "+6281234567001")
            await harness.sends(chat, update)
            linked, _ = await harness.says(chat, typed)
            assert "Siti Aminah" in linked, typed
