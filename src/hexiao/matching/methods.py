"""Match methods (contract.md §3), strongest first, and their base scores."""

from __future__ import annotations

EXACT_ID = "身份证精确"  # same normalised ID (15→18 conversion included), name near-equal
ID_CORRECTED = "身份证纠错"  # one substitution or one adjacent swap apart, name near-equal
NAME_BIRTH = "姓名+出生日期"  # no usable ID on one side: same name, birth date and county code
NAME_DIFFERS = "姓名相似"  # same ID, name differs: still a match, lower confidence
NAME_COUNTY = "姓名+地区码"  # scientific-notation ID: only the area code survives; name unique there

# Rank orders methods when one record has several candidates (lower is stronger).
RANK = {EXACT_ID: 1, ID_CORRECTED: 2, NAME_BIRTH: 3, NAME_DIFFERS: 4, NAME_COUNTY: 5}

# Only these may recommend 停发/减发; everything weaker is 入户核查 (domain.md, rule 1).
DECISIVE = frozenset({EXACT_ID})

SCORE_ID_CORRECTED = 90.0
SCORE_KEY15 = 88.0  # first 15 digits agree (Excel numeric damage) and the name is near-equal
SCORE_NAME_BIRTH = 85.0
SCORE_NAME_COUNTY = 60.0
