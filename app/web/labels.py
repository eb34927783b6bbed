"""Codes in words: what the staff pages show instead of "complaint_officer", "walk_in",
"bantuan_terlambat" or "bpnt-buton-tengah". Each function names one kind of code in the
page's language and never fails: a code it does not know is shown as "other (code)", which a
test of the pages looks for. (A complaint's history, "escalate-supervisor" among it, is put in
words by app/presenters/complaints.event_words, shared with the API.)"""

from __future__ import annotations

from typing import Any

import messages
from app.web.lang import current
from models import Office
from services.catalogue import Catalogue
from services.errors import DomainError


def _t(key: str, **params: Any) -> str:
    return messages.render(key, current(), **params)


def _known(key: str, code: str) -> str:
    return _t(key) if messages.has(key) else _t("label.other", code=code)


def role_word(role: str) -> str:
    """ "Petugas pengaduan" for complaint_officer."""
    return _known(f"label.role.{role}", role)


def channel_word(channel: str) -> str:
    """How a complaint or a chat came: "Datang langsung" for walk_in, "Telegram"."""
    return _known(f"complaint.channel.{channel}", channel)


def chat_word(address: str | None) -> str:
    """A chat's address ("telegram:123") as the channel it is on."""
    return channel_word(address.split(":", 1)[0]) if address else ""


def kind_word(kind: str) -> str:
    """A group's kind: "KUBE (Kelompok Usaha Bersama)" for kube."""
    return _known(f"label.kind.{kind}", kind)


def programme_word(catalogue: Catalogue, code: str | None) -> str:
    """A programme's name in the page's language; "" for none."""
    if not code:
        return ""
    spec = catalogue.programme(code)
    return spec.name.get(current()) if spec else _t("label.other", code=code)


def office_word(catalogue: Catalogue, office: Office) -> str:
    """The office's name in the page's language ("Social Affairs Office of Central Buton
    Regency"), or as stored when the catalogue does not know the office."""
    spec = catalogue.office(office.code)
    return spec.name.get(current()) if spec else office.name


def step_word(catalogue: Catalogue, code: str, position: int) -> str:
    """A stored step position as the SOP numbers it: Bone's 6th stored step is its "5b", its
    9th its "8" (Sigap records the SOP's step 5 in two)."""
    spec = catalogue.programme(code)
    if spec is None or not 1 <= position <= len(spec.steps):
        return str(position)
    return spec.sop_label(position)


def step_name(catalogue: Catalogue, code: str, position: int, stored: str) -> str:
    """A stored step's name in the page's language, from the catalogue; the stored name (the
    words the office's SOP uses) when the catalogue does not know the step."""
    spec = catalogue.programme(code)
    if spec is None or not 1 <= position <= len(spec.steps):
        return stored
    return spec.steps[position - 1].name.get(current())


def category_word(catalogue: Catalogue, code: str) -> str:
    """A complaint's category in the page's language: "Bantuan terlambat atau tidak diterima"
    for bantuan_terlambat."""
    found = catalogue.complaint_category(code)
    return found.label.get(current()) if found else _t("label.other", code=code)


def _sex(code: object) -> object:
    key = f"identity.sex.{code}"
    return _t(key) if messages.has(key) else code


def explain(exc: DomainError) -> str:
    """A service's refusal in the page's language, its coded parameters in words (a role,
    what was not found, a sex), which the API leaves as codes for programs to read."""
    params = dict(exc.params)
    if "role" in params:
        params["role"] = role_word(str(params["role"]))
    if exc.key == "error.not_found" and "what" in params:
        first, _, rest = str(params["what"]).partition(" ")
        key = f"label.what.{first}"
        if messages.has(key):
            params["what"] = f"{_t(key)} {rest}".strip()
    if exc.key == "identity.nik.sex_mismatch":
        params["given"], params["nik_sex"] = _sex(params.get("given")), _sex(params.get("nik_sex"))
    return _t(exc.key, **params)


def template_globals(catalogue: Catalogue) -> dict[str, Any]:
    """What every staff template may call."""
    return {
        "role_word": role_word,
        "channel_word": channel_word,
        "chat_word": chat_word,
        "kind_word": kind_word,
        "programme_word": lambda code: programme_word(catalogue, code),
        "step_word": lambda code, position: step_word(catalogue, code, position),
        "step_name": lambda code, position, stored: step_name(catalogue, code, position, stored),
        "category_word": lambda code: category_word(catalogue, code),
        "office_word": lambda office: office_word(catalogue, office),
    }
