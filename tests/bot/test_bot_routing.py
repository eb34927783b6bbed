"""Which office a complaint goes to when the office picked is not the person's.

A NIK in a complaint about no particular programme, or a linked person's records, that point
to another office than the one picked make the bot ask, in one numbered question, where to
send it; a complaint about a programme goes to that programme's office, with a note when the
programme is only for residents and the NIK is from elsewhere. The records of a NIK's person
are used only when the chat is that person (linked, or writing from the phone on file): a copy
of a KTP does not tell where its holder is registered now.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from sqlmodel import Session, select

import messages
from models import Complaint, Conversation, Office, Person
from services import phones
from services.link_codes import Kind
from services.nik import make_nik, mask_nik
from tests.bot.chat_harness import Harness, People, issue
from tests.bot.whatsapp_harness import WhatsAppHarness

ANI = 7301  # Telegram: an unlinked chat
SITI = 7302  # Telegram: Siti, linked by a code
# Ani's NIK: issued in Lamandau; nobody's records.
LAMANDAU_NIK = make_nik("62.09", 3, date(1990, 2, 14), "P", 41)
# Issued in Kota Makassar, where Sigap serves no office.
MAKASSAR_NIK = make_nik("73.71", 2, date(1979, 1, 2), "L", 9)
BUTON_TENGAH_NIK = make_nik("74.14", 1, date(1991, 8, 5), "P", 31)
# Wa Ode: born in Kota Baubau (74.72, no office of Sigap), now on Buton Tengah's register,
# her phone on file; she writes from it on WhatsApp.
WA_ODE_NIK = make_nik("74.72", 3, date(1988, 4, 12), "P", 52)
WA_ODE_PHONE = "0812-3456-7042"
WA_ODE_WA = "6281234567042"

BONE, BUTON_TENGAH, LAMANDAU = "1", "3", "4"  # the office list, in catalogue order
LATE_AID, WRONG_DATA = "1", "2"  # complaint categories
KUBE_BONE = "1"  # Bone's one programme
NOT_CONFIDENTIAL = "2"


def t(key: str, **params: object) -> str:
    return messages.render(key, "id", **params)


def _complaint(harness: Harness, number: str) -> Complaint:
    with Session(harness.engine) as session:
        return session.exec(select(Complaint).where(Complaint.number == number)).one()


def _office_id(harness: Harness, code: str) -> int:
    with Session(harness.engine) as session:
        return session.exec(select(Office).where(Office.code == code)).one().id or 0


Says = Callable[[Any, str], Awaitable[list[str]]]


async def _describe_at_bone(
    says: Says, chat: int | str, description: str, *, programme: str = "-"
) -> list[str]:
    """Menu 3 in a chat that has not picked an office: Bone, a category, the programme (or
    none), the words, not confidential; what the chat reads after the last answer."""
    for typed in ("3", BONE, LATE_AID, programme, description):
        await says(chat, typed)
    return await says(chat, NOT_CONFIDENTIAL)


class TestANikFromAnotherOffice:
    async def test_a_lamandau_nik_at_bone_is_asked_and_the_complaint_lands_in_lamandau(
        self, harness: Harness
    ) -> None:
        [asked] = await _describe_at_bone(
            harness.says, ANI, f"Bantuan belum cair sejak Januari. NIK saya {LAMANDAU_NIK}"
        )
        assert asked.startswith(
            t(
                "routing.ask.nik",
                nik=mask_nik(LAMANDAU_NIK),
                office="Dinas Sosial Kabupaten Lamandau",
            )
        )
        assert "1. Dinas Sosial Kabupaten Lamandau\n" in asked
        assert "2. Dinas Sosial Kabupaten Bone (pilihan Anda)" in asked
        assert f"9. {t('bot.complaint.back')}" in asked

        [summary] = await harness.says(ANI, "1")
        assert "Kepada: Dinas Sosial Kabupaten Lamandau" in summary
        [filed] = await harness.says(ANI, "1")
        assert "ADU-LMD-2026-00001" in filed
        complaint = _complaint(harness, "ADU-LMD-2026-00001")
        assert complaint.office_id == _office_id(harness, "62.09")
        assert LAMANDAU_NIK in complaint.description

    async def test_kembali_asks_again_and_the_office_picked_may_be_kept(
        self, harness: Harness
    ) -> None:
        await _describe_at_bone(harness.says, ANI, f"NIK {LAMANDAU_NIK}, bantuan belum cair")
        [confidential] = await harness.says(ANI, "kembali")
        assert t("bot.complaint.ask_confidential") in confidential
        [asked_again] = await harness.says(ANI, NOT_CONFIDENTIAL)
        assert "2. Dinas Sosial Kabupaten Bone (pilihan Anda)" in asked_again
        [unknown] = await harness.says(ANI, "7")
        assert unknown.startswith(t("routing.ask.unknown"))
        [summary] = await harness.says(ANI, "2")
        assert "Kepada: Dinas Sosial Kabupaten Bone" in summary
        [filed] = await harness.says(ANI, "1")
        assert "ADU-BON-2026-00001" in filed

    async def test_a_nik_added_at_the_confirmation_is_asked_about_before_sending(
        self, harness: Harness
    ) -> None:
        [summary] = await _describe_at_bone(harness.says, ANI, "Bantuan belum cair sejak Januari.")
        assert "Kepada: Dinas Sosial Kabupaten Bone" in summary
        [asked] = await harness.says(ANI, f"Ini NIK saya {LAMANDAU_NIK}")
        assert t("bot.complaint.added") in asked
        assert "1. Dinas Sosial Kabupaten Lamandau\n" in asked
        [summary] = await harness.says(ANI, "1")
        [filed] = await harness.says(ANI, "1")
        assert "ADU-LMD-2026-00001" in filed

    async def test_leaving_at_the_question_keeps_the_draft_and_lanjutkan_asks_it_again(
        self, harness: Harness
    ) -> None:
        await _describe_at_bone(harness.says, ANI, f"NIK {LAMANDAU_NIK}, bantuan belum cair")
        [warned] = await harness.says(ANI, "0")
        assert t("nav.leave.warn") in warned
        await harness.says(ANI, "0")
        [asked] = await harness.says(ANI, "lanjutkan")
        assert "1. Dinas Sosial Kabupaten Lamandau\n" in asked
        await harness.says(ANI, "1")
        [filed] = await harness.says(ANI, "1")
        assert "ADU-LMD-2026-00001" in filed

    async def test_in_english_too(self, harness: Harness) -> None:
        await harness.says(ANI, "6")
        await harness.says(ANI, "2")
        [asked] = await _describe_at_bone(harness.says, ANI, f"Aid not paid. NIK {LAMANDAU_NIK}")
        assert asked.startswith(
            messages.render(
                "routing.ask.nik",
                "en",
                nik=mask_nik(LAMANDAU_NIK),
                office="Social Affairs Office of Lamandau Regency",
            )
        )
        assert "2. Social Affairs Office of Bone Regency (your choice)" in asked

    async def test_a_nik_of_the_office_picked_asks_nothing(self, harness: Harness) -> None:
        for typed in ("3", BUTON_TENGAH, LATE_AID, "-", f"NIK {BUTON_TENGAH_NIK} belum terima"):
            await harness.says(ANI, typed)
        [summary] = await harness.says(ANI, NOT_CONFIDENTIAL)
        assert summary.startswith("Periksa pengaduan Anda:\nKepada: Dinas Sosial Kabupaten Buton")


class TestARegionNoOfficeServes:
    async def test_the_complaint_stays_with_the_office_picked(self, harness: Harness) -> None:
        [summary] = await _describe_at_bone(harness.says, ANI, f"NIK {MAKASSAR_NIK} belum terima")
        assert "Kepada: Dinas Sosial Kabupaten Bone" in summary
        assert "Catatan" not in summary
        [filed] = await harness.says(ANI, "1")
        assert "ADU-BON-2026-00001" in filed

    async def test_a_programme_for_residents_says_so_before_sending(self, harness: Harness) -> None:
        [summary] = await _describe_at_bone(
            harness.says, ANI, f"Usulan KUBE kami ditolak. NIK {MAKASSAR_NIK}", programme=KUBE_BONE
        )
        kube = harness.catalogue.programme("kube-bone")
        assert kube is not None
        note = t(
            "routing.residence",
            programme=kube.name.get("id"),
            office="Dinas Sosial Kabupaten Bone",
            nik=mask_nik(MAKASSAR_NIK),
        )
        assert "Kepada: Dinas Sosial Kabupaten Bone" in summary
        assert note in summary
        [filed] = await harness.says(ANI, "1")
        assert "ADU-BON-2026-00001" in filed


class TestAComplaintAboutAProgramme:
    async def test_goes_to_the_programme_s_office_whatever_the_nik(self, harness: Harness) -> None:
        [summary] = await _describe_at_bone(
            harness.says,
            ANI,
            f"Ketua KUBE memotong bantuan. NIK {LAMANDAU_NIK}",
            programme=KUBE_BONE,
        )
        # Not asked: a complaint about Bone's KUBE is about Bone's service.
        assert summary.startswith("Periksa pengaduan Anda:\nKepada: Dinas Sosial Kabupaten Bone")
        assert f"NIK {mask_nik(LAMANDAU_NIK)} berasal dari wilayah lain" in summary
        [filed] = await harness.says(ANI, "1")
        assert "ADU-BON-2026-00001" in filed


def _wa_ode(harness: Harness) -> None:
    with Session(harness.engine) as session:
        office = session.exec(select(Office).where(Office.code == "74.14")).one()
        session.add(
            Person(
                office_id=office.id or 0,
                nik=WA_ODE_NIK,
                kk_number="7472030101880052",
                name="Wa Ode Sitti",
                birth_date=date(1988, 4, 12),
                sex="P",
                marital_status="kawin",
                phone=WA_ODE_PHONE,
                phone_e164=phones.normalise(WA_ODE_PHONE) or "",
            )
        )
        session.commit()


class TestRecords:
    async def test_writing_from_her_phone_on_file_she_is_not_asked_her_office(
        self, harness: Harness, wa: WhatsAppHarness
    ) -> None:
        _wa_ode(harness)
        [categories] = await wa.says(WA_ODE_WA, "3")
        assert t("bot.office.ask") not in categories
        assert t("bot.complaint.intro") in categories
        for typed in (LATE_AID, "-", f"Beras bulan ini belum dibagi. NIK saya {WA_ODE_NIK}"):
            await wa.says(WA_ODE_WA, typed)
        [summary] = await wa.says(WA_ODE_WA, NOT_CONFIDENTIAL)
        assert "Kepada: Dinas Sosial Kabupaten Buton Tengah" in summary
        [filed] = await wa.says(WA_ODE_WA, "1")
        assert "ADU-BTG-2026-00001" in filed

    async def test_having_picked_bone_her_own_records_send_it_to_buton_tengah(
        self, harness: Harness, wa: WhatsAppHarness
    ) -> None:
        _wa_ode(harness)
        await wa.says(WA_ODE_WA, "5")
        [offices] = await wa.says(WA_ODE_WA, "9")
        assert f"{BUTON_TENGAH}. Dinas Sosial Kabupaten Buton Tengah (data Anda)" in offices
        await wa.says(WA_ODE_WA, BONE)
        for typed in ("0", "3", LATE_AID, "-", f"Beras belum dibagi. NIK saya {WA_ODE_NIK}"):
            await wa.says(WA_ODE_WA, typed)
        [asked] = await wa.says(WA_ODE_WA, NOT_CONFIDENTIAL)
        assert asked.startswith(
            t("routing.ask.records", office="Dinas Sosial Kabupaten Buton Tengah")
        )
        await wa.says(WA_ODE_WA, "1")
        [filed] = await wa.says(WA_ODE_WA, "1")
        assert "ADU-BTG-2026-00001" in filed

    async def test_her_nik_from_someone_else_s_chat_tells_nothing_of_them(
        self, harness: Harness
    ) -> None:
        _wa_ode(harness)
        [summary] = await _describe_at_bone(harness.says, ANI, f"NIK {WA_ODE_NIK} belum terima")
        assert "Buton Tengah" not in summary
        assert "Kepada: Dinas Sosial Kabupaten Bone" in summary


class TestALinkedPersonElsewhere:
    async def test_siti_reads_bone_and_is_asked_where_a_complaint_about_no_programme_goes(
        self, harness: Harness, people: People
    ) -> None:
        await harness.says(SITI, issue(harness, Kind.PERSON, person=people.siti))
        await harness.says(SITI, "5")
        [offices] = await harness.says(SITI, "9")
        assert f"{LAMANDAU}. Dinas Sosial Kabupaten Lamandau (data Anda)" in offices
        [bone] = await harness.says(SITI, BONE)
        assert bone.startswith(
            t(
                "routing.switched",
                home="Dinas Sosial Kabupaten Lamandau",
                office="Dinas Sosial Kabupaten Bone",
            )
        )

        # A complaint about no programme: her records say Lamandau, she picked Bone.
        for typed in ("0", "3", WRONG_DATA, "-", "Petugas tidak pernah datang ke desa kami."):
            await harness.says(SITI, typed)
        [asked] = await harness.says(SITI, NOT_CONFIDENTIAL)
        assert asked.startswith(t("routing.ask.records", office="Dinas Sosial Kabupaten Lamandau"))
        assert "2. Dinas Sosial Kabupaten Bone (pilihan Anda)" in asked
        await harness.says(SITI, "2")
        [filed] = await harness.says(SITI, "1")
        assert "ADU-BON-2026-00001" in filed
        assert _complaint(harness, "ADU-BON-2026-00001").person_id == people.siti.id

        # About Bone's KUBE, of which she is a member: Bone's, without a question.
        for typed in ("3", LATE_AID, KUBE_BONE, "Hasil usaha KUBE tidak dibagi."):
            await harness.says(SITI, typed)
        [summary] = await harness.says(SITI, NOT_CONFIDENTIAL)
        assert "Kepada: Dinas Sosial Kabupaten Bone" in summary
        [filed] = await harness.says(SITI, "1")
        assert "ADU-BON-2026-00002" in filed

    async def test_an_office_s_poster_link_says_her_records_stay(
        self, harness: Harness, people: People
    ) -> None:
        await harness.says(SITI, issue(harness, Kind.PERSON, person=people.siti))
        [menu] = await harness.says(SITI, "/start bone")
        assert t("bot.command.office", office="Dinas Sosial Kabupaten Bone") in menu
        assert (
            t(
                "routing.switched",
                home="Dinas Sosial Kabupaten Lamandau",
                office="Dinas Sosial Kabupaten Bone",
            )
            in menu
        )
        [home] = await harness.says(SITI, "/start lamandau")
        assert "tetap tercatat" not in home

    async def test_a_linked_chat_without_an_office_is_not_asked_for_one(
        self, harness: Harness, people: People
    ) -> None:
        await harness.says(SITI, issue(harness, Kind.PERSON, person=people.siti))
        with Session(harness.engine) as session:
            chat = session.exec(select(Conversation).where(Conversation.chat_id == str(SITI))).one()
            chat.office_id = None
            session.add(chat)
            session.commit()
        [categories] = await harness.says(SITI, "3")
        assert t("bot.office.ask") not in categories
        assert t("bot.complaint.intro") in categories
        for typed in (WRONG_DATA, "-", "Nama saya salah ketik.", NOT_CONFIDENTIAL):
            await harness.says(SITI, typed)
        [filed] = await harness.says(SITI, "1")
        assert "ADU-LMD-2026-00001" in filed


class TestANikTypedToCheckAProposal:
    async def test_the_office_of_the_nik_is_where_to_ask_for_a_code(self, harness: Harness) -> None:
        await harness.says(ANI, "2")
        [how] = await harness.says(ANI, BONE)
        assert t("link.how") in how and "Jalan Andalas" in how
        [answer] = await harness.says(ANI, BUTON_TENGAH_NIK)
        assert answer.startswith(t("link.no_nik"))
        where = t(
            "routing.code_office",
            nik=mask_nik(BUTON_TENGAH_NIK),
            office="Dinas Sosial Kabupaten Buton Tengah",
        )
        assert where in answer
        assert "1. Alamat Dinas Sosial Kabupaten Buton Tengah" in answer
        [there] = await harness.says(ANI, "1")
        assert t("link.how") in there and "Lingkungan Kadolo" in there

    async def test_a_nik_of_the_chat_s_office_or_of_no_office_only_opens_nothing(
        self, harness: Harness
    ) -> None:
        await harness.says(ANI, "2")
        await harness.says(ANI, BONE)
        bone_nik = make_nik("73.08", 1, date(1985, 3, 3), "L", 12)
        for nik in (bone_nik, MAKASSAR_NIK):
            [answer] = await harness.says(ANI, nik)
            assert answer == f"{t('link.no_nik')}\n\n0. {t('bot.nav.menu')}", nik

    async def test_typed_in_the_menu_it_gets_the_same_answer(self, harness: Harness) -> None:
        await harness.says(ANI, "halo")
        [answer] = await harness.says(ANI, f"{BUTON_TENGAH_NIK[:8]} {BUTON_TENGAH_NIK[8:]}")
        assert answer.startswith(t("link.no_nik"))
        assert "1. Alamat Dinas Sosial Kabupaten Buton Tengah" in answer
