"""Vectorised building blocks of `hexiao_dev.bench.datagen`: seeded randomness, people (GB 11643 IDs and
names), places, dates and the mess of real exports, all as Polars expressions over whole columns.

Randomness. A random column is a 32-bit hash of a row key: the key XOR a constant drawn from
(seed, column name), then MurmurHash3's 32-bit finaliser twice. A value depends only on the seed,
the column's name and the key, never on chunking, threads or evaluation order, so the output is
byte-identical run to run. The finaliser needs UInt32 multiplication to wrap modulo 2**32, which
Polars does; `hash_py` is the same function in plain Python and a test holds the two together.

People. A person is (county c, lane, k): the lane fixes a birth-date range and a set of values of
the sequence's leading digits (its slots); k numbers the people of one county and lane.
`with_ids` maps k through a seeded bijection onto (birth date, slot), so distinct people get
distinct IDs without any de-duplication. Roll people (lanes 0–2, numbered per county and lane)
own a first sequence digit per (county, birth date), so even their first 15 digits — all an Excel
numeric cell keeps — are unique, and no one off the roll shares them. Everybody else (the
registers' population) is person q: county q % 100, lane 3, k = q // 100 — a pure function of q,
so the same q is the same person in every extract.
"""

from __future__ import annotations

import datetime as dt
import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import polars as pl

from hexiao_dev.sample.names import FEMALE_CHARS, MALE_CHARS  # one pool of given-name characters

U32 = pl.UInt32
_MASK = 0xFFFFFFFF
_ROUNDS = ((65536, 0x85EBCA6B), (8192, 0xC2B2AE35), (65536, 0))
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"

# ---------------------------------------------------------------- randomness


def _fmix(x: int) -> int:
    for shift, mul in _ROUNDS:
        x ^= x // shift
        if mul:
            x = (x * mul) & _MASK
    return x


def stream_constant(seed: int, name: str) -> int:
    return _fmix(_fmix((zlib.crc32(name.encode()) ^ (seed * 0x9E3779B1)) & _MASK) ^ 0x7F4A7C15)


def hash_py(seed: int, name: str, key: int) -> int:
    """The value `add_random` puts in column `name` for row key `key`."""
    return _fmix(_fmix((key & _MASK) ^ stream_constant(seed, name)))


