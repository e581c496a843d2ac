"""Medical-insurance settlements and the disabled persons' register, for OMISSION's 因病 and 重残
sources (domain.md rule 12b), with their near-misses, and the register rows that clear a disabled
person (a wage evidenced by a provident-fund contribution, a pension).

Files: ``医保结算明细.xlsx`` (the settlement platform's export: 个人负担总金额 beside 个人现金支出),
``残疾人名单.csv`` (残联's register, the level written every way offices write it, now and then only
the 残疾人证号), ``住房公积金缴存明细（残疾人比对）.csv`` and ``养老金发放明细（残疾人比对）.csv``; the
threshold goes to ``hexiao.toml`` (``settings``). Everybody planted is on no roll but the "on a roll"
near-misses, who are roll members with a usable ID. Draws come from a stream of their own, so every
other file stays byte-identical.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from hexiao_dev.sample.dates import first_day, last_day
from hexiao_dev.sample.people import quota
from hexiao_dev.sample.planting import (
    Ctx,
    Who,
    age_on,
    any_town,
    day_between,
    fast_light_id,
    gbk_ok,
    negative,
    pick,
    stranger,
    warn,
    who_of,
    written_id,
    written_name,
)
from hexiao_dev.sample.settings import write_rule_settings
from hexiao_dev.sample.writing import Text, csv_bytes, write_xlsx

MEDICAL_THRESHOLD = 10000  # 元 in 12 months: the sample county's local standard (hexiao.toml)
MEDICAL_FILE = "医保结算明细.xlsx"
DISABILITY_FILE = "残疾人名单.csv"
PROVIDENT_FILE = "住房公积金缴存明细（残疾人比对）.csv"
PENSION_FILE = "养老金发放明细（残疾人比对）.csv"
MEDICAL_HEADER = ("参保人姓名", "公民身份号码", "乡镇", "村（社区）", "就诊机构", "结算时间", "医疗费总额",
                  "基金支付总额", "个人负担总金额", "个人现金支出")  # fmt: skip
DISABILITY_HEADER = (
    "序号",
    "乡镇（街道）",
    "村（社区）",
    "姓名",
    "性别",
    "身份证号",
    "残疾人证号",
    "残疾类别",
    "残疾等级",
)
PROVIDENT_HEADER = ("姓名", "身份证号", "单位名称", "缴存基数", "月缴存额", "缴存年月")
PENSION_HEADER = ("姓名", "身份证号", "待遇类型", "月发放金额", "发放年月")
HOSPITALS = ("县人民医院", "县中医院", "市第一人民医院", "省立医院", "镇卫生院")
CATEGORIES = ("视力", "听力", "言语", "肢体", "智力", "精神", "多重")  # the certificate's digits 1–7
LEVEL_SPELLINGS = (
    ("一级", "1级", "1", "壹级"),
    ("二级", "2级", "2", "贰级"),
    ("三级", "3级", "3"),
    ("四级", "4级", "4"),
)


@dataclass
class Health:
    settlements: list[tuple[str | float | dt.date, ...]] = dataclasses.field(default_factory=list)
    disabled: list[list[str]] = dataclasses.field(default_factory=list)
    provident: list[list[str]] = dataclasses.field(default_factory=list)
    pension: list[list[str]] = dataclasses.field(default_factory=list)
    listed: set[str] = dataclasses.field(default_factory=set)  # IDs with an OMISSION truth row
    sick: list[Who] = dataclasses.field(default_factory=list)  # the 因病 cases


def add_health(c: Ctx, seed: int, out_dir: Path) -> list[Path]:
    """Plant the cases (truth into ``c``), write the four files and the threshold; the files written."""
    h = dataclasses.replace(c, rng=random.Random(f"{seed}/health"))
    health = Health()
    _plant_medical(h, health)
    _plant_disability(h, health)
    files = [out_dir / name for name in (MEDICAL_FILE, DISABILITY_FILE, PROVIDENT_FILE, PENSION_FILE)]
    write_xlsx(files[0], "结算明细", [MEDICAL_HEADER, *health.settlements], c.w.month)
    files[1].write_bytes(csv_bytes([list(DISABILITY_HEADER), *health.disabled], "gbk"))
    files[2].write_bytes(csv_bytes([list(PROVIDENT_HEADER), *health.provident], "gbk"))
    files[3].write_bytes(csv_bytes([list(PENSION_HEADER), *health.pension], "gbk"))
    write_rule_settings(out_dir, "omission", {"medical_out_of_pocket_12m": MEDICAL_THRESHOLD})
    return files


def _omitted(c: Ctx, health: Health, who: Who, town: str) -> None:
    if who.id18 not in health.listed:
        health.listed.add(who.id18)
        warn(c, "OMISSION", who, (town, "", ""), "纳入排查")


def _named(c: Ctx, years: tuple[int, int]) -> Who:
    while True:
        who = stranger(c, years)
        if gbk_ok(who.name):
            return who


def _aged(c: Ctx, low: int, high: int) -> Who:
    """Somebody on no roll aged low..high on the month's last day."""
    year = c.last.year
    while True:
        who = _named(c, (year - high - 1, year - low))
        if low <= age_on(who.birth, c.last) <= high:
            return who


