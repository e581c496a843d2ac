"""The disabled persons' federation's register (`kinds.disability`): 残疾等级 and 残疾类别 as one
spelling each, whichever way the export wrote them, or read from the 残疾人证号."""

from __future__ import annotations

import polars as pl

from hexiao.ingest.values import blank_to_null

LEVELS = ("一级", "二级", "三级", "四级")
CATEGORIES = ("视力", "听力", "言语", "肢体", "智力", "精神", "多重")  # the certificate's digits 1–7

# Every way a level is written, to its number: 一级, 1级, 1, 壹级, Ⅰ级 (I级 once NFKC-folded).
_LEVEL_WORDS = {
    "1": 1, "一": 1, "壹": 1, "I": 1,
    "2": 2, "二": 2, "贰": 2, "II": 2,
    "3": 3, "三": 3, "叁": 3, "III": 3,
    "4": 4, "四": 4, "肆": 4, "IV": 4,
}  # fmt: skip
_LEVEL_PATTERN = "(IV|III|II|I|[1-4一二三四壹贰叁肆])"
# A 残疾人证号: the 18-character ID, then the category and level digits.
_CERTIFICATE = r"^([0-9]{17}[0-9X])([1-7])([1-4])$"


def _folded(expr: pl.Expr) -> pl.Expr:
    return blank_to_null(expr).str.normalize("NFKC").str.to_uppercase().str.replace_all(r"\s", "")


def level_name(expr: pl.Expr) -> pl.Expr:
    """一级…四级 of a written level: the whole value (`1`, `壹级`, `二级（重度）`, `III级`) or a level
    inside it (`肢体二级`); null when no level can be read."""
    text = _folded(expr)
    alone = text.str.extract(f"^{_LEVEL_PATTERN}级?(?:[(（].*)?$", 1)
    inside = text.str.extract(f"{_LEVEL_PATTERN}级", 1)
    number = pl.coalesce(alone, inside).replace_strict(_LEVEL_WORDS, default=None, return_dtype=pl.Int8)
    return number.replace_strict(dict(enumerate(LEVELS, 1)), default=None, return_dtype=pl.String)


def category_name(expr: pl.Expr) -> pl.Expr:
    """视力…多重 of a written category (`肢体残疾`, `精神类`); the value as written when it names none."""
    text = blank_to_null(expr).str.replace_all(r"\s", "")
    named = pl.coalesce([pl.when(text.str.contains(word)).then(pl.lit(word)) for word in CATEGORIES])
    return pl.coalesce(named, text)


def certificate_parts(expr: pl.Expr) -> pl.Expr:
    """The ID, category and level a 残疾人证号 holds (a struct of `id`, `category`, `level`; nulls when
    it is not one)."""
    parts = _folded(expr).str.extract_groups(_CERTIFICATE)
    digit_to = {str(i): name for i, name in enumerate(CATEGORIES, 1)}
    return pl.struct(
        parts.struct.field("1").alias("id"),
        parts.struct.field("2").replace_strict(digit_to, default=None, return_dtype=pl.String).alias("category"),
        parts.struct.field("3")
        .cast(pl.Int8, strict=False)
        .replace_strict(dict(enumerate(LEVELS, 1)), default=None, return_dtype=pl.String)
        .alias("level"),
    )
