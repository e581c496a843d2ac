"""GB 11643 citizen ID numbers: check digits, validity, the 15-digit legacy form, and the ways an ID
is damaged on its way into an extract (Excel number cells, one-digit typos, sloppy typing).
"""

from __future__ import annotations

import datetime as dt
import random

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits of a GB 11643 ID."""
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def is_valid_id(value: str) -> bool:
    """18 characters, digits (last may be X), a real birth date and the right check digit."""
    if len(value) != 18 or not value[:17].isdigit() or value[17] not in "0123456789X":
        return False
    try:
        birth_of(value)
    except ValueError:
        return False
    return check_digit(value[:17]) == value[17]


def to_legacy15(id18: str) -> str:
    """The pre-1999 15-digit form: area(6) + YYMMDD + sequence(3), no check digit."""
    return id18[:6] + id18[8:17]


def birth_of(id18: str) -> dt.date:
    return dt.date(int(id18[6:10]), int(id18[10:12]), int(id18[12:14]))


def excel_numeric(id18: str) -> str:
    return id18[:15] + "000"


def zero_fill_passes_check(id18: str) -> bool:
    """Whether the ID Excel zero-fills (first 15 digits + 000) passes the check digit by chance (1 in 11)."""
    return check_digit(id18[:15] + "00") == "0" and not id18.endswith("000")


def excel_sci(id18: str) -> str:
    return f"{id18[0]}.{id18[1:6]}E+17"


def dirty_id(roll: int, id18: str) -> str:
    """An intact ID as it still arrives dirty, by a roll of 0-9: 5 padded with spaces, 6 a lower-case
    x (when it ends in X), 7 after a tab, 8 after an apostrophe; anything else clean."""
    if roll < 5:
        return id18
    if roll == 5:
        return f" {id18} "
    if roll == 6 and id18.endswith("X"):
        return id18[:-1] + "x"
    if roll == 7:
        return "\t" + id18
    if roll == 8:
        return "'" + id18
    return id18


def typo_sub(rng: random.Random, id18: str, forbidden: set[str]) -> str:
    """One digit of the first 17 replaced by another (never the province, never an existing ID)."""
    while True:
        pos = rng.randint(2, 16)
        digit = rng.choice([d for d in "0123456789" if d != id18[pos]])
        out = id18[:pos] + digit + id18[pos + 1 :]
        # An ID ending in 000 would read as an Excel numeric cell: a different kind of damage.
        if out not in forbidden and not out.endswith("000"):
            return out


def typo_swap(rng: random.Random, id18: str, forbidden: set[str]) -> str:
    """Two adjacent, different digits among the first 17 swapped."""
    positions = [i for i in range(2, 16) if id18[i] != id18[i + 1]]
    while True:
        i = rng.choice(positions)
        out = id18[:i] + id18[i + 1] + id18[i] + id18[i + 2 :]
        if out not in forbidden and not out.endswith("000"):
            return out
