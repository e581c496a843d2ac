"""Benchmark data at any scale: a month's rolls and six extracts for one province, vectorised and seeded.

    python -m hexiao_dev.bench.datagen --out /tmp/bench --scale province   # or --households N

writes `<out>/inbox/` (the input files, flat, named so that `hexiao match --inbox` tells each kind)
and `<out>/truth/truth_deceased.csv` (the planted deaths). Everything is built from Polars
expressions over whole columns (see `hexiao_dev.bench.synth` for the randomness and the people); the
big extracts are built and written in chunks of rows, so memory stays flat as the scale grows.

Per household (about 2.1 persons) the files hold: roll persons; vehicle ≈ 5×, property ≈ 2.3×,
business ≈ 0.7×, public payroll ≈ 0.1×, poverty list ≈ 0.33× and cremation ≈ 1.3 % of the persons.
The extracts are whole registers: most of their people are on no roll, a small share are roll
members (`registers.HITS`). Planted deaths (≈ 0.4 % of roll persons, dead in `month` or in the twelve
months before) are written in the forms of `FORMS` and listed in the truth file; the other cremation
rows are decoys, a tenth of them carrying the exact name of a roll member with another ID.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import polars as pl

from hexiao_dev.bench import registers as r
from hexiao_dev.bench import synth as s
from hexiao_dev.bench.registers import World, frame, month_first
from hexiao_dev.bench.synth import add_random, below, choice, table

SCALES = {"county": 25_000, "city": 250_000, "province": 1_400_000}
FORMS = ("exact", "id15", "typo_sub", "typo_swap", "excel_numeric", "homophone")
KINDS = ("roll", "cremation", "vehicle", "property", "business", "employee", "poverty")

ROLL_HEADER = ("乡镇（街道）", "村（社区）", "户编号", "户主姓名", "户主身份证号", "姓名", "身份证号", "与户主关系",
               "保障类别", "保障级别", "月保障金额", "保障起始年月")  # fmt: skip
CREMATION_HEADER = ("逝者姓名", "逝者身份证号", "死亡日期", "火化日期", "殡仪馆")
TRUTH_HEADER = ("id_number", "name", "household_id", "form", "death_date")

# Rows per roll person.
_PER_PERSON = {"vehicle": 5.0, "property": 2.3, "business": 0.7, "employee": 0.1, "poverty": 0.33, "cremation": 0.013}
_DEATH_SHARE = 0.004
_FORM_SHARES = (("homophone", 0.05), ("id15", 0.05), ("typo_sub", 0.07), ("typo_swap", 0.05), ("excel_numeric", 0.05))
_CHUNK = 2_000_000
_POPULATION_PER_PERSON = 20  # the registers' population, in roll persons
_BOM = b"\xef\xbb\xbf"

_ROLL_MESS = s.IdMess(spaces=0.01, legacy15=0.003, sci=0.001, numeric=0.001, wrong_check=0.002, lower_x=0.3)
_LIGHT_MESS = s.IdMess(spaces=0.05, lower_x=0.5)
_USABLE = ("clean", "spaces", "lower_x", "legacy15")  # roll ID states that still normalise to the ID

CITY, RURAL, TEKUN = "城市低保", "农村低保", "特困供养"
_AMOUNTS = {(CITY, "A"): (600, 900), (CITY, "B"): (420, 700), (CITY, "C"): (200, 450),
            (RURAL, "A"): (500, 800), (RURAL, "B"): (350, 600), (RURAL, "C"): (200, 400)}  # fmt: skip


@dataclass(frozen=True)
class BenchFiles:
    directory: Path  # all input files, flat: an inbox
    truth_deceased: Path  # outside `directory`
    rows: dict[str, int]  # kind → data rows written (roll: person rows, without the blank and 合计 rows)


def _month_index(text: str) -> int:
    parts = text.split("-")
    if len(text) != 7 or len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise ValueError(f"month must look like 2026-11, got {text!r}")
    year, mon = int(parts[0]), int(parts[1])
    if not (1 <= mon <= 12 and 2013 <= year <= 2030):
        raise ValueError(f"month must lie between 2013-01 and 2030-12, got {text!r}")
    return year * 12 + mon - 1


# ---------------------------------------------------------------- the roll


def _households(n: int, w_seed: int, month: int) -> pl.DataFrame:
    names = ["hh_c", "hh_t", "hh_v", "hh_p", "hh_s", "hh_l", "hh_st", "hh_a", "hh_lane"]
    hh = add_random(frame(0, n, "_hk"), "_hk", w_seed, names)
    urban_split = (pl.col("hh_p") // 7) % 100
    program = (
        pl.when(below("hh_p", 0.09))
        .then(pl.lit(TEKUN))
        .when(pl.col("_t") < 3)
        .then(pl.when(urban_split < 80).then(pl.lit(CITY)).otherwise(pl.lit(RURAL)))
        .otherwise(pl.when(urban_split < 5).then(pl.lit(CITY)).otherwise(pl.lit(RURAL)))
    )
    hh = hh.with_columns(
        _c=(pl.col("hh_c") % s.N_COUNTIES).cast(pl.Int64),
        _t=(pl.col("hh_t") % s.TOWNSHIPS).cast(pl.Int64),
        _v=(pl.col("hh_v") % s.VILLAGES).cast(pl.Int64),
    )
    hh = hh.with_columns(program=program)
    tekun = pl.col("program") == TEKUN
    level_dibao = choice(pl.col("hh_l"), (("A", 20), ("B", 45), ("C", 35)))
    level_tekun = choice(pl.col("hh_l"), (("全自理", 60), ("半护理", 25), ("全护理", 15)))
    size_dibao = table([1] * 35 + [2] * 30 + [3] * 20 + [4] * 10 + [5] * 5, pl.Int64).gather(pl.col("hh_s") % 100)
    first = 2012 * 12
    hh = hh.with_columns(
        size=pl.when(tekun).then(1 + (pl.col("hh_s") % 20 == 0).cast(pl.Int64)).otherwise(size_dibao),
        level=pl.when(tekun).then(level_tekun).otherwise(level_dibao),
        start=first + (pl.col("hh_st") % (month - first)).cast(pl.Int64),
        head_lane=pl.when(tekun | below("hh_lane", 0.4)).then(s.LANE_ELDERLY).otherwise(s.LANE_ADULT),
    )
    lo, hi = pl.lit(900), pl.lit(1200)
    for (prog, lev), (a, b) in _AMOUNTS.items():
        hit = (pl.col("program") == prog) & (pl.col("level") == lev)
        lo, hi = pl.when(hit).then(a).otherwise(lo), pl.when(hit).then(b).otherwise(hi)
    hh = hh.with_columns(amount=(lo + pl.col("hh_a").cast(pl.Int64) % (hi - lo + 1)).cast(pl.Int64))
    # A roll reads township by township, village by village.
    hh = hh.sort("_c", "_t", "_v", "_hk").with_row_index("hh").with_columns(pl.col("hh").cast(pl.Int64))
    area = table(s.AREA_CODES).gather(pl.col("_c"))
    return hh.with_columns(household_id=pl.concat_str(area, pl.col("hh").cast(pl.String).str.zfill(10))).collect()


def _build_roll(households: int, seed: int, month: int, keys: s.IdKeys) -> pl.DataFrame:
    hh = _households(households, seed, month)
    p = hh.lazy().with_columns(_member=pl.int_ranges(0, pl.col("size"))).explode("_member")
    p = p.with_row_index("_r").with_columns(pl.col("_r").cast(pl.Int64), pl.col("_member").cast(pl.Int64))
    p = add_random(p, "_r", seed, ["pr_rel", "pr_sex", "pr_name", "pr_mess", "pr_mess2", "pr_nm"])
    head = pl.col("_r") - pl.col("_member")
    rel = pl.col("pr_rel") % 100
    # 0 head, 1 spouse, 2 child, 3 grandchild, 4 parent
    kind = (
        pl.when(pl.col("_member") == 0)
        .then(0)
        .when(pl.col("_member") == 1)
        .then(pl.when(rel < 80).then(1).otherwise(2))
        .otherwise(pl.when(rel < 85).then(2).when(rel < 95).then(3).otherwise(4))
    )
    p = p.with_columns(_kind=kind, _male0=pl.col("pr_sex") % 2 == 1)
    p = p.with_columns(
        _male=pl.when(pl.col("_kind") == 1).then(~pl.col("_male0").gather(head)).otherwise(pl.col("_male0")),
        _lane=pl.when(pl.col("program") == TEKUN)
        .then(s.LANE_ELDERLY)
        .when(pl.col("_kind") <= 1)
        .then(pl.col("head_lane"))
        .when(pl.col("_kind") == 4)
        .then(s.LANE_ELDERLY)
        .otherwise(s.LANE_ANY),
    )
    relations = ["户主", "户主", "配偶", "配偶", "女", "子", "孙女", "孙子", "母亲", "父亲"]
    p = p.with_columns(
        relation=table(relations).gather(pl.col("_kind") * 2 + pl.col("_male").cast(pl.Int64)),
        _k=pl.int_range(pl.len(), dtype=pl.Int64).over("_c", "_lane"),
        _g=((pl.col("pr_sex") // 2) % 5) * 2 + pl.col("_male").cast(pl.UInt32),
        _d2=(pl.col("pr_sex") // 64) % 10,
        _hn=pl.col("pr_name"),
    )
    p = s.with_name_parts(s.with_ids(p, keys))
    # Children and grandchildren carry the head's surname.
    p = p.with_columns(_sur=pl.when(pl.col("_kind").is_in([2, 3])).then(pl.col("_sur").gather(head)).otherwise("_sur"))
    p = s.build_names(p).with_columns(id_state=s.id_states("pr_mess", pl.col("id18"), _ROLL_MESS))
    nm = pl.col("pr_nm") % 1000
    name = pl.col("name")
    p = p.with_columns(
        id_raw=s.id_text(pl.col("id18"), pl.col("id_state"), pl.col("pr_mess2")),
        name_raw=pl.when(nm < 5)
        .then(pl.concat_str(name.str.slice(0, 1), pl.lit(" "), name.str.slice(1)))
        .when(nm < 8)
        .then(pl.concat_str(name, pl.lit(" ")))
        .otherwise(name),
    )
    ym = pl.col("start")
    p = p.with_columns(
        head_name=pl.col("name").gather(head),
        head_id_raw=pl.col("id_raw").gather(head),
        township=table(s.township_names()).gather(pl.col("_c") * s.TOWNSHIPS + pl.col("_t")),
        village=table(s.village_names()).gather(
            (pl.col("_c") * s.TOWNSHIPS + pl.col("_t")) * s.VILLAGES + pl.col("_v")
        ),
        amount_text=pl.concat_str(
            pl.col("amount").cast(pl.String),
            pl.when(pl.col("pr_mess2") % 10 < 3).then(pl.lit(".00")).otherwise(pl.lit("")),
        ),
        start_text=pl.concat_str(
            (ym // 12).cast(pl.String),
            pl.when(pl.col("pr_mess2") % 7 < 5).then(pl.lit("-")).otherwise(pl.lit("")),
            (ym % 12 + 1).cast(pl.String).str.zfill(2),
        ),
    )
    return p.drop([c for c in p.collect_schema().names() if c.startswith(("pr_", "hh_"))]).collect()


def _check_capacity(roll: pl.DataFrame) -> None:
    worst = roll.group_by("_lane").agg(pl.col("_k").max()).rows()
    for lane, k in worst:
        if k >= s.LANE_CAPACITY[lane]:
            raise ValueError("too many households for the ID space of 100 counties")


# ---------------------------------------------------------------- writing


def _write_roll(w: World, path: Path, programs: list[str], bom: bool) -> int:
    part = w.roll.filter(pl.col("program").is_in(programs))
    cols = ["township", "village", "household_id", "head_name", "head_id_raw", "name_raw", "id_raw", "relation",
            "program", "level", "amount_text", "start_text"]  # fmt: skip
    out = part.select([pl.col(c).alias(h) for c, h in zip(cols, ROLL_HEADER, strict=True)])
    blank = pl.DataFrame({h: [None] for h in ROLL_HEADER}, schema=dict.fromkeys(ROLL_HEADER, pl.String))
    total = blank.with_columns(
        pl.lit("合计").alias(ROLL_HEADER[0]), pl.lit(f"{int(part['amount'].sum())}.00").alias(ROLL_HEADER[10])
    )
    middle = out.height // 2
    # The blank row someone left when pasting two sheets together, and the sum line at the bottom.
    out = pl.concat([out.head(middle), blank, out.slice(middle), total])
    with path.open("wb") as handle:
        if bom:
            handle.write(_BOM)
        out.write_csv(handle)
    return part.height


def _write_gb18030(path: Path, frame: pl.DataFrame, title: str, pad: bool) -> None:
    """GB18030 with a title row above the header (padded with commas as Excel saves a merged cell)."""
    line = title + ("," * (frame.width - 1) if pad else "")
    path.write_bytes((line + "\n" + frame.write_csv()).encode("gb18030"))


def _write_chunked(path: Path, rows: int, build: Callable[[int, int], pl.DataFrame], bom: bool) -> None:
    with path.open("wb") as handle:
        _write_chunks(handle, rows, build, bom)


def _write_chunks(handle: BinaryIO, rows: int, build: Callable[[int, int], pl.DataFrame], bom: bool) -> None:
    if bom:
        handle.write(_BOM)
    for start in range(0, max(rows, 1), _CHUNK):
        build(start, min(rows, start + _CHUNK)).write_csv(handle, include_header=start == 0)


# ---------------------------------------------------------------- deaths and cremation


def _death_month(w: World, random: str, not_before: pl.Expr | None) -> pl.Expr:
    back = pl.when(below(random, 0.15)).then(0).otherwise(1 + pl.col(random).cast(pl.Int64) % 12)
    month = w.month - back
    return month if not_before is None else pl.max_horizontal(month, not_before)


def _deaths(w: World) -> pl.DataFrame:
    """The planted deaths: elderly roll members with a usable roll ID, each with a form."""
    n = max(24, round(_DEATH_SHARE * w.persons))
    cand = w.roll.lazy().filter((pl.col("_lane") == s.LANE_ELDERLY) & pl.col("id_state").is_in(_USABLE))
    cand = add_random(cand, "_r", w.seed, ["death_pick"]).sort("death_pick", "_r").head(n)
    d = cand.with_columns(
        _hom=s.homophone(pl.col("name")), _ok15=pl.col("id18").str.slice(6, 2) == "19", form=pl.lit(None, pl.String)
    )
    ok = {"homophone": pl.col("_hom").is_not_null(), "id15": pl.col("_ok15"),
          "excel_numeric": ~pl.col("id18").str.ends_with("000")}  # fmt: skip
    for form, share in _FORM_SHARES:
        free = pl.col("form").is_null() & ok.get(form, pl.lit(True))
        take = free & (free.cast(pl.Int64).cum_sum() <= max(2, round(share * n)))
        d = d.with_columns(form=pl.when(take).then(pl.lit(form)).otherwise(pl.col("form")))
    d = add_random(
        d.with_columns(pl.col("form").fill_null("exact")), "_r", w.seed, ["d_back", "d_day", "d_crem", "d_x"]
    )
    d = d.with_columns(_dm=_death_month(w, "d_back", pl.col("start")))
    d = d.with_columns(death=s.day_in_month(pl.col("_dm"), pl.col("d_day").cast(pl.Int64)))
    return d.with_columns(
        crem=pl.min_horizontal(pl.col("death") + pl.col("d_crem").cast(pl.Int64) % 5, month_first(w.month + 1) - 1),
        id_written=_death_id(pl.col("form"), pl.col("id18"), pl.col("d_x")),
        name_written=pl.when(pl.col("form") == "homophone")
        .then(pl.col("_hom"))
        .when((pl.col("form") == "exact") & below("d_x", 0.15))
        .then(s.traditional(pl.col("name")))
        .otherwise(pl.col("name")),
        key=pl.col("_r"),
    ).collect()


def _death_id(form: pl.Expr, id18: pl.Expr, random: pl.Expr) -> pl.Expr:
    r = random.cast(pl.Int64)
    # typo_sub: one digit at positions 3-15 replaced by another.
    pos = 2 + r % 13
    digit = id18.str.slice(pos, 1).cast(pl.Int64)
    sub = pl.concat_str(id18.str.head(pos), ((digit + 1 + (r // 13) % 9) % 10).cast(pl.String), id18.str.slice(pos + 1))
    # typo_swap: the first pair of adjacent, different digits from a random position on.
    start = (r // 1024) % 12
    candidates = []
    for j in range(12):
        i = 2 + (start + j) % 12
        candidates.append(pl.when(id18.str.slice(i, 1) != id18.str.slice(i + 1, 1)).then(i))
    i = pl.coalesce(candidates)
    swap = pl.concat_str(id18.str.head(i), id18.str.slice(i + 1, 1), id18.str.slice(i, 1), id18.str.slice(i + 2))
    light = s.id_text(id18, s.id_states("d_x", id18, _LIGHT_MESS), random)
    return (
        pl.when(form == "id15")
        .then(s.legacy15_text(id18))
        .when(form == "typo_sub")
        .then(sub)
        .when(form == "typo_swap")
        .then(swap)
        .when(form == "excel_numeric")
        .then(s.numeric_text(id18))
        .when(form == "homophone")
        .then(id18)
        .otherwise(light)
    )


def _decoys(w: World, n: int) -> pl.DataFrame:
    """Cremation rows of people on no roll; a tenth carry the exact name of a roll member."""
    f = add_random(frame(0, n), "_j", w.seed, ["c_who", "c_same", "c_back", "c_day", "c_crem", "c_x"])
    f = s.with_population(f.with_columns(_q=pl.col("c_who") % w.population), w.seed, w.keys)
    f = f.with_columns(
        name=pl.when(below("c_same", 0.1))
        .then(pl.lit(w.roll["name"]).gather(pl.col("c_same") % w.persons))
        .otherwise(pl.col("name")),
        death=s.day_in_month(_death_month(w, "c_back", None), pl.col("c_day").cast(pl.Int64)),
    )
    return f.with_columns(
        crem=pl.min_horizontal(pl.col("death") + pl.col("c_crem").cast(pl.Int64) % 5, month_first(w.month + 1) - 1),
        id_written=s.id_text(pl.col("id18"), s.id_states("c_x", pl.col("id18"), _LIGHT_MESS), pl.col("c_x")),
        name_written=pl.col("name"),
        key=w.persons + pl.col("_j"),
    ).collect()


def _cremation(w: World, deaths: pl.DataFrame, rows: int) -> pl.DataFrame:
    decoys = _decoys(w, max(10, rows - deaths.height))
    cols = ["name_written", "id_written", "death", "crem", "_c", "key"]
    both = pl.concat([deaths.select(cols), decoys.select(cols)]).sort("crem", "key").lazy()
    both = add_random(both, "key", w.seed, ["c_fmt"])
    return both.select(
        pl.col("name_written").alias("逝者姓名"),
        pl.col("id_written").alias("逝者身份证号"),
        s.date_text(pl.col("death"), pl.col("c_fmt")).alias("死亡日期"),
        s.date_text(pl.col("crem"), pl.col("c_fmt") // 4096).alias("火化日期"),
        pl.concat_str(s.city_of(pl.col("_c")), pl.lit("市殡仪馆")).alias("殡仪馆"),
    ).collect()


# ---------------------------------------------------------------- entry points


def generate_bench(out_dir: Path, *, households: int, month: str = "2026-11", seed: int = 7) -> BenchFiles:
    """Write `<out_dir>/inbox/*` and `<out_dir>/truth/truth_deceased.csv`; same arguments, same bytes."""
    if households < 100:
        raise ValueError("households must be at least 100")
    month_index = _month_index(month)
    keys = s.id_keys(seed)
    roll = _build_roll(households, seed, month_index, keys)
    _check_capacity(roll)
    population = min(s.POPULATION_CAPACITY, _POPULATION_PER_PERSON * roll.height)
    w = World(seed, month_index, keys, roll, population)
    inbox, truth_dir = Path(out_dir) / "inbox", Path(out_dir) / "truth"
    inbox.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    rows = {"roll": _write_roll(w, inbox / "花名册_城乡低保.csv", [CITY, RURAL], bom=True)}
    rows["roll"] += _write_roll(w, inbox / "花名册_特困供养.csv", [TEKUN], bom=False)

    deaths = _deaths(w)
    crem = _cremation(w, deaths, round(_PER_PERSON["cremation"] * w.persons))
    year, mon = month_index // 12, month_index % 12 + 1
    title = f"{s.PROVINCE}殡葬管理信息系统火化数据（{year - 1}年{mon}月至{year}年{mon}月）"
    _write_gb18030(inbox / "火化数据.csv", crem, title, pad=False)
    rows["cremation"] = crem.height
    truth = deaths.sort("id18").select(
        pl.col("id18").alias("id_number"),
        "name",
        "household_id",
        "form",
        s.iso_date(pl.col("death")).alias("death_date"),
    )
    truth_path = truth_dir / "truth_deceased.csv"
    truth.write_csv(truth_path)

    builders: dict[str, tuple[str, Callable[[World, int, int], pl.DataFrame], bool]] = {
        "vehicle": ("车辆登记.csv", r.vehicle, True),
        "property": ("不动产登记.csv", r.property_, False),
        "business": ("市场主体登记.csv", r.business, True),
        "employee": ("财政供养人员.csv", r.employee, False),
    }
    for kind, (name, build, bom) in builders.items():
        rows[kind] = round(_PER_PERSON[kind] * w.persons)
        _write_chunked(inbox / name, rows[kind], lambda a, b, build=build: build(w, a, b), bom)  # type: ignore[misc]
    poverty = r.poverty(w, round(_PER_PERSON["poverty"] * w.persons))
    _write_gb18030(inbox / "防返贫监测名单.csv", poverty, f"{s.PROVINCE}{year}年{mon}月防止返贫监测对象名单", pad=True)
    rows["poverty"] = poverty.height
    return BenchFiles(inbox, truth_path, {k: rows[k] for k in KINDS})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hexiao_dev.bench.datagen", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="output directory (inbox/ and truth/ go inside)")
    parser.add_argument("--scale", choices=sorted(SCALES), default="county", help="county, city or province")
    parser.add_argument("--households", type=int, help="number of households (overrides --scale)")
    parser.add_argument("--month", default="2026-11", help="roll month YYYY-MM (default 2026-11)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    args = parser.parse_args(argv)
    households = args.households if args.households is not None else SCALES[args.scale]
    try:
        files = generate_bench(args.out, households=households, month=args.month, seed=args.seed)
    except ValueError as exc:
        parser.error(str(exc))
    summary = ", ".join(f"{kind} {count:,}" for kind, count in files.rows.items())
    sys.stderr.write(f"wrote {files.directory} ({summary}) and {files.truth_deceased}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
