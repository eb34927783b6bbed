"""The programme catalogue: offices and the social-assistance programmes they run.

Everything an office publishes in its SOP lives in YAML under ``catalogue/``, one file per
programme, so that adding a programme is adding a file. The files are validated strictly at
start-up: a typo fails loudly with the file and field named, instead of a programme silently
losing its eligibility rules.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

# The catalogue shipped with Sigap (a package of its own, so the wheel carries it);
# CATALOGUE_DIR points elsewhere for an office's own files.
DEFAULT_DIRECTORY = Path(__file__).resolve().parent.parent / "catalogue"

# Who may record a step as done. ``admin`` may always do so and is never listed in a file,
# so that the files say only what the SOP says about who acts.
StaffRole = Literal["operator", "complaint_officer", "supervisor", "head", "admin"]
STAFF_ROLES: tuple[str, ...] = ("operator", "complaint_officer", "supervisor", "head", "admin")
ALWAYS_ALLOWED_ROLE = "admin"

MaritalStatus = Literal["belum_kawin", "kawin", "cerai_hidup", "cerai_mati", "ditinggal_suami"]
MARITAL_STATUSES: tuple[str, ...] = (
    "belum_kawin",
    "kawin",
    "cerai_hidup",
    "cerai_mati",
    "ditinggal_suami",
)
Sex = Literal["L", "P"]
ApplicantKind = Literal["person", "group"]
ChannelKind = Literal[
    "phone",
    "whatsapp",
    "telegram",
    "website",
    "email",
    "facebook",
    "instagram",
    "sms",
    "box",
    "book",
    "walk_in",
    "lapor",
]

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=60)]
RegionCode = Annotated[str, StringConstraints(pattern=r"^\d{2}\.\d{2}$")]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class CatalogueError(ValueError):
    """A catalogue file is missing, unreadable, or says something impossible."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LocalizedText(_Frozen):
    """A human text in Bahasa Indonesia and English: the bot answers in the reader's language.

    Where it comes from (see services/catalogue_sources.py): its Indonesian words are the
    seed's own, or ``source`` quotes the seed's words it renders (one quote, or several for a
    text that joins them); or ``assumption`` says why it is Sigap's reading and not the SOP's.
    An assumption stays in the data (for the rules and the staff) and never reaches the public
    as the office's fact (:meth:`stated`).
    """

    id: NonEmpty
    en: NonEmpty
    source: NonEmpty | tuple[NonEmpty, ...] | None = None
    assumption: NonEmpty | None = None

    @model_validator(mode="after")
    def _sourced_or_assumed(self) -> LocalizedText:
        if self.source is not None and self.assumption is not None:
            raise ValueError("a text is quoted from the seed ('source') or an 'assumption'")
        return self

    def get(self, lang: str = "id") -> str:
        return self.en if lang == "en" else self.id

    def stated(self, lang: str = "id") -> str | None:
        """The text as the public may read it: None when it is an assumption."""
        return None if self.assumption is not None else self.get(lang)


def stated(text: LocalizedText | None, lang: str = "id") -> str | None:
    """``text`` as the public may read it: None when absent or an assumption."""
    return text.stated(lang) if text is not None else None


class EscalationStep(_Frozen):
    """Who is told when a complaint is still unanswered ``after_hours`` past its deadline."""

    after_hours: Annotated[int, Field(ge=0)] = 0
    roles: tuple[Literal["supervisor", "head"], ...] = Field(min_length=1)
    # The office's PPID officer(s) too.
    ppid: bool = False


class ComplaintClock(_Frozen):
    """An office's promise of an answer: calendar hours, or working days counted on the
    office's calendar (holidays and cuti bersama off) from its opening hours."""

    kind: Literal["hours", "working_days"] = "hours"
    amount: Annotated[int, Field(gt=0)]
    # "08:00-16:00": a complaint received outside these hours counts from the next opening.
    office_hours: Annotated[str, StringConstraints(pattern=r"^\d\d:\d\d-\d\d:\d\d$")] | None = None
    # Where the rule comes from: the SOP's words, or a marked setting of the office's own.
    source: NonEmpty
    escalation: tuple[EscalationStep, ...] = ()

    @property
    def from_sop(self) -> bool:
        """The office's SOP states this rule (``source`` quotes it: "SOP: ..."); otherwise it
        is a default or a setting of the office's own, which the office may change."""
        return self.source.startswith("SOP")


