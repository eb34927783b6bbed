"""Who a notice is for, and how each of them is reached.

An audience is a JSON object of lists: ``programme`` (codes: people with a proposal in it, as
applicant or member of the applicant group), ``kecamatan`` and ``desa`` (names as on the
office's register), ``step`` (``"<programme code>:<step position>"``: people whose proposal is
open at that step), ``groups`` (group ids) and ``niks``. Values in one list are alternatives;
lists together narrow each other (``{"desa": ["Boneoge"], "programme": ["bpnt-buton-tengah"]}``
is the BPNT people of Boneoge); ``{}`` is everybody the office has on its register.

A person is reached on the chat linked to them that they used last (and that has not blocked
the bot), else on the phone channel (a setting, e.g. WhatsApp) at the phone on file, whose chat
is named by the number's digits; with neither they are unreachable ("no phone", or "no chat"
when there is a phone but no phone channel). A person who typed BERHENTI, or whose chat did,
is opted out.

Everything here is SQL over the whole register, never a list of persons in memory: the same
expressions count a preview and fill the recipient table chunk by chunk.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import (
    ColumnElement,
    Integer,
    ScalarSelect,
    String,
    and_,
    case,
    cast,
    false,
    func,
    null,
    or_,
    text,
)
from sqlmodel import Session, col, select

from models import (
    BeneficiaryGroup,
    Conversation,
    GroupMember,
    Person,
    Programme,
    ProgrammeStep,
    Proposal,
)
from services.errors import InvalidInput
from services.nik import IdentityError, mask_nik, normalise, validate_nik

KEYS = ("programme", "kecamatan", "desa", "step", "groups", "niks")
MAX_VALUES = 200  # per list, but for NIKs
MAX_NIKS = 200_000
MAX_NIK_FILE = 8 * 1024 * 1024
# Problems named one by one in an error; the rest are counted.
SHOWN = 10


@dataclass(frozen=True)
class Audience:
    programme: tuple[str, ...] = ()
    kecamatan: tuple[str, ...] = ()
    desa: tuple[str, ...] = ()
    step: tuple[str, ...] = ()
    groups: tuple[int, ...] = ()
    niks: tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def parse(cls, raw: Mapping[str, Any] | None) -> Audience:
        """The shape only (lists of the right kind of value); :func:`check` looks them up."""
        raw = raw or {}
        if not isinstance(raw, Mapping):
            raise InvalidInput("notice.audience.shape")
        unknown = sorted(set(raw) - set(KEYS))
        if unknown:
            raise InvalidInput(
                "notice.audience.key", keys=", ".join(unknown), known=", ".join(KEYS)
            )
        values: dict[str, tuple[Any, ...]] = {}
        for key in KEYS:
            given = raw.get(key) or []
            if isinstance(given, str | int):
                given = [given]
            if not isinstance(given, list | tuple):
                raise InvalidInput("notice.audience.list", key=key)
            limit = MAX_NIKS if key == "niks" else MAX_VALUES
            if len(given) > limit:
                raise InvalidInput("notice.audience.too_many", key=key, most=limit)
            if key == "groups":
                try:
                    values[key] = tuple(dict.fromkeys(int(v) for v in given))
                except (TypeError, ValueError):
                    raise InvalidInput("notice.audience.groups") from None
            else:
                cleaned = (" ".join(str(v).split()) for v in given if v is not None)
                values[key] = tuple(dict.fromkeys(v for v in cleaned if v))
        return cls(**values)

    def as_json(self) -> dict[str, list[Any]]:
        return {key: list(getattr(self, key)) for key in KEYS if getattr(self, key)}

    @property
    def is_everyone(self) -> bool:
        return not self.as_json()

    @property
    def public(self) -> bool:
        """Whether the notice is for a whole area or programme (so anyone of the office may
        read it in the bot's list), not for named people or groups."""
        return not (self.niks or self.groups)


# --- checking an audience against the office's register --------------------------------------


def check(*, session: Session, office_id: int, audience: Audience) -> Audience:
    """Every value must name something of the office: unknown programmes, desa, kecamatan,
    steps, groups and malformed or unknown NIKs are refused together, each named. Returns the
    audience with names spelt as on the register."""
    problems: list[dict[str, Any]] = []
    _programmes(session, office_id, audience.programme, problems)
    kecamatan = _names(session, office_id, col(Person.kecamatan), "kecamatan", audience, problems)
    desa = _names(session, office_id, col(Person.desa), "desa", audience, problems)
    _steps(session, office_id, audience.step, problems)
    _groups(session, office_id, audience.groups, problems)
    niks = check_niks(session=session, office_id=office_id, niks=audience.niks, problems=problems)
    if problems:
        raise InvalidInput(
            "notice.audience.unknown",
            what=_summary(problems),
            details=problems[:200],
        )
    return Audience(
        programme=audience.programme,
        kecamatan=kecamatan,
        desa=desa,
        step=audience.step,
        groups=audience.groups,
        niks=niks,
    )


def _summary(problems: list[dict[str, Any]]) -> str:
    shown = [f"{p['field']} {p['value']}" for p in problems[:SHOWN]]
    more = len(problems) - SHOWN
    return "; ".join(shown) + (f" (+{more})" if more > 0 else "")


def _programmes(
    session: Session, office_id: int, codes: tuple[str, ...], problems: list[dict[str, Any]]
) -> None:
    if not codes:
        return
    found = dict(
        session.exec(
            select(Programme.code, Programme.id).where(
                Programme.office_id == office_id, col(Programme.code).in_(codes)
            )
        ).all()
    )
    for code in codes:
        if code not in found:
            problems.append({"field": "programme", "value": code, "error": "unknown"})


def _names(
    session: Session,
    office_id: int,
    column: Any,
    key: str,
    audience: Audience,
    problems: list[dict[str, Any]],
) -> tuple[str, ...]:
    given: tuple[str, ...] = getattr(audience, key)
    if not given:
        return ()
    lowered = {name.lower(): name for name in given}
    rows = session.exec(
        select(column)
        .where(
            Person.office_id == office_id,
            func.lower(column).in_(list(lowered)),
        )
        .distinct()
    ).all()
    spelt = {str(name).lower(): str(name) for name in rows}
    for low, name in lowered.items():
        if low not in spelt:
            problems.append({"field": key, "value": name, "error": "unknown"})
    return tuple(spelt[low] for low in lowered if low in spelt)


def parse_step(value: str) -> tuple[str, int] | None:
    code, sep, position = value.rpartition(":")
    if not sep or not code or not position.isdigit():
        return None
    return code, int(position)


def _steps(
    session: Session, office_id: int, steps: tuple[str, ...], problems: list[dict[str, Any]]
) -> None:
    for value in steps:
        parsed = parse_step(value)
        found = None
        if parsed is not None:
            found = session.exec(
                select(ProgrammeStep.id)
                .join(Programme, col(Programme.id) == ProgrammeStep.programme_id)
                .where(
                    Programme.office_id == office_id,
                    Programme.code == parsed[0],
                    ProgrammeStep.position == parsed[1],
                )
            ).first()
        if found is None:
            problems.append({"field": "step", "value": value, "error": "unknown"})


def _groups(
    session: Session, office_id: int, groups: tuple[int, ...], problems: list[dict[str, Any]]
) -> None:
    if not groups:
        return
    found = set(
        session.exec(
            select(BeneficiaryGroup.id).where(
                BeneficiaryGroup.office_id == office_id, col(BeneficiaryGroup.id).in_(groups)
            )
        ).all()
    )
    for group in groups:
        if group not in found:
            problems.append({"field": "groups", "value": str(group), "error": "unknown"})


def check_niks(
    *,
    session: Session,
    office_id: int,
    niks: Iterable[str],
    problems: list[dict[str, Any]] | None = None,
    lines: Mapping[str, int] | None = None,
) -> tuple[str, ...]:
    """The NIKs in their 16 digits, each once; a malformed one, or one not on the office's
    register, is a problem (named masked, with its line of the file when there was one)."""
    own = problems if problems is not None else []
    cleaned: dict[str, None] = {}
    for raw in niks:
        try:
            nik = validate_nik(normalise(raw)).nik
        except IdentityError:
            own.append(_nik_problem(raw, "malformed", lines))
            continue
        cleaned[nik] = None
    wanted = list(cleaned)
    known: set[str] = set()
    for start in range(0, len(wanted), 1000):
        part = wanted[start : start + 1000]
        known.update(
            session.exec(
                select(Person.nik).where(
                    Person.office_id == office_id,
                    col(Person.nik).in_(part),
                    col(Person.erased_at).is_(None),
                )
            ).all()
        )
    for nik in wanted:
        if nik not in known:
            own.append(_nik_problem(nik, "unknown", lines))
    if problems is None and own:
        raise InvalidInput("notice.audience.unknown", what=_summary(own), details=own[:200])
    return tuple(n for n in wanted if n in known)


def _nik_problem(raw: str, error: str, lines: Mapping[str, int] | None) -> dict[str, Any]:
    digits = normalise(raw)
    shown = mask_nik(digits) if digits.isdigit() else (digits[:4] + "…" if digits else "''")
    problem: dict[str, Any] = {"field": "niks", "value": shown, "error": error}
    if lines and raw in lines:
        problem["line"] = lines[raw]
        problem["value"] = f"{shown} (baris {lines[raw]})"
    return problem


def niks_from_csv(data: bytes) -> tuple[list[str], dict[str, int]]:
    """The NIKs of an uploaded file: a column headed ``nik`` of a CSV (``,`` or ``;``), or one
    NIK a line; returns them with the line each came from."""
    if not data:
        raise InvalidInput("error.csv_empty")
    if len(data) > MAX_NIK_FILE:
        raise InvalidInput("notice.audience.file_too_large", most=MAX_NIK_FILE // (1024 * 1024))
    try:
        decoded = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("notice.audience.file_encoding") from None
    first = decoded.splitlines()[0] if decoded.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(decoded), delimiter=delimiter))
    column = 0
    start = 0
    if rows:
        header = [cell.strip().lower() for cell in rows[0]]
        if "nik" in header:
            column, start = header.index("nik"), 1
    niks: list[str] = []
    lines: dict[str, int] = {}
    for number, row in enumerate(rows[start:], start=start + 1):
        cell = row[column].strip() if len(row) > column else ""
        if not cell:
            continue
        niks.append(cell)
        lines.setdefault(cell, number)
    if not niks:
        raise InvalidInput("notice.audience.file_no_nik")
    if len(niks) > MAX_NIKS:
        raise InvalidInput("notice.audience.too_many", key="niks", most=MAX_NIKS)
    return niks, lines


