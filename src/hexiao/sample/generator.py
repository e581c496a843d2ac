"""Seeded, deterministic generator of realistic test data in the file shapes of contract §2.

``generate(out_dir)`` writes one month's assistance rolls (three files, each messy in its own way),
two cremation extracts, and two ground-truth files under ``out_dir/truth/``; then
``hexiao.sample.extracts`` adds three more rolls, the vehicle, property, business, payroll and
poverty-list extracts, and the other rules' truth (``truth_warnings.csv``, ``truth_negatives.csv``).
The truth files sit in a sub-directory so that ``out_dir`` itself can serve as a ``hexiao match --inbox``.

Truth semantics:

* ``truth_deceased.csv``: one row per planted death of a roll member. ``id_number`` is the person's
  true ID, ``roll_id_raw`` the roll cell exactly as written (it normalises to ``id_number`` except in
  ``roll_typo`` rows, whose check digit is wrong). When the cremation row leaves 死亡日期 empty,
  ``death_date`` is its 火化日期 (the only date a matcher can see; always in the death's month).
* ``truth_decoys.csv``: cremation rows that must raise no DECEASED warning.
* Junk cremation rows (blank, no name and no ID, unparseable date) are in neither file.
* Roll members whose ID Excel destroyed (scientific notation, numeric cell) never die here: no
  matcher could be expected to find them, so they would only blur the truth.

Same seed and arguments give byte-identical files: all randomness here flows from one ``random.Random``
(the extracts draw from a second one, seeded from the same seed), no set or hash order is ever
iterated, and the workbooks carry a fixed creation date.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter

COUNTY_CODE = "340421"
COUNTY_NAME = "凤台县"
OTHER_COUNTY_CODE = "340422"
OTHER_COUNTY_NAME = "寿县"

CITY = "城市低保"
RURAL = "农村低保"
TEKUN = "特困供养"

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"

FORMS = ("exact", "id15", "typo_sub", "typo_swap", "excel_numeric", "excel_sci", "homophone", "roll_typo")
DECOY_KINDS = ("not_on_roll", "same_name_other", "near_id_other_name", "future_death")

# Share of the planted deaths per form; `exact` takes what is left (~70%). Restrictive forms come
# first so they get their pick of the eligible people.
_FORM_RATES = (
    ("excel_sci", 0.03),
    ("homophone", 0.05),
    ("id15", 0.05),
    ("excel_numeric", 0.05),
    ("typo_sub", 0.07),
    ("typo_swap", 0.05),
)
# Forms whose cremation record carries the same normalised ID: hexiao's 身份证精确, which may
# recommend 停发/减发. A same-pinyin name (homophone) is a near-equal name, so it is decisive too.
_STRONG_FORMS = ("exact", "id15", "homophone")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗"
_SURNAME_WEIGHTS = (72, 71, 68, 54, 45, 31, 22, 21, 20, 19, 17, 15, 15, 13, 13, 12, 12, 12, 11, 9)
MALE_CHARS = (
    "伟强军磊勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林峰建国志文海东成德福贵生祥荣山春"
    "金玉宏振永庆兵松清云民江忠全红光才根喜学家亮新立安正昌盛坤洪锋彬泽阳瑞毅诚伦胜保友义"
)
FEMALE_CHARS = (
    "芳娜敏静丽艳娟霞秀英玲桂兰梅萍红琴云莲凤珍芬燕翠雪慧婷玉洁琳晶倩颖佳月华莉荣素淑美香菊巧"
    "银彩秋冬春琼娥爱微丹婉欣悦蓉雯岚蕾薇"
)
# (name, male): names shared by many people, which must never be matched on name alone.
COMMON_NAMES = (
    ("王伟", True),
    ("李娜", False),
    ("张伟", True),
    ("王芳", False),
    ("李伟", True),
    ("张敏", False),
    ("王静", False),
    ("刘伟", True),
    ("张丽", False),
    ("李强", True),
)
MINORITY_NAMES = (
    ("买买提·艾力", True),
    ("艾尔肯·吾斯曼", True),
    ("阿不都·热合曼", True),
    ("阿依古丽·买买提", False),
    ("古丽娜尔·吐尔逊", False),
    ("热依拉·阿不都", False),
)
# Characters outside GBK (CJK extension A and B): they break naive encoders and fonts.
RARE_CHARS = ("䶮", "𠮷")
_ODD_DOTS = ("•", "・", "‧")

# Simplified → traditional for characters of the name lists (opencc t2s maps each one back).
TRADITIONAL = {
    "张": "張", "刘": "劉", "陈": "陳", "杨": "楊", "黄": "黃", "赵": "趙", "吴": "吳", "孙": "孫",
    "马": "馬", "罗": "羅", "伟": "偉", "强": "強", "军": "軍", "涛": "濤", "刚": "剛", "辉": "輝",
    "鹏": "鵬", "华": "華", "飞": "飛", "凯": "凱", "帅": "帥", "龙": "龍", "国": "國", "东": "東",
    "贵": "貴", "荣": "榮", "庆": "慶", "红": "紅", "学": "學", "丽": "麗", "兰": "蘭", "凤": "鳳",
    "洁": "潔", "颖": "穎", "银": "銀", "静": "靜", "宁": "寧", "锋": "鋒", "莲": "蓮", "琼": "瓊",
    "爱": "愛", "阳": "陽", "泽": "澤", "义": "義", "胜": "勝", "伦": "倫", "诚": "誠",
}  # fmt: skip
# Same pinyin and tone, different character (王志刚 → 王志钢): a clerk typing by ear.
HOMOPHONES = {
    "刚": "钢", "伟": "玮", "军": "君", "明": "铭", "芳": "方", "英": "瑛", "林": "琳", "杰": "洁",
    "涛": "滔", "静": "婧", "艳": "燕", "敏": "闵", "斌": "彬", "辉": "晖", "玲": "铃", "兰": "岚",
    "秀": "绣", "峰": "锋", "梅": "玫", "云": "芸", "志": "智", "建": "健", "文": "雯", "荣": "蓉",
    "珍": "真", "娟": "鹃", "玉": "钰", "俊": "骏", "红": "宏", "东": "冬", "宇": "雨", "浩": "昊",
    "飞": "菲", "龙": "隆", "婷": "亭", "琴": "勤", "成": "诚", "祥": "翔", "清": "青", "全": "泉",
    "坤": "昆", "洪": "鸿", "瑞": "锐", "桂": "贵", "颖": "影", "晶": "京", "月": "悦", "新": "欣",
}  # fmt: skip

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
FUNERAL_HOMES = ((f"{COUNTY_NAME}殡仪馆", 85), (f"{OTHER_COUNTY_NAME}殡仪馆", 10), ("淮南市殡仪馆", 5))

ROLL_HEADER = (
    "乡镇（街道）",
    "村（社区）",
    "户编号",
    "户主姓名",
    "户主身份证号",
    "姓名",
    "身份证号",
    "与户主关系",
    "保障类别",
    "保障级别",
    "月保障金额",
    "保障起始年月",
)
RURAL_HEADER = (
    "乡镇",
    "村",
    "家庭编号",
    "户主",
    "户主身份证号码",
    "成员姓名",
    "公民身份号码",
    "关系",
    "救助类别",
    "类别(A/B/C)",
    "保障金额",
    "起始年月",
)
TEKUN_HEADER = ("乡镇(街道)", *ROLL_HEADER[1:6], "身 份 证 号", *ROLL_HEADER[7:])
CREMATION_HEADER = ("逝者姓名", "逝者身份证号", "性别", "死亡日期", "火化日期", "殡仪馆", "户籍地址")
CREMATION_XLSX_HEADER = ("姓名", "身份证号码", "死亡时间", "火化时间", "火化单位")
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
)
TRUTH_DECOYS_HEADER = ("cremation_file", "name", "id_raw", "kind")

# Roll ID states: how the roll writes a person's ID. Only the first group can be matched on ID.
_USABLE_STATES = ("clean", "spaces", "apostrophe", "lowerx", "fullwidth", "legacy15")
_FULLWIDTH_TABLE = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
_EARLIEST_START = 2010 * 12  # 2010-01 as a month index


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
    truth_warnings: Path  # the other rules' expected warnings (see hexiao.sample.extracts)
    truth_negatives: Path  # their planted near-misses

    @property
    def all_files(self) -> list[Path]:
        """Every file written, data first, truth last."""
        data = [*self.roll_files, *self.cremation_files, *self.vehicle_files, *self.property_files]
        data += [*self.business_files, *self.employee_files, *self.poverty_files]
        return [*data, self.truth_deceased, self.truth_decoys, self.truth_warnings, self.truth_negatives]


@dataclass(frozen=True)
class _Township:
    name: str
    villages: tuple[str, ...]
    urban: bool


@dataclass(eq=False)
class _Household:
    township: int
    village: int
    program: str
    level: str
    start: int  # month index y*12+m-1
    order: int  # creation order, tie-break when sorting
    members: list[_Person] = field(default_factory=list)
    hid: str = ""


@dataclass(eq=False)
class _Person:
    pid: int
    household: _Household
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
        return _birth_of(self.id18)

    @property
    def exotic_ok(self) -> bool:
        # The 特困 roll is written in GBK, which has neither rare characters nor odd dots.
        return self.household.program != TEKUN


@dataclass(eq=False)
class _CremRow:
    name: str
    id_raw: str
    male: bool | None
    death: dt.date | None
    crem: dt.date | None
    home: str
    address: str
    to_xlsx: bool
    numeric_id: bool = False  # xlsx only: the ID is a number cell (Excel kept 15 digits)
    death_text: str = ""  # junk rows: a date no parser can read


@dataclass(eq=False)
class _Death:
    person: _Person
    form: str
    death: dt.date  # the date a matcher sees (火化日期 when 死亡日期 is empty)


@dataclass(eq=False)
class _Decoy:
    kind: str
    row: _CremRow


@dataclass(eq=False)
class _World:
    rng: random.Random
    month: int
    townships: list[_Township]
    households: list[_Household] = field(default_factory=list)
    persons: list[_Person] = field(default_factory=list)
    used_ids: set[str] = field(default_factory=set)
    used_key15: set[str] = field(default_factory=set)
    taken: set[int] = field(default_factory=set)  # pids already given a role in the cremation data
    reserved_names: set[str] = field(default_factory=set)  # names decoys must not carry


# ---------------------------------------------------------------- IDs


def check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits of a GB 11643 ID."""
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def is_valid_id(value: str) -> bool:
    """18 characters, digits (last may be X), a real birth date and the right check digit."""
    if len(value) != 18 or not value[:17].isdigit() or value[17] not in "0123456789X":
        return False
    try:
        _birth_of(value)
    except ValueError:
        return False
    return check_digit(value[:17]) == value[17]


