"""The market-entity register and the public payroll: roll members who run a business (BUSINESS) or
draw a public salary (PUBLIC_EMPLOYEE), their near-misses, and people on no roll.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from hexiao_dev.sample.people import COUNTY_CODE, COUNTY_NAME, VILLAGE_STEMS, quota
from hexiao_dev.sample.planting import (
    CHECK,
    Ctx,
    age_on,
    any_town,
    damaged_stranger,
    far,
    fast_choice,
    fast_light_id,
    member_at,
    negative,
    of_age,
    pick,
    stranger,
    warn,
    who_of,
    written_id,
    written_name,
)
from hexiao_dev.sample.writing import csv_bytes, titled_sheet, with_blank, write_id_cell

ENTERPRISE_ROLES = ("法定代表人", "股东", "投资人", "高管")
OPEN_STATES, CLOSED_STATES = ("存续", "在业", "开业"), ("注销", "吊销")
STAFF_CATEGORIES = ("行政", "事业", "教师", "医护", "退休")

BUSINESS_HEADER = ("姓名", "身份证号", "企业名称", "统一社会信用代码", "人员身份", "登记状态")
PAYROLL_HEADER = ("姓名", "身份证号", "工作单位", "人员类别")

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_TRADES = ("商贸", "建筑工程", "农业科技", "物流", "餐饮管理", "装饰工程", "农机服务", "电子商务", "劳务", "养殖")
_SHOPS = ("便利店", "小吃店", "五金店", "理发店", "农资店", "超市", "水果店", "维修部", "饭店", "服装店")
_COUNTY_UNITS = (("人民医院", "医护"), ("中医院", "医护"), ("第一中学", "教师"), ("实验小学", "教师"),
                 ("财政局", "行政"), ("民政局", "行政"), ("农业农村局", "行政"), ("自然资源局", "行政"),
                 ("水利局", "事业"), ("广播电视台", "事业"), ("疾病预防控制中心", "医护"))  # fmt: skip


def _credit_code(rng: random.Random, sole: bool) -> str:
    """GB 32100 统一社会信用代码: 9 (工商) + 1 company / 2 个体工商户 + area + 9 chars + check character."""
    body = ("92" if sole else "91") + COUNTY_CODE + "".join(fast_choice(rng, _USCC_CHARS) for _ in range(9))
    total = sum(_USCC_CHARS.index(ch) * wt for ch, wt in zip(body, _USCC_WEIGHTS, strict=True))
    return body + _USCC_CHARS[(31 - total % 31) % 31]


def _entity(c: Ctx, people: Sequence[tuple[str, str, str]], sole: bool, active: bool) -> list[list[str]]:
    """Rows of one market entity: people are (name as written, ID as written, role)."""
    rng = c.rng
    if sole:
        town = any_town(c).name
        name = f"{COUNTY_NAME}{town}{people[0][0][:1]}记{fast_choice(rng, _SHOPS)}"
    else:
        name = f"{COUNTY_NAME}{fast_choice(rng, VILLAGE_STEMS)}{fast_choice(rng, _TRADES)}有限公司"
    status = rng.choices(OPEN_STATES, (55, 15, 5))[0] if active else rng.choices(CLOSED_STATES, (17, 8))[0]
    code = _credit_code(rng, sole)
    return [[who, text, name, code, role, status] for who, text, role in people]


def _company(c: Ctx, first: tuple[str, str], role: str, active: bool) -> list[list[str]]:
    years = (1960, c.w.month // 12 - 22)
    people = [(*first, role)]
    for other in ("股东", "高管", "投资人")[: c.rng.randint(0, 2)]:
        who = stranger(c, years)
        people.append((who.name, fast_light_id(c.rng, who.id18), other))
    if role != "法定代表人":
        who = stranger(c, years)
        people.insert(0, (who.name, who.id18, "法定代表人"))
    return _entity(c, people, False, active)


def plant_businesses(c: Ctx) -> list[list[str]]:
    rng, rows = c.rng, []
    planted = 0  # the roll members' roles go round ENTERPRISE_ROLES, so a small sample has each
    for kind in ("company", "sole", "both"):
        rate, least = (0.002, 1) if kind == "both" else (0.008, 2)
        for p in pick(c, quota(c.n, rate, least), of_age(c, 22)):
            first = (written_name(rng, p.name), written_id(rng, p.id18))
            if kind != "sole":
                rows += _company(c, first, ENTERPRISE_ROLES[planted % len(ENTERPRISE_ROLES)], True)
                planted += 1
            if kind != "company":
                rows += _entity(c, [(*first, "经营者")], True, True)
            warn(c, "BUSINESS", who_of(p), member_at(c, p), CHECK, "低" if kind == "sole" else "中")
    for i, p in enumerate(pick(c, quota(c.n, 0.008, 2), of_age(c, 22))):
        first = (written_name(rng, p.name), written_id(rng, p.id18))
        rows += (
            _company(c, first, rng.choice(ENTERPRISE_ROLES), False)
            if i % 2
            else _entity(c, [(*first, "经营者")], True, False)
        )
        negative(c, "BUSINESS", who_of(p), "only entities 注销/吊销")
    years = (1960, c.w.month // 12 - 22)
    while len(rows) < c.n // 2:
        who = stranger(c, years)
        first = (written_name(rng, who.name), fast_light_id(rng, who.id18))
        active = rng.random() < 0.75
        if rng.random() < 0.35:
            rows += _company(c, first, "法定代表人", active)
        else:
            rows += _entity(c, [(*first, "经营者")], True, active)
    return rows


def write_businesses(rows: list[list[str]], path: Path) -> None:
    """UTF-8 with BOM, header in the first row, a blank row."""
    path.write_bytes(csv_bytes([list(BUSINESS_HEADER), *with_blank(rows, 0.7)], "utf-8-sig"))


def _employer(c: Ctx, age: int) -> tuple[str, str]:
    rng = c.rng
    if rng.random() < 0.5:
        town = any_town(c).name
        unit, category = rng.choice(
            ((f"{town}人民政府", "行政"), (f"{town}中心学校", "教师"), (f"{town}卫生院", "医护"))
        )
    else:
        suffix, category = rng.choice(_COUNTY_UNITS)
        unit = COUNTY_NAME + suffix
    return unit, "退休" if age >= 60 else category


def plant_payroll(c: Ctx) -> list[tuple[str, str, str, str, bool]]:
    """(name, ID as written, employer, category, ID in a number cell)."""
    rng, last, rows = c.rng, c.last, []
    for p in pick(c, quota(c.n, 0.005, 2), lambda q: 22 <= age_on(q.birth, last) <= 80):
        rows.append((written_name(rng, p.name), written_id(rng, p.id18), *_employer(c, age_on(p.birth, last)), False))
        warn(c, "PUBLIC_EMPLOYEE", who_of(p), member_at(c, p), CHECK, "高")
    years = (1945, last.year - 22)
    for p in pick(c, quota(c.n, 0.002, 1), lambda q: q.name not in c.w.reserved_names and of_age(c, 30)(q)):
        twin = stranger(c, years, male=p.male)
        while twin.birth == p.birth or not far(twin.id18, p.id18):
            twin = stranger(c, years, male=p.male)
        rows.append((p.name, twin.id18, *_employer(c, age_on(twin.birth, last)), False))
        negative(c, "PUBLIC_EMPLOYEE", who_of(p), "payroll has a namesake with another ID and birth date")
    for who, text in (damaged_stranger(c, years, "numeric") for _ in range(quota(c.n, 0.0005, 1))):
        rows.append((who.name, text, *_employer(c, age_on(who.birth, last)), True))
    while len(rows) < 0.3 * c.n:
        who = stranger(c, years)
        rows.append(
            (written_name(rng, who.name), fast_light_id(rng, who.id18), *_employer(c, age_on(who.birth, last)), False)
        )
    rng.shuffle(rows)
    return rows


def write_payroll(c: Ctx, rows: list[tuple[str, str, str, str, bool]], path: Path) -> None:
    title = f"{COUNTY_NAME}财政供养人员名单"
    workbook, sheet, text = titled_sheet(path, c.w.month, "在编在岗及退休人员", title, PAYROLL_HEADER)
    sheet.set_column(1, 2, 26)
    for r, (name, id_text, unit, category, numeric) in enumerate(rows, start=2):
        sheet.write_string(r, 0, name)
        write_id_cell(sheet, r, 1, id_text, numeric, text)
        sheet.write_string(r, 2, unit)
        sheet.write_string(r, 3, category)
    workbook.close()
