"""The roll population: the county and its townships, the households on the three main programmes,
their members with their IDs and amounts, and the helpers that pick people for a role.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from hexiao_dev.sample.dates import EARLIEST_START, random_birth
from hexiao_dev.sample.ids import birth_of, check_digit
from hexiao_dev.sample.names import given_name, random_surname

COUNTY_CODE = "340421"
COUNTY_NAME = "凤台县"
OTHER_COUNTY_CODE = "340422"
OTHER_COUNTY_NAME = "寿县"

CITY = "城市低保"
RURAL = "农村低保"
TEKUN = "特困供养"

# (name, urban): urban townships mostly pay 城市低保 and have 社区 rather than 村.
TOWNSHIP_POOL = (
    ("城关镇", True),
    ("东城街道", True),
    ("西城街道", True),
    ("双桥镇", False),
    ("李集乡", False),
    ("新集镇", False),
    ("朱马店镇", False),
    ("岳张集镇", False),
    ("顾桥镇", False),
    ("毛集镇", False),
    ("桂集镇", False),
    ("刘集乡", False),
    ("大兴集乡", False),
    ("钱庙乡", False),
    ("丁集镇", False),
    ("杨村镇", False),
)
VILLAGE_STEMS = (
    "新华 建设 红旗 胜利 光明 幸福 和平 团结 前进 东风 王庄 李庄 张湾 刘圩 陈岗 杨店 黄桥 赵楼 周寨 吴集 "
    "孙台 马店 朱湖 胡岗 郭圩 何庄 高塘 罗湖 双庙 三里 五星 八里 东湖 西湖 南岗 北圩 河口 桥头 大李 小张 "
    "柳林 杏花 桃园 清河 永安 永丰 兴隆 太平 金山 银河 凤凰 淮河 沿淮 古城 新庄 老庄"
).split()

# Roll ID states: how the roll writes a person's ID. Only the first group can be matched on ID.
USABLE_STATES = ("clean", "spaces", "apostrophe", "lowerx", "fullwidth", "legacy15")

# How a roll's 户编号 can be damaged (the 16-digit number loses digits beyond the 15th): an XLSX
# numeric cell (3404210050040003 stored as 3404210050040000), or a CSV re-saved by Excel (3.40421E+15).
NUMERIC_CELL, SCI_TEXT = "numeric_cell", "sci_text"
# What tells a household apart (issue 14): its 户编号, else its head's sound ID, else nothing.
KEY_HID, KEY_HEAD_ID, KEY_NONE = "户编号", "户主身份证号", "无"


@dataclass(frozen=True)
class Township:
    name: str
    villages: tuple[str, ...]
    urban: bool


@dataclass(eq=False)
class Household:
    township: int
    village: int
    program: str
    level: str
    start: int  # month index y*12+m-1
    order: int  # creation order, tie-break when sorting
    members: list[Person] = field(default_factory=list)
    hid: str = ""
    hid_damage: str = ""  # how a spreadsheet damaged the written 户编号: "", NUMERIC_CELL or SCI_TEXT

    @property
    def key(self) -> str:
        """What tells the household apart: its 户编号 when intact, else its head's ID when the roll
        writes that soundly, else nothing (household-level facts are then unknown)."""
        if not self.hid_damage:
            return KEY_HID
        return KEY_HEAD_ID if self.members[0].usable_id else KEY_NONE


@dataclass(eq=False)
class Person:
    pid: int
    household: Household
    name: str
    male: bool
    id18: str
    relation: str
    amount: int  # tenths of a yuan, so sums and products stay exact
    common: bool = False
    id_state: str = "clean"
    roll_id_raw: str = ""
    roll_name_raw: str = ""

    @property
    def birth(self) -> dt.date:
        return birth_of(self.id18)

    @property
    def usable_id(self) -> bool:
        """Whether the roll writes the ID in a form that can still be matched on ID."""
        return self.id_state in USABLE_STATES

    @property
    def exotic_ok(self) -> bool:
        # The 特困 roll is written in GBK, which has neither rare characters nor odd dots.
        return self.household.program != TEKUN


@dataclass(eq=False)
class World:
    rng: random.Random
    month: int
    townships: list[Township]
    households: list[Household] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    used_ids: set[str] = field(default_factory=set)
    used_key15: set[str] = field(default_factory=set)
    taken: set[int] = field(default_factory=set)  # pids already given a role in the cremation data
    reserved_names: set[str] = field(default_factory=set)  # names decoys must not carry


def new_id(w: World, birth: dt.date, male: bool, area: str | None = None) -> str:
    """A fresh valid ID. Its first 15 digits are unique too, so an Excel-truncated copy is unambiguous."""
    if area is None:
        area = OTHER_COUNTY_CODE if w.rng.random() < 0.03 else COUNTY_CODE
    while True:
        stem = area + birth.strftime("%Y%m%d")
        for _ in range(20):
            seq = 2 * w.rng.randrange(500) + 1 if male else 2 * w.rng.randrange(499) + 2
            first17 = f"{stem}{seq:03d}"
            if first17[:15] not in w.used_key15:
                w.used_key15.add(first17[:15])
                id18 = first17 + check_digit(first17)
                w.used_ids.add(id18)
                return id18
        birth += dt.timedelta(days=1)  # that day is crowded: a neighbour day is as good


def quota(n: int, rate: float, minimum: int) -> int:
    """Scale a rate to the sample, with a floor so small samples still show every case."""
    return max(minimum, round(n * rate))


def make_townships(rng: random.Random) -> list[Township]:
    count = rng.randint(6, 10)
    # 城关镇 and one 街道 always exist, so 城市低保 has somewhere to live.
    chosen = list(TOWNSHIP_POOL[:2]) + rng.sample(TOWNSHIP_POOL[2:], count - 2)
    towns = []
    for name, urban in chosen:
        stems = rng.sample(VILLAGE_STEMS, rng.randint(3, 8))
        villages = [s + ("社区" if urban or i == 0 else "村") for i, s in enumerate(stems)]
        towns.append(Township(name, tuple(villages), urban))
    return towns


def pick_program(rng: random.Random, urban: bool) -> str:
    weights = (65, 15, 20) if urban else (4, 79, 17)
    return rng.choices((CITY, RURAL, TEKUN), weights)[0]


def _household_size(rng: random.Random, program: str) -> int:
    if program == TEKUN:
        return 1  # 特困 support is individual
    # ~29% here plus all 特困 households gives ~40% one-person households overall.
    return rng.choices((1, 2, 3, 4, 5), (29, 30, 23, 11, 7))[0]


def random_level(rng: random.Random, program: str) -> str:
    if program == TEKUN:
        return rng.choices(("全自理", "半护理", "全护理"), (60, 25, 15))[0]
    return rng.choices("ABC", (20, 45, 35))[0]


_AMOUNT_RANGES = {
    (CITY, "A"): (600, 900),
    (CITY, "B"): (420, 700),
    (CITY, "C"): (200, 450),
    (RURAL, "A"): (500, 800),
    (RURAL, "B"): (350, 600),
    (RURAL, "C"): (200, 400),
}


def base_amount(rng: random.Random, program: str, level: str) -> int:
    lo, hi = _AMOUNT_RANGES.get((program, level), (600, 880))
    return rng.randint(lo, hi) * 10 + (5 if rng.random() < 0.15 else 0)


def _head_years(program: str, size: int, rng: random.Random) -> tuple[int, int]:
    if program == TEKUN:
        return (1930, 1975) if rng.random() < 0.85 else (1976, 2012)
    return (1935, 2000) if size == 1 else (1945, 1990)


def _member_specs(rng: random.Random, head_year: int, head_male: bool, size: int) -> list[tuple[str, int, bool]]:
    """(relation, birth year, male) for the members after the head."""
    specs: list[tuple[str, int, bool]] = []
    rest = size - 1
    if rest and rng.random() < 0.8:
        specs.append(("配偶", head_year + rng.randint(-4, 4), not head_male))
        rest -= 1
    if rest and head_year >= 1962 and rng.random() < 0.25:
        specs.append(("父母", head_year - rng.randint(22, 32), rng.random() < 0.4))
        rest -= 1
    first_child = head_year + rng.randint(22, 30)
    for i in range(rest):
        if head_year <= 1965 and i >= 1 and rng.random() < 0.5:
            specs.append(("孙子女", head_year + rng.randint(45, 60), rng.random() < 0.5))
        else:
            specs.append(("子女", first_child + 2 * i + rng.randint(0, 1), rng.random() < 0.5))
    return specs


def _add_person(w: World, hh: Household, male: bool, birth: dt.date, relation: str, name: str) -> None:
    amount = hh.members[0].amount if hh.members else base_amount(w.rng, hh.program, hh.level)
    amount = min(9000, max(2000, amount + w.rng.choice((0, 0, 0, -300, 300, -500))))
    person = Person(len(w.persons), hh, name, male, new_id(w, birth, male), relation, amount)
    hh.members.append(person)
    w.persons.append(person)


def _fill_household(w: World, hh: Household, size: int) -> None:
    rng = w.rng
    max_year = min(2020, w.month // 12 - 1)
    head_male = rng.random() < (0.6 if size > 1 else 0.5)
    lo, hi = _head_years(hh.program, size, rng)
    head_year = min(hi, max_year)
    birth = random_birth(rng, lo, max(lo, head_year))
    family = random_surname(rng)
    relation = "户主" if size > 1 else rng.choice(("本人", "户主"))
    _add_person(w, hh, head_male, birth, relation, family + given_name(rng, head_male))
    for rel, year, male in _member_specs(rng, birth.year, head_male, size):
        year = min(max(year, 1930), max_year)
        surname = random_surname(rng) if rel in ("配偶", "父母") and not male else family
        _add_person(w, hh, male, random_birth(rng, year, year), rel, surname + given_name(rng, male))


def household_id(township: int, village: int, serial: int) -> str:
    """户编号: county, township, village, then the household's number in its village."""
    return f"{COUNTY_CODE}{township + 1:03d}{village + 1:03d}{serial:04d}"


