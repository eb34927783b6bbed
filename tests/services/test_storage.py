"""Attachment storage: files under keys the application chose, written whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.storage import DirectoryStorage


def test_a_file_is_kept_under_its_key_and_streamed_back(tmp_path: Path) -> None:
    storage = DirectoryStorage(tmp_path)
    storage.put("complaints/7/12.jpg", b"x" * 200_000)
    assert storage.exists("complaints/7/12.jpg")
    assert b"".join(storage.stream("complaints/7/12.jpg")) == b"x" * 200_000
    assert [p.name for p in (tmp_path / "complaints" / "7").iterdir()] == ["12.jpg"]


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs", "complaints/../../x", "", "A B"])
def test_a_key_that_could_leave_the_directory_is_refused(tmp_path: Path, key: str) -> None:
    with pytest.raises(ValueError):
        DirectoryStorage(tmp_path).put(key, b"x")
