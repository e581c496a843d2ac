"""Masking ID numbers and names: the masked edition of the reports (`脱敏/`) and every console line.

An ID keeps its first 6 and last 4 characters (`340421********1234`: the area code and enough to
tell two people apart), a name its surname (`张**`); `*` stands for each hidden character. All of it
is Polars expressions, so a month's lists are masked column by column, never row by row; the
console masks a message with plain-Python twins of the same patterns, so a log line and a masked
report show an ID alike.
"""

from __future__ import annotations

import re
from typing import Any

import polars as pl

# Compound surnames (复姓) kept whole: the ones still common today, most of them from the 《百家姓》,
# in simplified and traditional writing (a roll keeps a name as written). A rarer one is masked
# after its first character, which hides more, not less; so is a name of only these two characters.
COMPOUND_SURNAMES = frozenset(
    {
        *("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯"),
        *("轩辕", "令狐", "钟离", "澹台", "公冶", "太史", "申屠", "独孤", "南宫", "闻人", "呼延", "端木", "万俟"),
        *("歐陽", "司馬", "諸葛", "東方", "尉遲", "公孫", "長孫", "軒轅", "鍾離", "鐘離", "澹臺", "獨孤", "南宮"),
        *("聞人", "萬俟"),
    }
)
# The middle dot of minority names as rolls write it (`normalize.names` unifies them to `·`): the
# part before it is kept, as a surname would be.
NAME_DOTS = "·・•‧"

ID_KEPT_HEAD = 6
ID_KEPT_TAIL = 4
# Shorter than head and tail together plus one hidden character: nothing of it is shown.
ID_SHORTEST_SHOWN = ID_KEPT_HEAD + ID_KEPT_TAIL + 1
# A run of this many digits in free text is taken for an ID (15: a first-generation ID; longer runs
# too — an ID with a digit too many, a 户编号 — since a cut-off run would show the rest whole).
ID_RUN_DIGITS = 15
# The row's own ID is hidden wherever its text repeats it, also a short one BAD_ID quotes as written
# (`身份证号“3404211983”位数不对`); below this length it could be any number (a year, a row).
OWN_ID_SHORTEST = 8

_DIGIT = "0-9０-９"
_CHECK_X = "XxＸｘ"
# A number Excel wrote in scientific notation: `3.40421198912238e+17` still carries 15 digits of
# the ID, `3.40421E+17` six. The first 6 significant digits are kept, like an ID's area code.
_SCIENTIFIC = rf"^([{_DIGIT}][.,][{_DIGIT}]{{0,{ID_KEPT_HEAD - 1}}})([{_DIGIT}]*)([eE][+]?[{_DIGIT}]+)$"
# Free text as tokens that cover it whole: a number in scientific notation, a run of digits (a
# space or hyphen may part them, as IDs are often typed, and an X may close it), anything else.
# Rust's regex has no look-around: splitting into tokens is how a run is seen whole.
_TOKENS = (
    rf"[{_DIGIT}][.,][{_DIGIT}]+[eE][+]?[{_DIGIT}]+"
    rf"|[{_DIGIT}](?:[ \-]?[{_DIGIT}])*[{_CHECK_X}]?"
    rf"|[^{_DIGIT}]+"
)
_SEPARATORS = r"[ \-]"

_LIST_KEY = "_list"  # which of summary.json's lists a row is from (`mask_summary`)

# Columns masked as a whole: an ID, a name.
ID_COLUMNS = ("id_number",)
NAME_COLUMNS = ("name", "head_name")
# Columns that hold codes, places, dates and hashes, never a person: kept as they are. Every other
# text column (证据, 比对来源, 户编号, 核查备注, a file name, and any column added later) is free text
# and has its IDs and known names masked — a column nobody listed is masked, not shown.
KEPT_COLUMNS = frozenset(
    {
        *("warning_id", "month", "code", "label", "risk", "township", "village", "program", "match_method"),
        *("action", "effective_month", "first_month", "status", "review_result", "feedback_month"),
        *("state", "notice_date"),  # 处理状态 and 告知日期: words and a date, never a person
        *("kind", "sha256", _LIST_KEY),
    }
)


def _stars(text: pl.Expr) -> pl.Expr:
    return text.str.replace_all(r"(?s).", "*")


