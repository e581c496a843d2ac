"""Name normalisation and tiered comparison."""

from __future__ import annotations

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from hexiao.normalize.names import (
    TIER_HOMOPHONE,
    TIER_IDENTICAL,
    TIER_NORMALISED,
    TIER_SIMILAR,
    _reading_table,
    _readings,
    compare_names,
    name_norm_expr,
    normalize_name,
    normalize_names,
)


def _compare(a: str, b: str) -> tuple[str, float]:
    result = compare_names(a, b, normalize_name(a), normalize_name(b))
    return result.tier, result.score


def test_normalisation() -> None:
    assert normalize_name(" 王 伟 ") == "王伟"
    assert normalize_name("張偉") == "张伟"
    assert normalize_name("阿依古丽・买买提") == "阿依古丽·买买提"
    assert normalize_name("阿依古丽•买买提") == "阿依古丽·买买提"
    assert normalize_name("ＡＢＣ") == "ABC"
    assert normalize_name("") is None


def test_tiers() -> None:
    assert _compare("张伟", "张伟") == (TIER_IDENTICAL, 100.0)
    assert _compare("张伟", "張偉")[0] == TIER_NORMALISED
    assert _compare("王 伟", "王伟")[0] == TIER_NORMALISED
    assert _compare("王志刚", "王志钢")[0] == TIER_HOMOPHONE
    assert _compare("曾伟", "增伟")[0] == TIER_HOMOPHONE  # 曾 reads zeng or ceng
    tier, score = _compare("王伟", "李娜")
    assert tier == TIER_SIMILAR and score < 50


def test_different_lengths_are_not_homophones() -> None:
    assert _compare("王伟", "王伟伟")[0] == TIER_SIMILAR


chinese = st.text(
    alphabet="王李张刘陈杨黄赵吴周伟芳娜敏静丽强磊军洋艳勇杰娟涛明超秀霞平刚桂張劉陳楊黃趙", min_size=1, max_size=4
)


@given(chinese, chinese)
def test_comparison_is_symmetric_and_bounded(a: str, b: str) -> None:
    ab = _compare(a, b)
    ba = _compare(b, a)
    assert ab == ba
    assert 0.0 <= ab[1] <= 100.0


@given(chinese)
def test_normalising_twice_changes_nothing(name: str) -> None:
    once = normalize_name(name)
    assert normalize_name(once) == once


# Unified ideographs, compatibility ideographs and Kangxi radicals (which NFKC changes), full-width
# letters, spaces of several widths and the middle dots of minority names.
messy_names = st.text(alphabet="王李张伟娜𠀀㐀豈﨎⼈⼀ＡＢab ·・•．.\u3000\u200b", max_size=6)


@given(st.lists(st.one_of(st.none(), messy_names), max_size=20))
def test_column_normalisation_skips_only_names_it_would_not_change(names: list[str | None]) -> None:
    column = pl.Series("name", names, dtype=pl.String)
    expected = column.to_frame().select(name_norm_expr(pl.col("name"))).to_series()
    assert normalize_names(column).to_list() == expected.to_list()


def test_pinyin_table_reads_like_pypinyin_for_every_character() -> None:
    """`_readings` reads pypinyin's data file instead of importing pypinyin (a third of a second
    per run): for every character it lists, and for characters it does not, the readings must be
    pypinyin's own."""
    from pypinyin import Style, pinyin

    table = _reading_table()
    assert table is not None and len(table) > 40_000
    characters = [chr(int(code)) for code in table] + ["a", "〇", "·", "\U0002a6e0", "\U0002ebe0"]
    differing = [
        c
        for c in characters
        if _readings(c) != frozenset(pinyin(c, style=Style.NORMAL, heteronym=True, errors="default")[0])
    ]
    assert differing == []
