"""The poverty-monitoring list (防返贫监测对象名单): roll households on it, and monitored households on
no roll (OMISSION) next to the ones that must not be flagged.
"""

from __future__ import annotations

from pathlib import Path

from hexiao_dev.sample.dates import ym_label
from hexiao_dev.sample.people import COUNTY_NAME, Household, quota
from hexiao_dev.sample.planting import (
    Ctx,
    any_village,
    fast_light_id,
    gbk_ok,
    negative,
    stranger,
    warn,
    who_of,
    written_id,
    written_name,
)
from hexiao_dev.sample.writing import csv_bytes, padded, with_blank

MONITORED = ("脱贫不稳定户", "边缘易致贫户", "突发严重困难户", "未脱贫户")
POVERTY_HEADER = ("乡镇（街道）", "村（社区）", "户主身份证号", "姓名", "身份证号", "监测对象类别", "风险是否消除")


def plant_poverty(c: Ctx, crem_taken: set[int]) -> list[list[str]]:
    """Roll households on the list (no warning) and households on no roll (OMISSION unless plain or cleared)."""
    rng, w, rows = c.rng, c.w, []

    def listable(hh: Household) -> bool:
        members = hh.members
        return all(m.usable_id and m.pid not in crem_taken and gbk_ok(m.name) for m in members)

    picked = [hh for hh in c.households if listable(hh)][: quota(len(w.households), 0.08, 6)]
    for hh in picked:
        town = w.townships[hh.township]
        category = rng.choices(("脱贫户", *MONITORED), (40, 20, 20, 10, 10))[0]
        cleared = rng.choice(("是", "否", "否"))
        for m in hh.members:
            name = written_name(rng, m.name)
            name = name if gbk_ok(name) else m.name
            head = fast_light_id(rng, hh.members[0].id18)
            rows.append([town.name, town.villages[hh.village], head, name, written_id(rng, m.id18), category, cleared])
            if category in MONITORED and cleared != "是":
                negative(c, "OMISSION", who_of(m), "monitored, but on a roll this month")
    plans = (("omitted", 0.01, 3), ("plain", 0.01, 2), ("cleared", 0.004, 1))
    for plan, rate, least in plans:
        target = quota(c.n, rate, least)
        done = 0
        while done < target:
            t = rng.randrange(len(w.townships))
            town, village = w.townships[t], w.townships[t].villages[any_village(c, t)]
            size = min(target - done, rng.choice((1, 1, 2, 3)))
            people = [stranger(c, (1945, 1995))] + [stranger(c, (1950, 2020)) for _ in range(size - 1)]
            category = MONITORED[c.counters["monitored"] % 4] if plan != "plain" else "脱贫户"
            c.counters["monitored"] += 1
            for who in people:
                cleared = (
                    "是" if plan == "cleared" else rng.choice(("否", "否", "否", "")) if plan == "omitted" else "否"
                )
                rows.append(
                    [town.name, village, people[0].id18, who.name, fast_light_id(rng, who.id18), category, cleared]
                )
                if plan == "omitted":
                    warn(c, "OMISSION", who, (town.name, "", ""), "纳入排查")
                else:
                    negative(c, "OMISSION", who, "脱贫户 is not monitored" if plan == "plain" else "风险是否消除 = 是")
            done += size
    return sorted(rows, key=lambda row: (row[0], row[1]))  # by township and village (a stable sort)


def write_poverty(c: Ctx, rows: list[list[str]], path: Path) -> None:
    """GBK, a title row padded with commas, a blank row."""
    title = padded(f"{COUNTY_NAME}防返贫监测对象名单（{ym_label(c.w.month)}）", len(POVERTY_HEADER))
    path.write_bytes(csv_bytes([title, list(POVERTY_HEADER), *with_blank(rows, 0.5)], "gbk"))
