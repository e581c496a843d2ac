"""Seeded, deterministic generator of realistic test data in the file shapes of contract §2.

``generate(out_dir)`` writes one month's assistance rolls (three files, each messy in its own way),
two cremation extracts, and two ground-truth files under ``out_dir/truth/``; then
``hexiao_dev.sample.extracts`` adds three more rolls, the vehicle, property, business, payroll and
poverty-list extracts, and the other rules' truth (``truth_warnings.csv``, ``truth_negatives.csv``).
The truth files sit in a sub-directory so that ``out_dir`` itself can serve as a ``hexiao match --inbox``;
so does the intake check's applicant list (``申请/``, ``hexiao_dev.sample.applicants``), whose truth is
``truth_applicants.csv``.

Truth semantics:

* ``truth_deceased.csv``: one row per planted death of a roll member. ``id_number`` is the person's
  true ID, ``roll_id_raw`` the roll cell exactly as written (it normalises to ``id_number`` except in
  ``roll_typo`` rows, whose check digit is wrong). When the cremation row leaves 死亡日期 empty,
  ``death_date`` is its 火化日期 (the only date a matcher can see; always in the death's month).
* ``truth_decoys.csv``: cremation rows that must raise no DECEASED warning.
* Junk cremation rows (blank, no name and no ID, unparseable date) are in neither file.
* Roll members whose ID Excel destroyed (scientific notation, numeric cell) never die here: no
  matcher could be expected to find them, so they would only blur the truth.
* ``household_key`` says what tells the dead person's household apart, and so how it must be sized:
  ``户编号``; ``户主身份证号`` where a spreadsheet damaged the 户编号 (one township's sheet of the
  农村低保 workbook holds it in numeric cells, the 特困供养 CSV in scientific notation) and the head's
  ID is sound; ``无`` where the head's ID is damaged too — the household's size is then unknown and
  ``expected_action`` is 入户核查 whatever the match.

Two pairs of roll members show Excel's zero-fill spelling somebody's real ID (``twins``): one
member's numeric-cell ID is another's real ID (two people: no DUPLICATE), and one death is recorded
under the zeroed ID that is a living member's real ID (the dead one is the match, not the living).

The files are shaped as offices send them: the 农村低保 workbook has a 说明 sheet without a header
and one sheet per township under a merged title, some IDs are numeric cells (a few of which pass
the check digit after Excel's zero-fill), and the cremation CSV is GBK under a title row. With
``as_sent`` (``--as-sent``) also: one roll sheet without a 乡镇 column (the sheet's name is the
township), the vehicle register as the traffic police's export, and a shared folder's litter
(``hexiao_dev.sample.litter``).

Same seed and arguments give byte-identical files: all randomness here flows from one ``random.Random``
(the extracts draw from a second one, seeded from the same seed), no set or hash order is ever
iterated, and the workbooks carry a fixed creation date.

This module is the entry point (``generate``, ``main``) and the public API; the work is done next
door: ``ids``, ``dates``, ``names`` and ``people`` build the roll population, ``rolls`` writes the
main rolls, ``twins`` the zero-filled IDs that are somebody else's, ``deaths`` and ``cremation`` the
cremation extracts, ``litter`` a shared folder's litter, ``truth`` the truth files, and ``writing``
holds the file primitives they share.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

from hexiao_dev.sample.cremation import (
    cremation_csv_name,
    junk_rows,
    route_to_workbook,
    sort_rows,
    write_cremation_csv,
    write_cremation_xlsx,
)
from hexiao_dev.sample.dates import EARLIEST_START, parse_month, ym_label
from hexiao_dev.sample.deaths import DECOY_KINDS, FORMS, Death, Decoy, death_rows, plant_deaths, plant_decoys
from hexiao_dev.sample.extracts import extend
from hexiao_dev.sample.ids import check_digit, is_valid_id, to_legacy15
from hexiao_dev.sample.litter import write_litter
from hexiao_dev.sample.names import COMMON_NAMES, HOMOPHONES, TRADITIONAL
from hexiao_dev.sample.people import World, build_households, make_townships
from hexiao_dev.sample.rolls import (
    assign_roll_ids,
    assign_roll_names,
    assign_special_names,
    damage_household_ids,
    write_city_csv,
    write_rural_xlsx,
    write_tekun_csv,
)
from hexiao_dev.sample.truth import write_deceased_truth
from hexiao_dev.sample.twins import plant_roll_twins

__all__ = [
    "COMMON_NAMES",
    "DECOY_KINDS",
    "FORMS",
    "HOMOPHONES",
    "TRADITIONAL",
    "GeneratedFiles",
    "check_digit",
    "generate",
    "is_valid_id",
    "main",
    "to_legacy15",
]


@dataclass(frozen=True)
class GeneratedFiles:
    roll_files: list[Path]
    cremation_files: list[Path]
    truth_deceased: Path
    truth_decoys: Path
    vehicle_files: list[Path]
    property_files: list[Path]
    business_files: list[Path]
    employee_files: list[Path]
    poverty_files: list[Path]
    truth_warnings: Path  # the other rules' expected warnings (see hexiao_dev.sample.extracts)
    truth_negatives: Path  # their planted near-misses
    litter_files: list[Path]  # a shared folder's litter in the inbox: not data (only with as_sent)
    child_files: list[Path] = field(default_factory=list)  # release list, adoption register
    health_files: list[Path] = field(default_factory=list)  # settlements, 残联's register, incomes (`health`)
    income_files: list[Path] = field(default_factory=list)  # pensions, provident-fund contributions
    applicant_files: list[Path] = field(default_factory=list)  # `申请/…申请人名单.xlsx`: not in the inbox
    truth_applicants: Path | None = None  # per applicant member, 有/未发现 for each source column

    @property
    def all_files(self) -> list[Path]:
        """Every file written, data first, then litter, truth last."""
        data = [*self.roll_files, *self.cremation_files, *self.vehicle_files, *self.property_files]
        data += [*self.business_files, *self.employee_files, *self.poverty_files, *self.child_files]
        data += self.health_files
        data += self.income_files
        data += self.litter_files
        data += self.applicant_files
        truth = [self.truth_deceased, self.truth_decoys, self.truth_warnings, self.truth_negatives]
        return [*data, *truth, *([self.truth_applicants] if self.truth_applicants else [])]


def _build_world(households: int, month: int, seed: int) -> tuple[World, list[Death], list[Decoy]]:
    rng = random.Random(seed)
    w = World(rng, month, make_townships(rng))
    build_households(w, households)
    damage_household_ids(w)
    assign_special_names(w)
    assign_roll_ids(w)
    plant_roll_twins(w)
    assign_roll_names(w)
    deaths = plant_deaths(w)
    decoys = plant_decoys(w, deaths)
    return w, deaths, decoys


def generate(
    out_dir: Path, *, households: int = 2000, month: str = "2026-11", seed: int = 20261125, as_sent: bool = False
) -> GeneratedFiles:
    """Write rolls, cremation and the other extracts, and truth files for one month into out_dir (created if needed).

    ``as_sent`` adds three shapes of real office files (nothing else changes, the truth included):
    the shared folder's litter, the vehicle register as the traffic police's export (its file name
    and headers; otherwise named and headed as the contract spells it), and a roll sheet without a
    乡镇 column.
    """
    if households < 10:
        raise ValueError("households must be at least 10")
    month_index = parse_month(month)
    if month_index - 1 < EARLIEST_START:
        raise ValueError("month must be 2010-02 or later (support starts from 2010-01)")
    w, deaths, decoys = _build_world(households, month_index, seed)
    out_dir = Path(out_dir)
    truth_dir = out_dir / "truth"
    truth_dir.mkdir(parents=True, exist_ok=True)
    rolls = [
        out_dir / f"全县{ym_label(month_index)}城市低保花名册.csv",
        out_dir / "农村低保花名册.xlsx",
        out_dir / "特困供养花名册.csv",
    ]
    write_city_csv(w, rolls[0])
    write_rural_xlsx(w, rolls[1], as_sent)
    write_tekun_csv(w, rolls[2])
    crem = [out_dir / cremation_csv_name(month_index), out_dir / "火化数据补充.xlsx"]
    rows = sort_rows(death_rows(w, deaths) + [d.row for d in decoys], w)
    route_to_workbook(rows)
    write_cremation_csv(w, [r for r in rows if not r.to_xlsx], junk_rows(w), crem[0])
    write_cremation_xlsx(w, [r for r in rows if r.to_xlsx], crem[1])
    write_deceased_truth(w, deaths, decoys, (crem[0], crem[1], truth_dir))
    # The extracts draw from their own random stream, so everything above is the same without them.
    more = extend(w, seed, out_dir, truth_dir, as_sent, decoys)
    litter = write_litter(out_dir) if as_sent else []
    return GeneratedFiles(
        [*rolls, *more.roll_files],
        crem,
        truth_dir / "truth_deceased.csv",
        truth_dir / "truth_decoys.csv",
        more.vehicle_files,
        more.property_files,
        more.business_files,
        more.employee_files,
        more.poverty_files,
        more.truth_warnings,
        more.truth_negatives,
        litter,
        more.child_files,
        more.health_files,
        more.income_files,
        [more.applicant_file],
        more.truth_applicants,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m hexiao_dev.sample.generator",
        description="Write seeded sample rolls, cremation extracts and truth files.",
    )
    parser.add_argument("--out", type=Path, required=True, help="output directory (created if missing)")
    parser.add_argument("--households", type=int, default=2000, help="number of households (default 2000)")
    parser.add_argument("--month", default="2026-11", help="roll month YYYY-MM (default 2026-11)")
    parser.add_argument("--seed", type=int, default=20261125, help="random seed (default 20261125)")
    parser.add_argument(
        "--as-sent",
        action="store_true",
        help="also as offices send it: a shared folder's litter, the traffic police's vehicle export"
        " (机动车登记信息.csv), a roll sheet without its 乡镇 column",
    )
    args = parser.parse_args(argv)
    try:
        files = generate(args.out, households=args.households, month=args.month, seed=args.seed, as_sent=args.as_sent)
    except ValueError as exc:
        parser.error(str(exc))
    count = len(files.all_files)
    # A summary for the person at the terminal; stdout stays clean for pipelines.
    sys.stderr.write(f"wrote {count} files to {args.out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
