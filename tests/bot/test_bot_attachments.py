"""Attachments officers can see (issue 13): what a complainant sends is fetched once, by a
worker job, through the platform's own API (Telegram's getFile and file download, WhatsApp's
media URL and download, from the fakes on loopback) into storage, and opened only by staff
allowed to see the complaint, each opening audited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import Session, col, select

from bot.attachments import fetch_pending
from models import AuditLog, Complaint, ComplaintAttachment, Office
from services.roles import Role
from services.staff import create_staff
from services.storage import DirectoryStorage
from tests.bot.chat_harness import Harness, _message, _private, photo_update
from tests.bot.whatsapp_harness import SITI as SITI_WA
from tests.bot.whatsapp_harness import WhatsAppHarness, cloud_message, envelope

BUTON = "74.14"
SITI = 9201
PHOTO = b"\xff\xd8\xff\xe0 a photo of the KKS card"
PDF = b"%PDF-1.4 letter from the village head"
PASSWORD = "password-123"


def _staff(harness_engine: Any, username: str, office_code: str) -> None:
    with Session(harness_engine) as session:
        office = session.exec(select(Office).where(Office.code == office_code)).one()
        create_staff(
            session=session,
            office_id=office.id or 0,
            username=username,
            full_name=username,
            role=Role.COMPLAINT_OFFICER,
            password=PASSWORD,
        )
        session.commit()


def _rows(engine: Any) -> list[ComplaintAttachment]:
    with Session(engine) as session:
        query = select(ComplaintAttachment).order_by(col(ComplaintAttachment.id))
        return list(session.exec(query).all())


async def _fetch(harness: Harness, storage: DirectoryStorage) -> int:
    return await fetch_pending(harness.engine, harness.settings, now=harness.now, storage=storage)


async def _log_in(client: httpx.AsyncClient, username: str) -> None:
    response = await client.post(
        "/staff/login", data={"username": username, "password": PASSWORD, "next": "/staff"}
    )
    assert response.status_code == 303, response.text


def _document(harness: Harness, chat: int) -> dict[str, Any]:
    chat_json, user = _private(chat, "Siti")
    document = {"file_id": "DOC-7", "file_unique_id": "d7", "file_name": "surat.pdf",
                "mime_type": "application/pdf", "file_size": len(PDF)}  # fmt: skip
    return _message(harness.next_update_id(), chat_json, user, document=document)


async def test_telegram_files_are_fetched_once_and_open_only_for_the_offices_officers(
    harness: Harness, tmp_path: Path
) -> None:
    _staff(harness.engine, "buteng.officer", BUTON)
    _staff(harness.engine, "bone.officer", "73.08")
    office_digit = str([o.code for o in harness.catalogue.offices].index(BUTON) + 1)
    for typed in ("3", office_digit, "1", "1"):
        await harness.says(SITI, typed)
    update = photo_update(harness.next_update_id(), SITI, "Kartu KKS saya rusak")
    await harness.sends(SITI, update)
    await harness.sends(SITI, _document(harness, SITI))
    await harness.says(SITI, "2")
    await harness.says(SITI, "1")
    photo_id = update["message"]["photo"][-1]["file_id"]
    harness.fake.add_file(photo_id, PHOTO, "photos/file_12.jpg")
    harness.fake.add_file("DOC-7", PDF, "documents/file_13.pdf")
    assert [r.status for r in _rows(harness.engine)] == ["pending", "pending"]

    storage = DirectoryStorage(tmp_path)
    stored = await fetch_pending(harness.engine, harness.settings, now=harness.now, storage=storage)
    assert stored == 2
    # A second run finds nothing to do: each file is fetched once.
    assert (
        await fetch_pending(harness.engine, harness.settings, now=harness.now, storage=storage) == 0
    )
    assert harness.fake.downloads == ["photos/file_12.jpg", "documents/file_13.pdf"]
    photo, document = _rows(harness.engine)
    assert (photo.status, photo.size, photo.mime_type) == ("stored", len(PHOTO), "image/jpeg")
    assert (document.mime_type, document.file_name) == ("application/pdf", "surat.pdf")
    assert photo.storage_key is not None and b"".join(storage.stream(photo.storage_key)) == PHOTO

    # The staff page streams it after the office check; the opening is audited.
    harness.settings.attachments_dir = tmp_path
    path = f"/staff/complaints/{photo.complaint_id}/attachments/{photo.id}"
    anonymous = await harness.client.get(path)
    assert anonymous.status_code == 303 and "/staff/login" in anonymous.headers["location"]
    await _log_in(harness.client, "bone.officer")
    assert (await harness.client.get(path)).status_code == 404
    await _log_in(harness.client, "buteng.officer")
    opened = await harness.client.get(path)
    assert opened.status_code == 200 and opened.content == PHOTO
    assert opened.headers["content-type"] == "image/jpeg"
    assert opened.headers["cache-control"] == "private, no-store"
    with Session(harness.engine) as session:
        audited = session.exec(
            select(AuditLog).where(AuditLog.entity == "complaint_attachment")
        ).all()
    assert [(a.action, a.entity_id) for a in audited] == [("read", photo.id)]
    # The complaint page links the file at that address, and nowhere else.
    page = await harness.client.get(f"/staff/complaints/{photo.complaint_id}")
    assert f'href="{path}"' in page.text


async def test_a_file_telegram_no_longer_has_is_marked_failed_without_retrying_forever(
    harness: Harness, tmp_path: Path
) -> None:
    office_digit = str([o.code for o in harness.catalogue.offices].index(BUTON) + 1)
    for typed in ("3", office_digit, "1", "1"):
        await harness.says(SITI, typed)
    await harness.sends(SITI, photo_update(harness.next_update_id(), SITI, "Kartu rusak"))
    await harness.says(SITI, "2")
    await harness.says(SITI, "1")
    storage = DirectoryStorage(tmp_path)
    assert (
        await fetch_pending(harness.engine, harness.settings, now=harness.now, storage=storage) == 0
    )
    [row] = _rows(harness.engine)
    assert (row.status, row.attempts) == ("failed", 1)
    assert "400" in (row.last_error or "")


@pytest.mark.parametrize("kind", ["image", "document", "audio"])
async def test_whatsapp_media_is_fetched_through_its_url(
    wa: WhatsAppHarness, tmp_path: Path, kind: str
) -> None:
    with Session(wa.engine) as session:
        office = session.exec(select(Office).where(Office.code == BUTON)).one()
        office_digit = str([o.code for o in wa.catalogue.offices].index(BUTON) + 1)
        assert office.id
    for typed in ("3", office_digit, "1", "1", "Agen menahan kartu saya."):
        await wa.says(SITI_WA, typed)
    content, mime = {"image": (PHOTO, "image/jpeg"), "document": (PDF, "application/pdf"),
                     "audio": (b"OggS voice", "audio/ogg; codecs=opus")}[kind]  # fmt: skip
    media = {"id": f"MEDIA-{kind}", "mime_type": mime, "sha256": "x"}
    if kind == "audio":
        media["voice"] = True
    wa.fake.add_media(f"MEDIA-{kind}", content, mime)
    await wa.exchange(SITI_WA, envelope(cloud_message(wa.wamid(), SITI_WA, kind, **{kind: media})))
    await wa.says(SITI_WA, "2")
    await wa.says(SITI_WA, "1")
    with Session(wa.engine) as session:
        assert session.exec(select(Complaint)).one().channel == "whatsapp"

    storage = DirectoryStorage(tmp_path)
    assert await fetch_pending(wa.engine, wa.settings, now=wa.now, storage=storage) == 1
    [row] = _rows(wa.engine)
    assert row.kind == {"image": "photo", "document": "document", "audio": "voice"}[kind]
    assert row.status == "stored" and row.storage_key is not None
    assert b"".join(storage.stream(row.storage_key)) == content
    assert wa.fake.downloads == [f"MEDIA-{kind}"]