def to_legacy15(id18: str) -> str:
    """The pre-1999 15-digit form: area(6) + YYMMDD + sequence(3), no check digit."""
    return id18[:6] + id18[8:17]


def _birth_of(id18: str) -> dt.date:
    return dt.date(int(id18[6:10]), int(id18[10:12]), int(id18[12:14]))


def _new_id(w: _World, birth: dt.date, male: bool, area: str | None = None) -> str:
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


def _excel_numeric(id18: str) -> str:
    return id18[:15] + "000"


def _excel_sci(id18: str) -> str:
    return f"{id18[0]}.{id18[1:6]}E+17"


def _typo_sub(rng: random.Random, id18: str, forbidden: set[str]) -> str:
    """One digit of the first 17 replaced by another (never the province, never an existing ID)."""
    while True:
        pos = rng.randint(2, 16)
        digit = rng.choice([d for d in "0123456789" if d != id18[pos]])
        out = id18[:pos] + digit + id18[pos + 1 :]
        # An ID ending in 000 would read as an Excel numeric cell: a different kind of damage.
        if out not in forbidden and not out.endswith("000"):
            return out


def _typo_swap(rng: random.Random, id18: str, forbidden: set[str]) -> str:
    """Two adjacent, different digits among the first 17 swapped."""
    positions = [i for i in range(2, 16) if id18[i] != id18[i + 1]]
    while True:
        i = rng.choice(positions)
        out = id18[:i] + id18[i + 1] + id18[i] + id18[i + 2 :]
        if out not in forbidden and not out.endswith("000"):
            return out