class Office(_Frozen):
    code: RegionCode
    slug: Slug
    # In the office's complaint and proposal numbers: "BTG" in ADU-BTG-2026-00123.
    short_code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    name: LocalizedText
    province: NonEmpty
    # Contact details are optional because not every seed SOP publishes them.
    address: str | None = None
    postal_code: Annotated[str, StringConstraints(pattern=r"^\d{5}$")] | None = None
    phone: str | None = None
    website: str | None = None
    email: str | None = None
    # No seed states opening hours: the office sets its own (services/office_settings.py).
    # Hours given here are public only when an SOP states them (``source``).
    opening_hours: LocalizedText | None = None
    timezone: NonEmpty
    complaint_clock: ComplaintClock | None = None
    # The seed SOP the office's details are copied from (a file under ``seeds/``).
    seed: NonEmpty | None = None

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA time zone {value!r}") from exc
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class LegalBasis(_Frozen):
    number: NonEmpty | None = None
    title: LocalizedText
    date: dt.date | None = None
    references: tuple[LocalizedText, ...] = ()


class TimeStandard(_Frozen):
    """How long a step may take: calendar minutes, or working days in the office's time zone."""

    minutes: Annotated[int, Field(gt=0)] | None = None
    working_days: Annotated[int, Field(gt=0)] | None = None
    # Why the unit is Sigap's reading (an SOP's "2 Hari" counted as working days): shown to
    # the public only as a reading, never as the SOP's words.
    assumption: NonEmpty | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> TimeStandard:
        if (self.minutes is None) == (self.working_days is None):
            raise ValueError("give exactly one of 'minutes' or 'working_days'")
        return self


class OutputKind(_Frozen):
    """A kind of record a step produces, as its SOP names it: "SK Bupati", "Berita Acara
    Serah Terima". ``numbered``: the record carries a number (a decree's, a Berita Acara's)."""

    kind: Slug
    name: LocalizedText
    numbered: bool = False


class Step(_Frozen):
    code: Slug
    name: LocalizedText
    actor: LocalizedText
    allowed_roles: tuple[StaffRole, ...] = Field(min_length=1)
    description: LocalizedText | None = None
    time_standard: TimeStandard | None = None
    output: LocalizedText | None = None
    documents: tuple[LocalizedText, ...] = ()
    # What staff record when the step has produced its output; without it, the step's
    # ``output`` itself under the kind "output".
    records: tuple[OutputKind, ...] = ()
    # The number the SOP gives the step, where Sigap splits one SOP step in two (so each is
    # recorded by the one who acts): both halves carry the SOP's number. Without it, one more
    # than the step before.
    sop_number: Annotated[int, Field(ge=1)] | None = None

    @field_validator("allowed_roles")
    @classmethod
    def _admin_is_implicit(cls, roles: tuple[str, ...]) -> tuple[str, ...]:
        if ALWAYS_ALLOWED_ROLE in roles:
            raise ValueError("'admin' may always record a step; do not list it")
        duplicated = sorted(role for role, n in Counter(roles).items() if n > 1)
        if duplicated:
            raise ValueError(f"roles listed twice: {', '.join(duplicated)}")
        return roles

    def may_record(self, role: str) -> bool:
        return role == ALWAYS_ALLOWED_ROLE or role in self.allowed_roles

    def output_kinds(self) -> tuple[OutputKind, ...]:
        if self.records:
            return self.records
        return (OutputKind(kind="output", name=self.output),) if self.output else ()


class Requirement(LocalizedText):
    """One line of the SOP's 'Persyaratan', as published (most are checked by a person)."""


