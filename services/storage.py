"""Where complaint attachments are kept: a small interface, and a directory behind it.

Files are written once under a key the application chose (never a name the sender chose) and
read back only by staff pages that have checked who is asking. Nothing here is served at a
public address. S3-compatible storage would be one more class with these three methods,
chosen in :func:`storage_for`.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from core.settings import Settings

_KEY = re.compile(r"^[a-z0-9][a-z0-9/_.-]{0,190}$")
CHUNK = 64 * 1024


class Storage(Protocol):
    def put(self, key: str, data: bytes) -> None: ...

    def stream(self, key: str) -> Iterator[bytes]: ...

    def exists(self, key: str) -> bool: ...


def _checked(key: str) -> str:
    if not _KEY.fullmatch(key) or ".." in key:
        raise ValueError("not a storage key")
    return key


class DirectoryStorage:
    """Files under ``root``, written atomically (a temporary file, then a rename)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / _checked(key)

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def stream(self, key: str) -> Iterator[bytes]:
        with self._path(key).open("rb") as source:
            while chunk := source.read(CHUNK):
                yield chunk

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()


def storage_for(settings: Settings) -> Storage:
    return DirectoryStorage(settings.attachments_dir)