def add_random(frame: pl.LazyFrame, key: str, seed: int, names: Sequence[str]) -> pl.LazyFrame:
    """One uniform UInt32 column per name, a hash of column `key` (< 2**32). Built in stages of
    plain columns: a nested expression would repeat every sub-expression many times over."""
    frame = frame.with_columns(
        [(pl.col(key).cast(U32) ^ pl.lit(stream_constant(seed, n), U32)).alias(n) for n in names]
    )
    for _ in range(2):
        for shift, mul in _ROUNDS:
            frame = frame.with_columns([(pl.col(n) ^ (pl.col(n) // shift)).alias(n) for n in names])
            if mul:
                frame = frame.with_columns([(pl.col(n) * pl.lit(mul, U32)).alias(n) for n in names])
    return frame


def below(column: str, share: float) -> pl.Expr:
    """True for about `share` of the rows of a random column."""
    return pl.col(column).cast(pl.Int64) < round(share * 2**32)


def table(values: Sequence[object], dtype: pl.DataType | type[pl.DataType] = pl.String) -> pl.Expr:
    return pl.lit(pl.Series(values, dtype=dtype))


def choice(random: pl.Expr, options: Sequence[tuple[str, int]]) -> pl.Expr:
    """A weighted choice among strings (integer weights, small total)."""
    flat = [value for value, weight in options for _ in range(weight)]
    return table(flat).gather(random % len(flat))


# ---------------------------------------------------------------- places: one province, 100 counties

PROVINCE = "安徽省"
PLATE_PREFIX = "皖"
# (city code, name, plate letter)
CITIES = (
    ("01", "合肥", "A"), ("02", "芜湖", "B"), ("03", "蚌埠", "C"), ("04", "淮南", "D"), ("05", "马鞍山", "E"),
    ("06", "淮北", "F"), ("07", "铜陵", "G"), ("08", "安庆", "H"), ("10", "黄山", "J"), ("11", "滁州", "M"),
    ("12", "阜阳", "K"), ("13", "宿州", "L"), ("15", "六安", "N"), ("16", "亳州", "S"), ("17", "池州", "R"),
    ("18", "宣城", "P"),
)  # fmt: skip
_COUNTY_SUFFIXES = ("02", "03", "04", "11", "21", "22", "23", "24", "25", "26", "81", "82")
AREA_CODES = tuple(
    f"34{code}{suffix}" for i, (code, _, _) in enumerate(CITIES) for suffix in _COUNTY_SUFFIXES[: 7 if i < 4 else 6]
)
AREA_CITY = tuple(i for i, _ in enumerate(CITIES) for _ in range(7 if i < 4 else 6))
N_COUNTIES = len(AREA_CODES)  # 100
TOWNSHIPS, VILLAGES = 12, 20  # per county, per township; townships 0-2 are urban
_TOWN_STEMS = (
    "双桥 李集 新集 朱马店 岳张集 顾桥 毛集 桂集 刘集 大兴集 钱庙 丁集 杨村 古沟 关店 焦岗 凤凰 龙山 白莲 三河 "
    "高塘 马店 石集 王集 孙岗 陶店 罗河 花园 长安 永丰 东湖 西湖 南岗 北塘 金桥 柳林 梅山 清河 太平 兴隆 安丰"
).split()
_VILLAGE_STEMS = (
    "新华 建设 红旗 胜利 光明 幸福 和平 团结 前进 东风 王庄 李庄 张湾 刘圩 陈岗 杨店 黄桥 赵楼 周寨 吴集 "
    "孙台 马店 朱湖 胡岗 郭圩 何庄 高塘 罗湖 双庙 三里 五星 八里 东湖 西湖 南岗 北圩 河口 桥头 大李 小张 "
    "柳林 杏花 桃园 清河 永安 永丰 兴隆 太平 金山 银河 凤凰 淮河 沿淮 古城 新庄 老庄 花园 长山 茶庵"
).split()


@lru_cache(maxsize=1)
def township_names() -> tuple[str, ...]:
    """Index c * TOWNSHIPS + t; names repeat across counties (every county has a 城关镇)."""
    names = []
    for c in range(N_COUNTIES):
        for t in range(TOWNSHIPS):
            stem = _TOWN_STEMS[(c * 7 + t * 11) % len(_TOWN_STEMS)]
            names.append("城关镇" if t == 0 else f"{stem}街道" if t < 3 else stem + ("乡" if t % 4 == 3 else "镇"))
    return tuple(names)


@lru_cache(maxsize=1)
def village_names() -> tuple[str, ...]:
    """Index (c * TOWNSHIPS + t) * VILLAGES + v."""
    names = []
    for c in range(N_COUNTIES):
        for t in range(TOWNSHIPS):
            for v in range(VILLAGES):
                stem = _VILLAGE_STEMS[(c * 13 + t * 7 + v * 3) % len(_VILLAGE_STEMS)]
                names.append(stem + ("社区" if t < 3 else "村"))
    return tuple(names)


def city_of(county: pl.Expr) -> pl.Expr:
    return table([CITIES[i][1] for i in AREA_CITY]).gather(county)


# ---------------------------------------------------------------- dates

BASE_DAY = dt.date(1930, 1, 1)
LAST_DAY = dt.date(2030, 12, 31)
BASE_MONTH = 1930 * 12
DATE_STYLES = (("iso", 70), ("slash", 10), ("compact", 10), ("chinese", 10))


def day_index(day: dt.date) -> int:
    return (day - BASE_DAY).days


@lru_cache(maxsize=1)
def date_table() -> pl.DataFrame:
    """One row per day from BASE_DAY: the day's texts and the weighted digit sum of YYYYMMDD."""
    frame = pl.DataFrame({"day": pl.date_range(BASE_DAY, LAST_DAY, eager=True)})
    y, m, d = pl.col("day").dt.year(), pl.col("day").dt.month(), pl.col("day").dt.day()
    frame = frame.with_columns(
        ymd=pl.col("day").dt.strftime("%Y%m%d"),
        iso=pl.col("day").dt.strftime("%Y-%m-%d"),
        slash=pl.format("{}/{}/{}", y, m, d),
        chinese=pl.format("{}年{}月{}日", y, m, d),
        year=y.cast(pl.Int64),
    )
    digits = [pl.col("ymd").str.slice(i, 1).cast(pl.Int64) * WEIGHTS[6 + i] for i in range(8)]
    return frame.with_columns(ws=pl.sum_horizontal(digits), compact=pl.col("ymd"))


@lru_cache(maxsize=1)
def _styled_dates() -> pl.Series:
    """Day-major: index day * 4 + style."""
    styles = [s for s, _ in DATE_STYLES]
    return date_table().select(pl.concat_list(styles).alias("t")).explode("t").to_series()


def date_text(day: pl.Expr, random: pl.Expr) -> pl.Expr:
    """The day (index) in one of the spellings real extracts mix, chosen by `random`."""
    flat = [i for i, (_, weight) in enumerate(DATE_STYLES) for _ in range(weight)]
    style = table(flat, pl.Int64).gather(random % len(flat))
    return pl.lit(_styled_dates()).gather(day * len(DATE_STYLES) + style)


def iso_date(day: pl.Expr) -> pl.Expr:
    return pl.lit(date_table()["iso"]).gather(day)


def year_of(day: pl.Expr) -> pl.Expr:
    return pl.lit(date_table()["year"]).gather(day)


@lru_cache(maxsize=1)
def _month_table() -> pl.DataFrame:
    starts = pl.date_range(BASE_DAY, LAST_DAY, "1mo", eager=True)
    frame = pl.DataFrame({"first": starts}).with_columns(days=pl.col("first").dt.month_end().dt.day().cast(pl.Int64))
    return frame.with_columns(first=(pl.col("first") - pl.lit(BASE_DAY)).dt.total_days())


def month_first_day(month: pl.Expr) -> pl.Expr:
    """Day index of the first day of absolute month y * 12 + m - 1."""
    return pl.lit(_month_table()["first"]).gather(month - BASE_MONTH)


def month_length(month: pl.Expr) -> pl.Expr:
    return pl.lit(_month_table()["days"]).gather(month - BASE_MONTH)


def day_in_month(month: pl.Expr, random: pl.Expr) -> pl.Expr:
    return month_first_day(month) + random % month_length(month)


# ---------------------------------------------------------------- IDs

# Birth ranges per lane: 0 roll elderly (特困, old heads), 1 roll adults, 2 roll members of any age,
# 3 the registers' people. A lane's slots are values of the sequence's first digit (roll lanes: the
# second digit is free) or of its first two digits (lane 3); lanes never share a first digit.
LANES = (
    (dt.date(1930, 1, 1), dt.date(1965, 12, 31)),
    (dt.date(1950, 1, 1), dt.date(2000, 12, 31)),
    (dt.date(1950, 1, 1), dt.date(2022, 12, 31)),
    (dt.date(1945, 1, 1), dt.date(2004, 12, 31)),
)
LANE_ELDERLY, LANE_ADULT, LANE_ANY, LANE_POPULATION = 0, 1, 2, 3
_LANE_SLOTS = (2, 1, 2, 50)
_LANE_BASE = (0, 20, 30, 50)  # first two sequence digits of slot 0
_LANE_STEP = (10, 10, 10, 1)  # … and how far one slot moves them
_MAX_SLOTS = max(_LANE_SLOTS)
_LANE_DAYS = tuple((end - start).days + 1 for start, end in LANES)
LANE_CAPACITY = tuple(days * slots for days, slots in zip(_LANE_DAYS, _LANE_SLOTS, strict=True))  # per county
_MULT = 1_000_003
assert all(math.gcd(_MULT, m) == 1 for m in LANE_CAPACITY)
POPULATION_CAPACITY = N_COUNTIES * LANE_CAPACITY[LANE_POPULATION]


@dataclass(frozen=True)
class IdKeys:
    """The seeded tables of the (county, lane, k) → (birth date, slot) bijection."""

    offsets: pl.Series  # county * lanes + lane → offset < lane capacity
    shift_slot: pl.Series  # day → slot shift
    shift_day: pl.Series  # county * _MAX_SLOTS + slot → day shift


def id_keys(seed: int) -> IdKeys:
    def draw(name: str, n: int) -> pl.Series:
        frame = pl.LazyFrame({"i": pl.int_range(n, eager=True)})
        return add_random(frame, "i", seed, [name]).collect()[name].cast(pl.Int64)

    lanes = len(LANES)
    capacity = pl.Series([LANE_CAPACITY[i % lanes] for i in range(N_COUNTIES * lanes)], dtype=pl.Int64)
    return IdKeys(
        offsets=draw("key_offset", N_COUNTIES * lanes) % capacity,
        shift_slot=draw("key_slot", max(_LANE_DAYS)),
        shift_day=draw("key_day", N_COUNTIES * _MAX_SLOTS),
    )


@lru_cache(maxsize=1)
def _id_tables() -> dict[str, pl.Series]:
    area_ws = [sum(int(ch) * w for ch, w in zip(code, WEIGHTS, strict=False)) for code in AREA_CODES]
    seq_ws = [sum(int(ch) * w for ch, w in zip(f"{s:03d}", WEIGHTS[14:], strict=True)) for s in range(1000)]
    lane = {"start": [day_index(start) for start, _ in LANES], "days": _LANE_DAYS, "capacity": LANE_CAPACITY,
            "slots": _LANE_SLOTS, "base": _LANE_BASE, "step": _LANE_STEP}  # fmt: skip
    return {
        "area": pl.Series(AREA_CODES),
        "area_ws": pl.Series(area_ws, dtype=pl.Int64),
        "seq": pl.Series([f"{s:03d}" for s in range(1000)]),
        "seq_ws": pl.Series(seq_ws, dtype=pl.Int64),
        "check": pl.Series(list(CHECK_CHARS)),
        **{f"lane_{k}": pl.Series(v, dtype=pl.Int64) for k, v in lane.items()},
    }


def with_ids(frame: pl.LazyFrame, keys: IdKeys, out: str = "id18") -> pl.LazyFrame:
    """From columns _c (county), _lane, _k (< the lane's capacity), _d2 (second sequence digit, used
    by roll lanes) and _g (last digit, odd = male): `out`, a valid 18-digit ID, and _dg, the birth
    day index. Distinct (_c, _lane, _k) give distinct IDs; roll people even distinct first 15 digits."""
    t = _id_tables()
    c, lane = pl.col("_c").cast(pl.Int64), pl.col("_lane").cast(pl.Int64)

    def per_lane(name: str) -> pl.Expr:
        return pl.lit(t[f"lane_{name}"]).gather(lane)

    frame = frame.with_columns(
        _x=(pl.col("_k").cast(pl.Int64) * _MULT + pl.lit(keys.offsets).gather(c * len(LANES) + lane))
        % per_lane("capacity"),
        _ns=per_lane("slots"),
    )
    frame = frame.with_columns(_d0=pl.col("_x") // pl.col("_ns"), _s0=pl.col("_x") % pl.col("_ns"))
    frame = frame.with_columns(_s1=(pl.col("_s0") + pl.lit(keys.shift_slot).gather(pl.col("_d0"))) % pl.col("_ns"))
    frame = frame.with_columns(
        _d1=(pl.col("_d0") + pl.lit(keys.shift_day).gather(c * _MAX_SLOTS + pl.col("_s1"))) % per_lane("days")
    )
    step = per_lane("step")
    prefix = (
        per_lane("base") + pl.col("_s1") * step + pl.when(step == 10).then(pl.col("_d2").cast(pl.Int64)).otherwise(0)
    )
    frame = frame.with_columns(_dg=per_lane("start") + pl.col("_d1"), _seq=prefix * 10 + pl.col("_g").cast(pl.Int64))
    frame = frame.with_columns(
        _ws=pl.lit(t["area_ws"]).gather(c)
        + pl.lit(date_table()["ws"]).gather(pl.col("_dg"))
        + pl.lit(t["seq_ws"]).gather(pl.col("_seq"))
    )
    frame = frame.with_columns(
        pl.concat_str(
            pl.lit(t["area"]).gather(c),
            pl.lit(date_table()["ymd"]).gather(pl.col("_dg")),
            pl.lit(t["seq"]).gather(pl.col("_seq")),
            pl.lit(t["check"]).gather(pl.col("_ws") % 11),
        ).alias(out)
    )
    return frame.drop("_x", "_ns", "_d0", "_s0", "_s1", "_d1", "_seq", "_ws")


# ---------------------------------------------------------------- names

_SURNAMES = (
    ("王", 72), ("李", 71), ("张", 68), ("刘", 54), ("陈", 45), ("杨", 31), ("黄", 22), ("赵", 21), ("吴", 20),
    ("周", 19), ("徐", 17), ("孙", 15), ("马", 15), ("朱", 13), ("胡", 13), ("郭", 12), ("何", 12), ("林", 12),
    ("高", 11), ("罗", 9), ("郑", 9), ("梁", 8), ("谢", 7), ("宋", 7), ("唐", 7), ("许", 6), ("韩", 6), ("冯", 6),
    ("邓", 6), ("曹", 6), ("彭", 5), ("曾", 5), ("肖", 5), ("田", 5), ("董", 5), ("袁", 5), ("潘", 4), ("于", 4),
    ("蒋", 4), ("蔡", 4), ("余", 4), ("杜", 4), ("叶", 4), ("程", 4), ("苏", 3), ("魏", 3), ("吕", 3), ("丁", 3),
    ("任", 3), ("沈", 3), ("姚", 3), ("卢", 3), ("姜", 3), ("崔", 3), ("钟", 3), ("谭", 3), ("陆", 3), ("汪", 3),
)  # fmt: skip
SURNAMES = tuple(s for s, _ in _SURNAMES)
_SURNAME_TABLE = tuple(i for i, (_, weight) in enumerate(_SURNAMES) for _ in range(weight))
_GIVEN = pl.Series(list(MALE_CHARS + FEMALE_CHARS))
_NM, _NF = len(MALE_CHARS), len(FEMALE_CHARS)
_W = len(_SURNAME_TABLE)

TRADITIONAL = {"张": "張", "刘": "劉", "陈": "陳", "杨": "楊", "黄": "黃", "赵": "趙", "伟": "偉", "国": "國", "华": "華",
               "马": "馬", "孙": "孫", "吴": "吳", "军": "軍", "东": "東", "丽": "麗", "兰": "蘭", "凤": "鳳"}  # fmt: skip
# Same pinyin (pypinyin, toneless), different character: a clerk typing by ear.
HOMOPHONES = {
    "刚": "钢", "明": "鸣", "华": "桦", "伟": "炜", "军": "君", "林": "琳", "杰": "洁", "涛": "滔", "静": "婧",
    "艳": "燕", "敏": "闵", "斌": "彬", "辉": "晖", "玲": "铃", "兰": "岚", "秀": "绣", "峰": "锋", "梅": "玫",
    "云": "芸", "志": "智", "建": "健", "文": "雯", "荣": "蓉", "珍": "真", "娟": "鹃", "玉": "钰", "俊": "骏",
    "红": "宏", "东": "冬", "宇": "雨", "浩": "昊", "飞": "菲", "龙": "隆", "婷": "亭", "琴": "勤", "成": "诚",
    "祥": "翔", "清": "青", "全": "泉", "坤": "昆", "洪": "鸿", "瑞": "锐", "桂": "贵", "颖": "影", "晶": "京",
    "月": "悦", "新": "欣", "芳": "方", "英": "瑛", "平": "萍", "波": "博", "勇": "永", "超": "朝", "鹏": "朋",
    "霞": "侠", "丽": "莉", "凤": "奉", "燕": "艳",
}  # fmt: skip


def with_name_parts(frame: pl.LazyFrame) -> pl.LazyFrame:
    """From _hn (random) and _male: _sur (surname index), _g1/_g2 (given characters), _two."""
    h = pl.col("_hn")
    g1, g2 = (h // _W) % 128, (h // (_W * 128)) % 128
    male = pl.col("_male")
    return frame.with_columns(
        _sur=table(_SURNAME_TABLE, pl.Int64).gather(h % _W),
        _g1=pl.when(male).then(g1 % _NM).otherwise(_NM + g1 % _NF),
        _g2=pl.when(male).then(g2 % _NM).otherwise(_NM + g2 % _NF),
        _two=(h // (_W * 128 * 128)) % 10 >= 3,
    )


def build_names(frame: pl.LazyFrame, out: str = "name") -> pl.LazyFrame:
    given = pl.lit(_GIVEN)
    second = pl.when(pl.col("_two")).then(given.gather(pl.col("_g2"))).otherwise(pl.lit(""))
    name = pl.concat_str(table(SURNAMES).gather(pl.col("_sur")), given.gather(pl.col("_g1")), second)
    return frame.with_columns(name.alias(out)).drop("_sur", "_g1", "_g2", "_two")


def traditional(name: pl.Expr) -> pl.Expr:
    return name.str.replace_many(list(TRADITIONAL), list(TRADITIONAL.values()))


def homophone(name: pl.Expr) -> pl.Expr:
    """One given-name character replaced by a same-pinyin one (the last if it can be, else the
    first); null when neither can."""
    keys, values = list(HOMOPHONES), list(HOMOPHONES.values())
    last = name.str.slice(-1).replace_strict(keys, values, default=None)
    first = name.str.slice(1, 1).replace_strict(keys, values, default=None)
    return (
        pl.when(last.is_not_null() & (name.str.len_chars() >= 2))
        .then(pl.concat_str(name.str.slice(0, name.str.len_chars() - 1), last))
        .otherwise(pl.concat_str(name.str.slice(0, 1), first, name.str.slice(2)))
    )


# ---------------------------------------------------------------- population (the registers' people)


def with_population(frame: pl.LazyFrame, seed: int, keys: IdKeys, q: str = "_q") -> pl.LazyFrame:
    """Person q of the population (never on a roll): id18, name, _c, _dg. A pure function of q."""
    frame = frame.with_columns(
        _c=(pl.col(q) % N_COUNTIES).cast(pl.Int64),
        _lane=pl.lit(LANE_POPULATION, pl.Int64),
        _k=pl.col(q) // N_COUNTIES,
        _d2=pl.lit(0, pl.Int64),
    )
    frame = add_random(frame.with_columns(_qk=pl.col(q)), "_qk", seed, ["pop_name", "pop_sex"])
    frame = frame.rename({"pop_name": "_hn"}).with_columns(_male=pl.col("pop_sex") % 2 == 1)
    frame = frame.with_columns(_g=((pl.col("pop_sex") // 2) % 5) * 2 + pl.col("_male").cast(pl.UInt32))
    frame = build_names(with_name_parts(with_ids(frame, keys)))
    return frame.drop("_qk", "pop_sex", "_hn", "_male", "_g", "_lane", "_k", "_d2")


# ---------------------------------------------------------------- ID mess


@dataclass(frozen=True)
class IdMess:
    """Shares of rows whose ID is written one way or another (the rest clean)."""

    spaces: float = 0.0
    legacy15: float = 0.0  # only for people born 1900-1999; the others stay clean
    sci: float = 0.0  # `3.40421E+17`
    numeric: float = 0.0  # first 15 digits + 000
    wrong_check: float = 0.0
    lower_x: float = 0.0  # share of the IDs ending in X


_NEXT_CHECK = {c: CHECK_CHARS[(i + 1) % 11] for i, c in enumerate(CHECK_CHARS)}


def sci_text(id18: pl.Expr) -> pl.Expr:
    return pl.concat_str(id18.str.slice(0, 1), pl.lit("."), id18.str.slice(1, 5), pl.lit("E+17"))


def numeric_text(id18: pl.Expr) -> pl.Expr:
    return pl.concat_str(id18.str.slice(0, 15), pl.lit("000"))


def legacy15_text(id18: pl.Expr) -> pl.Expr:
    return pl.concat_str(id18.str.slice(0, 6), id18.str.slice(8, 9))


def id_states(random: str, id18: pl.Expr, mess: IdMess) -> pl.Expr:
    """The state of each row's ID: clean, spaces, legacy15, sci, numeric, wrong_check, lower_x."""
    edges, states, acc = [], [], 0.0
    for state in ("spaces", "legacy15", "sci", "numeric", "wrong_check"):
        acc += getattr(mess, state)
        edges.append(acc)
        states.append(state)
    r = pl.col(random).cast(pl.Int64)
    lower = id18.str.ends_with("X") & ((r % 1000) < round(mess.lower_x * 1000))
    result = pl.when(lower).then(pl.lit("lower_x")).otherwise(pl.lit("clean"))
    for edge, name in reversed(list(zip(edges, states, strict=True))):
        result = pl.when(r < round(edge * 2**32)).then(pl.lit(name)).otherwise(result)
    born_19 = id18.str.slice(6, 2) == "19"
    return pl.when((result == "legacy15") & ~born_19).then(pl.lit("clean")).otherwise(result)


def id_text(id18: pl.Expr, state: pl.Expr, random: pl.Expr) -> pl.Expr:
    """The ID as written in a given state; `random` picks where the spaces go."""
    spaced = (
        pl.when(random % 3 == 0)
        .then(pl.concat_str(pl.lit(" "), id18, pl.lit(" ")))
        .when(random % 3 == 1)
        .then(pl.concat_str(id18, pl.lit(" ")))
        .otherwise(pl.concat_str(pl.lit("  "), id18))
    )
    wrong = pl.concat_str(id18.str.slice(0, 17), id18.str.slice(17, 1).replace_strict(_NEXT_CHECK))
    return (
        pl.when(state == "clean")
        .then(id18)
        .when(state == "spaces")
        .then(spaced)
        .when(state == "lower_x")
        .then(id18.str.to_lowercase())
        .when(state == "legacy15")
        .then(legacy15_text(id18))
        .when(state == "sci")
        .then(sci_text(id18))
        .when(state == "numeric")
        .then(numeric_text(id18))
        .otherwise(wrong)
    )
