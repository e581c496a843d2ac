"""Who appears in the cremation data: planted deaths of roll members in every form a matcher must
handle (``FORMS``), and the decoys that must raise no DECEASED warning (``DECOY_KINDS``).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hexiao_dev.sample.cremation import CremRow, crem_row
from hexiao_dev.sample.dates import random_birth, random_day
from hexiao_dev.sample.ids import (
    dirty_id,
    excel_numeric,
    excel_sci,
    to_legacy15,
    typo_sub,
    typo_swap,
    zero_fill_passes_check,
)
from hexiao_dev.sample.names import HOMOPHONES, homophone, name_variant, random_name
from hexiao_dev.sample.people import (
    COUNTY_CODE,
    KEY_HEAD_ID,
    KEY_NONE,
    NUMERIC_CELL,
    OTHER_COUNTY_CODE,
    Person,
    World,
    new_id,
    quota,
    shuffled,
    take,
)
from hexiao_dev.sample.twins import give_twin

FORMS = ("exact", "id15", "typo_sub", "typo_swap", "excel_numeric", "excel_sci", "homophone", "roll_typo")
DECOY_KINDS = ("not_on_roll", "same_name_other", "near_id_other_name", "future_death")

# Share of the planted deaths per form; `exact` takes what is left (~70%). Restrictive forms come
# first so they get their pick of the eligible people.
_FORM_RATES = (
    ("excel_sci", 0.03),
    ("homophone", 0.05),
    ("id15", 0.05),
    ("excel_numeric", 0.05),
    ("typo_sub", 0.07),
    ("typo_swap", 0.05),
)
# Forms whose cremation record carries the same normalised ID: hexiao's 身份证精确, which may
# recommend 停发/减发. A same-pinyin name (homophone) is a near-equal name, so it is decisive too.
STRONG_FORMS = ("exact", "id15", "homophone")


@dataclass(eq=False)
class Death:
    person: Person
    form: str
    death: dt.date  # the date a matcher sees (火化日期 when 死亡日期 is empty)


@dataclass(eq=False)
class Decoy:
    kind: str
    row: CremRow


def _elderly_first(w: World, people: Sequence[Person]) -> list[Person]:
    """Weighted shuffle (Efraimidis–Spirakis): the old die more often than the young."""
    year = w.month // 12
    keyed = []
    for p in people:
        weight = 1.0 + max(0, year - p.birth.year - 45) / 5.0
        keyed.append((w.rng.random() ** (1.0 / weight), p.pid, p))
    keyed.sort(key=lambda item: (-item[0], item[1]))
    return [p for _, _, p in keyed]


def _form_predicates(w: World) -> dict[str, Callable[[Person], bool]]:
    counts = Counter(p.name for p in w.persons)
    return {
        # A 3.40421E+17 ID keeps only the county: recoverable only through a name unique on the roll.
        "excel_sci": lambda p: counts[p.name] == 1,
        "homophone": lambda p: any(c in HOMOPHONES for c in p.name[1:]),
        "id15": lambda p: p.birth.year < 2000,
        "excel_numeric": lambda p: not p.id18.endswith("000"),
        "typo_sub": lambda p: True,
        "typo_swap": lambda p: True,
        "exact": lambda p: True,
    }


def _death_day(rng: random.Random, month: int, start: int) -> dt.date:
    back = 0 if rng.random() < 0.1 else rng.randint(1, 14)
    death_month = month - back
    if death_month < start:  # nobody dies before their support started
        death_month = rng.randint(start, month)
    return random_day(rng, death_month)


def plant_deaths(w: World) -> list[Death]:
    total = quota(len(w.persons), 0.03, 0)
    counts = {form: max(2, round(rate * total)) for form, rate in _FORM_RATES}
    # Small samples are dominated by the per-form minimums; keep `exact` the clear majority anyway.
    counts["exact"] = max(round(0.7 * total), total - sum(counts.values()))
    usable = [p for p in w.persons if p.usable_id]
    pool = _elderly_first(w, usable)
    preds = _form_predicates(w)
    chosen: list[tuple[Person, str]] = []
    # Deaths where 户编号 is a damaged numeric cell, one per household: a member of each household
    # with no sound key left (入户核查), and of two whose head's ID still tells them apart (sized by it).
    hit: set[int] = set()

    def damaged(key: str) -> Callable[[Person], bool]:
        def pred(p: Person) -> bool:
            hh = p.household
            if hh.hid_damage != NUMERIC_CELL or hh.key != key or p is hh.members[0] or hh.order in hit:
                return False
            hit.add(hh.order)
            return True

        return pred

    no_key = {hh.order for hh in w.households if hh.hid_damage == NUMERIC_CELL and hh.key == KEY_NONE}
    chosen += [(p, "exact") for p in take(pool, len(no_key), damaged(KEY_NONE), w.taken)]
    chosen += [(p, "exact") for p in take(pool, 2, damaged(KEY_HEAD_ID), w.taken)]
    # A death recorded under an Excel-zeroed ID that is another, living member's real ID (twins.py).
    for p in take(pool, 1, lambda p: zero_fill_passes_check(p.id18) and not p.common, w.taken):
        if give_twin(w, p):
            chosen.append((p, "excel_numeric"))
    for form in [f for f, _ in _FORM_RATES] + ["exact"]:
        chosen += [(p, form) for p in take(pool, counts[form], preds[form], w.taken)]
    typos = [p for p in w.persons if p.id_state == "roll_typo"]
    typo_deaths = take(typos, max(1, round(0.4 * len(typos))), lambda p: True, w.taken)
    chosen += [(p, "roll_typo") for p in typo_deaths]
    return [Death(p, form, _death_day(w.rng, w.month, p.household.start)) for p, form in chosen]


def _exact_name(rng: random.Random, name: str) -> str:
    """The name on an exact-form death's cremation row: often traditional, sometimes spaced."""
    return name_variant(rng.random(), name, 0.25, 0.4)