def mask_id(value: pl.Expr) -> pl.Expr:
    """`340421195803222013` → `340421********2013`; a value of fewer than 11 characters → all `*`;
    Excel's `3.40421198912238e+17` → `3.40421*********e+17`. Null stays null."""
    scientific = value.str.extract_groups(_SCIENTIFIC)
    is_scientific = scientific.struct.field("1").is_not_null()
    length = value.str.len_chars()
    # The first branch is the value's own expression, so the result keeps the value's name.
    return (
        pl.when(~is_scientific & (length < ID_SHORTEST_SHOWN))
        .then(_stars(value))
        .when(is_scientific)
        .then(scientific.struct.field("1") + _stars(scientific.struct.field("2")) + scientific.struct.field("3"))
        .otherwise(
            value.str.slice(0, ID_KEPT_HEAD)
            + _stars(value.str.slice(ID_KEPT_HEAD, length - ID_KEPT_HEAD - ID_KEPT_TAIL))
            + value.str.slice(-ID_KEPT_TAIL)
        )
    )


def mask_name(name: pl.Expr) -> pl.Expr:
    """`张三丰` → `张**`, `欧阳修文` → `欧阳**`, `阿依古丽·买买提` → `阿依古丽·***`; `刘` stays `刘`. A
    name of two characters or more always shows at least one `*`. Null stays null."""
    dots = f"[{NAME_DOTS}]"
    before_dot = name.str.extract(rf"(?s)^([^{NAME_DOTS}]+){dots}.*[^{NAME_DOTS}]", 1)
    compound = (name.str.len_chars() > 2) & name.str.slice(0, 2).is_in(sorted(COMPOUND_SURNAMES))
    kept = pl.when(before_dot.is_not_null()).then(before_dot.str.len_chars()).when(compound).then(2).otherwise(1)
    return name.str.slice(0, kept) + name.str.slice(kept).str.replace_all(rf"[^{NAME_DOTS}]", "*")


def mask_ids_in_text(text: pl.Expr) -> pl.Expr:
    """Every ID-like run in free text masked as `mask_id` masks an ID: runs of 15 digits or more
    (spaced or hyphenated, X-ended, full-width) and numbers in scientific notation."""
    token = pl.element()
    compact = token.str.replace_all(_SEPARATORS, "")
    run = token.str.contains(f"^[{_DIGIT}]") & (compact.str.len_chars() >= ID_RUN_DIGITS)
    masked = (
        pl.when(token.str.contains(_SCIENTIFIC)).then(mask_id(token)).when(run).then(mask_id(compact)).otherwise(token)
    )
    return text.str.extract_all(_TOKENS).list.eval(masked).list.join("")


def mask_own_id(text: pl.Expr, own_id: pl.Expr) -> pl.Expr:
    """The row's own ID (`own_id`) masked wherever its text repeats it, as its ID column shows it."""
    return (
        pl.when(own_id.str.len_chars() >= OWN_ID_SHORTEST)
        .then(text.str.split(own_id).list.join(mask_id(own_id)))
        .otherwise(text)
    )


def name_replacements(names: pl.Series) -> pl.DataFrame:
    """Each distinct name of two characters or more (`pattern`) with its masked form (`masked`),
    longest first: with leftmost matching that finds `刘玉飞` whole before `刘玉`."""
    patterns = names.drop_nulls().unique().to_frame("pattern").filter(pl.col("pattern").str.len_chars() >= 2)
    return patterns.with_columns(mask_name(pl.col("pattern")).alias("masked")).sort(
        pl.col("pattern").str.len_chars(), "pattern", descending=[True, False]
    )


def mask_names_in_text(text: pl.Expr, replacements: pl.DataFrame) -> pl.Expr:
    """Every known name inside free text replaced by its masked form (`name_replacements`).

    Why a set of names and not a pattern: a Chinese name has no shape a pattern could find in
    `火化记录：吳婉雯，身份证号…`, and the rules word their evidence each their own way (a cremation
    record's name, the other rows of a DUPLICATE, a property's co-owners, a township's note). Every
    name those texts can hold is a name of a person in the roll or an extract the store holds, so
    all of those are replaced, by one Aho-Corasick pass. A place or firm that happens to contain a
    person's name loses characters too: in a copy for circulation, hiding too much is the safe error.
    """
    return text.str.replace_many(
        pl.lit(replacements["pattern"]).implode(), pl.lit(replacements["masked"]).implode(), leftmost=True
    )


def free_text_columns(frame: pl.DataFrame) -> list[str]:
    """The frame's text columns that are neither kept (`KEPT_COLUMNS`) nor masked whole."""
    whole = {*KEPT_COLUMNS, *ID_COLUMNS, *NAME_COLUMNS}
    return [c for c, dtype in frame.schema.items() if dtype == pl.String and c not in whole]