class SizeRange(_Frozen):
    min: Annotated[int, Field(ge=1)] | None = None
    max: Annotated[int, Field(ge=1)] | None = None

    @model_validator(mode="after")
    def _ordered(self) -> SizeRange:
        if self.min is None and self.max is None:
            raise ValueError("give 'min', 'max' or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        return self


class AgeRule(_Frozen):
    min: Annotated[int, Field(ge=0)] | None = None
    max: Annotated[int, Field(ge=0)] | None = None
    # "telah menikah dan/atau berusia 18 ... tahun": someone who has married qualifies even
    # below the minimum age.
    married_below_min_allowed: bool = False
    # Why the numbers are Sigap's reading of the SOP's words ("usia produktif"): the check
    # uses them, and a refusal says they are a reading.
    assumption: NonEmpty | None = None

    @model_validator(mode="after")
    def _ordered(self) -> AgeRule:
        if self.min is None and self.max is None:
            raise ValueError("give 'min', 'max' or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        if self.married_below_min_allowed and self.min is None:
            raise ValueError("'married_below_min_allowed' needs a 'min'")
        return self


class EligibilityRules(_Frozen):
    """The machine-checkable part of the requirements; see services.eligibility."""

    group_size: SizeRange | None = None
    age: AgeRule | None = None
    same_kecamatan: bool = False
    distinct_families: bool = False
    not_aided_before: bool = False
    resident_of_office_region: bool = False
    sex: Sex | None = None
    marital_status_in: tuple[MaritalStatus, ...] | None = Field(default=None, min_length=1)
    # A member qualifies when registered in any one of these registries.
    registered_in: tuple[NonEmpty, ...] | None = Field(default=None, min_length=1)


_PHONE_KINDS = frozenset({"phone", "whatsapp", "telegram", "sms"})
_NEEDS_VALUE = _PHONE_KINDS | {"website", "email", "facebook", "instagram", "lapor"}


class ComplaintChannel(_Frozen):
    kind: ChannelKind
    label: LocalizedText
    # What a person sees and types, written as the office publishes it ("0481-21029").
    value: NonEmpty | None = None
    # The same address on other channels too: Bone's officers are on "Whatsapp/Telegram".
    also: tuple[ChannelKind, ...] = ()
    # The seed's words for this channel ("Telepon: 0481-21029"), or why it is an assumption
    # (then it is never shown to the public).
    source: NonEmpty | tuple[NonEmpty, ...] | None = None
    assumption: NonEmpty | None = None

    @property
    def kinds(self) -> tuple[str, ...]:
        return (self.kind, *self.also)

    @model_validator(mode="after")
    def _value_fits_kind(self) -> ComplaintChannel:
        if self.source is not None and self.assumption is not None:
            raise ValueError("a channel is quoted from the seed ('source') or an 'assumption'")
        if self.kind in self.also:
            raise ValueError(f"'{self.kind}' is the channel's kind; do not list it in 'also'")
        if self.kind in _NEEDS_VALUE and self.value is None:
            raise ValueError(f"a '{self.kind}' channel needs a 'value'")
        if self.kind in _PHONE_KINDS and not re.fullmatch(r"\+?[\d\s().-]{3,}", self.value or ""):
            raise ValueError(f"'{self.value}' is not a phone number")
        if self.kind == "email" and "@" not in (self.value or ""):
            raise ValueError(f"'{self.value}' is not an e-mail address")
        return self

    @property
    def international_number(self) -> str | None:
        """Digits with the country code ("6285756242215"), as wa.me and tel: links want them."""
        if self.kind not in _PHONE_KINDS or self.value is None:
            return None
        digits = re.sub(r"\D", "", self.value)
        # Short codes such as SMS 1708 have no country code to add.
        if len(digits) <= 5:
            return digits
        if digits.startswith("0"):
            return "62" + digits[1:]
        return digits

    @property
    def url(self) -> str | None:
        """A link a chat client can open, where the channel has one."""
        number = self.international_number
        value = self.value or ""
        match self.kind:
            case "whatsapp":
                return f"https://wa.me/{number}"
            case "telegram":
                return f"https://t.me/+{number}"
            case "phone":
                return f"tel:+{number}"
            case "sms":
                return f"sms:{number}" if number and len(number) <= 5 else f"sms:+{number}"
            case "email":
                return f"mailto:{value}"
            case "website" | "lapor" | "instagram" | "facebook":
                if value.startswith(("http://", "https://")):
                    return value
                return f"https://{value}" if "." in value and " " not in value else None
        return None


class GroupReports(_Frozen):
    """The reports an aided group owes, per quarter and at the end of the year, from the
    quarter its proposal was completed on."""

    kinds: tuple[OutputKind, ...] = Field(min_length=1)
    # Owed from the quarter the group's proposal passed this step (None: its last step).
    from_step: Slug | None = None
    quarterly: bool = True
    year_end: bool = True
    # Days after a period's last day the report is due.
    due_days_after_period: Annotated[int, Field(ge=0)] = 0


class Programme(_Frozen):
    code: Slug
    office: RegionCode
    # The seed SOP the programme is copied from (a file under ``seeds/``).
    seed: NonEmpty | None = None
    kind: Slug
    name: LocalizedText
    legal_basis: LegalBasis | None = None
    summary: LocalizedText
    applicant: ApplicantKind
    requirements: tuple[Requirement, ...] = Field(min_length=1)
    eligibility: EligibilityRules = EligibilityRules()
    steps: tuple[Step, ...] = Field(min_length=1)
    duration: LocalizedText
    cost: LocalizedText
    product: LocalizedText
    how_to_apply: LocalizedText
    complaint_channels: tuple[ComplaintChannel, ...] = ()
    complaint_handler: LocalizedText | None = None
    complaint_response_hours: Annotated[int, Field(gt=0)] | None = None
    notes: tuple[LocalizedText, ...] = ()
    group_reports: GroupReports | None = None

    @field_validator("steps")
    @classmethod
    def _unique_step_codes(cls, steps: tuple[Step, ...]) -> tuple[Step, ...]:
        duplicated = sorted(code for code, n in Counter(s.code for s in steps).items() if n > 1)
        if duplicated:
            raise ValueError(f"step codes used twice: {', '.join(duplicated)}")
        return steps

    @model_validator(mode="after")
    def _group_rules_need_a_group(self) -> Programme:
        rules = self.eligibility
        if self.applicant == "person" and (
            rules.group_size
            or rules.same_kecamatan
            or rules.distinct_families
            or self.group_reports
        ):
            raise ValueError(
                "group rules (group_size, same_kecamatan, distinct_families, group_reports) "
                "need 'applicant: group'"
            )
        return self

    @model_validator(mode="after")
    def _sop_numbers_rise(self) -> Programme:
        numbers = self.sop_numbers()
        if any(b not in (a, a + 1) for a, b in itertools.pairwise(numbers)):
            raise ValueError(f"steps' sop_number must rise by 0 or 1, got {list(numbers)}")
        return self

    @model_validator(mode="after")
    def _reports_from_a_known_step(self) -> Programme:
        rules = self.group_reports
        if rules is not None and rules.from_step and self.step(rules.from_step) is None:
            raise ValueError(f"group_reports.from_step '{rules.from_step}' is no step code")
        return self

    def step(self, code: str) -> Step | None:
        return next((s for s in self.steps if s.code == code), None)

    def stated_channels(self) -> tuple[ComplaintChannel, ...]:
        """The complaint channels the SOP names: never one marked as an assumption."""
        return tuple(c for c in self.complaint_channels if c.assumption is None)

    def sop_numbers(self) -> tuple[int, ...]:
        """Each step's number as the SOP numbers it, in order."""
        numbers: list[int] = []
        for step in self.steps:
            numbers.append(step.sop_number or (numbers[-1] + 1 if numbers else 1))
        return tuple(numbers)

    def sop_place(self, position: int) -> tuple[int, int]:
        """(the SOP's number of step ``position``, the SOP's number of steps): "Tahap 5 dari 8"
        for the second half of Bone's split step 5."""
        numbers = self.sop_numbers()
        return numbers[min(max(position, 1), len(numbers)) - 1], numbers[-1]

    def sop_label(self, position: int) -> str:
        """Step ``position`` as the SOP numbers it: "5", or "5a" and "5b" for the two steps
        Sigap makes of one SOP step."""
        numbers = self.sop_numbers()
        index = min(max(position, 1), len(numbers)) - 1
        label = str(numbers[index])
        if numbers.count(numbers[index]) > 1:
            label += "abcdefghij"[index - numbers.index(numbers[index])]
        return label

    def step_position(self, code: str) -> int | None:
        """The 1-based place of a step in the SOP's order."""
        for position, step in enumerate(self.steps, start=1):
            if step.code == code:
                return position
        return None


class ComplaintCategory(_Frozen):
    """What a complaint is about (complaint_categories.yaml); the code is stored on complaints."""

    code: Slug
    label: LocalizedText


class _ComplaintCategoriesFile(_Frozen):
    categories: tuple[ComplaintCategory, ...] = Field(min_length=1)


class Catalogue(_Frozen):
    offices: tuple[Office, ...]
    programmes: tuple[Programme, ...]
    complaint_categories: tuple[ComplaintCategory, ...]

    def office(self, code: str) -> Office | None:
        return next((o for o in self.offices if o.code == code), None)

    def office_by_slug(self, slug: str) -> Office | None:
        return next((o for o in self.offices if o.slug == slug), None)

    def programme(self, code: str) -> Programme | None:
        return next((p for p in self.programmes if p.code == code), None)

    def programmes_for_office(self, office_code: str) -> tuple[Programme, ...]:
        return tuple(p for p in self.programmes if p.office == office_code)

    def complaint_category(self, code: str) -> ComplaintCategory | None:
        return find_category(self.complaint_categories, code)


_M = TypeVar("_M", bound=BaseModel)


class _OfficesFile(_Frozen):
    offices: tuple[Office, ...] = Field(min_length=1)


def _describe(error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        problems.append(f"{where}: {item['msg']}")
    return "; ".join(problems)


def _read_yaml(path: Path) -> Any:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path}: is not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise CatalogueError(f"{path}: must hold a mapping of fields, found {type(data).__name__}")
    return data


def _parse(model: type[_M], path: Path) -> _M:
    try:
        return model.model_validate(_read_yaml(path))
    except ValidationError as exc:
        raise CatalogueError(f"{path}: {_describe(exc)}") from exc


def _duplicates(values: Iterable[str]) -> list[str]:
    return sorted(value for value, n in Counter(values).items() if n > 1)


def find_category(categories: Iterable[ComplaintCategory], code: str) -> ComplaintCategory | None:
    return next((c for c in categories if c.code == code), None)


@lru_cache
def load_complaint_categories(directory: Path | None = None) -> tuple[ComplaintCategory, ...]:
    """``complaint_categories.yaml`` under ``directory``, read once per directory."""
    path = (directory or DEFAULT_DIRECTORY) / "complaint_categories.yaml"
    if not path.is_file():
        raise CatalogueError(f"{path}: file not found")
    categories = _parse(_ComplaintCategoriesFile, path).categories
    duplicated = _duplicates(c.code for c in categories)
    if duplicated:
        raise CatalogueError(f"{path}: category code used twice: {duplicated}")
    return categories


def load_catalogue(directory: Path | None = None) -> Catalogue:
    """Read and check ``offices.yaml``, ``complaint_categories.yaml`` and every
    ``programmes/*.yaml`` under ``directory``.

    Read once while its files stay as they are: a catalogue is immutable, and reading one
    takes more than half a second of a core (the web process, its worker, the scheduler and
    the command line each ask for it; the test suite builds an app per test)."""
    root = directory or DEFAULT_DIRECTORY
    key = _fingerprint(root)
    catalogue = _LOADED.get(key) if key is not None else None
    if catalogue is None:
        catalogue = _read_catalogue(root)
        if key is not None:
            if len(_LOADED) >= 4:  # bounded: a changed catalogue pushes out the oldest
                del _LOADED[next(iter(_LOADED))]
            _LOADED[key] = catalogue
    return catalogue


_LOADED: dict[tuple[object, ...], Catalogue] = {}


def _fingerprint(root: Path) -> tuple[object, ...] | None:
    """Every file under ``root`` with its size and modification time; None if unreadable."""
    try:
        stats = ((p, p.stat()) for p in sorted(root.resolve().rglob("*")))
        return tuple((str(p), s.st_mtime_ns, s.st_size) for p, s in stats if p.is_file())
    except OSError:
        return None


def _read_catalogue(root: Path) -> Catalogue:
    offices_path = root / "offices.yaml"
    if not offices_path.is_file():
        raise CatalogueError(f"{offices_path}: file not found")
    offices = _parse(_OfficesFile, offices_path).offices
    for field in ("code", "slug", "short_code"):
        duplicated = _duplicates(getattr(o, field) for o in offices)
        if duplicated:
            raise CatalogueError(f"{offices_path}: office {field} used twice: {duplicated}")
    office_codes = {o.code for o in offices}

    programmes: list[Programme] = []
    seen: dict[str, Path] = {}
    for path in sorted((root / "programmes").glob("*.yaml")):
        programme = _parse(Programme, path)
        # The file name is the code, so a programme is found by name and cannot be defined twice.
        if programme.code != path.stem:
            raise CatalogueError(
                f"{path}: code '{programme.code}' must match the file name '{path.stem}'"
            )
        if programme.code in seen:
            raise CatalogueError(
                f"{path}: programme code '{programme.code}' already used in {seen[programme.code]}"
            )
        if programme.office not in office_codes:
            raise CatalogueError(
                f"{path}: office '{programme.office}' is not in {offices_path} "
                f"(known: {', '.join(sorted(office_codes))})"
            )
        seen[programme.code] = path
        programmes.append(programme)
    return Catalogue(
        offices=offices,
        programmes=tuple(programmes),
        complaint_categories=load_complaint_categories(root),
    )
