"""Match methods (contract.md §3), strongest first, and their scores."""

from __future__ import annotations

import math

from hexiao.normalize.names import TIER_SCORES

EXACT_ID = "身份证精确"  # same normalised ID (15→18 conversion included), name near-equal
ID_CORRECTED = "身份证纠错"  # one substitution or one adjacent swap apart, name near-equal
NAME_BIRTH = "姓名+出生日期"  # no usable ID on one side: same name, birth date and county code
NAME_DIFFERS = "身份证一致姓名不符"  # same ID, name differs: still a match, lower confidence
NAME_COUNTY = "姓名+地区码"  # scientific-notation ID: only the area code survives; name unique there

# Rank orders methods when one record has several candidates (lower is stronger).
RANK = {EXACT_ID: 1, ID_CORRECTED: 2, NAME_BIRTH: 3, NAME_DIFFERS: 4, NAME_COUNTY: 5}

# Only these may recommend 停发/减发; everything weaker is 入户核查 (domain.md, rule 1).
DECISIVE = frozenset({EXACT_ID})

# A fuzzy link scores its method's base less half of what the name lacks of identical (100).
SCORE_ID_CORRECTED = 90.0
SCORE_KEY15 = 88.0  # first 15 digits agree (Excel numeric damage) and the name is near-equal
SCORE_NAME_BIRTH = 85.0
SCORE_NAME_COUNTY = 60.0
NAME_SHORTFALL_WEIGHT = 0.5


def fuzzy_score_floor(base: float) -> float:
    """The lowest score a fuzzy method of `base` gives: its weakest near-equal name (同音)."""
    return base - (100.0 - min(TIER_SCORES.values())) * NAME_SHORTFALL_WEIGHT


# The lowest score of each method ranked above 身份证一致姓名不符: 身份证精确 scores its name, at
# least the weakest near-equal one (同音); the fuzzy ID methods their floor.
_STRONGER_FLOORS = (
    min(TIER_SCORES.values()),
    *(fuzzy_score_floor(base) for base in (SCORE_ID_CORRECTED, SCORE_KEY15, SCORE_NAME_BIRTH)),
)
# 身份证一致姓名不符 scores the names' similarity in whole points, capped one point below every
# stronger method (today 85 - (100 - 90) × 0.5 - 1 = 79): a same-ID record whose name does not
# agree never outscores a link that the name backs. 姓名+地区码 (at most 60) ranks below it anyway.
SCORE_NAME_DIFFERS_CAP = float(math.ceil(min(_STRONGER_FLOORS)) - 1)
