"""The WhatsApp message templates Sigap may send (``whatsapp_templates.yaml`` in the catalogue
under CATALOGUE_DIR), checked strictly when the sender starts, and the template message a
queued row becomes outside the 24-hour window.

A row names its template as ``extra["template"] = {"name": ..., "params": [...]}``: the
services say what the message is, this module knows what WhatsApp wants for it.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError, model_validator

from bot.channels import TEMPLATE
from bot.inbound import Button
from services.catalogue import DEFAULT_DIRECTORY, CatalogueError

log = logging.getLogger(__name__)

FILE_NAME = "whatsapp_templates.yaml"
MAX_BODY = 1024  # a template's body once its parameters are filled in
MAX_BUTTONS = 10  # quick replies a template may carry
MAX_BUTTON_TEXT = 25
MAX_PAYLOAD = 200
PLACEHOLDER = re.compile(r"\{\{(\d+)\}\}")
# WhatsApp refuses a parameter holding a line break or a tab, or more than four spaces in a
# row: every run of white space becomes one space.
_SPACES = re.compile(r"\s+")

TemplateName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,512}$")]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$")]
ButtonText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_BUTTON_TEXT)]


class Template(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: TemplateName
    language: LanguageCode
    category: Literal["UTILITY", "MARKETING", "AUTHENTICATION"]
    body: Annotated[str, StringConstraints(min_length=1, max_length=MAX_BODY)]
    # What each {{n}} stands for, in order: for the services that fill them, and for staff.
    params: tuple[str, ...] = ()
    buttons: tuple[ButtonText, ...] = ()

    @model_validator(mode="after")
    def _placeholders_match_params(self) -> Template:
        numbers = [int(n) for n in PLACEHOLDER.findall(self.body)]
        if sorted(numbers) != list(range(1, len(self.params) + 1)):
            raise ValueError(
                f"the body's placeholders {sorted(numbers)} must be {{{{1}}}} to "
                f"{{{{{len(self.params)}}}}}, once each, one for each of its {len(self.params)} "
                "params"
            )
        # Meta refuses these at review.
        text = self.body.strip()
        if re.match(r"\{\{\d+\}\}", text) or re.search(r"\{\{\d+\}\}$", text):
            raise ValueError("the body may not begin or end with a placeholder")
        if re.search(r"\}\}\s*\{\{", text):
            raise ValueError("two placeholders may not stand side by side")
        if len(self.buttons) > MAX_BUTTONS:
            raise ValueError(f"at most {MAX_BUTTONS} quick-reply buttons")
        return self


class _TemplatesFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    templates: tuple[Template, ...]


@lru_cache
def load_templates(directory: Path | None = None) -> Mapping[str, Template]:
    """The templates by name, read once per directory. An office's own catalogue without the
    file uses the one shipped with Sigap."""
    path = (directory or DEFAULT_DIRECTORY) / FILE_NAME
    if not path.is_file():
        if directory is None or directory == DEFAULT_DIRECTORY:
            raise CatalogueError(f"{path}: file not found")
        log.info("%s not found: the WhatsApp templates shipped with Sigap are used", path)
        path = DEFAULT_DIRECTORY / FILE_NAME
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path}: is not valid YAML ({exc})") from exc
    try:
        templates = _TemplatesFile.model_validate(data).templates
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(top level)'}: {e['msg']}"
            for e in exc.errors()
        )
        raise CatalogueError(f"{path}: {problems}") from exc
    twice = sorted(name for name, n in Counter(t.name for t in templates).items() if n > 1)
    if twice:
        raise CatalogueError(f"{path}: template name used twice: {twice}")
    return {t.name: t for t in templates}


def wanted(extra: Mapping[str, Any]) -> tuple[str, list[str]] | None:
    """The template a row names (its name and parameters), if it names one."""
    found = extra.get(TEMPLATE)
    if not isinstance(found, Mapping):
        return None
    name, params = found.get("name"), found.get("params", [])
    if not isinstance(name, str) or not name or not isinstance(params, list):
        return None
    return name, [str(p) for p in params]


class TemplateError(ValueError):
    """The row names a template Sigap does not know, or fills it wrongly: sending it again
    cannot help."""


def template_message(
    template: Template, params: Sequence[str], buttons: Sequence[Button]
) -> dict[str, Any]:
    """The ``template`` object of a Cloud API message: the body's parameters, each one line
    and together short enough, and a payload for each quick reply (the row's button values
    when it has one per quick reply, else the replies' own text)."""
    if len(params) != len(template.params):
        raise TemplateError(
            f"template {template.name} takes {len(template.params)} parameters, "
            f"the row gives {len(params)}"
        )
    values = _fit(template.body, [_one_line(p) for p in params])
    components: list[dict[str, Any]] = []
    if values:
        components.append(
            {"type": "body", "parameters": [{"type": "text", "text": v} for v in values]}
        )
    choices = [b for b in buttons if b.kind == "choice" and 0 < len(b.value) <= MAX_PAYLOAD]
    payloads = (
        [b.value for b in choices]
        if len(choices) == len(template.buttons)
        else list(template.buttons)
    )
    for index, payload in enumerate(payloads):
        components.append(
            {
                "type": "button",
                "sub_type": "quick_reply",
                "index": str(index),
                "parameters": [{"type": "payload", "payload": payload}],
            }
        )
    message: dict[str, Any] = {
        "name": template.name,
        "language": {"policy": "deterministic", "code": template.language},
    }
    if components:
        message["components"] = components
    return message


def filled(template: Template, values: Sequence[str]) -> str:
    """The body as the person reads it."""
    return PLACEHOLDER.sub(lambda m: values[int(m.group(1)) - 1], template.body)


def _one_line(value: str) -> str:
    # An empty parameter is refused too.
    return _SPACES.sub(" ", value).strip() or "-"


def _fit(body: str, values: list[str]) -> list[str]:
    """Shorten the longest values, with an ellipsis, until the filled body fits."""
    values = list(values)
    while values:
        over = len(PLACEHOLDER.sub(lambda m: values[int(m.group(1)) - 1], body)) - MAX_BODY
        if over <= 0:
            break
        longest = max(range(len(values)), key=lambda i: len(values[i]))
        keep = max(1, len(values[longest]) - over - 1)
        if keep >= len(values[longest]):
            break  # nothing left to shorten (the body alone is too long; Meta will say so)
        values[longest] = values[longest][:keep].rstrip() + "…"
    return values
