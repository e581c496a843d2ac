"""From the fields of one sheet to rows to store and rows to reject, each with a reason.

Reasons are checked in order and the first one that applies is recorded, so a blank row is
"空行", not also "姓名和身份证号均为空".
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import polars as pl

from hexiao.frames import with_parsed
from hexiao.ingest.disability import category_name, certificate_parts, level_name
from hexiao.ingest.households import household_columns
from hexiao.ingest.values import blank_to_null, parse_amount, parse_date, parse_month
from hexiao.io.grid import ROW_COLUMN
from hexiao.io.headers import raw_json
from hexiao.io.transcode import usable_cores
from hexiao.kinds import (
    BUSINESS_KIND,
    BY_NAME,
    CREMATION_KIND,
    DISABILITY_KIND,
    FEEDBACK_KIND,
    POVERTY_KIND,
    ROLL_KIND,
    Column,
    Kind,
)
from hexiao.normalize.ids import add_id_columns_of
from hexiao.normalize.names import normalize_names, to_simplified

REASON = "_reason"
PARENT_IDS = ("father_id", "mother_id")  # a child's parents' IDs on a children's roll (`kinds.roll`)
HEAD_RELATIONS = ["户主", "本人", "本人(户主)", "户主本人", "申请人"]


@dataclass(frozen=True)
class Prepared:
    loaded: pl.DataFrame
    rejected: pl.DataFrame  # _row, _raw, _reason


def _first_reason(checks: list[tuple[pl.Expr, str | pl.Expr]]) -> pl.Expr:
    """The reason of the first check that holds; checks are folded from the last one up."""
    expr: pl.Expr = pl.lit(None, pl.String)
    for condition, reason in reversed(checks):
        value = pl.lit(reason) if isinstance(reason, str) else reason
        expr = pl.when(condition).then(value).otherwise(expr)
    return expr.alias(REASON)


def _common_checks() -> list[tuple[pl.Expr, str | pl.Expr]]:
    return [
        (pl.col("_blank"), "空行"),
        (pl.col("_repeated_header"), "重复的表头行"),
        (pl.col("_totals"), "合计/小计行"),
        (
            blank_to_null(pl.col("name")).is_null() & blank_to_null(pl.col("id_number")).is_null(),
            "姓名和身份证号均为空",
        ),
    ]


def _bad_value(column: str, label: str, parsed: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    raw = blank_to_null(pl.col(column))
    return raw.is_not_null() & parsed.is_null(), pl.format(label + "无法识别：{}", raw)


def add_person_columns(frame: pl.DataFrame, head_id: bool = False, others: tuple[str, ...] = ()) -> pl.DataFrame:
    """Normalised name (and its simplified form) and the ID columns of `normalize.ids`; with
    `head_id`, also the household head's (`head_id_norm`, `head_status`, `head_key` …); for each
    raw ID column of `others` (`father_id`), its own (`father_id_norm`, `father_id_status` …)."""
    frame = frame.with_columns(
        blank_to_null(pl.col("name")).alias("name"),
        blank_to_null(pl.col("id_number")).alias("id_raw"),
    )
    frame = frame.with_columns(normalize_names(frame["name"]).alias("name_norm"))
    columns = {"id_raw": "id", "head_id": "head"} if head_id else {"id_raw": "id"}
    frame = add_id_columns_of(frame, columns | {column: column for column in others})
    if head_id:
        frame = frame.rename({"head_norm": "head_id_norm"})
    return frame.with_columns(to_simplified(frame["name_norm"]).alias("name_simp"))


def _split(frame: pl.DataFrame, checks: list[tuple[pl.Expr, str | pl.Expr]]) -> tuple[pl.DataFrame, pl.DataFrame]:
    frame = frame.with_columns(_first_reason(checks))
    rejected = frame.filter(pl.col(REASON).is_not_null())
    rejected = rejected.select(ROW_COLUMN, raw_json(rejected).alias("_raw"), REASON)
    return frame.filter(pl.col(REASON).is_null()), rejected


def prepare_roll(fields: pl.DataFrame, program: str | None) -> Prepared:
    fields = with_parsed(fields, "monthly_amount", parse_amount, "_amount")
    fields = with_parsed(fields, "start_month", parse_month, "_start")
    amount, start = pl.col("_amount"), pl.col("_start")
    program_value = pl.coalesce(blank_to_null(pl.col("program")), pl.lit(program, pl.String))
    checks = [
        *_common_checks(),
        (blank_to_null(pl.col("township")).is_null(), "乡镇（街道）为空"),
        (program_value.is_null(), "保障类别为空（可用 --program 指定）"),
        _bad_value("monthly_amount", "月保障金额", amount),
        _bad_value("start_month", "保障起始年月", start),
    ]
    kept, rejected = _split(fields, checks)
    kept = add_person_columns(kept, head_id=True, others=PARENT_IDS)
    relation = blank_to_null(pl.col("relation"))
    loaded = kept.select(
        pl.col(ROW_COLUMN).alias("source_row"),
        blank_to_null(pl.col("township")).alias("township"),
        blank_to_null(pl.col("village")).alias("village"),
        *household_columns(),
        blank_to_null(pl.col("head_name")).alias("head_name"),
        pl.col("head_id_norm"),
        relation.alias("relation"),
        (relation.is_in(HEAD_RELATIONS) | (pl.col("id_norm") == pl.col("head_id_norm")))
        .fill_null(False)
        .alias("is_head"),
        program_value.alias("program"),
        blank_to_null(pl.col("category")).alias("category"),
        amount.alias("monthly_amount"),
        start.alias("start_month"),
        *_text_fields("hardship_type", "father_name", "father_status", "mother_name", "mother_status"),
        *[pl.col(f"{column}_{part}") for column in PARENT_IDS for part in ("norm", "status")],
        *_person_output(),
    )
    return Prepared(loaded, rejected)


def prepare_cremation(fields: pl.DataFrame, program: str | None) -> Prepared:
    fields = with_parsed(fields, "death_date", parse_date, "_death")
    fields = with_parsed(fields, "cremation_date", parse_date, "_cremated")
    death, cremated = pl.col("_death"), pl.col("_cremated")
    raw_death = blank_to_null(pl.col("death_date"))
    raw_cremated = blank_to_null(pl.col("cremation_date"))
    checks = [
        *_common_checks(),
        (raw_death.is_null() & raw_cremated.is_null(), "死亡日期和火化日期均为空"),
        (
            death.is_null() & cremated.is_null(),
            pl.format("死亡日期/火化日期无法识别：{} / {}", raw_death.fill_null(""), raw_cremated.fill_null("")),
        ),
    ]
    kept, rejected = _split(fields, checks)
    kept = add_person_columns(kept)
    loaded = kept.select(
        pl.col(ROW_COLUMN).alias("source_row"),
        death.alias("death_date"),
        cremated.alias("cremation_date"),
        blank_to_null(pl.col("funeral_home")).alias("funeral_home"),
        *_person_output(),
    )
    return Prepared(loaded, rejected)


def _person_output() -> list[pl.Expr]:
    """The person columns the store keeps (`store._PERSON_COLUMNS`)."""
    columns = ("name", "name_simp", "id_raw", "id_norm", "id_key", "id_status", "id_birth", "id_county", "id_from15")
    return [pl.col(c) for c in columns]


def _text_fields(*names: str) -> list[pl.Expr]:
    return [blank_to_null(pl.col(n)).alias(n) for n in names]


def prepare_business(fields: pl.DataFrame, program: str | None) -> Prepared:
    kept, rejected = _split(fields, _common_checks())
    loaded = add_person_columns(kept).select(
        pl.col(ROW_COLUMN).alias("source_row"),
        *_text_fields("enterprise", "credit_code"),
        # 人员类型 and 职务 together: the rule looks for 法定代表人/股东/经营者 … in either.
        pl.concat_str(
            [blank_to_null(pl.col("role")), blank_to_null(pl.col("position"))], separator="/", ignore_nulls=True
        )
        .replace("", None)
        .alias("role"),
        pl.coalesce(blank_to_null(pl.col("business_status")), blank_to_null(pl.col("operating_status"))).alias(
            "business_status"
        ),
        *_person_output(),
    )
    return Prepared(loaded, rejected)


def prepare_poverty(fields: pl.DataFrame, program: str | None) -> Prepared:
    checks = [*_common_checks(), (blank_to_null(pl.col("township")).is_null(), "乡镇（街道）为空")]
    kept, rejected = _split(fields, checks)
    kept = add_person_columns(kept, head_id=True)
    loaded = kept.select(
        pl.col(ROW_COLUMN).alias("source_row"),
        *_text_fields("township", "village", "monitor_category", "risk_cleared"),
        pl.col("head_id_norm"),
        *_person_output(),
    )
    return Prepared(loaded, rejected)


def prepare_disability(fields: pl.DataFrame, program: str | None) -> Prepared:
    """残联's register: the level and category in one spelling (`ingest.disability`), from the
    certificate number where the file gives no level (or no ID, or no category)."""
    certificate = certificate_parts(pl.col("certificate_no"))
    written = blank_to_null(pl.col("disability_level"))
    level = pl.coalesce(level_name(written), certificate.struct.field("level"))
    frame = fields.with_columns(
        pl.coalesce(blank_to_null(pl.col("id_number")), certificate.struct.field("id")).alias("id_number"),
        level.alias("_level"),
        pl.coalesce(category_name(pl.col("disability_category")), certificate.struct.field("category")).alias(
            "_category"
        ),
    )
    checks = [
        *_common_checks(),
        (written.is_null() & pl.col("_level").is_null(), "残疾等级为空（也没有可读出等级的残疾人证号）"),
        (pl.col("_level").is_null(), pl.format("残疾等级无法识别：{}（应为一级至四级）", written)),
    ]
    kept, rejected = _split(frame, checks)
    loaded = add_person_columns(kept).select(
        pl.col(ROW_COLUMN).alias("source_row"),
        *_text_fields("township", "village"),
        pl.col("_category").alias("disability_category"),
        pl.col("_level").alias("disability_level"),
        *_person_output(),
    )
    return Prepared(loaded, rejected)


# 核查结果 values a township may write back (contract.md §4); 不属实 is tested before 属实.
REVIEW_RESULTS = ("不属实", "属实", "已处理")


def _reply_month(expr: pl.Expr) -> pl.Expr:
    """The reply's 月份, the report's own column (`2026-11`), as Excel may have re-saved it:
    `2026/11/1`, `2026年11月`, a date, or a date cell's serial number (`46327`). Five digits are a
    serial, never a month: `parse_month` would read `46327` as the year 4632."""
    text = blank_to_null(expr)
    serial = parse_date(text).dt.truncate("1mo")
    return pl.when(text.str.contains(r"^[0-9]{5}$")).then(serial).otherwise(parse_month(text))


def prepare_feedback(fields: pl.DataFrame, program: str | None) -> Prepared:
    """A reply row is kept whether or not its 核查结果 is filled in and valid: `hexiao feedback`
    counts the unanswered (`review_written` null) and the invalid (`review_result` null) apart, and
    a row can only be told contradictory beside the other rows of its 预警编号 in the file."""
    warning_id = blank_to_null(pl.col("warning_id").str.replace_all(r"[\s'\"]", ""))
    written = blank_to_null(pl.col("review_result").str.replace_all(r"\s", ""))
    result = pl.coalesce(*[pl.when(written.str.starts_with(value)).then(pl.lit(value)) for value in REVIEW_RESULTS])
    reply_month = _reply_month(pl.col("month"))
    bad_month, bad_month_reason = _bad_value("month", "月份", reply_month)
    notice = parse_date(pl.col("notice_date"))
    bad_notice, bad_notice_reason = _bad_value("notice_date", "告知日期", notice)
    recovered = parse_amount(pl.col("recovered"))
    bad_amount, bad_amount_reason = _bad_value("recovered", "已追回金额", recovered)
    answered = written.is_not_null()  # an unanswered row is not recorded, whatever else it holds
    checks: list[tuple[pl.Expr, str | pl.Expr]] = [
        (pl.col("_blank"), "空行"),
        (pl.col("_repeated_header"), "重复的表头行"),
        (warning_id.is_null(), "预警编号为空"),
        (answered & bad_month, bad_month_reason),
        (answered & bad_notice, pl.format("{}（应为日期，如 2026-03-05）", bad_notice_reason)),
        (answered & bad_amount, pl.format("{}（应为金额，如 300 或 300.50）", bad_amount_reason)),
        (answered & (recovered < 0), pl.format("已追回金额不能为负数：{}", blank_to_null(pl.col("recovered")))),
    ]
    kept, rejected = _split(fields, checks)
    loaded = kept.select(
        pl.col(ROW_COLUMN).alias("source_row"),
        warning_id.alias("warning_id"),
        result.alias("review_result"),
        written.alias("review_written"),
        blank_to_null(pl.col("review_note")).alias("review_note"),
        notice.dt.strftime("%Y-%m-%d").alias("notice_date"),
        recovered.round(2, mode="half_away_from_zero").cast(pl.Decimal(12, 2)).alias("recovered"),
        reply_month.dt.strftime("%Y-%m").alias("reply_month"),
        raw_json(kept).alias("raw"),
    )
    return Prepared(loaded, rejected)


def _parse_number(expr: pl.Expr) -> pl.Expr:
    """A number written with its unit: 85.5㎡, 85.5平方米."""
    return parse_amount(expr.str.replace_all(r"(㎡|平方米|m2|M2)", ""))


_PARSERS: dict[str, Callable[[pl.Expr], pl.Expr]] = {
    "date": parse_date,
    "month": parse_month,
    "money": parse_amount,
    "number": _parse_number,
}


def prepare_register(kind: Kind, fields: pl.DataFrame) -> Prepared:
    """A register's rows from its kind's columns (`kinds.base.Column`): each column the first of its
    fields that has a value, parsed as the column says; a row is refused where a column that must
    be there is blank, or written and unreadable. Rejects name the header as the contract spells it."""
    frame = fields.with_columns(
        pl.coalesce([blank_to_null(pl.col(source)) for source in column.sources]).alias(f"_raw:{column.name}")
        for column in kind.columns
    )
    for column in kind.columns:
        if column.parse != "text":
            frame = with_parsed(frame, f"_raw:{column.name}", _PARSERS[column.parse], f"_value:{column.name}")
    checks = _common_checks()
    for column in kind.columns:
        raw, header = pl.col(f"_raw:{column.name}"), kind.field(column.sources[0]).header
        if column.reject_blank:
            checks.append((raw.is_null(), f"{header}为空"))
        if column.reject_unreadable and column.parse != "text":
            checks.append(
                (
                    raw.is_not_null() & pl.col(f"_value:{column.name}").is_null(),
                    pl.format(f"{header}无法识别：{{}}", raw),
                )
            )
    kept, rejected = _split(frame, checks)
    return Prepared(
        add_person_columns(kept).select(
            pl.col(ROW_COLUMN).alias("source_row"),
            *[_stored_value(column) for column in kind.columns],
            *_person_output(),
        ),
        rejected,
    )


def _stored_value(column: Column) -> pl.Expr:
    if column.parse == "text":
        return pl.col(f"_raw:{column.name}").alias(column.name)
    value = pl.col(f"_value:{column.name}")
    if column.parse == "money":  # money as decimals, rounded as a payment office rounds
        value = value.round(2, mode="half_away_from_zero").cast(pl.Decimal(12, 2))
    return value.alias(column.name)


# Kinds whose rows need more than their columns say; every other kind is prepared by
# `prepare_register` from its module in `hexiao.kinds`.
PREPARERS: dict[str, Callable[[pl.DataFrame, str | None], Prepared]] = {
    ROLL_KIND: prepare_roll,
    CREMATION_KIND: prepare_cremation,
    BUSINESS_KIND: prepare_business,
    POVERTY_KIND: prepare_poverty,
    DISABILITY_KIND: prepare_disability,
    FEEDBACK_KIND: prepare_feedback,
}


def preparer(kind: str) -> Callable[[pl.DataFrame, str | None], Prepared]:
    if kind in PREPARERS:
        return PREPARERS[kind]
    spec = BY_NAME[kind]
    return lambda fields, program: prepare_register(spec, fields)


# Below this many rows per thread a second thread costs more than it saves (measured: a 50k-row
# register prepares 15% faster in two halves, a 5k-row one 50% slower).
PARALLEL_MIN_ROWS = 50_000


def prepare(kind: str, fields: pl.DataFrame, program: str | None) -> Prepared:
    """`PREPARERS[kind]` over the rows, cut into consecutive slices prepared on one thread per core.

    Every check and normalisation is per row, so the slices give the same rows in the same order;
    and Polars runs a string operation over one column on one core, so one slice per core uses
    them all (county vehicle register 0.26 -> 0.19 s on 2 cores).
    """
    prepare_rows = preparer(kind)
    parts = min(usable_cores(), fields.height // PARALLEL_MIN_ROWS)
    if parts < 2:
        return prepare_rows(fields, program)
    size = -(-fields.height // parts)
    with ThreadPoolExecutor(parts, thread_name_prefix="hexiao-prepare") as pool:
        done = list(pool.map(lambda i: prepare_rows(fields.slice(i * size, size), program), range(parts)))
    return Prepared(pl.concat([d.loaded for d in done]), pl.concat([d.rejected for d in done]))
