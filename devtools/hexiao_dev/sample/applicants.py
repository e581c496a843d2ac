"""An applicant list for the intake check (`hexiao check`): ``申请/<Y>年<M>月低保申请人名单.xlsx``, in a
sub-directory so the monthly inbox never takes it for a roll, and ``truth/truth_applicants.csv``.

The applicants are people the extracts already hold, chosen after everything else is planted and
drawn from a stream of their own, so no other file changes: strangers the cremation decoys say died
(火化), who own a counted vehicle, hold a second home or a shop, run an open business, are on the
public payroll, draw a pension above the standard (收入); roll members applying again (在保); and
fresh people nobody holds (clean). Each has near-misses from the same registers: only exempt
vehicle types, exactly one home, only 注销/吊销 entities, a pension under the line, and namesakes
(another ID, another birth date) of a dead person, a payroll member and a roll member.

The truth gives, per applicant member, 有 or 未发现 for each source column of the report. Applicant
households are whole: a planted applicant may bring clean members, and the income line is the
programme's standard times the household's size.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from hexiao_dev.sample.assets import ACTIVE_STATES, COUNTED_VEHICLES, EXEMPT_VEHICLES, RESIDENTIAL, Unit
from hexiao_dev.sample.dates import ym_label
from hexiao_dev.sample.deaths import Decoy
from hexiao_dev.sample.employment import OPEN_STATES
from hexiao_dev.sample.ids import is_valid_id
from hexiao_dev.sample.income import STANDARD, Registers
from hexiao_dev.sample.people import CITY, COUNTY_NAME, KEY_NONE, RURAL, World, quota
from hexiao_dev.sample.planting import Ctx, Who, far, stranger, who_of
from hexiao_dev.sample.writing import csv_bytes, new_workbook

APPLICANT_DIR = "申请"
SOURCES = ("火化", "车辆", "不动产", "工商", "财政供养", "在保", "收入")
FOUND, NONE = "有", "未发现"
HEADER = ("乡镇", "村", "户编号", "户主姓名", "户主身份证号", "姓名", "身份证号", "与户主关系", "保障类别")
TRUTH_HEADER = ("id_number", "name", "township", "household_id", "program", "case", *SOURCES)
_MARGIN = 50  # 元: a pension this far from the line on either side is plainly above or below it
_RELATIONS = ("配偶", "子女", "父母")
SAME, OTHER = "在保：申请同一保障类别", "在保：申请另一保障类别"


@dataclass(frozen=True)
class Held:
    """What the planted extracts hold of the people on no roll, by their true ID."""

    dead: list[Who]
    vehicles: dict[str, list[tuple[str, str]]]  # (type, state)
    units: dict[str, list[str]]  # uses of the units held
    businesses: dict[str, list[str]]  # statuses
    payroll: dict[str, str]  # ID -> name
    pensions: dict[str, tuple[str, float]]  # ID -> (name, monthly amount)
    names: dict[str, str]  # ID -> the name a register gives


@dataclass(frozen=True)
class Member:
    who: Who
    case: str
    found: tuple[str, ...] = ()  # the source columns that must read 有


def sound_id(text: str) -> str | None:
    """The true ID of an ID written lightly dirty (spaces, tab, apostrophe, lower-case x), else None."""
    cleaned = re.sub(r"[\s']", "", text).upper()
    return cleaned if is_valid_id(cleaned) else None


def registers(
    w: World,
    decoys: Sequence[Decoy],
    vehicles: Iterable[Sequence[str]],
    units: Iterable[Unit],
    businesses: Iterable[Sequence[str]],
    payroll: Iterable[tuple[str, str, str, str, bool]],
    income: Registers,
) -> Held:
    """The strangers of each register (IDs on a roll left out), as the rules will read them."""
    on_roll = {p.id18 for p in w.persons}
    dead = [Who(d.row.name, i, bool(d.row.male)) for d in decoys if d.kind == "not_on_roll"
            for i in [sound_id(d.row.id_raw)] if i]  # fmt: skip
    names: dict[str, str] = {}
    cars: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in vehicles:
        if (i := sound_id(row[1])) and i not in on_roll:
            cars[i].append((row[4], row[6]))
            names[i] = row[0]
    held: dict[str, list[str]] = defaultdict(list)
    for unit in units:
        for name, text, numeric in unit.holders:
            if not numeric and (i := sound_id(text)) and i not in on_roll:
                held[i].append(unit.use)
                names[i] = name
    firms: dict[str, list[str]] = defaultdict(list)
    for row in businesses:
        if (i := sound_id(row[1])) and i not in on_roll:
            firms[i].append(row[5])
            names[i] = row[0]
    staff = {
        i: name for name, text, _, _, numeric in payroll if not numeric and (i := sound_id(text)) and i not in on_roll
    }
    pensions = {i: (name, amount) for name, i, _, _, amount, _ in income.pensions if i not in on_roll}
    names |= staff | {i: name for i, (name, _) in pensions.items()}
    return Held(dead, dict(cars), dict(held), dict(firms), staff, pensions, names)


def plant_applicants(c: Ctx, seed: int, r: Held) -> list[list[Member]]:
    """The applicant households, each a list of members (the head first)."""
    c = replace(c, rng=random.Random(f"{seed}/applicants"))
    rng = c.rng
    per_case = quota(c.n, 0.001, 2)  # applicants planted per case (fewer where the registers hold fewer)
    elsewhere = _held_anywhere(r)

    def only(ids: Iterable[str]) -> list[str]:
        """IDs no other register holds, in a fixed order, shuffled by the stream."""
        out = sorted(i for i in ids if elsewhere[i] == 1)
        rng.shuffle(out)
        return out[:per_case]

    cars = r.vehicles
    counted = only(i for i, v in cars.items() if any(t in COUNTED_VEHICLES and s in ACTIVE_STATES for t, s in v))
    exempt = only(i for i, v in cars.items() if all(t in EXEMPT_VEHICLES for t, _ in v))
    units = r.units
    homes = only(i for i, u in units.items() if len(u) > 1 or any(x not in RESIDENTIAL for x in u))
    one_home = only(i for i, u in units.items() if len(u) == 1 and u[0] in RESIDENTIAL)
    open_firm = only(i for i, s in r.businesses.items() if any(x in OPEN_STATES for x in s))
    closed = only(i for i, s in r.businesses.items() if not any(x in OPEN_STATES for x in s))
    staff = only(r.payroll)
    line = STANDARD[RURAL]  # the applicants on a pension live alone and apply for 农村低保
    rich = only(i for i, (_, a) in r.pensions.items() if a > line + _MARGIN)
    poor = only(i for i, (_, a) in r.pensions.items() if a < line - _MARGIN)
    dead = sorted((who for who in r.dead if elsewhere[who.id18] == 1), key=lambda who: who.id18)
    rng.shuffle(dead)

    years = (1950, c.w.month // 12 - 22)

    def known(i: str, case: str, found: tuple[str, ...] = ()) -> Member:
        # The ID says the sex; the name is the one the register gives (a register's spacing dropped).
        return Member(Who(r.names[i].replace(" ", ""), i, int(i[16]) % 2 == 1), case, found)

    households: list[list[Member]] = []
    households += [[Member(who, "火化", ("火化",))] for who in dead[:per_case]]
    households += [[known(i, "车辆", ("车辆",))] for i in counted]
    households += [[known(i, "车辆：只有豁免车型")] for i in exempt]
    households += [[known(i, "不动产", ("不动产",))] for i in homes]
    households += [[known(i, "不动产：只有一套住宅")] for i in one_home]
    households += [[known(i, "工商", ("工商",))] for i in open_firm]
    households += [[known(i, "工商：只有注销或吊销的主体")] for i in closed]
    households += [[known(i, "财政供养", ("财政供养",))] for i in staff]
    households += [[known(i, "收入", ("收入",))] for i in rich]
    households += [[known(i, "收入：养老金低于标准")] for i in poor]
    households += [[Member(_namesake(c, years, who), "火化：同名不同人")] for who in dead[per_case:][:1]]
    households += [[Member(_namesake(c, years, Who(n, i, True)), "财政供养：同名不同人")]
                   for i, n in sorted(r.payroll.items())[:1]]  # fmt: skip
    households += _on_roll(c)
    households += [[Member(stranger(c, years), "无发现")] for _ in range(per_case)]
    # Some come with their family, members the registers do not hold; a pensioner lives alone,
    # so that the line is the standard for one.
    for hh in households:
        for _ in range(0 if hh[0].case.startswith("收入") else rng.choice((0, 0, 1, 2))):
            hh.append(Member(stranger(c, years), "家庭成员：无发现"))
    return households


def _namesake(c: Ctx, years: tuple[int, int], who: Who) -> Who:
    """Somebody else of the same name: another ID, far from the first, another birth date."""
    other = stranger(c, years)
    while other.birth == who.birth or not far(other.id18, who.id18):
        other = stranger(c, years)
    return Who(who.name, other.id18, other.male)


def _held_anywhere(r: Held) -> defaultdict[str, int]:
    """In how many registers each ID is held: an applicant planted for one source is held by no other."""
    count: defaultdict[str, int] = defaultdict(int)
    for ids in (r.vehicles, r.units, r.businesses, r.payroll, r.pensions, {w.id18 for w in r.dead}):
        for i in ids:
            count[i] += 1
    return count


def _on_roll(c: Ctx) -> list[list[Member]]:
    """Roll members nobody planted anything on (no death, decoy or register role), one applying for
    the programme that pays them, one for another; and a namesake of a roll member."""
    free = [p for p in c.w.persons if p.pid not in c.w.taken and p.usable_id and p.household.key != KEY_NONE]
    chosen = c.rng.sample(free, min(len(free), 3))
    out = [[Member(who_of(p), case, ("在保",))] for p, case in zip(chosen, (SAME, OTHER), strict=False)]
    for p in chosen[2:]:
        out.append([Member(_namesake(c, (1950, c.w.month // 12 - 22), who_of(p)), "在保：同名不同人")])
    return out


def _program(c: Ctx, hh: list[Member], on_roll: dict[str, str]) -> str:
    """The programme applied for: 农村低保 for a pensioner; a roll member's own or another."""
    if hh[0].case.startswith("收入"):
        return RURAL
    held = on_roll.get(hh[0].who.id18)
    if held is not None and hh[0].case == SAME:
        return held
    if held is not None:
        return CITY if held != CITY else RURAL
    return c.rng.choice((RURAL, RURAL, CITY))


