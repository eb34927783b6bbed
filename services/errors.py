"""Domain errors carry their HTTP-like status and a message key, so routes don't translate."""

from __future__ import annotations

from typing import Any

import messages


class DomainError(Exception):
    status: int = 400

    def __init__(
        self, key: str, /, *, details: list[dict[str, Any]] | None = None, **params: Any
    ) -> None:
        self.key = key
        self.params = params
        self.details = details or []
        super().__init__(messages.render(key, "en", **params))

    def as_dict(self) -> dict[str, Any]:
        return {
            "error": self.key,
            "message": messages.render(self.key, "id", **self.params),
            "message_en": messages.render(self.key, "en", **self.params),
            "details": self.details,
        }


class InvalidInput(DomainError):
    status = 422


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Unauthorized(DomainError):
    status = 401


class Conflict(DomainError):
    status = 409


class TooManyAttempts(DomainError):
    """Too many failed attempts: wait ``minutes`` (also sent as Retry-After)."""

    status = 429

    @property
    def retry_after_seconds(self) -> int:
        return int(self.params.get("minutes", 1)) * 60
