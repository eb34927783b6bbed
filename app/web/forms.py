"""Forms of the staff pages: what was posted, and each error beside the field it is about.

A page's form is read whole by :func:`posted` (the page then validates it with the same
pydantic model or service as the API), so a wrong value is answered with the form again, the
typed values kept and the reason beside the field in the page's language, never with a bare
422 page.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import ValidationError

import messages
from app.web.labels import explain
from app.web.lang import current
from services.errors import DomainError

# Longer than any field of any form: a value past it is cut, and the model then refuses it.
MAX_VALUE = 5000


async def _posted(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value[:MAX_VALUE] for key, value in form.items() if isinstance(value, str)}


# The posted fields as plain text (files are not taken here).
Posted = Annotated[dict[str, str], Depends(_posted)]


def _t(key: str, **params: Any) -> str:
    return messages.render(key, current(), **params)


def _one(error: Any) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == "missing" or (kind == "string_too_short" and context.get("min_length") == 1):
        return _t("ui.form.required")
    if kind == "string_too_long":
        return _t("ui.form.too_long", max=context.get("max_length", ""))
    if kind in {"too_long", "list_too_long"} or (kind == "too_long" and "max_length" in context):
        return _t("ui.form.too_many", max=context.get("max_length", ""))
    if kind.startswith("date"):
        return _t("ui.form.date")
    if kind in {"literal_error", "enum"}:
        return _t("ui.form.choose")
    if kind == "string_pattern_mismatch":
        return _t("ui.form.pattern")
    return _t("error.validation")


def field_errors(exc: ValidationError) -> dict[str, str]:
    """The first error of each field, in words; keyed by the top-level field name."""
    found: dict[str, str] = {}
    for error in exc.errors():
        where = error.get("loc") or ("",)
        found.setdefault(str(where[0]), _one(error))
    return found


def domain_field(exc: DomainError, fields: dict[str, str]) -> dict[str, str]:
    """A service's refusal beside the field it is about (``fields`` maps a message-key
    prefix to a field name), or under the empty name: above the form."""
    field = next((name for prefix, name in fields.items() if exc.key.startswith(prefix)), "")
    return {field: explain(exc)}
