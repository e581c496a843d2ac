"""The other departments' extracts, the roll rows the roll-only rules need, and their truth.

``generator.generate`` calls ``extend`` after it has written the rolls and cremation extracts. Every
random draw here comes from a second ``random.Random`` seeded from the seed, so those files stay
byte-identical to what the generator wrote before these extracts existed.

Files (each name carries the word hexiao tells the kind by):

* rolls: ``孤儿和事实无人抚养儿童花名册.csv`` (AGE_OUT, DUPLICATE), ``高龄津贴花名册.csv`` (AGE_INVALID) and
  ``<Y>年<M>月新增保障对象花名册.csv`` (new households; some repeat somebody already paid: DUPLICATE);
* extracts: ``<Y>年<M>月车辆登记信息.csv`` (``机动车登记信息.csv``, the police's export, with
  ``as_sent``), ``不动产登记信息.xlsx``, ``市场主体登记信息.csv``,
  ``财政供养人员名单.xlsx``, ``防返贫监测对象名单.csv``, and (``children``) ``<Y>年<M>月刑满释放人员名单.xlsx``,
  ``收养登记信息.csv``; the children's roll carries the parent columns.

``truth/truth_warnings.csv`` holds one row per expected warning of VEHICLE, PROPERTY, BUSINESS,
PUBLIC_EMPLOYEE, DUPLICATE, AGE_OUT, AGE_INVALID and OMISSION, and of BAD_ID and BAD_HOUSEHOLD for
the main rolls' damage (``truth.roll_damage_truth``); ``truth/truth_negatives.csv`` the
planted near-misses that must raise no warning of their code. AGE_OUT also covers 特困 members who
joined as minors (hexiao's ``age_out.minor_programs``): the 特困 roll has such people already.

Planted roles are disjoint: a roll member takes at most one (never a planted death or a cremation
decoy), and only same-normalised-ID links are planted. People on no roll get fresh IDs whose first
15 digits differ from every roll ID, and names no roll member with a damaged ID carries, so no
fuzzy method can tie them to a roll member.

Last, ``applicants`` chooses an applicant list among the people these files hold (and the
cremation decoys on no roll) and writes it, with ``truth/truth_applicants.csv``, in ``申请/``.

This module orchestrates them (``extend``): ``planting`` holds the shared context and the people,
and ``extra_rolls``, ``assets`` (vehicles, property), ``employment`` (business, payroll) and
``poverty`` each plant their cases and write their files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hexiao_dev.sample.applicants import plant_applicants, registers, write_applicants
from hexiao_dev.sample.assets import (
    POLICE_VEHICLE_FILE,
    plant_properties,
    plant_vehicles,
    write_property,
    write_vehicles,
)
from hexiao_dev.sample.children import PARENT_HEADER, plant_children, write_children
from hexiao_dev.sample.dates import ym_label
from hexiao_dev.sample.deaths import Decoy
from hexiao_dev.sample.employment import (
    STAFF_CATEGORIES,
    plant_businesses,
    plant_payroll,
    write_businesses,
    write_payroll,
)
from hexiao_dev.sample.extra_rolls import plant_rolls, write_rolls
from hexiao_dev.sample.health import add_health
from hexiao_dev.sample.income import PENSION_FILE, PROVIDENT_FILE, income_settings, plant_income, write_income
from hexiao_dev.sample.people import World
from hexiao_dev.sample.planting import new_ctx
from hexiao_dev.sample.poverty import MONITORED, plant_poverty, write_poverty
from hexiao_dev.sample.settings import write_rule_settings
from hexiao_dev.sample.truth import CODES, roll_damage_truth, write_rule_truth

__all__ = ["CODES", "MONITORED", "STAFF_CATEGORIES", "Extras", "extend"]


@dataclass(frozen=True)
class Extras:
    roll_files: list[Path]
    vehicle_files: list[Path]
    property_files: list[Path]
    business_files: list[Path]
    employee_files: list[Path]
    poverty_files: list[Path]
    truth_warnings: Path
    truth_negatives: Path
    child_files: list[Path]  # the release list and the adoption register (`children`)
    health_files: list[Path]  # medical settlements, 残联's register and the incomes that clear it (`health`)
    income_files: list[Path]  # pensions paid, provident-fund contributions (`income`)
    applicant_file: Path  # the intake check's applicant list, in a sub-directory (`applicants`)
    truth_applicants: Path


def extend(
    w: World, seed: int, out_dir: Path, truth_dir: Path, as_sent: bool = False, decoys: Sequence[Decoy] = ()
) -> Extras:
    """Plant and write the extra rolls, the five extracts and their truth (after the generator's own files).

    With ``as_sent`` the vehicle register is the traffic police's export (``机动车登记信息.csv``, its
    own headers); otherwise it is named and headed as the contract spells it.
    """
    crem_taken = set(w.taken)
    c = new_ctx(w, seed)  # the generator's own random stream is left where it was
    rows = plant_rolls(c)
    units = plant_properties(c)
    vehicles = plant_vehicles(c)
    business = plant_businesses(c)
    payroll = plant_payroll(c)
    poverty = plant_poverty(c, crem_taken)
    kids = plant_children(c, seed)  # last, from its own stream: the files above stay as they were

    label = ym_label(w.month)
    rolls = [
        out_dir / "孤儿和事实无人抚养儿童花名册.csv",
        out_dir / "高龄津贴花名册.csv",
        out_dir / f"{label}新增保障对象花名册.csv",
    ]
    write_rolls(c, rows, rolls, PARENT_HEADER, kids.rows)
    vehicle_file = POLICE_VEHICLE_FILE if as_sent else f"{label}车辆登记信息.csv"
    files = [out_dir / vehicle_file, out_dir / "不动产登记信息.xlsx", out_dir / "市场主体登记信息.csv",
             out_dir / "财政供养人员名单.xlsx", out_dir / "防返贫监测对象名单.csv"]  # fmt: skip
    write_vehicles(c, vehicles, files[0], police_headers=as_sent)
    write_property(c, units, files[1])
    write_businesses(business, files[2])
    write_payroll(c, payroll, files[3])
    write_poverty(c, poverty, files[4])
    child_files = list(write_children(c, kids, out_dir))
    health = add_health(c, seed, out_dir)  # its own random stream: the files above stay as they were
    # Planted last, from a stream of its own: every file above stays as it was.
    income_files = [out_dir / PENSION_FILE, out_dir / PROVIDENT_FILE]
    income = plant_income(c, seed)
    write_income(c, seed, income, *income_files)
    write_rule_settings(out_dir, "income", income_settings())
    # The applicants are people the files above hold (the cremation decoys on no roll among them),
    # chosen from a stream of their own: no file above changes.
    held = registers(w, decoys, vehicles, units, business, payroll, income)
    applicant_file = write_applicants(c, seed, plant_applicants(c, seed, held), out_dir, truth_dir)
    damage, clean = roll_damage_truth(w)
    warnings, negatives = write_rule_truth(c.truth + damage, c.negatives + clean, truth_dir)
    return Extras(
        rolls,
        [files[0]],
        [files[1]],
        [files[2]],
        [files[3]],
        [files[4]],
        warnings,
        negatives,
        child_files,
        health,
        income_files,
        applicant_file,
        truth_dir / "truth_applicants.csv",
    )
