"""The ground-truth files under ``truth/``: planted deaths and cremation decoys (see the generator's
docstring for their semantics), and the other rules' expected warnings and planted near-misses.
"""

from __future__ import annotations

from pathlib import Path

from hexiao_dev.sample.dates import month_of, month_text
from hexiao_dev.sample.deaths import STRONG_FORMS, Death, Decoy
from hexiao_dev.sample.people import KEY_NONE, Person, World
from hexiao_dev.sample.writing import csv_bytes

TRUTH_DECEASED_HEADER = (
    "id_number",
    "roll_id_raw",
    "name",
    "township",
    "household_id",
    "household_size",
    "is_head",
    "program",
    "monthly_amount",
    "start_month",
    "death_date",
    "form",
    "expected_action",
    "expected_effective_month",
    "expected_overpayment",
    "household_key",
)
TRUTH_DECOYS_HEADER = ("cremation_file", "name", "id_raw", "kind")

# The rules the extracts and the rolls' damage plant for, in the order truth_warnings.csv lists them.
CODES = ("VEHICLE", "PROPERTY", "BUSINESS", "PUBLIC_EMPLOYEE", "DUPLICATE", "AGE_OUT", "AGE_INVALID", "OMISSION",
         "BAD_ID", "BAD_HOUSEHOLD", "GUARDIAN_RETURNED", "ADOPTED",
         "INCOME", "GRADUAL_EXIT")  # fmt: skip
# Roll ID states that leave an ID no check can trust (BAD_ID); the others normalise to the true ID.
DAMAGED_ID_STATES = ("roll_typo", "sci", "xlsx_numeric")
TRUTH_WARNINGS_HEADER = ("code", "id_number", "name", "township", "household_id", "program", "expected_action",
                         "expected_risk", "expected_effective_month")  # fmt: skip
TRUTH_NEGATIVES_HEADER = ("code", "id_number", "name", "why")


def _tenths_text(tenths: int) -> str:
    return f"{tenths // 10}.{tenths % 10}"


def _overpayment(month: int, effective: int, start: int, amount: int) -> int:
    """Months already paid from the effective month (and not before the start) up to month-1."""
    months = max(0, month - max(effective, start))
    return months * amount


def _expected_action(household_size: int, form: str, key: str) -> str:
    # Without a sound household key the household's size is unknown: only a visit can decide.
    if form not in STRONG_FORMS or key == KEY_NONE:
        return "入户核查"
    return "停发" if household_size == 1 else "减发"


def _truth_deceased_row(w: World, d: Death) -> list[str]:
    p, hh = d.person, d.person.household
    effective = month_of(d.death) + 1
    return [
        p.id18,
        p.roll_id_raw,
        p.name,
        w.townships[hh.township].name,
        hh.hid,
        str(len(hh.members)),
        "1" if hh.members[0] is p else "0",
        hh.program,
        _tenths_text(p.amount),
        month_text(hh.start),
        d.death.isoformat(),
        d.form,
        _expected_action(len(hh.members), d.form, hh.key),
        month_text(effective),
        _tenths_text(_overpayment(w.month, effective, hh.start, p.amount)),
        hh.key,
    ]


def write_deceased_truth(w: World, deaths: list[Death], decoys: list[Decoy], files: tuple[Path, Path, Path]) -> None:
    csv_path, xlsx_path, truth_dir = files
    rows = sorted((_truth_deceased_row(w, d) for d in deaths), key=lambda r: r[0])
    (truth_dir / "truth_deceased.csv").write_bytes(csv_bytes([list(TRUTH_DECEASED_HEADER), *rows], "utf-8"))
    decoy_rows = [list(TRUTH_DECOYS_HEADER)]
    for decoy in decoys:
        file_name = (xlsx_path if decoy.row.to_xlsx else csv_path).name
        decoy_rows.append([file_name, decoy.row.name, decoy.row.id_raw, decoy.kind])
    (truth_dir / "truth_decoys.csv").write_bytes(csv_bytes(decoy_rows, "utf-8"))


def _shown_id(p: Person) -> str:
    """The roll's ID as hexiao normalises it: the true ID, or the damaged value, which is all there is."""
    return p.id18 if p.usable_id else p.roll_id_raw


def roll_damage_truth(w: World) -> tuple[list[list[str]], list[list[str]]]:
    """BAD_ID for every main-roll row whose ID is invalid or Excel-damaged (a numeric cell whatever
    its check digit), BAD_HOUSEHOLD for every household whose 户编号 a spreadsheet damaged, on its
    head's row; negatives: IDs written sloppily that still normalise to a valid ID.

    For these two codes ``id_number`` is the ID as the roll gives it, normalised (``_shown_id``).
    """
    truth: list[list[str]] = []
    negatives: list[list[str]] = []
    sloppy: set[str] = set()
    for p in w.persons:
        hh = p.household
        where = [w.townships[hh.township].name, hh.hid, hh.program]
        if p.id_state in DAMAGED_ID_STATES:
            truth.append(["BAD_ID", _shown_id(p), p.name, *where, "数据更正", "低", ""])
        elif p.id_state != "clean" and p.id_state not in sloppy:
            sloppy.add(p.id_state)
            negatives.append(["BAD_ID", p.id18, p.name, f"roll ID written {p.id_state}: normalises to a valid ID"])
        if hh.hid_damage and p is hh.members[0]:
            truth.append(["BAD_HOUSEHOLD", _shown_id(p), p.name, *where, "数据更正", "", ""])
    return truth, negatives


def write_rule_truth(truth: list[list[str]], negatives: list[list[str]], truth_dir: Path) -> tuple[Path, Path]:
    """truth_warnings.csv and truth_negatives.csv, by rule (CODES order), then ID."""

    def key(row: list[str]) -> tuple[int, list[str]]:
        return CODES.index(row[0]), row[1:]

    warnings_path, negatives_path = truth_dir / "truth_warnings.csv", truth_dir / "truth_negatives.csv"
    warnings_path.write_bytes(csv_bytes([list(TRUTH_WARNINGS_HEADER), *sorted(truth, key=key)], "utf-8"))
    negatives_path.write_bytes(csv_bytes([list(TRUTH_NEGATIVES_HEADER), *sorted(negatives, key=key)], "utf-8"))
    return warnings_path, negatives_path
