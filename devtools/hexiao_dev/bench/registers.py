"""The registers' extracts of `hexiao_dev.bench.datagen`: vehicle, property, business, public payroll and
the poverty-monitoring list, built chunk by chunk from Polars expressions.

An extract is a whole register: its rows are people of the population (`synth.with_population`)
except for a small share (`HITS`) of roll members, who carry their true ID.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from hexiao_dev.bench import synth as s
from hexiao_dev.bench.synth import add_random, below, choice, table

VEHICLE_HEADER = ("机动车所有人", "身份证号码", "号牌号码", "车辆类型", "使用性质", "机动车状态", "初次登记日期")
PROPERTY_HEADER = ("权利人", "权利人证件号码", "不动产权证号", "坐落", "建筑面积", "规划用途", "登记日期")
BUSINESS_HEADER = ("姓名", "身份证号", "企业名称", "统一社会信用代码", "人员身份", "登记状态")
EMPLOYEE_HEADER = ("姓名", "身份证号", "工作单位", "人员类别")
POVERTY_HEADER = ("乡镇（街道）", "村（社区）", "户主身份证号", "姓名", "身份证号", "监测对象类别", "风险是否消除")

HITS = {"vehicle": 0.01, "property": 0.02, "business": 0.015, "employee": 0.02, "poverty": 0.03}  # roll members
EXTRACT_MESS = s.IdMess(spaces=0.005, legacy15=0.001, sci=0.0002, numeric=0.0005, lower_x=0.2)


@dataclass(frozen=True)
class World:
    seed: int
    month: int  # absolute month y * 12 + m - 1
    keys: s.IdKeys
    roll: pl.DataFrame  # one row per roll person (see _build_roll)
    population: int  # people q = 0 … population - 1 of the registers

    @property
    def persons(self) -> int:
        return self.roll.height


def frame(start: int, stop: int, key: str = "_j") -> pl.LazyFrame:
    return pl.LazyFrame({key: pl.int_range(start, stop, dtype=pl.Int64, eager=True)})


def month_first(month: int) -> int:
    """Day index of the first day of absolute month y * 12 + m - 1."""
    return s.day_index(dt.date(month // 12, month % 12 + 1, 1))


# ---------------------------------------------------------------- people in the extracts


def _people(rows: pl.LazyFrame, w: World, kind: str) -> pl.LazyFrame:
    """Rows `_j` → a person (`id18`, `name`, `_c`): a roll member for `HITS[kind]` of the rows,
    else somebody of the population; then the ID as written (`id_text`) and the name (`name_text`)."""
    hit, who, mess = f"{kind}_hit", f"{kind}_who", f"{kind}_mess"
    people = add_random(rows, "_j", w.seed, [hit, who, mess, f"{kind}_mess2"])
    people = people.with_columns(
        _q=pl.col(who) % w.population, _ri=pl.col(who) % w.persons, _hit=below(hit, HITS[kind])
    )
    people = s.with_population(people, w.seed, w.keys)
    people = people.with_columns(
        [
            pl.when(pl.col("_hit")).then(pl.lit(w.roll[c]).gather(pl.col("_ri"))).otherwise(pl.col(c)).alias(c)
            for c in ("id18", "name", "_c")
        ]
    )
    state = s.id_states(mess, pl.col("id18"), EXTRACT_MESS)
    trad = (pl.col(f"{kind}_mess2") % 1000) < 5
    return people.with_columns(
        id_text=s.id_text(pl.col("id18"), state, pl.col(f"{kind}_mess2")),
        name_text=pl.when(trad).then(s.traditional(pl.col("name"))).otherwise(pl.col("name")),
    )


def _digits(random: pl.Expr, width: int) -> pl.Expr:
    modulus = int(10**width)
    return (random % modulus).cast(pl.String).str.zfill(width)


def _township(county: pl.Expr, random: pl.Expr) -> pl.Expr:
    return table(s.township_names()).gather(county * s.TOWNSHIPS + random % s.TOWNSHIPS)


def vehicle(w: World, start: int, stop: int) -> pl.DataFrame:
    f = add_random(_people(frame(start, stop), w, "vehicle"), "_j", w.seed, ["v_plate", "v_plate2", "v_type", "v_day"])
    letters = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    plate = pl.concat_str(
        pl.lit(s.PLATE_PREFIX),
        table([s.CITIES[i][2] for i in s.AREA_CITY]).gather(pl.col("_c")),
        table(list(letters)).gather(pl.col("v_plate") % len(letters)),
        _digits(pl.col("v_plate2"), 4),
    )
    types = (("小型轿车", 30), ("小型普通客车", 22), ("轻型普通货车", 8), ("重型半挂牵引车", 2), ("普通二轮摩托车", 18),
             ("三轮汽车", 5), ("低速货车", 4), ("拖拉机", 6), ("残疾人专用小型自动挡载客汽车", 1), ("小型新能源汽车", 4))  # fmt: skip
    uses = (("非营运", 85), ("营运", 7), ("货运", 6), ("出租客运", 2))
    states = (("正常", 76), ("逾期未检验", 8), ("注销", 6), ("报废", 8), ("转出", 2))
    first, last = s.day_index(dt.date(2000, 1, 1)), month_first(w.month)
    day = pl.col("v_day").cast(pl.Int64) % (last - first) + first
    return f.select(
        pl.col("name_text").alias("机动车所有人"),
        pl.col("id_text").alias("身份证号码"),
        plate.alias("号牌号码"),
        choice(pl.col("v_type"), types).alias("车辆类型"),
        choice(pl.col("v_type") // 128, uses).alias("使用性质"),
        choice(pl.col("v_type") // 16384, states).alias("机动车状态"),
        s.date_text(day, pl.col("v_day") // 65536).alias("初次登记日期"),
    ).collect()


def property_(w: World, start: int, stop: int) -> pl.DataFrame:
    f = add_random(_people(frame(start, stop), w, "property"), "_j", w.seed, ["p_loc", "p_no", "p_area", "p_day"])
    first, last = s.day_index(dt.date(2015, 3, 1)), month_first(w.month)
    day = pl.col("p_day").cast(pl.Int64) % (last - first) + first
    city = s.city_of(pl.col("_c"))
    t = pl.col("p_loc") % s.TOWNSHIPS
    village = table(s.village_names()).gather(
        (pl.col("_c") * s.TOWNSHIPS + t) * s.VILLAGES + (pl.col("p_loc") // 16) % 20
    )
    estates = "阳光 幸福 锦绣 翡翠 东方 金色 香樟 和平 滨湖 世纪 新城 丽景 紫荆 春天 南山 御景".split()
    urban = pl.concat_str(
        city,
        pl.lit("市"),
        table(estates).gather((pl.col("p_loc") // 512) % len(estates)),
        pl.lit("小区"),
        (1 + (pl.col("p_no") // 1000) % 30).cast(pl.String),
        pl.lit("栋"),
        (1 + (pl.col("p_no") // 30000) % 4).cast(pl.String),
        pl.lit("单元"),
        (1 + (pl.col("p_no") // 120000) % 28).cast(pl.String),
        pl.lit("0"),
        (1 + (pl.col("p_no") // 4000000) % 4).cast(pl.String),
        pl.lit("室"),
    )
    rural = pl.concat_str(
        _township(pl.col("_c"), pl.col("p_loc")), village, (1 + pl.col("p_no") % 200).cast(pl.String), pl.lit("号")
    )
    uses = (
        ("住宅", 70),
        ("成套住宅", 12),
        ("商业", 4),
        ("商服", 2),
        ("办公", 1),
        ("车库", 5),
        ("车位", 4),
        ("工业", 1),
        ("其他", 1),
    )
    area = 3500 + pl.col("p_area") % 16000
    return f.select(
        pl.col("name_text").alias("权利人"),
        pl.col("id_text").alias("权利人证件号码"),
        pl.concat_str(
            pl.lit(s.PLATE_PREFIX + "("),
            s.year_of(day).cast(pl.String),
            pl.lit(")"),
            city,
            pl.lit("市不动产权第"),
            _digits(pl.col("p_no"), 7),
            pl.lit("号"),
        ).alias("不动产权证号"),  # fmt: skip
        pl.when((pl.col("p_loc") // 8) % 5 < 2).then(urban).otherwise(rural).alias("坐落"),
        pl.concat_str((area // 100).cast(pl.String), pl.lit("."), _digits(area, 2)).alias("建筑面积"),
        choice(pl.col("p_area") // 16000, uses).alias("规划用途"),
        s.date_text(day, pl.col("p_day") // 65536).alias("登记日期"),
    ).collect()


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _uscc(prefix: pl.Expr, county: pl.Expr, r1: pl.Expr, r2: pl.Expr) -> pl.Expr:
    """统一社会信用代码: 9[12] + area + MA + 7 random characters + the GB 32100 check character."""
    value = {ch: i for i, ch in enumerate(_USCC_CHARS)}
    area_ws = [sum(int(ch) * w for ch, w in zip(code, _USCC_WEIGHTS[2:8], strict=True)) for code in s.AREA_CODES]
    fixed = value["M"] * _USCC_WEIGHTS[8] + value["A"] * _USCC_WEIGHTS[9] + 9 * _USCC_WEIGHTS[0]
    picks = [(r1 // 31**i) % 31 for i in range(6)] + [r2 % 31]
    total = (prefix.cast(pl.Int64) * _USCC_WEIGHTS[1] + fixed + table(area_ws, pl.Int64).gather(county)).cast(
        pl.Int64
    ) + pl.sum_horizontal([pk.cast(pl.Int64) * _USCC_WEIGHTS[10 + i] for i, pk in enumerate(picks)])
    chars = table(list(_USCC_CHARS))
    return pl.concat_str(
        pl.lit("9"), prefix.cast(pl.String), table(s.AREA_CODES).gather(county), pl.lit("MA"),
        *[chars.gather(pk) for pk in picks], chars.gather((31 - total % 31) % 31),
    )  # fmt: skip


def business(w: World, start: int, stop: int) -> pl.DataFrame:
    f = add_random(_people(frame(start, stop), w, "business"), "_j", w.seed, ["b_kind", "b_name", "b_c1", "b_c2"])
    trades = (
        "商贸 建筑工程 农业科技 物流 餐饮管理 装饰工程 农机服务 电子商务 劳务 养殖 建材 家电 服装 五金 食品".split()
    )
    words = "鑫源 恒达 华宇 金润 盛泰 宏图 瑞丰 佳和 正阳 天成 安泰 永盛 博远 聚福 兴旺 德润".split()
    trade = table(trades).gather(pl.col("b_name") % len(trades))
    solo = below("b_kind", 0.6)  # 个体工商户, 经营者
    firm_name = pl.concat_str(
        pl.lit("安徽"), table(words).gather((pl.col("b_name") // 64) % len(words)), trade, pl.lit("有限公司")
    )
    solo_name = pl.concat_str(
        _township(pl.col("_c"), pl.col("b_name") // 4096), pl.col("name"), trade, pl.lit("经营部")
    )
    roles = (("法定代表人", 50), ("股东", 30), ("投资人", 10), ("高管", 10))
    states = (("存续", 50), ("在业", 15), ("开业", 10), ("注销", 20), ("吊销", 5))
    return f.select(
        pl.col("name_text").alias("姓名"),
        pl.col("id_text").alias("身份证号"),
        pl.when(solo).then(solo_name).otherwise(firm_name).alias("企业名称"),
        _uscc(pl.when(solo).then(2).otherwise(1), pl.col("_c"), pl.col("b_c1"), pl.col("b_c2")).alias(
            "统一社会信用代码"
        ),
        pl.when(solo).then(pl.lit("经营者")).otherwise(choice(pl.col("b_kind") // 8, roles)).alias("人员身份"),
        choice(pl.col("b_kind") // 1024, states).alias("登记状态"),
    ).collect()


def employee(w: World, start: int, stop: int) -> pl.DataFrame:
    f = add_random(_people(frame(start, stop), w, "employee"), "_j", w.seed, ["e_unit", "e_cat"])
    depts = ("财政局 教育局 公安局 自然资源和规划局 卫生健康委员会 住房和城乡建设局 交通运输局 农业农村局 民政局 "
             "人力资源和社会保障局 市场监督管理局 水利局").split()  # fmt: skip
    u = pl.col("e_unit")
    town = _township(pl.col("_c"), u // 64)
    unit = (
        pl.when(u % 4 == 0)
        .then(pl.concat_str(s.city_of(pl.col("_c")), pl.lit("市"), table(depts).gather((u // 4) % len(depts))))
        .when(u % 4 == 1)
        .then(pl.concat_str(town, pl.lit("人民政府")))
        .when(u % 4 == 2)
        .then(pl.concat_str(town, pl.lit("中心学校")))
        .otherwise(pl.concat_str(s.city_of(pl.col("_c")), pl.lit("市人民医院")))
    )
    cats = (("行政", 30), ("事业", 30), ("教师", 20), ("医护", 10), ("退休", 10))
    return f.select(
        pl.col("name_text").alias("姓名"),
        pl.col("id_text").alias("身份证号"),
        unit.alias("工作单位"),
        choice(pl.col("e_cat"), cats).alias("人员类别"),
    ).collect()


# ---------------------------------------------------------------- poverty list (households)


def poverty(w: World, rows: int) -> pl.DataFrame:
    """Whole households: roll households (about `HITS['poverty']` of the rows) and households of
    the population, whose members are people q of one county (q = base + block * 500 + i + 100 j)."""
    share = min(1.0, HITS["poverty"] * rows / max(1, w.persons))
    roll_hh = w.roll.lazy().with_columns(_hk=pl.col("hh")).pipe(add_random, "_hk", w.seed, ["pov_pick"])
    hits = roll_hh.filter(below("pov_pick", share)).select(
        "township", "village", "_c", "_t", "_v", "hh", "_member", "id18", "name",
        head_id=pl.col("id18").first().over("hh"),
    )  # fmt: skip
    n_hits = hits.select(pl.len()).collect().item()
    n_hh = max(1, round(max(0, rows - n_hits) / 2.38))
    others = add_random(frame(0, n_hh, "_i"), "_i", w.seed, ["pov_size", "pov_t"]).with_columns(
        size=table([1] * 30 + [2] * 30 + [3] * 20 + [4] * 12 + [5] * 8, pl.Int64).gather(pl.col("pov_size") % 100)
    )
    others = others.with_columns(_member=pl.int_ranges(0, pl.col("size"))).explode("_member")
    others = others.with_columns(
        _q=(pl.col("_i") // 100) * 500 + pl.col("_i") % 100 + 100 * pl.col("_member").cast(pl.Int64),
        hh=w.roll.height + pl.col("_i"),
    )
    others = s.with_population(others, w.seed, w.keys).with_columns(
        _t=(pl.col("pov_t") % s.TOWNSHIPS).cast(pl.Int64), _v=((pl.col("pov_t") // 16) % s.VILLAGES).cast(pl.Int64)
    )
    others = others.with_columns(
        township=table(s.township_names()).gather(pl.col("_c") * s.TOWNSHIPS + pl.col("_t")),
        village=table(s.village_names()).gather(
            (pl.col("_c") * s.TOWNSHIPS + pl.col("_t")) * s.VILLAGES + pl.col("_v")
        ),
        head_id=pl.col("id18").first().over("hh"),
    )
    cols = ["township", "village", "_c", "_t", "_v", "hh", "_member", "id18", "name", "head_id"]
    both = pl.concat([hits.select(cols), others.select(cols)]).sort("_c", "_t", "_v", "hh", "_member")
    both = both.with_columns(_j=pl.int_range(pl.len(), dtype=pl.Int64))
    both = add_random(both, "_j", w.seed, ["pov_mess", "pov_mess2"]).with_columns(_hk=pl.col("hh"))
    both = add_random(both, "_hk", w.seed, ["pov_cat"])
    cats = (("脱贫户", 60), ("脱贫不稳定户", 14), ("边缘易致贫户", 14), ("突发严重困难户", 8), ("未脱贫户", 4))
    trad = (pl.col("pov_mess2") % 1000) < 5
    return both.select(
        pl.col("township").alias("乡镇（街道）"),
        pl.col("village").alias("村（社区）"),
        pl.col("head_id").alias("户主身份证号"),
        pl.when(trad).then(s.traditional(pl.col("name"))).otherwise(pl.col("name")).alias("姓名"),
        s.id_text(pl.col("id18"), s.id_states("pov_mess", pl.col("id18"), EXTRACT_MESS), pl.col("pov_mess2")).alias(
            "身份证号"
        ),
        choice(pl.col("pov_cat"), cats).alias("监测对象类别"),
        pl.when(below("pov_cat", 0.45)).then(pl.lit("是")).otherwise(pl.lit("否")).alias("风险是否消除"),
    ).collect()