def _split(rng: random.Random, total_cents: int, parts: int) -> list[int]:
    """total_cents in `parts` positive amounts."""
    cuts = sorted(rng.sample(range(1, total_cents), parts - 1)) if parts > 1 else []
    bounds = [0, *cuts, total_cents]
    return [b - a for a, b in zip(bounds, bounds[1:], strict=False)]


def _settle(c: Ctx, health: Health, who: Who, town: str, village: str, own_cents: int, days: tuple[dt.date, dt.date],
            id_text: str | None = None) -> None:  # fmt: skip
    rng = c.rng
    parts = _split(rng, own_cents, 1 + int(rng.random() * 4)) if own_cents > 400 else [own_cents]
    for part in parts:
        own = part / 100
        total = round(own / (0.2 + 0.4 * rng.random()), 2)
        cash = round(own * (0.9 + 0.1 * rng.random()), 2)
        day = day_between(rng, *days)
        when = (
            f"{day:%Y-%m-%d} {8 + int(rng.random() * 10):02d}:{int(rng.random() * 60):02d}:{int(rng.random() * 60):02d}"
        )
        ident = id_text or fast_light_id(rng, who.id18)
        health.settlements.append((who.name, Text(ident), town, village, HOSPITALS[int(rng.random() * 5)], when,
                                   total, round(total - own, 2), own, cash))  # fmt: skip


def _plant_medical(c: Ctx, health: Health) -> None:
    m = c.w.month
    window = (first_day(m - 11), last_day(m - 1))  # extracts hold nothing after last month
    before = (first_day(m - 23), last_day(m - 12))
    threshold = MEDICAL_THRESHOLD * 100
    rng = c.rng
    for i in range(quota(c.n, 0.004, 4)):  # over the threshold: 因病
        who, town = _named(c, (1940, 2010)), any_town(c)
        village = town.villages[int(rng.random() * len(town.villages))]
        own = threshold if i == 0 else threshold + int(rng.random() * threshold * 1.5)
        _settle(c, health, who, town.name, village, own, window)
        _omitted(c, health, who, town.name)
        health.sick.append(who)
    for _ in range(quota(c.n, 0.003, 3)):  # under it
        who, town = _named(c, (1940, 2010)), any_town(c)
        _settle(
            c, health, who, town.name, town.villages[0], threshold - 1 - int(rng.random() * threshold * 0.4), window
        )
        negative(c, "OMISSION", who, "医保个人自付近12个月合计未达门槛")
    for _ in range(quota(c.n, 0.002, 2)):  # over it only with settlements older than 12 months
        who, town = _named(c, (1940, 2010)), any_town(c)
        old = threshold + int(rng.random() * threshold)
        _settle(c, health, who, town.name, town.villages[0], old, before)
        _settle(c, health, who, town.name, town.villages[0], int(threshold * 0.3), window)
        negative(c, "OMISSION", who, "医保个人自付超过门槛的部分结算于12个月以前")
    for p in pick(c, quota(c.n, 0.003, 3), lambda p: gbk_ok(p.name)):  # on a roll
        town = c.w.townships[p.household.township]
        name = written_name(rng, p.name)
        who = dataclasses.replace(who_of(p), name=name if gbk_ok(name) else p.name)
        _settle(c, health, who, town.name, "", threshold * 2, window, written_id(rng, p.id18))
        negative(c, "OMISSION", who_of(p), "医保个人自付超过门槛，但在本月花名册上")
    for _ in range(quota(c.n, 0.03, 10)):  # everyday care, far under the threshold
        who, town = _named(c, (1940, 2020)), any_town(c)
        _settle(c, health, who, town.name, town.villages[0], 2000 + int(rng.random() * 200000), window)
    rng.shuffle(health.settlements)


def _certificate(who: Who, category: int, level: int) -> str:
    return f"{who.id18}{category}{level}"