# ---------------------------------------------------------------- months and dates


def _month_index(text: str) -> int:
    try:
        year, mon = (int(part) for part in text.split("-"))
    except ValueError:
        raise ValueError(f"month must look like 2026-11, got {text!r}") from None
    if not (1 <= mon <= 12 and 1990 <= year <= 2100) or len(text) != 7:
        raise ValueError(f"month must look like 2026-11, got {text!r}")
    return year * 12 + mon - 1


def _month_text(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _first_day(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def _last_day(index: int) -> dt.date:
    return _first_day(index + 1) - dt.timedelta(days=1)


def _month_of(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _random_day(rng: random.Random, index: int) -> dt.date:
    first = _first_day(index)
    return first + dt.timedelta(days=rng.randrange((_last_day(index) - first).days + 1))


def _random_birth(rng: random.Random, first_year: int, last_year: int) -> dt.date:
    lo = dt.date(first_year, 1, 1).toordinal()
    return dt.date.fromordinal(rng.randint(lo, dt.date(last_year, 12, 31).toordinal()))


def _date_text(rng: random.Random, day: dt.date) -> str:
    """One of the date spellings real extracts mix (contract §2)."""
    style = rng.randrange(4)
    if style == 0:
        return day.isoformat()
    if style == 1:
        return f"{day.year}/{day.month}/{day.day}"
    if style == 2:
        return day.strftime("%Y%m%d")
    return f"{day.year}年{day.month}月{day.day}日"


# ---------------------------------------------------------------- people


def _quota(n: int, rate: float, minimum: int) -> int:
    """Scale a rate to the sample, with a floor so small samples still show every case."""
    return max(minimum, round(n * rate))


def _given_name(rng: random.Random, male: bool) -> str:
    chars = MALE_CHARS if male else FEMALE_CHARS
    if rng.random() < 0.3:
        return rng.choice(chars)
    return rng.choice(chars) + rng.choice(chars)


def _surname(rng: random.Random) -> str:
    return rng.choices(SURNAMES, _SURNAME_WEIGHTS)[0]


def _random_name(rng: random.Random, male: bool, avoid: set[str] | None = None) -> str:
    while True:
        name = _surname(rng) + _given_name(rng, male)
        if avoid is None or name not in avoid:
            return name


def _make_townships(rng: random.Random) -> list[_Township]:
    count = rng.randint(6, 10)
    # 城关镇 and one 街道 always exist, so 城市低保 has somewhere to live.
    chosen = list(TOWNSHIP_POOL[:2]) + rng.sample(TOWNSHIP_POOL[2:], count - 2)
    towns = []
    for name, urban in chosen:
        stems = rng.sample(VILLAGE_STEMS, rng.randint(3, 8))
        villages = [s + ("社区" if urban or i == 0 else "村") for i, s in enumerate(stems)]
        towns.append(_Township(name, tuple(villages), urban))
    return towns


def _pick_program(rng: random.Random, urban: bool) -> str:
    weights = (65, 15, 20) if urban else (4, 79, 17)
    return rng.choices((CITY, RURAL, TEKUN), weights)[0]


def _household_size(rng: random.Random, program: str) -> int:
    if program == TEKUN:
        return 1  # 特困 support is individual
    # ~29% here plus all 特困 households gives ~40% one-person households overall.
    return rng.choices((1, 2, 3, 4, 5), (29, 30, 23, 11, 7))[0]


def _level(rng: random.Random, program: str) -> str:
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


def _base_amount(rng: random.Random, program: str, level: str) -> int:
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


def _add_person(w: _World, hh: _Household, male: bool, birth: dt.date, relation: str, name: str) -> None:
    amount = hh.members[0].amount if hh.members else _base_amount(w.rng, hh.program, hh.level)
    amount = min(9000, max(2000, amount + w.rng.choice((0, 0, 0, -300, 300, -500))))
    person = _Person(len(w.persons), hh, name, male, _new_id(w, birth, male), relation, amount)
    hh.members.append(person)
    w.persons.append(person)


def _fill_household(w: _World, hh: _Household, size: int) -> None:
    rng = w.rng
    max_year = min(2020, w.month // 12 - 1)
    head_male = rng.random() < (0.6 if size > 1 else 0.5)
    lo, hi = _head_years(hh.program, size, rng)
    head_year = min(hi, max_year)
    birth = _random_birth(rng, lo, max(lo, head_year))
    family = _surname(rng)
    relation = "户主" if size > 1 else rng.choice(("本人", "户主"))
    _add_person(w, hh, head_male, birth, relation, family + _given_name(rng, head_male))
    for rel, year, male in _member_specs(rng, birth.year, head_male, size):
        year = min(max(year, 1930), max_year)
        surname = _surname(rng) if rel in ("配偶", "父母") and not male else family
        _add_person(w, hh, male, _random_birth(rng, year, year), rel, surname + _given_name(rng, male))


def _build_households(w: _World, count: int) -> None:
    rng = w.rng
    weights = [rng.uniform(0.6, 1.6) for _ in w.townships]
    created = []
    for k in range(count):
        t = rng.choices(range(len(w.townships)), weights)[0]
        town = w.townships[t]
        # The first three households take one programme each, so every roll file has rows.
        program = (CITY, RURAL, TEKUN)[k] if k < 3 else _pick_program(rng, town.urban)
        start = rng.randint(_EARLIEST_START, w.month - 1)
        village = rng.randrange(len(town.villages))
        created.append(_Household(t, village, program, _level(rng, program), start, k))
    created.sort(key=lambda h: (h.township, h.village, h.order))
    serial: Counter[tuple[int, int]] = Counter()
    for hh in created:
        key = (hh.township, hh.village)
        serial[key] += 1
        hh.hid = f"{COUNTY_CODE}{hh.township + 1:03d}{hh.village + 1:03d}{serial[key]:04d}"
        _fill_household(w, hh, _household_size(rng, hh.program))
        w.households.append(hh)


# ---------------------------------------------------------------- special names and roll mess


def _pick(pool: Sequence[_Person], k: int, pred: Callable[[_Person], bool], taken: set[int]) -> list[_Person]:
    """The first k people of a (pre-shuffled) pool that match pred and are not taken yet."""
    out: list[_Person] = []
    for person in pool:
        if len(out) >= k:
            break
        if person.pid not in taken and pred(person):
            out.append(person)
            taken.add(person.pid)
    return out


def _shuffled(w: _World) -> list[_Person]:
    pool = list(w.persons)
    w.rng.shuffle(pool)
    return pool


def _same_sex_and_surname(male: bool, surname: str) -> Callable[[_Person], bool]:
    return lambda p: p.male == male and p.name[0] == surname


def _assign_special_names(w: _World) -> None:
    """Common full names shared by several people, minority names, characters outside GBK."""
    pool = _shuffled(w)
    used: set[int] = set()
    per_name = _quota(len(w.persons), 0.0005, 2)
    for name, male in COMMON_NAMES:
        for p in _pick(pool, per_name, _same_sex_and_surname(male, name[0]), used):
            p.name, p.common = name, True
    minority = _pick(pool, _quota(len(w.persons), 0.001, 2), lambda q: q.exotic_ok, used)
    for p in minority:
        p.name = w.rng.choice([n for n, m in MINORITY_NAMES if m == p.male])
    for p in _pick(pool, _quota(len(w.persons), 0.0005, 2), lambda q: q.exotic_ok, used):
        p.name = p.name[0] + w.rng.choice(("", p.name[-1])) + w.rng.choice(RARE_CHARS)


def _roll_id_text(rng: random.Random, id18: str, state: str) -> str:
    if state == "spaces":
        return rng.choice((f" {id18} ", f"{id18} ", f"  {id18}"))
    if state == "apostrophe":
        return "'" + id18
    if state == "lowerx":
        return id18[:-1] + "x"
    if state == "fullwidth":
        return id18.translate(_FULLWIDTH_TABLE)
    if state == "legacy15":
        return to_legacy15(id18)
    if state == "roll_typo":
        return id18[:17] + rng.choice([c for c in "0123456789X" if c != id18[17]])
    if state == "sci":
        return _excel_sci(id18)
    if state == "xlsx_numeric":
        return _excel_numeric(id18)
    return id18


def _assign_roll_ids(w: _World) -> None:
    """Decide, per person, how the roll writes the ID; each person gets at most one kind of mess."""
    n = len(w.persons)
    pool = _shuffled(w)
    used: set[int] = set()
    n_rural = sum(1 for p in w.persons if p.household.program == RURAL)
    n_x = sum(1 for p in w.persons if p.id18.endswith("X"))
    # Heavy damage spares the common names: decoys reuse those names and must stay unmatchable.
    plans: list[tuple[str, int, Callable[[_Person], bool]]] = [
        ("roll_typo", _quota(n, 0.002, 3), lambda p: not p.common),
        ("sci", _quota(n, 0.001, 1), lambda p: not p.common and p.household.program != RURAL),
        ("xlsx_numeric", _quota(n_rural, 0.003, 1), lambda p: not p.common and p.household.program == RURAL),
        ("legacy15", _quota(n, 0.003, 2), lambda p: p.birth.year < 2000),
        ("spaces", _quota(n, 0.01, 1), lambda p: True),
        ("apostrophe", _quota(n, 0.01, 1), lambda p: True),
        ("lowerx", _quota(n_x, 0.3, 1), lambda p: p.id18.endswith("X")),
        ("fullwidth", _quota(n, 0.003, 1), lambda p: True),
    ]
    for state, k, pred in plans:
        for p in _pick(pool, k, pred, used):
            p.id_state = state
    for p in w.persons:
        p.roll_id_raw = _roll_id_text(w.rng, p.id18, p.id_state)
        if p.id_state == "roll_typo":
            w.used_ids.add(p.roll_id_raw)  # so no planted typo lands on a roll typo


def _is_plain(p: _Person) -> bool:
    return "·" not in p.name


def _assign_roll_names(w: _World) -> None:
    """Names as clerks type them: inner spaces, full-width spaces, stray padding, odd middle dots."""
    for p in w.persons:
        p.roll_name_raw = p.name
    n = len(w.persons)
    pool = _shuffled(w)
    used: set[int] = set()
    for p in _pick(pool, _quota(n, 0.005, 1), _is_plain, used):
        p.roll_name_raw = p.name[0] + " " + p.name[1:]
    for p in _pick(pool, _quota(n, 0.003, 1), _is_plain, used):
        p.roll_name_raw = p.name[0] + "\u3000" + p.name[1:]
    for p in _pick(pool, _quota(n, 0.005, 1), _is_plain, used):
        p.roll_name_raw = w.rng.choice((f" {p.name}", f"{p.name} ", f"{p.name}\u3000"))
    for p in w.persons:
        if not _is_plain(p) and w.rng.random() < 0.5:
            p.roll_name_raw = p.name.replace("·", w.rng.choice(_ODD_DOTS))


# ---------------------------------------------------------------- planted deaths


def _elderly_first(w: _World, people: Sequence[_Person]) -> list[_Person]:
    """Weighted shuffle (Efraimidis–Spirakis): the old die more often than the young."""
    year = w.month // 12
    keyed = []
    for p in people:
        weight = 1.0 + max(0, year - p.birth.year - 45) / 5.0
        keyed.append((w.rng.random() ** (1.0 / weight), p.pid, p))
    keyed.sort(key=lambda item: (-item[0], item[1]))
    return [p for _, _, p in keyed]


def _form_predicates(w: _World) -> dict[str, Callable[[_Person], bool]]:
    counts = Counter(p.name for p in w.persons)
    return {
        # A 3.40421E+17 ID keeps only the county: recoverable only through a name unique on the roll.
        "excel_sci": lambda p: counts[p.name] == 1,
        "homophone": lambda p: any(c in HOMOPHONES for c in p.name[1:]),
        "id15": lambda p: p.birth.year < 2000,
        "excel_numeric": lambda p: not p.id18.endswith("000"),
        "typo_sub": lambda p: True,
        "typo_swap": lambda p: True,
        "exact": lambda p: True,
    }


def _death_day(rng: random.Random, month: int, start: int) -> dt.date:
    back = 0 if rng.random() < 0.1 else rng.randint(1, 14)
    death_month = month - back
    if death_month < start:  # nobody dies before their support started
        death_month = rng.randint(start, month)
    return _random_day(rng, death_month)


def _plant_deaths(w: _World) -> list[_Death]:
    total = _quota(len(w.persons), 0.03, 0)
    counts = {form: max(2, round(rate * total)) for form, rate in _FORM_RATES}
    # Small samples are dominated by the per-form minimums; keep `exact` the clear majority anyway.
    counts["exact"] = max(round(0.7 * total), total - sum(counts.values()))
    usable = [p for p in w.persons if p.id_state in _USABLE_STATES]
    pool = _elderly_first(w, usable)
    preds = _form_predicates(w)
    chosen: list[tuple[_Person, str]] = []
    for form in [f for f, _ in _FORM_RATES] + ["exact"]:
        chosen += [(p, form) for p in _pick(pool, counts[form], preds[form], w.taken)]
    typos = [p for p in w.persons if p.id_state == "roll_typo"]
    typo_deaths = _pick(typos, max(1, round(0.4 * len(typos))), lambda p: True, w.taken)
    chosen += [(p, "roll_typo") for p in typo_deaths]
    return [_Death(p, form, _death_day(w.rng, w.month, p.household.start)) for p, form in chosen]


def _traditional(name: str) -> str:
    return "".join(TRADITIONAL.get(c, c) for c in name)


def _homophone(rng: random.Random, name: str) -> str:
    positions = [i for i, c in enumerate(name) if i > 0 and c in HOMOPHONES]
    i = rng.choice(positions)
    return name[:i] + HOMOPHONES[name[i]] + name[i + 1 :]


def _exact_name(rng: random.Random, name: str) -> str:
    roll = rng.random()
    if roll < 0.25 and _traditional(name) != name:
        return _traditional(name)
    if roll < 0.4 and "·" not in name:
        return name[0] + " " + name[1:]
    return name


def _light_id(rng: random.Random, id18: str) -> str:
    """The ways an intact ID still arrives dirty: spaces, lower-case x, a tab, an apostrophe."""
    roll = rng.randrange(10)
    if roll == 5:
        return f" {id18} "
    if roll == 6 and id18.endswith("X"):
        return id18[:-1] + "x"
    if roll == 7:
        return "\t" + id18
    if roll == 8:
        return "'" + id18
    return id18


def _death_identity(w: _World, d: _Death, to_xlsx: bool) -> tuple[str, str, bool]:
    """(ID as written, name as written, numeric cell) of a planted death's cremation row."""
    rng, p, form = w.rng, d.person, d.form
    if form == "exact":
        return _light_id(rng, p.id18), _exact_name(rng, p.name), False
    if form == "homophone":
        return p.id18, _homophone(rng, p.name), False
    if form == "id15":
        return to_legacy15(p.id18), p.name, False
    if form == "typo_sub":
        return _typo_sub(rng, p.id18, w.used_ids), p.name, False
    if form == "typo_swap":
        return _typo_swap(rng, p.id18, w.used_ids), p.name, False
    if form == "excel_numeric":
        return _excel_numeric(p.id18), p.name, to_xlsx and rng.random() < 0.7
    if form == "excel_sci":
        return _excel_sci(p.id18), p.name, False
    return p.id18, p.name, False  # roll_typo: the cremation side has it right


def _address(w: _World, hh: _Household | None) -> str:
    if hh is None:
        if w.rng.random() < 0.15:
            return f"安徽省{OTHER_COUNTY_NAME}{w.rng.choice(VILLAGE_STEMS)}村"
        town = w.rng.choice(w.townships)
        return f"安徽省{COUNTY_NAME}{town.name}{w.rng.choice(town.villages)}"
    town = w.townships[hh.township]
    return f"安徽省{COUNTY_NAME}{town.name}{town.villages[hh.village]}"


def _home(rng: random.Random) -> str:
    return rng.choices([h for h, _ in FUNERAL_HOMES], [wt for _, wt in FUNERAL_HOMES])[0]


def _crem_row(w: _World, name: str, id_raw: str, male: bool, death: dt.date, hh: _Household | None) -> _CremRow:
    """A cremation row; sometimes 死亡日期 is missing and only 火化日期 is left."""
    crem = death + dt.timedelta(days=w.rng.choice((0, 1, 1, 2, 2, 3, 4)))
    to_xlsx = w.rng.random() < 0.2
    row = _CremRow(name, id_raw, male, death, crem, _home(w.rng), _address(w, hh), to_xlsx)
    if w.rng.random() < 0.05:
        row.crem = min(crem, _last_day(_month_of(death)))  # keep the death's month recoverable
        row.death = None
    return row


def _death_rows(w: _World, deaths: list[_Death]) -> list[_CremRow]:
    rows = []
    for d in deaths:
        p = d.person
        row = _crem_row(w, p.name, p.id18, p.male, d.death, p.household)
        row.id_raw, row.name, row.numeric_id = _death_identity(w, d, row.to_xlsx)
        if row.death is None and row.crem is not None:
            d.death = row.crem
        rows.append(row)
    return rows


# ---------------------------------------------------------------- decoys


def _window_day(w: _World) -> dt.date:
    return _random_day(w.rng, w.month - w.rng.randint(0, 14))


def _not_on_roll(w: _World, count: int) -> list[_Decoy]:
    out = []
    for _ in range(count):
        male = w.rng.random() < 0.55
        old = w.rng.random() < 0.85
        birth = _random_birth(w.rng, 1930, 1975) if old else _random_birth(w.rng, 1976, 2015)
        area = COUNTY_CODE if w.rng.random() < 0.9 else OTHER_COUNTY_CODE
        id18 = _new_id(w, birth, male, area)
        name = _random_name(w.rng, male, w.reserved_names)
        row = _crem_row(w, name, _light_id(w.rng, id18), male, _window_day(w), None)
        out.append(_Decoy("not_on_roll", row))
    return out


def _same_name_other(w: _World, count: int) -> list[_Decoy]:
    """Someone else with a roll member's name (mostly the common ones), another ID and birth date."""
    births: dict[str, set[dt.date]] = {}
    for p in w.persons:
        births.setdefault(p.name, set()).add(p.birth)
    pool = [p for p in _shuffled(w) if p.common] + _shuffled(w)
    picked = _pick(pool, count, lambda p: p.name not in w.reserved_names, w.taken)
    out = []
    for p in picked:
        birth = p.birth
        while birth in births[p.name]:
            birth = _random_birth(w.rng, max(1930, p.birth.year - 8), min(2015, p.birth.year + 8))
        row = _crem_row(w, p.name, _new_id(w, birth, p.male, COUNTY_CODE), p.male, _window_day(w), None)
        out.append(_Decoy("same_name_other", row))
    return out


def _near_id_other_name(w: _World, count: int) -> list[_Decoy]:
    """An ID one digit away from a roll member's, carried by somebody with another surname."""
    picked = _pick(_shuffled(w), count, lambda p: p.id_state in _USABLE_STATES, w.taken)
    out = []
    for p in picked:
        name = _random_name(w.rng, p.male, w.reserved_names)
        while name[0] == p.name[0]:  # another surname: the names must not be near-equal
            name = _random_name(w.rng, p.male, w.reserved_names)
        id_raw = _typo_sub(w.rng, p.id18, w.used_ids)
        out.append(_Decoy("near_id_other_name", _crem_row(w, name, id_raw, p.male, _window_day(w), None)))
    return out


def _future_death(w: _World, count: int) -> list[_Decoy]:
    """A roll member whose death date lies after this month (a typed-in-error year or month)."""
    picked = _pick(_shuffled(w), count, lambda p: p.id_state in _USABLE_STATES, w.taken)
    out = []
    for p in picked:
        death = _random_day(w.rng, w.month + w.rng.randint(1, 6))
        row = _crem_row(w, p.name, p.id18, p.male, death, p.household)
        row.death, row.crem = death, death + dt.timedelta(days=w.rng.randint(0, 3))
        out.append(_Decoy("future_death", row))
    return out


def _plant_decoys(w: _World, deaths: list[_Death]) -> list[_Decoy]:
    # Name-led matching is allowed for damaged IDs; decoys must never offer such a name.
    for d in deaths:
        if d.form == "excel_sci":
            w.reserved_names.add(d.person.name)
    for p in w.persons:
        if p.id_state in ("sci", "xlsx_numeric"):
            w.reserved_names.add(p.name)
    n = len(deaths)
    return (
        _not_on_roll(w, 5 * n)
        + _same_name_other(w, _quota(n, 0.4, 3))
        + _near_id_other_name(w, _quota(n, 0.2, 2))
        + _future_death(w, _quota(n, 0.05, 1))
    )


def _junk_rows(w: _World) -> list[_CremRow]:
    """Rows a loader must reject: no name and no ID; an unreadable date and no other date."""
    day = _random_day(w.rng, w.month - 1)
    nameless = _CremRow("", "", None, day, day, _home(w.rng), "", False)
    male = w.rng.random() < 0.5
    id18 = _new_id(w, _random_birth(w.rng, 1935, 1960), male, COUNTY_CODE)
    name = _random_name(w.rng, male, w.reserved_names)
    undated = _CremRow(name, id18, male, None, None, _home(w.rng), _address(w, None), False, death_text="不详")
    return [nameless, undated]


# ---------------------------------------------------------------- writing: helpers


def _csv_bytes(rows: Sequence[Sequence[str]], encoding: str) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")  # what Excel writes on Windows
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def _amount_text(rng: random.Random, tenths: int) -> str:
    whole, frac = divmod(tenths, 10)
    if rng.random() < 0.3:
        return f"{whole}.{frac}0"
    return f"{whole}.{frac}" if frac else str(whole)


def _tenths_text(tenths: int) -> str:
    return f"{tenths // 10}.{tenths % 10}"


def _start_text(rng: random.Random, start: int) -> str:
    text = _month_text(start)
    return text if rng.random() < 0.7 else text.replace("-", "")


def _ym_label(index: int) -> str:
    return f"{index // 12}年{index % 12 + 1}月"


def _roll_row(w: _World, p: _Person) -> list[str]:
    hh = p.household
    town = w.townships[hh.township]
    head = hh.members[0]
    return [
        town.name,
        town.villages[hh.village],
        hh.hid,
        head.name,
        head.roll_id_raw,
        p.roll_name_raw,
        p.roll_id_raw,
        p.relation,
        hh.program,
        hh.level,
        _amount_text(w.rng, p.amount),
        _start_text(w.rng, hh.start),
    ]


def _members(w: _World, program: str) -> list[_Person]:
    return [p for hh in w.households if hh.program == program for p in hh.members]


def _new_workbook(path: Path, w: _World) -> Any:
    workbook = xlsxwriter.Workbook(str(path))
    # A fixed creation date: otherwise every run writes the current time and the bytes differ.
    created = dt.datetime.combine(_first_day(w.month), dt.time(8, 0))
    workbook.set_properties({"created": created, "author": COUNTY_NAME + "民政局"})
    return workbook


# ---------------------------------------------------------------- writing: rolls


def _write_city_csv(w: _World, path: Path) -> None:
    """UTF-8 with BOM, canonical header, and the header repeated once in the middle (pasted pages)."""
    rows = [_roll_row(w, p) for p in _members(w, CITY)]
    rows.insert(len(rows) // 2, list(ROLL_HEADER))
    path.write_bytes(_csv_bytes([list(ROLL_HEADER), *rows], "utf-8-sig"))


def _write_tekun_csv(w: _World, path: Path) -> None:
    """GBK, a title row padded with commas as Excel saves a merged title, synonyms with odd spacing."""
    rows = [_roll_row(w, p) for p in _members(w, TEKUN)]
    title = [f"{COUNTY_NAME}特困供养人员花名册"] + [""] * (len(TEKUN_HEADER) - 1)
    path.write_bytes(_csv_bytes([title, list(TEKUN_HEADER), *rows], "gbk"))


def _write_rural_xlsx(w: _World, path: Path) -> None:
    """Merged title, synonym headers, text IDs (a few numeric), a blank row and a 合计 row."""
    workbook = _new_workbook(path, w)
    sheet = workbook.add_worksheet("农村低保")
    bold = workbook.add_format({"bold": True, "align": "center"})
    text = workbook.add_format({"num_format": "@"})
    title = f"{COUNTY_NAME}{_ym_label(w.month)}农村低保花名册"
    sheet.merge_range(0, 0, 0, len(RURAL_HEADER) - 1, title, bold)
    sheet.write_row(1, 0, RURAL_HEADER, bold)
    sheet.set_column(4, 6, 22, text)
    members = _members(w, RURAL)
    r = 2
    total = 0
    for i, p in enumerate(members):
        if i == len(members) // 2:
            r += 1  # the blank row someone left when pasting two sheets together
        _write_rural_row(sheet, r, w, p, text)
        total += p.amount
        r += 1
    sheet.write_string(r, 0, "合计")
    sheet.write_number(r, 10, total / 10)
    workbook.close()


def _write_rural_row(sheet: Any, r: int, w: _World, p: _Person, text: Any) -> None:
    values = _roll_row(w, p)
    head = p.household.members[0]
    for c, value in enumerate(values):
        numeric = (c == 4 and head.id_state == "xlsx_numeric") or (c == 6 and p.id_state == "xlsx_numeric")
        if numeric:
            # What Excel does to an ID typed into a General cell: 15 significant digits survive.
            sheet.write_number(r, c, float(value))
        elif c == 10:
            sheet.write_number(r, c, p.amount / 10)
        else:
            sheet.write_string(r, c, value, text)


# ---------------------------------------------------------------- writing: cremation


def _sort_rows(rows: list[_CremRow], w: _World) -> list[_CremRow]:
    # Extracts come sorted by cremation date; the index keeps equal dates in a stable order.
    fallback = _first_day(w.month)
    keyed = sorted(enumerate(rows), key=lambda item: (item[1].crem or item[1].death or fallback, item[0]))
    return [row for _, row in keyed]


def _crem_csv_values(rng: random.Random, row: _CremRow) -> list[str]:
    sex = "" if row.male is None else ("男" if row.male else "女")
    death = row.death_text or (_date_text(rng, row.death) if row.death else "")
    crem = _date_text(rng, row.crem) if row.crem else ""
    return [row.name, row.id_raw, sex, death, crem, row.home, row.address]


def _write_cremation_csv(w: _World, rows: list[_CremRow], junk: list[_CremRow], path: Path) -> None:
    """GB18030, a bare title line (no padding commas) above the header, and three junk rows."""
    body: list[list[str]] = [_crem_csv_values(w.rng, row) for row in rows]
    body.insert(len(body) // 3, [])
    body.insert(len(body) // 2, _crem_csv_values(w.rng, junk[0]))
    body.insert(2 * len(body) // 3, _crem_csv_values(w.rng, junk[1]))
    title = [f"{COUNTY_NAME}殡仪馆火化信息"]
    path.write_bytes(_csv_bytes([title, list(CREMATION_HEADER), *body], "gb18030"))


def _write_date_cell(sheet: Any, r: int, c: int, day: dt.date | None, rng: random.Random, fmt: Any) -> None:
    if day is None:
        return
    if rng.random() < 0.4:
        sheet.write_datetime(r, c, dt.datetime.combine(day, dt.time()), fmt)
    else:
        sheet.write_string(r, c, _date_text(rng, day))


def _write_cremation_xlsx(w: _World, rows: list[_CremRow], path: Path) -> None:
    workbook = _new_workbook(path, w)
    sheet = workbook.add_worksheet("Sheet1")
    date_fmt = workbook.add_format({"num_format": "yyyy-mm-dd"})
    text = workbook.add_format({"num_format": "@"})
    sheet.write_row(0, 0, CREMATION_XLSX_HEADER)
    sheet.set_column(1, 1, 22)
    for r, row in enumerate(rows, start=1):
        sheet.write_string(r, 0, row.name)
        if row.numeric_id:
            sheet.write_number(r, 1, float(row.id_raw))
        else:
            sheet.write_string(r, 1, row.id_raw, text)
        _write_date_cell(sheet, r, 2, row.death, w.rng, date_fmt)
        _write_date_cell(sheet, r, 3, row.crem, w.rng, date_fmt)
        sheet.write_string(r, 4, row.home)
    workbook.close()


def _cremation_csv_name(month: int) -> str:
    prev = month - 1
    if prev // 12 == month // 12:
        return f"{month // 12}年{prev % 12 + 1}-{month % 12 + 1}月火化数据.csv"
    return f"{_ym_label(prev)}-{_ym_label(month)}火化数据.csv"


# ---------------------------------------------------------------- writing: truth


def _overpayment(month: int, effective: int, start: int, amount: int) -> int:
    """Months already paid from the effective month (and not before the start) up to month-1."""
    months = max(0, month - max(effective, start))
    return months * amount


def _expected_action(household_size: int, form: str) -> str:
    if form not in _STRONG_FORMS:
        return "入户核查"
    return "停发" if household_size == 1 else "减发"


def _truth_deceased_row(w: _World, d: _Death) -> list[str]:
    p, hh = d.person, d.person.household
    effective = _month_of(d.death) + 1
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
        _month_text(hh.start),
        d.death.isoformat(),
        d.form,
        _expected_action(len(hh.members), d.form),
        _month_text(effective),
        _tenths_text(_overpayment(w.month, effective, hh.start, p.amount)),
    ]


def _write_truth(w: _World, deaths: list[_Death], decoys: list[_Decoy], files: tuple[Path, Path, Path]) -> None:
    csv_path, xlsx_path, truth_dir = files
    rows = sorted((_truth_deceased_row(w, d) for d in deaths), key=lambda r: r[0])
    (truth_dir / "truth_deceased.csv").write_bytes(_csv_bytes([list(TRUTH_DECEASED_HEADER), *rows], "utf-8"))
    decoy_rows = [list(TRUTH_DECOYS_HEADER)]
    for decoy in decoys:
        file_name = (xlsx_path if decoy.row.to_xlsx else csv_path).name
        decoy_rows.append([file_name, decoy.row.name, decoy.row.id_raw, decoy.kind])
    (truth_dir / "truth_decoys.csv").write_bytes(_csv_bytes(decoy_rows, "utf-8"))


# ---------------------------------------------------------------- entry points


def _build_world(households: int, month: int, seed: int) -> tuple[_World, list[_Death], list[_Decoy]]:
    rng = random.Random(seed)
    w = _World(rng, month, _make_townships(rng))
    _build_households(w, households)
    _assign_special_names(w)
    _assign_roll_ids(w)
    _assign_roll_names(w)
    deaths = _plant_deaths(w)
    decoys = _plant_decoys(w, deaths)
    return w, deaths, decoys


def generate(out_dir: Path, *, households: int = 2000, month: str = "2026-11", seed: int = 20261125) -> GeneratedFiles:
    """Write rolls, cremation and the other extracts, and truth files for one month into out_dir (created if needed)."""
    if households < 10:
        raise ValueError("households must be at least 10")
    month_index = _month_index(month)
    if month_index - 1 < _EARLIEST_START:
        raise ValueError("month must be 2010-02 or later (support starts from 2010-01)")
    w, deaths, decoys = _build_world(households, month_index, seed)
    out_dir = Path(out_dir)
    truth_dir = out_dir / "truth"
    truth_dir.mkdir(parents=True, exist_ok=True)
    rolls = [
        out_dir / f"全县{_ym_label(month_index)}城市低保花名册.csv",
        out_dir / "农村低保花名册.xlsx",
        out_dir / "特困供养花名册.csv",
    ]
    _write_city_csv(w, rolls[0])
    _write_rural_xlsx(w, rolls[1])
    _write_tekun_csv(w, rolls[2])
    crem = [out_dir / _cremation_csv_name(month_index), out_dir / "火化数据补充.xlsx"]
    rows = _sort_rows(_death_rows(w, deaths) + [d.row for d in decoys], w)
    _write_cremation_csv(w, [r for r in rows if not r.to_xlsx], _junk_rows(w), crem[0])
    _write_cremation_xlsx(w, [r for r in rows if r.to_xlsx], crem[1])
    _write_truth(w, deaths, decoys, (crem[0], crem[1], truth_dir))
    # Imported here: extracts builds on this module's helpers. It draws from its own random stream,
    # so everything above is the same with or without it.
    from hexiao.sample.extracts import extend

    more = extend(w, seed, out_dir, truth_dir)
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
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m hexiao.sample.generator",
        description="Write seeded sample rolls, cremation extracts and truth files.",
    )
    parser.add_argument("--out", type=Path, required=True, help="output directory (created if missing)")
    parser.add_argument("--households", type=int, default=2000, help="number of households (default 2000)")
    parser.add_argument("--month", default="2026-11", help="roll month YYYY-MM (default 2026-11)")
    parser.add_argument("--seed", type=int, default=20261125, help="random seed (default 20261125)")
    args = parser.parse_args(argv)
    try:
        files = generate(args.out, households=args.households, month=args.month, seed=args.seed)
    except ValueError as exc:
        parser.error(str(exc))
    count = len(files.all_files)
    # A summary for the person at the terminal; stdout stays clean for pipelines.
    sys.stderr.write(f"wrote {count} files to {args.out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
