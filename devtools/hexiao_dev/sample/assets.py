"""The vehicle and property registers: roll members who own too much (VEHICLE, PROPERTY), their
near-misses, damaged IDs, and the crowd of people on no roll around them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from hexiao_dev.sample.dates import ym_label
from hexiao_dev.sample.people import COUNTY_NAME, VILLAGE_STEMS, Household, Person, quota
from hexiao_dev.sample.planting import (
    CHECK,
    Ctx,
    Who,
    any_town,
    damaged_stranger,
    day_since,
    fast_choice,
    fast_date_text,
    fast_light_id,
    fast_weighted,
    member_at,
    negative,
    of_age,
    pick,
    pick_households,
    stranger,
    warn,
    who_of,
    written_id,
    written_name,
)
from hexiao_dev.sample.writing import Text, csv_bytes, with_blank, write_xlsx

COUNTED_VEHICLES = ("小型普通客车", "小型轿车", "轻型普通货车", "重型半挂牵引车")
EXEMPT_VEHICLES = ("普通二轮摩托车", "三轮汽车", "低速货车", "拖拉机", "残疾人专用小型自动挡载客汽车")
ACTIVE_STATES, INACTIVE_STATES = ("正常", "逾期未检验"), ("注销", "报废", "转出")
RESIDENTIAL = ("住宅", "成套住宅")
NON_RESIDENTIAL = ("商业", "商服", "办公", "车库", "车位", "工业")

# The traffic police's export (车管所): 身份证明号码 for the ID, 号牌种类 before the plate.
POLICE_VEHICLE_HEADER = ("机动车所有人", "身份证明号码", "号牌种类", "号牌号码", "车辆类型", "使用性质", "机动车状态",
                         "初次登记日期")  # fmt: skip
# The same columns under the contract's own headers.
VEHICLE_HEADER = ("机动车所有人", "身份证号码", *POLICE_VEHICLE_HEADER[2:])
POLICE_VEHICLE_FILE = "机动车登记信息.csv"
_PLATE_KINDS = {"重型半挂牵引车": "大型汽车", "普通二轮摩托车": "普通摩托车", "三轮汽车": "低速车", "低速货车": "低速车",
                "拖拉机": "拖拉机"}  # fmt: skip
PROPERTY_HEADER = ("权利人", "权利人证件号码", "不动产权证号", "坐落", "建筑面积", "规划用途", "登记日期")

_VEHICLE_TYPES = COUNTED_VEHICLES + EXEMPT_VEHICLES
_VEHICLE_CUM = tuple(itertools.accumulate((40, 22, 8, 3, 14, 4, 3, 5, 1)))
_VEHICLE_STATES = ACTIVE_STATES + INACTIVE_STATES
_STATE_CUM = tuple(itertools.accumulate((76, 8, 6, 8, 2)))
_PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_FIRST_PLATE = dt.date(2005, 1, 1).toordinal()
_FIRST_DEED = dt.date(2015, 3, 1).toordinal()  # 不动产统一登记 since 2015


@dataclass(eq=False)
class Unit:
    cert: str
    location: str
    area: float
    use: str
    day: dt.date
    holders: list[tuple[str, str, bool]]  # (name as written, ID as written, ID in a number cell)


def _vehicle(c: Ctx, name: str, id_text: str, owner: dt.date, vtype: str, state: str) -> list[str]:
    rng = c.rng
    if "货" in vtype or "牵引" in vtype:
        use = "货运" if rng.random() < 0.7 else "非营运"
    elif vtype in ("小型普通客车", "小型轿车"):
        use = fast_weighted(rng, ("非营运", "营运", "出租客运"), (88, 94, 100))
    else:
        use = "非营运"
    plate = f"皖D{fast_choice(rng, _PLATE_LETTERS)}{int(rng.random() * 10000):04d}"
    lo = max(_FIRST_PLATE, owner.toordinal() + 6575)  # registered after 2005 and after the 18th birthday
    kind = _PLATE_KINDS.get(vtype, "小型汽车")
    return [name, id_text, kind, plate, vtype, use, state, fast_date_text(rng, day_since(c, lo))]


def plant_vehicles(c: Ctx) -> list[list[str]]:
    rng, rows = c.rng, []
    for p in pick(c, quota(c.n, 0.02, 3), of_age(c)):
        name, text = written_name(rng, p.name), written_id(rng, p.id18)
        rows.append(
            _vehicle(c, name, text, p.birth, fast_choice(rng, COUNTED_VEHICLES), fast_choice(rng, ACTIVE_STATES))
        )
        if rng.random() < 0.3:
            rows.append(_vehicle(c, name, text, p.birth, fast_choice(rng, EXEMPT_VEHICLES), "正常"))
        warn(c, "VEHICLE", who_of(p), member_at(c, p), CHECK, "中")
    for i, p in enumerate(pick(c, quota(c.n, 0.01, 2), of_age(c))):
        name, text = written_name(rng, p.name), written_id(rng, p.id18)
        if i % 2 == 0:
            for _ in range(rng.randint(1, 2)):
                rows.append(
                    _vehicle(c, name, text, p.birth, fast_choice(rng, EXEMPT_VEHICLES), fast_choice(rng, ACTIVE_STATES))
                )
            negative(c, "VEHICLE", who_of(p), "only exempt vehicle types (摩托/三轮汽车/低速货车/拖拉机/残疾人专用)")
        else:
            rows.append(
                _vehicle(c, name, text, p.birth, fast_choice(rng, COUNTED_VEHICLES), fast_choice(rng, INACTIVE_STATES))
            )
            negative(c, "VEHICLE", who_of(p), "only vehicles 注销/报废/转出")
    years = (1950, c.w.month // 12 - 19)
    for kind in ("sci", "numeric") * quota(c.n, 0.001, 1):
        who, text = damaged_stranger(c, years, kind)
        rows.append(_vehicle(c, who.name, text, who.birth, fast_choice(rng, COUNTED_VEHICLES), "正常"))
    while len(rows) < 3 * c.n:
        who = stranger(c, years)
        text, birth = fast_light_id(rng, who.id18), who.birth
        for _ in range(int(fast_weighted(rng, "123", (70, 92, 100)))):  # a car, often a motorcycle too
            vtype = fast_weighted(rng, _VEHICLE_TYPES, _VEHICLE_CUM)
            state = fast_weighted(rng, _VEHICLE_STATES, _STATE_CUM)
            rows.append(_vehicle(c, who.name, text, birth, vtype, state))
    rng.shuffle(rows)
    return rows


def write_vehicles(c: Ctx, rows: list[list[str]], path: Path, police_headers: bool) -> None:
    """GB18030, a bare title line above the header, a blank row; the police export's headers or the contract's."""
    title = [f"{COUNTY_NAME}机动车登记信息（截至{ym_label(c.w.month)}）"]
    header = POLICE_VEHICLE_HEADER if police_headers else VEHICLE_HEADER
    path.write_bytes(csv_bytes([title, list(header), *with_blank(rows, 0.4)], "gb18030"))


def _location(c: Ctx, use: str) -> str:
    rng = c.rng
    town = any_town(c)
    stem, no = fast_choice(rng, VILLAGE_STEMS), 1 + int(rng.random() * 300)
    place = f"{COUNTY_NAME}{town.name}{stem}"
    if use in RESIDENTIAL:
        if not town.urban and rng.random() < 0.5:
            return f"{COUNTY_NAME}{town.name}{fast_choice(rng, town.villages)}{no}号"
        building, unit, floor = 1 + int(rng.random() * 30), 1 + int(rng.random() * 4), 1 + int(rng.random() * 18)
        return f"{place}小区{building}栋{unit}单元{floor}0{1 + int(rng.random() * 4)}室"
    if use in ("车库", "车位"):
        return f"{place}小区地下{use}{fast_choice(rng, 'ABC')}-{no:03d}"
    if use == "工业":
        return f"{COUNTY_NAME}经济开发区{stem}路{no}号厂房"
    if use == "办公":
        return f"{place}大厦{1 + int(rng.random() * 20)}0{1 + int(rng.random() * 9)}室"
    return f"{place}路{no}号商铺"


_AREA_RANGES = {"车库": (15, 40), "车位": (12, 35), "商业": (20, 300), "商服": (20, 200), "办公": (40, 200),
                "工业": (300, 3000)}  # fmt: skip


def _unit(c: Ctx, use: str, holders: Sequence[tuple[str, str, bool]]) -> Unit:
    rng = c.rng
    day = day_since(c, _FIRST_DEED)
    c.counters["cert"] += 1 + int(rng.random() * 7)
    cert = f"皖({day.year}){COUNTY_NAME}不动产权第{c.counters['cert']:07d}号"
    lo, hi = _AREA_RANGES.get(use, (45, 160))
    return Unit(cert, _location(c, use), round(lo + rng.random() * (hi - lo), 2), use, day, list(holders))


def _holder(c: Ctx, who: Who) -> tuple[str, str, bool]:
    return written_name(c.rng, who.name), written_id(c.rng, who.id18), False


def _couple(hh: Household) -> list[Person]:
    """Head and spouse, both with usable IDs; empty when the household has no such pair."""
    spouse = [m for m in hh.members[1:] if m.relation == "配偶"]
    pair = [hh.members[0], *spouse[:1]]
    return pair if len(pair) == 2 and all(m.usable_id for m in pair) else []


def _owners(c: Ctx, hh: Household) -> list[Person]:
    old = of_age(c)
    return [m for m in hh.members if m.usable_id and old(m)]


_COUPLE_VARIANTS = ("couple_and_parking", "co_owned")
_ONE_HOLDER_VARIANTS = ("two_homes", "non_residential", "one_home")


def _need(c: Ctx, variant: str) -> Callable[[Household], bool]:
    if variant == "two_holders":
        return lambda hh: len(_owners(c, hh)) >= 2
    if variant in _COUPLE_VARIANTS:
        return lambda hh: bool(_couple(hh))
    return lambda hh: bool(_owners(c, hh))


def _plant_holdings(c: Ctx, units: list[Unit]) -> None:
    """Households over the limit (each holding member warned) and households exactly at it (negatives)."""
    rng, per = c.rng, quota(len(c.w.households), 0.003, 1)
    for variant in ("two_homes", "two_holders", "couple_and_parking", "non_residential", "one_home", "co_owned"):
        for hh in pick_households(c, per, _need(c, variant)):
            owners = _couple(hh) if variant in _COUPLE_VARIANTS else _owners(c, hh)[:2]
            if variant in _ONE_HOLDER_VARIANTS:
                owners = owners[:1]
            if variant == "two_homes":
                units += [_unit(c, fast_choice(rng, RESIDENTIAL), [_holder(c, who_of(owners[0]))]) for _ in range(2)]
            elif variant == "two_holders":
                units += [_unit(c, fast_choice(rng, RESIDENTIAL), [_holder(c, who_of(m))]) for m in owners]
            elif variant == "non_residential":
                units.append(_unit(c, rng.choice(("商业", "商服", "办公", "工业")), [_holder(c, who_of(owners[0]))]))
            elif variant == "one_home":
                units.append(_unit(c, fast_choice(rng, RESIDENTIAL), [_holder(c, who_of(owners[0]))]))
            else:  # the couple on one certificate: two rows, one unit
                units.append(_unit(c, fast_choice(rng, RESIDENTIAL), [_holder(c, who_of(m)) for m in owners]))
                if variant == "couple_and_parking":
                    units.append(_unit(c, rng.choice(("车库", "车位")), [_holder(c, who_of(owners[1]))]))
            for m in owners:
                if variant in ("one_home", "co_owned"):
                    negative(c, "PROPERTY", who_of(m), f"household holds exactly one residential unit ({variant})")
                else:
                    warn(c, "PROPERTY", who_of(m), member_at(c, m), CHECK, "中")


def plant_properties(c: Ctx) -> list[Unit]:
    rng, units = c.rng, list[Unit]()
    _plant_holdings(c, units)
    years = (1940, c.w.month // 12 - 22)
    for kind in ("sci", "numeric") * quota(c.n, 0.0005, 1):
        who, text = damaged_stranger(c, years, kind)
        units.append(_unit(c, fast_choice(rng, RESIDENTIAL), [(who.name, text, kind == "numeric")]))
    rows = sum(len(u.holders) for u in units)
    while rows < 2 * c.n:
        who = stranger(c, years)
        holders = [_holder(c, who)]
        roll = rng.random()
        if roll < 0.3:  # a married couple on one certificate: one unit, two rows
            holders.append(_holder(c, stranger(c, years, male=not who.male)))
        new = [_unit(c, fast_choice(rng, RESIDENTIAL), holders)]
        if 0.6 < roll < 0.75:
            new.append(_unit(c, fast_choice(rng, RESIDENTIAL), holders[:1]))
        elif roll >= 0.75:
            new.append(_unit(c, fast_choice(rng, NON_RESIDENTIAL), holders[:1]))
        units += new
        rows += sum(len(u.holders) for u in new)
    return sorted(units, key=lambda u: u.day)  # extracts come by 登记日期 (a stable sort)


def write_property(c: Ctx, units: list[Unit], path: Path) -> None:
    """Header in the first row, text ID cells (a few Excel-damaged numbers), a blank row, mixed dates."""
    rng = c.rng
    rows: list[Sequence[str | float | dt.date] | None] = [PROPERTY_HEADER]
    for i, unit in enumerate(units):
        if i == len(units) // 2:
            rows.append(None)  # a blank row where two exports were pasted together
        for name, id_text, numeric in unit.holders:
            area: str | float = unit.area if rng.random() < 0.7 else f"{unit.area:.2f}"
            day: str | dt.date = unit.day if rng.random() < 0.4 else fast_date_text(rng, unit.day)
            cert = Text(unit.cert)
            rows.append((name, float(id_text) if numeric else Text(id_text), cert, unit.location, area, unit.use, day))
    write_xlsx(path, "不动产登记信息", rows, c.w.month)