# A mainland mobile number (11 digits, 13x–19x) standing alone in free text — what a township
# writes into 核查备注 — shown as its first 3 and last 4 digits. ID-like runs are masked before.
_MOBILE = r"(^|[^0-9０-９])([1１][3-9３-９][0-9０-９])[0-9０-９]{4}([0-9０-９]{4})([^0-9０-９]|$)"


def mask_phones_in_text(text: pl.Expr) -> pl.Expr:
    """Every mobile number in free text as `139****5678`. Applied twice: a separator between two
    numbers belongs to the first match, so the second would be missed in one pass."""
    once = text.str.replace_all(_MOBILE, "${1}${2}****${3}${4}")
    return once.str.replace_all(_MOBILE, "${1}${2}****${3}${4}")


def mask_frame(frame: pl.DataFrame, names: pl.Series) -> pl.DataFrame:
    """Rows of a report (English column names) as the masked edition shows them: IDs and names
    masked in their own columns, and inside every free-text column the row's own ID, any ID-like
    run, any mobile number and any of `names` (every name of a person the store holds: `report.names.known_names`)."""
    text_columns = free_text_columns(frame)
    own_id = pl.col(ID_COLUMNS[0]) if ID_COLUMNS[0] in frame.columns else pl.lit(None, pl.String)
    masked = frame.with_columns(
        *(mask_id(pl.col(c)).alias(c) for c in ID_COLUMNS if c in frame.columns),
        *(mask_name(pl.col(c)).alias(c) for c in NAME_COLUMNS if c in frame.columns),
        *(mask_phones_in_text(mask_ids_in_text(mask_own_id(pl.col(c), own_id))).alias(c) for c in text_columns),
    )
    replacements = name_replacements(names)
    if not text_columns or replacements.is_empty() or frame.is_empty():
        return masked
    # All free text in one column, so the automaton over the names is built once, not per column.
    stacked = pl.concat([masked[c].alias("text") for c in text_columns]).to_frame()
    done = stacked.select(mask_names_in_text(pl.col("text"), replacements)).to_series()
    height = frame.height
    return masked.with_columns(
        done.slice(index * height, height).alias(column) for index, column in enumerate(text_columns)
    )


def mask_summary(summary: dict[str, Any], names: pl.Series) -> dict[str, Any]:
    """summary.json for the masked edition: its counts as they are; every list of records in it (the
    warnings suppressed or resolved, with their names; the inputs, with their file names) masked
    as report rows are (`mask_frame`)."""
    lists = {
        key: pl.DataFrame(value, infer_schema_length=None)
        for key, value in summary.items()
        if isinstance(value, list) and value and all(isinstance(item, dict) for item in value)
    }
    if not lists:
        return dict(summary)
    # One frame for all lists, so the names' automaton is built once (`mask_frame`).
    tagged = [frame.with_columns(pl.lit(key).alias(_LIST_KEY)) for key, frame in lists.items()]
    done = mask_frame(pl.concat(tagged, how="diagonal_relaxed"), names)
    return summary | {
        key: done.filter(pl.col(_LIST_KEY) == key).select(frame.columns).to_dicts() for key, frame in lists.items()
    }


# The console's twins of `mask_id` and `mask_ids_in_text`, for one message at a time: the same
# patterns and the same form in plain Python, since a Polars query per log line costs milliseconds
# (tests/test_masking.py holds the twins to the same output).
_SCIENTIFIC_RE = re.compile(_SCIENTIFIC)
_TOKENS_RE = re.compile(_TOKENS)
_DIGIT_START_RE = re.compile(f"[{_DIGIT}]")


def mask_id_value(value: str | None) -> str:
    """`mask_id` of one value, for the console; None or empty → empty."""
    if not value:
        return ""
    text = str(value)
    scientific = _SCIENTIFIC_RE.fullmatch(text)
    if scientific:
        return scientific[1] + "*" * len(scientific[2]) + scientific[3]
    if len(text) < ID_SHORTEST_SHOWN:
        return "*" * len(text)
    return text[:ID_KEPT_HEAD] + "*" * (len(text) - ID_KEPT_HEAD - ID_KEPT_TAIL) + text[-ID_KEPT_TAIL:]


def mask_ids_in_message(text: str) -> str:
    """`mask_ids_in_text` of one message, for the console."""

    def token(match: re.Match[str]) -> str:
        found = match.group(0)
        if _SCIENTIFIC_RE.fullmatch(found):
            return mask_id_value(found)
        compact = re.sub(_SEPARATORS, "", found)
        if _DIGIT_START_RE.match(found) and len(compact) >= ID_RUN_DIGITS:
            return mask_id_value(compact)
        return found

    return _TOKENS_RE.sub(token, text)