def write_applicants(c: Ctx, seed: int, households: list[list[Member]], out_dir: Path, truth_dir: Path) -> Path:
    """The list (one sheet per township under a merged title) and its truth."""
    rng = random.Random(f"{seed}/applicants-writing")
    on_roll = {p.id18: p.household.program for p in c.w.persons}
    rows: dict[int, list[list[str]]] = defaultdict(list)
    truth: list[list[str]] = []
    for n, hh in enumerate(households, start=1):
        town = rng.randrange(len(c.w.townships))
        township = c.w.townships[town]
        village = township.villages[rng.randrange(len(township.villages))]
        program = _program(c, hh, on_roll)
        hid = f"SQ{ym_label(c.w.month)[:4]}{n:04d}"
        head = hh[0].who
        for k, m in enumerate(hh):
            relation = "户主" if k == 0 else rng.choice(_RELATIONS)
            rows[town].append(
                [township.name, village, hid, head.name, head.id18, m.who.name, m.who.id18, relation, program]
            )
            marks = [FOUND if s in m.found else NONE for s in SOURCES]
            truth.append([m.who.id18, m.who.name, township.name, hid, program, m.case, *marks])
    directory = out_dir / APPLICANT_DIR
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{ym_label(c.w.month + 1)}低保申请人名单.xlsx"
    workbook = new_workbook(path, c.w.month)
    bold = workbook.add_format({"bold": True, "align": "center"})
    text = workbook.add_format({"num_format": "@"})
    for town in sorted(rows):
        name = c.w.townships[town].name
        sheet = workbook.add_worksheet(name)
        sheet.merge_range(0, 0, 0, len(HEADER) - 1, f"{COUNTY_NAME}{name}低保申请人名单", bold)
        sheet.write_row(1, 0, HEADER, bold)
        for r, row in enumerate(rows[town], start=2):
            for col, value in enumerate(row):
                sheet.write_string(r, col, value, text)
    workbook.close()
    truth.sort(key=lambda row: row[0])
    (truth_dir / "truth_applicants.csv").write_bytes(csv_bytes([list(TRUTH_HEADER), *truth], "utf-8"))
    return path


__all__ = ["APPLICANT_DIR", "SOURCES", "plant_applicants", "registers", "write_applicants"]