def build_households(w: World, count: int) -> None:
    rng = w.rng
    weights = [rng.uniform(0.6, 1.6) for _ in w.townships]
    created = []
    for k in range(count):
        t = rng.choices(range(len(w.townships)), weights)[0]
        town = w.townships[t]
        # The first three households take one programme each, so every roll file has rows.
        program = (CITY, RURAL, TEKUN)[k] if k < 3 else pick_program(rng, town.urban)
        start = rng.randint(EARLIEST_START, w.month - 1)
        village = rng.randrange(len(town.villages))
        created.append(Household(t, village, program, random_level(rng, program), start, k))
    created.sort(key=lambda h: (h.township, h.village, h.order))
    serial: Counter[tuple[int, int]] = Counter()
    for hh in created:
        key = (hh.township, hh.village)
        serial[key] += 1
        hh.hid = household_id(hh.township, hh.village, serial[key])
        _fill_household(w, hh, _household_size(rng, hh.program))
        w.households.append(hh)


def take(pool: Sequence[Person], k: int, pred: Callable[[Person], bool], taken: set[int]) -> list[Person]:
    """The first k people of a (pre-shuffled) pool that match pred and are not taken yet."""
    out: list[Person] = []
    for person in pool:
        if len(out) >= k:
            break
        if person.pid not in taken and pred(person):
            out.append(person)
            taken.add(person.pid)
    return out


def shuffled(w: World) -> list[Person]:
    pool = list(w.persons)
    w.rng.shuffle(pool)
    return pool
