"""The catalogue says only what the SOPs say (issue 13, item 9): every fact the public may read
is found in its office's seed SOP, or is marked as an assumption (and then never shown), or is
a marked office setting. Spoiling a copy of the catalogue shows the check can fail."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import ValidationError

from services.catalogue import (
    DEFAULT_DIRECTORY,
    ComplaintChannel,
    LocalizedText,
    load_catalogue,
)
from services.catalogue_sources import SEEDS, quoted, untraced

# Where the seeds were handed to the project, by the name each has in catalogue/seeds/.
HANDED_OVER = Path("/work/shared/seeds")
ORIGINAL_NAMES = {
    "kube-bone.txt": "000_6f6e340ee95eed79.txt",
    "kube-bekasi.txt": "001_3b34577a26ee5198.txt",
    "bpnt-buton-tengah.txt": "002_cfff51baeaa18c0d.txt",
    "uep-lamandau.txt": "003_f8f35b3d42373793.txt",
    "benang-tenun-manggarai.txt": "004_79eb0156b4a7ece0.txt",
}


def test_every_public_fact_of_the_shipped_catalogue_is_in_its_seed() -> None:
    assert untraced(load_catalogue()) == []


def test_every_office_and_programme_names_a_seed_that_is_shipped() -> None:
    catalogue = load_catalogue()
    named = {o.seed for o in catalogue.offices} | {p.seed for p in catalogue.programmes}
    shipped = {path.name for path in (DEFAULT_DIRECTORY / SEEDS).glob("*.txt")}
    assert named == shipped == set(ORIGINAL_NAMES)


@pytest.mark.skipif(not HANDED_OVER.is_dir(), reason="the seeds as handed over are not here")
@pytest.mark.parametrize("name", sorted(ORIGINAL_NAMES))
def test_the_shipped_seeds_are_the_seeds_as_handed_over(name: str) -> None:
    shipped = (DEFAULT_DIRECTORY / SEEDS / name).read_bytes()
    assert shipped == (HANDED_OVER / ORIGINAL_NAMES[name]).read_bytes()


class TestQuotes:
    def test_words_match_without_case_punctuation_or_layout(self) -> None:
        seed = (
            "4. kriteria miskin, terpencil,\n dan/atau rentan sosial ekonomi\n5. Beranggotakan 5-20"
        )
        assert quoted("Kriteria miskin, terpencil, dan/atau rentan sosial ekonomi", seed)
        assert quoted("beranggotakan 5–20", seed)

    def test_words_out_of_order_or_missing_do_not_match(self) -> None:
        seed = "Beranggotakan 5-20 Orang"
        assert not quoted("Beranggotakan 10 orang", seed)
        assert not quoted("Orang beranggotakan", seed)
        assert not quoted("", seed)

    def test_a_text_is_quoted_or_an_assumption_not_both(self) -> None:
        with pytest.raises(ValidationError):
            LocalizedText(id="Gratis", en="Free", source="GRATIS", assumption="guess")
        with pytest.raises(ValidationError):
            ComplaintChannel.model_validate(
                {
                    "kind": "walk_in",
                    "label": {"id": "x", "en": "x"},
                    "source": "a",
                    "assumption": "b",
                }
            )


# --- a spoiled copy of the catalogue is caught ------------------------------------------------


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _unsourced_requirement(root: Path) -> None:
    _edit(
        root / "programmes" / "kube-bone.yaml",
        "  - id: Membuat proposal Bantuan Sosial\n",
        "  - id: Memiliki rekening bank\n    en: Has a bank account\n"
        "  - id: Membuat proposal Bantuan Sosial\n",
    )


def _quote_not_in_the_seed(root: Path) -> None:
    _edit(
        root / "programmes" / "kube-bone.yaml",
        'source: "Melaporkan hasil monitoring ke Kepala Bidang Linjamsos, kemudian akan diteruskan'
        ' kepada Kepala Dinas Sosial"\n    actor:',
        'source: "Melaporkan hasil monitoring ke Bupati"\n    actor:',
    )


def _assumption_unmarked(root: Path) -> None:
    _edit(
        root / "programmes" / "kube-bekasi.yaml",
        '  assumption: "The decree does not mention fees; social assistance is never charged '
        'for."\n',
        "",
    )


def _guessed_phone(root: Path) -> None:
    _edit(root / "offices.yaml", 'phone: "0385-21157"', 'phone: "0385-21000"')


def _hours_no_sop_states(root: Path) -> None:
    _edit(
        root / "offices.yaml",
        "    email: dinsosbone.office@gmail.com\n",
        "    email: dinsosbone.office@gmail.com\n"
        "    opening_hours: {id: Senin–Jumat 08.00–16.00 WITA, en: Monday–Friday 08:00–16:00}\n",
    )


def _working_days_unmarked(root: Path) -> None:
    _edit(
        root / "programmes" / "uep-lamandau.yaml",
        "time_standard: {working_days: 3, assumption: \"The SOP says '3 Hari'; Sigap counts"
        ' working days."}',
        "time_standard: {working_days: 3}",
    )


def _clock_the_sop_does_not_state(root: Path) -> None:
    _edit(
        root / "offices.yaml",
        'source: "Default (not from the seed): the decree names no complaint procedure"',
        'source: "SOP: Respon pengaduan paling lama 2x24 jam"',
    )


def _no_seed(root: Path) -> None:
    _edit(
        root / "programmes" / "benang-tenun-manggarai.yaml",
        "seed: benang-tenun-manggarai.txt\n",
        "",
    )


SPOILS: dict[str, tuple[Callable[[Path], None], str]] = {
    "a requirement the SOP does not list": (_unsourced_requirement, "kube-bone: requirements[10]"),
    "a source quote the seed does not hold": (
        _quote_not_in_the_seed,
        "kube-bone: steps.monitoring-report.name",
    ),
    "Bekasi's fee no longer marked": (_assumption_unmarked, "kube-bekasi: cost"),
    "a phone number not in the seed": (_guessed_phone, "manggarai: phone"),
    "opening hours no SOP states": (_hours_no_sop_states, "bone: opening_hours"),
    "'3 Hari' as working days, unmarked": (
        _working_days_unmarked,
        "uep-lamandau: steps.recipient-decree.time_standard",
    ),
    "a clock said to be the SOP's": (_clock_the_sop_does_not_state, "bekasi: complaint_clock"),
    "a programme without its seed": (_no_seed, "benang-tenun-manggarai: names no seed"),
}


@pytest.mark.parametrize("spoil", sorted(SPOILS))
def test_a_fact_that_is_not_in_the_seed_is_named(spoil: str, tmp_path: Path) -> None:
    root = tmp_path / "catalogue"
    shutil.copytree(DEFAULT_DIRECTORY, root)
    make, expected = SPOILS[spoil]
    make(root)
    problems = untraced(load_catalogue(root), root)
    assert [p for p in problems if p.startswith(expected)], problems