def _register(c: Ctx, health: Health, who: Who, category: int, level: int, town: str = "", village: str = "") -> None:
    """A row of 残联's register, its level spelt one of the ways exports spell it; one in ten gives
    only the certificate number."""
    rng = c.rng
    if not town:
        place = any_town(c)
        town, village = place.name, place.villages[int(rng.random() * len(place.villages))]
    spellings = LEVEL_SPELLINGS[level - 1]
    only_certificate = rng.random() < 0.1
    cert = _certificate(who, category, level) if only_certificate or rng.random() < 0.5 else ""
    kind = "" if only_certificate else CATEGORIES[category - 1] + ("残疾" if rng.random() < 0.5 else "")
    written = "" if only_certificate else spellings[int(rng.random() * len(spellings))]
    health.disabled.append(["", town, village, who.name, "男" if who.male else "女", fast_light_id(rng, who.id18),
                            cert, kind, written])  # fmt: skip


def _months_back(c: Ctx, first: int, last: int) -> list[str]:
    """YYYY-MM of the months `first`..`last` months before this one (1 = last month)."""
    m = c.w.month
    return [f"{first_day(m - k):%Y-%m}" for k in range(first, last + 1)]


def _wage(c: Ctx, health: Health, who: Who, months: list[str]) -> None:
    base = 2000 + int(c.rng.random() * 3000)
    health.provident += [[who.name, who.id18, "县残疾人托养中心", str(base), str(base // 10), m] for m in months]


def _plant_disability(c: Ctx, health: Health) -> None:
    rng = c.rng
    severe = ((4, 1), (4, 2), (1, 1), (1, 2), (2, 1), (7, 2), (5, 3), (6, 3), (5, 2), (6, 1))
    for i in range(quota(c.n, 0.004, 6)):  # 重残: working age, no wage, no pension
        low, high = ((18, 18), (59, 59))[i] if i < 2 else (18, 59)
        who = _aged(c, low, high)
        town = any_town(c)
        _register(c, health, who, *severe[i % len(severe)], town.name, town.villages[0])
        if i % 5 == 4:  # a wage that stopped more than 12 months ago is no wage now
            _wage(c, health, who, _months_back(c, 13, 18))
        _omitted(c, health, who, town.name)
    working = [who for who in health.sick if 18 <= age_on(who.birth, c.last) <= 59]
    for who in working[:2]:  # also 因病: one warning, both reasons
        _register(c, health, who, 4, 1)
    near = (
        ((17, 17), (4, 1), "重残但未满18周岁"),
        ((60, 60), (4, 2), "重残但已满60周岁"),
        ((18, 59), (4, 3), "三级肢体残疾不属重度"),
        ((18, 59), (1, 4), "四级残疾不属重度"),
    )
    for ages, (category, level), why in near:
        for _ in range(quota(c.n, 0.001, 2)):
            who = _aged(c, *ages)
            _register(c, health, who, category, level)
            negative(c, "OMISSION", who, why)
    for _ in range(quota(c.n, 0.002, 3)):  # a wage in the last 12 months
        who = _aged(c, 18, 59)
        _register(c, health, who, 4, 2)
        _wage(c, health, who, _months_back(c, 1, 1 + int(rng.random() * 11)))
        negative(c, "OMISSION", who, "重残，但近12个月有公积金缴存")
    for _ in range(quota(c.n, 0.002, 3)):  # a pension in the last 12 months
        who = _aged(c, 45, 59)
        _register(c, health, who, 1, 1)
        health.pension += [[who.name, who.id18, "企业职工基本养老保险", "1650.00", m] for m in _months_back(c, 1, 6)]
        negative(c, "OMISSION", who, "重残，但近12个月有养老金发放")
    adults = pick(c, quota(c.n, 0.003, 3), lambda p: gbk_ok(p.name) and 18 <= age_on(p.birth, c.last) <= 59)
    for i, p in enumerate(adults):  # on a roll
        town = c.w.townships[p.household.township]
        name = written_name(rng, p.name)
        who = dataclasses.replace(who_of(p), name=name if gbk_ok(name) else p.name)
        _register(c, health, who, 4, 1, town.name, town.villages[p.household.village])
        negative(c, "OMISSION", who_of(p), "重残，但在本月花名册上")
        if i == 0:  # a job and a survivor's benefit two years ago: records of a roll member, long ended
            _wage(c, health, who, _months_back(c, 25, 27))
            health.pension.append([who.name, who.id18, "供养亲属抚恤金", "800.00", _months_back(c, 25, 25)[0]])
    for _ in range(quota(c.n, 0.02, 10)):  # the rest of the register: milder, or older
        who = _named(c, (1930, 2015))
        category = 1 + int(rng.random() * 7)
        # 三级 is severe for 智力 and 精神 (seed 004): theirs are 四级 here
        _register(c, health, who, category, 4 if category in (5, 6) else 3 + int(rng.random() * 2))
    rng.shuffle(health.disabled)
    for i, row in enumerate(health.disabled, 1):
        row[0] = str(i)
