"""Whether an applicant meets a programme's machine-checkable rules.

Pure functions over facts the office already holds (from the KTP/KK and the registries): no
database, no web framework. Every rule that fails is reported, not just the first, so an
officer or an applicant can fix everything in one round instead of one refusal at a time.

Codes: ``regency_code`` is the dotted Kemendagri code ("73.08") and ``kecamatan_code`` the
dotted kecamatan code ("73.08.01"), as :class:`services.nik.NikInfo` gives them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

import messages
from services.catalogue import ApplicantKind, LocalizedText, Programme
from services.nik import mask_nik

NEVER_MARRIED = "belum_kawin"


@dataclass(frozen=True)
class MemberFacts:
    """One person, as the KTP, the KK and the registries describe them."""

    nik: str
    kk_number: str
    birth_date: date
    sex: str  # "L" or "P"
    marital_status: str  # belum_kawin, kawin, cerai_hidup, cerai_mati, ditinggal_suami
    kecamatan_code: str  # "73.08.01"
    regency_code: str  # "73.08"
    registries: frozenset[str]  # {"DTKS"}, {"PMKS"}, ...
    aided_before: bool

    def age_on(self, today: date) -> int:
        had_birthday = (today.month, today.day) >= (self.birth_date.month, self.birth_date.day)
        return today.year - self.birth_date.year - (0 if had_birthday else 1)

    @property
    def has_married(self) -> bool:
        # Divorced, widowed and abandoned women have all "telah menikah". Unknown ("": a KPM
        # register that does not say) is not yet known to have married.
        return self.marital_status not in (NEVER_MARRIED, "")


@dataclass(frozen=True)
class ApplicantFacts:
    kind: ApplicantKind
    members: tuple[MemberFacts, ...]  # a person applicant has exactly one

    def __post_init__(self) -> None:
        if self.kind not in ("person", "group"):
            raise ValueError(f"applicant kind must be 'person' or 'group', got {self.kind!r}")
        if not self.members:
            raise ValueError("an applicant has at least one member")
        if self.kind == "person" and len(self.members) != 1:
            raise ValueError(f"a person applicant has one member, got {len(self.members)}")


@dataclass(frozen=True)
class RuleFailure:
    rule: str  # the EligibilityRules field (or "applicant_kind", "office")
    key: str  # message key
    params: Mapping[str, object] = field(default_factory=dict)
    # The rule is Sigap's reading of the SOP (UEP's "usia produktif" as 15-64): the text
    # says so, for the staff who read it.
    reading: bool = False

    def text(self, lang: str = "id") -> str:
        # A value said differently per language (a programme's name) is given as one per
        # language; the sentence takes the one in its own.
        params = {
            name: value.get(lang, value.get(messages.DEFAULT_LANGUAGE, ""))
            if isinstance(value, Mapping)
            else value
            for name, value in self.params.items()
        }
        said = messages.render(self.key, lang, **params)
        return f"{said} {messages.render('eligibility.reading', lang)}" if self.reading else said


def _in_every_language(
    name: str, text: LocalizedText | dict[str, str]
) -> dict[str, dict[str, str]]:
    """The param ``name`` once per language, for a value that itself needs translating (a
    programme's name, a marital status): every language's sentence says ``{name}``, and
    :meth:`RuleFailure.text` fills it with the value in that language."""
    if isinstance(text, LocalizedText):
        return {name: {lang: text.get(lang) for lang in messages.LANGUAGES}}
    return {name: {lang: text[lang] for lang in messages.LANGUAGES}}


def _marital_label(statuses: Iterable[str]) -> dict[str, str]:
    return {
        lang: ", ".join(
            messages.render(f"identity.marital_status.{s or 'unknown'}", lang) for s in statuses
        )
        for lang in messages.LANGUAGES
    }


def _check_applicant(
    programme: Programme, applicant: ApplicantFacts, office_code: str
) -> Iterator[RuleFailure]:
    if programme.office != office_code:
        yield RuleFailure(
            "office",
            "eligibility.office",
            {"office": office_code, **_in_every_language("programme", programme.name)},
        )
    if applicant.kind != programme.applicant:
        yield RuleFailure(
            "applicant_kind",
            f"eligibility.applicant_kind.{programme.applicant}",
            _in_every_language("programme", programme.name),
        )


def _check_group(programme: Programme, applicant: ApplicantFacts) -> Iterator[RuleFailure]:
    rules = programme.eligibility
    members = applicant.members
    # A person applying to a group programme already hears so; a size complaint would repeat it.
    if rules.group_size and applicant.kind == "group":
        low, high, count = rules.group_size.min, rules.group_size.max, len(members)
        if (low is not None and count < low) or (high is not None and count > high):
            if low == high:
                key = "eligibility.group_size.exact"
            elif high is None:
                key = "eligibility.group_size.at_least"
            elif low is None:
                key = "eligibility.group_size.at_most"
            else:
                key = "eligibility.group_size.range"
            yield RuleFailure("group_size", key, {"count": count, "min": low, "max": high})

    if rules.same_kecamatan:
        kecamatans = sorted({m.kecamatan_code for m in members})
        if len(kecamatans) > 1:
            yield RuleFailure(
                "same_kecamatan",
                "eligibility.same_kecamatan",
                {"count": len(kecamatans), "kecamatans": ", ".join(kecamatans)},
            )

    if rules.distinct_families:
        per_kk = Counter(m.kk_number for m in members)
        for kk, count in sorted(per_kk.items()):
            if count > 1:
                sharing = [mask_nik(m.nik) for m in members if m.kk_number == kk]
                yield RuleFailure(
                    "distinct_families",
                    "eligibility.distinct_families",
                    {"kk": mask_nik(kk), "count": count, "members": ", ".join(sharing)},
                )


def _check_member(
    programme: Programme, member: MemberFacts, office_code: str, today: date
) -> Iterator[RuleFailure]:
    rules = programme.eligibility
    who = mask_nik(member.nik)

    if rules.age:
        age = member.age_on(today)
        low, high = rules.age.min, rules.age.max
        reading = rules.age.assumption is not None
        if low is not None and age < low:
            if not rules.age.married_below_min_allowed:
                yield RuleFailure(
                    "age",
                    "eligibility.age.too_young",
                    {"member": who, "age": age, "min": low},
                    reading,
                )
            elif not member.has_married:
                yield RuleFailure(
                    "age",
                    "eligibility.age.too_young_unmarried",
                    {"member": who, "age": age, "min": low},
                    reading,
                )
        if high is not None and age > high:
            yield RuleFailure(
                "age", "eligibility.age.too_old", {"member": who, "age": age, "max": high}, reading
            )

    if rules.resident_of_office_region and member.regency_code != office_code:
        yield RuleFailure(
            "resident_of_office_region",
            "eligibility.resident",
            {"member": who, "regency": member.regency_code, "office_region": office_code},
        )

    if rules.not_aided_before and member.aided_before:
        yield RuleFailure("not_aided_before", "eligibility.aided_before", {"member": who})

    if rules.sex and member.sex != rules.sex:
        yield RuleFailure("sex", f"eligibility.sex.{rules.sex}", {"member": who})

    if rules.marital_status_in and member.marital_status not in rules.marital_status_in:
        yield RuleFailure(
            "marital_status_in",
            "eligibility.marital_status",
            {
                "member": who,
                **_in_every_language("status", _marital_label([member.marital_status])),
                **_in_every_language("allowed", _marital_label(rules.marital_status_in)),
            },
        )

    if rules.registered_in and not member.registries & set(rules.registered_in):
        yield RuleFailure(
            "registered_in",
            "eligibility.registered_in",
            {"member": who, "registries": " / ".join(rules.registered_in)},
        )


def check_eligibility(
    programme: Programme, applicant: ApplicantFacts, *, office_code: str, today: date
) -> list[RuleFailure]:
    """Every rule of ``programme`` that ``applicant`` fails; an empty list means eligible."""
    failures: list[RuleFailure] = [*_check_applicant(programme, applicant, office_code)]
    failures.extend(_check_group(programme, applicant))
    for member in applicant.members:
        failures.extend(_check_member(programme, member, office_code, today))
    return failures


__all__ = [
    "ApplicantFacts",
    "MemberFacts",
    "RuleFailure",
    "check_eligibility",
]