# --- the audience as SQL ------------------------------------------------------------------------


def _json_values(session: Session, values: tuple[str, ...], name: str) -> Any:
    """``SELECT value FROM <a JSON array bound as one parameter>``: a list of any length in
    one bind, where an IN list of 100,000 would pass the database's limit of parameters."""
    payload = json.dumps(list(values))
    if session.get_bind().dialect.name == "postgresql":
        clause = text(f"SELECT json_array_elements_text(CAST(:{name} AS json)) AS value")
    else:
        clause = text(f"SELECT value FROM json_each(:{name})")
    return clause.bindparams(**{name: payload}).columns(value=String)


def _in_proposals(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    applicants = select(Proposal.applicant_person_id).where(
        col(Proposal.applicant_person_id).is_not(None), condition
    )
    members = (
        select(GroupMember.person_id)
        .join(Proposal, col(Proposal.applicant_group_id) == GroupMember.group_id)
        .where(condition)
    )
    return or_(col(Person.id).in_(applicants), col(Person.id).in_(members))


def person_filter(
    session: Session, office_id: int, audience: Audience
) -> list[ColumnElement[bool]]:
    """The WHERE clause, over ``person``, of the audience's persons."""
    conditions: list[ColumnElement[bool]] = [
        col(Person.office_id) == office_id,
        col(Person.erased_at).is_(None),
    ]
    if audience.programme:
        ids = select(Programme.id).where(
            Programme.office_id == office_id, col(Programme.code).in_(audience.programme)
        )
        conditions.append(_in_proposals(col(Proposal.programme_id).in_(ids)))
    if audience.kecamatan:
        lowered = [v.lower() for v in audience.kecamatan]
        conditions.append(func.lower(col(Person.kecamatan)).in_(lowered))
    if audience.desa:
        lowered = [v.lower() for v in audience.desa]
        conditions.append(func.lower(col(Person.desa)).in_(lowered))
    if audience.step:
        at_steps: list[ColumnElement[bool]] = []
        for value in audience.step:
            parsed = parse_step(value)
            if parsed is None:
                continue
            programme = select(Programme.id).where(
                Programme.office_id == office_id, Programme.code == parsed[0]
            )
            at_steps.append(
                and_(
                    col(Proposal.programme_id).in_(programme),
                    col(Proposal.step_position) == parsed[1],
                    col(Proposal.status) == "in_progress",
                )
            )
        conditions.append(_in_proposals(or_(*at_steps)) if at_steps else false())
    if audience.groups:
        members = select(GroupMember.person_id).where(
            col(GroupMember.group_id).in_(audience.groups)
        )
        conditions.append(col(Person.id).in_(members))
    if audience.niks:
        conditions.append(col(Person.nik).in_(_json_values(session, audience.niks, "aud_niks")))
    return conditions


def linked_chat() -> ScalarSelect[Any]:
    """Per person: the linked chat used last that has not blocked the bot (or NULL)."""
    return (
        select(Conversation.id)
        .where(
            col(Conversation.person_id) == col(Person.id),
            col(Conversation.unreachable_at).is_(None),
        )
        .order_by(col(Conversation.updated_at).desc(), col(Conversation.id).desc())
        .limit(1)
        .correlate(Person)
        .scalar_subquery()
    )


def phone_chat_id() -> ColumnElement[str]:
    """The phone on file as a chat id: its E.164 digits without the ``+``."""
    return func.substr(col(Person.phone_e164), 2)


def phone_chat(channel: str | None) -> Any:
    """Per person: the phone channel's chat of their phone, once it exists (or NULL)."""
    if not channel:
        return cast(null(), Integer)
    return (
        select(Conversation.id)
        .where(
            col(Conversation.channel) == channel,
            col(Conversation.chat_id) == phone_chat_id(),
            col(Person.phone_e164) != "",
        )
        .correlate(Person)
        .scalar_subquery()
    )


def has_phone(channel: str | None) -> ColumnElement[bool]:
    return col(Person.phone_e164) != "" if channel else false()


@dataclass(frozen=True)
class Reach:
    """How an audience would be reached now: counts for the preview."""

    total: int
    by_chat: int
    by_phone: int
    unreachable: int
    opted_out: int


def reach(
    *, session: Session, office_id: int, audience: Audience, phone_channel: str | None
) -> Reach:
    """Count the audience by how each person would be reached, in one query, as the fan-out
    decides it: no chat and no phone is unreachable; else opted out when the person or the
    chat they would be reached on said BERHENTI; else by their chat, or by phone."""
    inner = (
        sa.select(
            col(Person.id).label("pid"),
            linked_chat().label("linked"),
            phone_chat(phone_channel).label("phone_chat"),
            case((has_phone(phone_channel), 1), else_=0).label("phone"),
            col(Person.broadcasts_stopped_at).label("stopped"),
        )
        .where(*person_filter(session, office_id, audience))
        .subquery()
    )
    chat = Conversation.__table__.alias("target")  # type: ignore[attr-defined]
    reachable = or_(inner.c.linked.is_not(None), inner.c.phone == 1)
    stopped = and_(
        reachable,
        or_(inner.c.stopped.is_not(None), chat.c.broadcasts_stopped_at.is_not(None)),
    )
    row = session.execute(
        sa.select(
            func.count(),
            func.sum(case((and_(~stopped, inner.c.linked.is_not(None)), 1), else_=0)),
            func.sum(
                case((and_(~stopped, inner.c.linked.is_(None), inner.c.phone == 1), 1), else_=0)
            ),
            func.sum(case((~reachable, 1), else_=0)),
            func.sum(case((stopped, 1), else_=0)),
        ).select_from(
            inner.outerjoin(chat, chat.c.id == func.coalesce(inner.c.linked, inner.c.phone_chat))
        )
    ).one()
    total, by_chat, by_phone, unreachable, opted_out = (int(v or 0) for v in row)
    return Reach(total, by_chat, by_phone, unreachable, opted_out)


@dataclass(frozen=True)
class Options:
    """What the audience picker offers: the office's own programmes, steps, areas, groups."""

    programmes: list[tuple[str, str]]  # (code, name)
    steps: list[tuple[str, str]]  # ("code:position", "Programme: n. step")
    kecamatan: list[str]
    desa: list[str]
    groups: list[tuple[int, str]]


def options(*, session: Session, office_id: int) -> Options:
    programmes = session.exec(
        select(Programme).where(Programme.office_id == office_id).order_by(col(Programme.code))
    ).all()
    steps = session.exec(
        select(Programme.code, Programme.name, ProgrammeStep.position, ProgrammeStep.name)
        .join(ProgrammeStep, col(ProgrammeStep.programme_id) == Programme.id)
        .where(Programme.office_id == office_id)
        .order_by(col(Programme.code), col(ProgrammeStep.position))
    ).all()

    def distinct(column: Any) -> list[str]:
        rows = session.exec(
            select(column)
            .where(Person.office_id == office_id, column != "", col(Person.erased_at).is_(None))
            .distinct()
            .order_by(column)
            .limit(2000)
        ).all()
        return [str(v) for v in rows]

    groups = session.exec(
        select(BeneficiaryGroup.id, BeneficiaryGroup.name)
        .where(BeneficiaryGroup.office_id == office_id)
        .order_by(col(BeneficiaryGroup.name))
        .limit(1000)
    ).all()
    return Options(
        programmes=[(p.code, p.name) for p in programmes],
        steps=[
            (f"{code}:{position}", f"{name}: {position}. {step}"[:160])
            for code, name, position, step in steps
        ],
        kecamatan=distinct(col(Person.kecamatan)),
        desa=distinct(col(Person.desa)),
        groups=[(int(i or 0), str(n)) for i, n in groups],
    )