def _light_id(rng: random.Random, id18: str) -> str:
    """The ways an intact ID still arrives dirty: spaces, lower-case x, a tab, an apostrophe."""
    return dirty_id(rng.randrange(10), id18)


def _death_identity(w: World, d: Death, to_xlsx: bool) -> tuple[str, str, bool]:
    """(ID as written, name as written, numeric cell) of a planted death's cremation row."""
    rng, p, form = w.rng, d.person, d.form
    if form == "exact":
        return _light_id(rng, p.id18), _exact_name(rng, p.name), False
    if form == "homophone":
        return p.id18, homophone(rng, p.name), False
    if form == "id15":
        return to_legacy15(p.id18), p.name, False
    if form == "typo_sub":
        return typo_sub(rng, p.id18, w.used_ids), p.name, False
    if form == "typo_swap":
        return typo_swap(rng, p.id18, w.used_ids), p.name, False
    if form == "excel_numeric":
        return excel_numeric(p.id18), p.name, to_xlsx and rng.random() < 0.7
    if form == "excel_sci":
        return excel_sci(p.id18), p.name, False
    return p.id18, p.name, False  # roll_typo: the cremation side has it right


def death_rows(w: World, deaths: list[Death]) -> list[CremRow]:
    rows = []
    for d in deaths:
        p = d.person
        row = crem_row(w, p.name, p.id18, p.male, d.death, p.household)
        row.id_raw, row.name, row.numeric_id = _death_identity(w, d, row.to_xlsx)
        if row.death is None and row.crem is not None:
            d.death = row.crem
        rows.append(row)
    return rows


def _window_day(w: World) -> dt.date:
    return random_day(w.rng, w.month - w.rng.randint(0, 14))


def _not_on_roll(w: World, count: int) -> list[Decoy]:
    out = []
    for _ in range(count):
        male = w.rng.random() < 0.55
        old = w.rng.random() < 0.85
        birth = random_birth(w.rng, 1930, 1975) if old else random_birth(w.rng, 1976, 2015)
        area = COUNTY_CODE if w.rng.random() < 0.9 else OTHER_COUNTY_CODE
        id18 = new_id(w, birth, male, area)
        name = random_name(w.rng, male, w.reserved_names)
        row = crem_row(w, name, _light_id(w.rng, id18), male, _window_day(w), None)
        out.append(Decoy("not_on_roll", row))
    return out


def _same_name_other(w: World, count: int) -> list[Decoy]:
    """Someone else with a roll member's name (mostly the common ones), another ID and birth date."""
    births: dict[str, set[dt.date]] = {}
    for p in w.persons:
        births.setdefault(p.name, set()).add(p.birth)
    pool = [p for p in shuffled(w) if p.common] + shuffled(w)
    picked = take(pool, count, lambda p: p.name not in w.reserved_names, w.taken)
    out = []
    for p in picked:
        birth = p.birth
        while birth in births[p.name]:
            birth = random_birth(w.rng, max(1930, p.birth.year - 8), min(2015, p.birth.year + 8))
        row = crem_row(w, p.name, new_id(w, birth, p.male, COUNTY_CODE), p.male, _window_day(w), None)
        out.append(Decoy("same_name_other", row))
    return out


def _take_usable(w: World, count: int) -> list[Person]:
    """Up to count roll members, at random, whose ID can be matched on ID and who have no role yet."""
    return take(shuffled(w), count, lambda p: p.usable_id, w.taken)


def _near_id_other_name(w: World, count: int) -> list[Decoy]:
    """An ID one digit away from a roll member's, carried by somebody with another surname."""
    out = []
    for p in _take_usable(w, count):
        name = random_name(w.rng, p.male, w.reserved_names)
        while name[0] == p.name[0]:  # another surname: the names must not be near-equal
            name = random_name(w.rng, p.male, w.reserved_names)
        id_raw = typo_sub(w.rng, p.id18, w.used_ids)
        out.append(Decoy("near_id_other_name", crem_row(w, name, id_raw, p.male, _window_day(w), None)))
    return out


def _future_death(w: World, count: int) -> list[Decoy]:
    """A roll member whose death date lies after this month (a typed-in-error year or month)."""
    out = []
    for p in _take_usable(w, count):
        death = random_day(w.rng, w.month + w.rng.randint(1, 6))
        row = crem_row(w, p.name, p.id18, p.male, death, p.household)
        row.death, row.crem = death, death + dt.timedelta(days=w.rng.randint(0, 3))
        out.append(Decoy("future_death", row))
    return out


def plant_decoys(w: World, deaths: list[Death]) -> list[Decoy]:
    # Name-led matching is allowed for damaged IDs; decoys must never offer such a name.
    for d in deaths:
        if d.form == "excel_sci":
            w.reserved_names.add(d.person.name)
    for p in w.persons:
        if p.id_state in ("sci", "xlsx_numeric"):
            w.reserved_names.add(p.name)
    n = len(deaths)
    return (
        _not_on_roll(w, 5 * n)
        + _same_name_other(w, quota(n, 0.4, 3))
        + _near_id_other_name(w, quota(n, 0.2, 2))
        + _future_death(w, quota(n, 0.05, 1))
    )
