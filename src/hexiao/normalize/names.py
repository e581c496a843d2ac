"""Chinese names: normalise, convert traditional → simplified, compare in tiers.

Tiers, strongest first: 相同 (identical as written), 规范化后相同 (equal after trimming, width,
middle dots or traditional→simplified), 同音 (same pinyin for some reading of every character,
so 王志刚/王志钢 and the polyphones of 曾/单/解 agree), then rapidfuzz similarity.
"""

from __future__ import annotations

import importlib.util
import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import opencc
import polars as pl
from rapidfuzz import fuzz

# The middle dot of minority names arrives in many shapes; all become U+00B7.
_DOTS = ["・", "•", "‧", "∙", "･", "．", ".", "。"]
_T2S = opencc.OpenCC("t2s")

TIER_IDENTICAL = "相同"
TIER_NORMALISED = "规范化后相同"
TIER_HOMOPHONE = "同音"
TIER_SIMILAR = "相似"
# A same-ID link whose names are not near-equal says so: "姓名不符", not "姓名相似" beside a low score.
TIER_DIFFERENT = "不符"

# Scores of the tiers; rapidfuzz similarity of the simplified forms otherwise.
TIER_SCORES = {TIER_IDENTICAL: 100.0, TIER_NORMALISED: 98.0, TIER_HOMOPHONE: 90.0}


def name_norm_expr(raw: pl.Expr) -> pl.Expr:
    """Trim, drop inner spaces, full-width → half-width (NFKC), unify middle dots."""
    return (
        raw.cast(pl.String)
        .str.normalize("NFKC")
        .str.replace_all(r"[\s\u200b\u200c\u200d\u2060\ufeff]", "")
        .str.replace_many(_DOTS, ["·"] * len(_DOTS))
        .str.strip_chars("·")
    )


# A name of CJK unified ideographs only — nearly every name — is already in normal form.
_PLAIN_NAME = r"^[\x{4E00}-\x{9FFF}\x{3400}-\x{4DBF}]+$"


def normalize_names(names: pl.Series) -> pl.Series:
    """`name_norm_expr` over a whole column, run only on the names it could change."""
    names = names.cast(pl.String)
    others = names.str.contains(_PLAIN_NAME).fill_null(True).not_().arg_true()
    if others.len() == 0:
        return names
    fixed = names[others].to_frame("n").select(name_norm_expr(pl.col("n"))).to_series()
    return names.scatter(others, fixed)


@cache
def _traditional_characters() -> tuple[str, ...]:
    """Every CJK unified ideograph that OpenCC changes on its own: one conversion, at first use."""
    block = "".join(chr(c) for c in range(0x4E00, 0xA000))
    converted = _T2S.convert(block)
    if len(converted) != len(block):  # a multi-character mapping: compare one by one
        return tuple(c for c in block if _T2S.convert(c) != c)
    return tuple(a for a, b in zip(block, converted, strict=True) if a != b)


@cache
def _traditional_pattern() -> str:
    """A regex class of `_traditional_characters` (CJK ideographs: nothing to escape). Polars builds
    `contains_any`'s automaton of 3,500 patterns anew on every call, 4 ms; the class costs 0.5."""
    return "[" + "".join(_traditional_characters()) + "]"


def to_simplified(names: pl.Series) -> pl.Series:
    """Traditional → simplified for a whole column.

    Only names holding a traditional character go to OpenCC (one call for all of them, joined by
    newlines, which names never contain); the rest — nearly all — are already simplified.
    """
    names = names.cast(pl.String)
    candidates = names.str.contains(_traditional_pattern()).fill_null(False).arg_true()
    if candidates.len() == 0:
        return names
    chosen = names[candidates]
    converted = pl.Series(_T2S.convert("\n".join(chosen.to_list())).split("\n"), dtype=pl.String)
    return names.scatter(candidates, converted)


def normalize_name(raw: str | None) -> str | None:
    """One name through the same expressions as `name_norm_expr` + `to_simplified`."""
    normed = pl.DataFrame({"n": [raw]}, schema={"n": pl.String}).select(name_norm_expr(pl.col("n")))
    value = to_simplified(normed.to_series()).item()
    return value or None


@cache
def _readings(char: str) -> frozenset[str]:
    """Every toneless reading of one character, as pypinyin's `pinyin(char, Style.NORMAL,
    heteronym=True)` gives them (ü as v, ê kept); a character without one reads as itself."""
    table = _reading_table()
    if table is None:
        return _pypinyin_readings(char)
    readings = table.get(str(ord(char)))
    return frozenset(map(_toneless, readings.split(","))) if readings else frozenset(char)


@cache
def _reading_table() -> dict[str, str] | None:
    """pypinyin's table of single characters (code point → toned readings), read from its data
    file: 0.03 s, where importing pypinyin loads its phrase dictionary too and takes 0.3 s of every
    run that compares a name by sound. A test checks `_readings` against pypinyin itself for every
    character. None when the installed pypinyin keeps its data elsewhere."""
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "pinyin_dict.json"
    if not path.is_file():
        return None
    table = json.loads(path.read_text(encoding="utf-8"))
    # A layout this code does not know (a future pypinyin) falls back to asking pypinyin itself.
    if not isinstance(table, dict) or "wáng" not in str(table.get(str(ord("王")), "")).split(","):
        return None
    return table


def _toneless(reading: str) -> str:
    spelled = unicodedata.normalize("NFD", reading).replace("u\u0308", "v").replace("e\u0302", "ê")
    return "".join(c for c in spelled if not unicodedata.combining(c))


@cache
def _pypinyin_readings(char: str) -> frozenset[str]:
    from pypinyin import Style, pinyin

    return frozenset(pinyin(char, style=Style.NORMAL, heteronym=True, errors="default")[0])


def same_pinyin(a: str, b: str) -> bool:
    """True when every character pair shares a toneless reading (polyphones counted)."""
    if len(a) != len(b) or not a:
        return False
    return all(x == y or (_readings(x) & _readings(y)) for x, y in zip(a, b, strict=True))


@dataclass(frozen=True)
class NameComparison:
    tier: str
    score: float

    @property
    def near_equal(self) -> bool:
        """Equal after normalisation or same pinyin: strong enough to back an ID-led match."""
        return self.tier in TIER_SCORES


def compare_names(a_raw: str | None, b_raw: str | None, a_simp: str | None, b_simp: str | None) -> NameComparison:
    """Compare two names given as written and in simplified normal form. Symmetric."""
    if not a_simp or not b_simp:
        return NameComparison(TIER_SIMILAR, 0.0)
    if a_raw is not None and a_raw == b_raw:
        return NameComparison(TIER_IDENTICAL, TIER_SCORES[TIER_IDENTICAL])
    if a_simp == b_simp:
        return NameComparison(TIER_NORMALISED, TIER_SCORES[TIER_NORMALISED])
    if same_pinyin(a_simp, b_simp):
        return NameComparison(TIER_HOMOPHONE, TIER_SCORES[TIER_HOMOPHONE])
    similarity = fuzz.ratio(a_simp, b_simp)
    return NameComparison(TIER_SIMILAR, round(min(similarity, 89.0), 1))
