"""The extracts' planting context: roll members still free for a role, people on no roll and people
new on a roll, how other registers write their names, IDs and dates, and the truth planted so far.

Hundreds of thousands of people on no roll are drawn here, so the ``fast_*`` draws use
``rng.random()`` rather than ``random.choice``/``randrange``/``choices``, whose argument checks
cost more than the draw. They are not interchangeable with the generator's own draws (a different
stream of numbers), which is why both kinds exist.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import operator
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from hexiao_dev.sample.dates import date_spelling, last_day
from hexiao_dev.sample.ids import CHECK_CHARS, ID_WEIGHTS, birth_of, dirty_id, excel_numeric, excel_sci, to_legacy15
from hexiao_dev.sample.names import FEMALE_CHARS, MALE_CHARS, SURNAME_WEIGHTS, SURNAMES, name_variant, random_name
from hexiao_dev.sample.people import (
    COUNTY_CODE,
    KEY_NONE,
    OTHER_COUNTY_CODE,
    Household,
    Person,
    Township,
    World,
    new_id,
    take,
)

CHECK = "入户核查"  # the action most warnings ask for

_AREAS = (COUNTY_CODE, OTHER_COUNTY_CODE, "340402", "340403", "340404", "340405", "340406", "341621")
_AREA_CUM = tuple(itertools.accumulate((80, 8, 3, 3, 2, 2, 1, 1)))


@dataclass(frozen=True)
class Who:
    name: str
    id18: str
    male: bool

    @property
    def birth(self) -> dt.date:
        return birth_of(self.id18)


@dataclass(eq=False)
class Ctx:
    w: World
    rng: random.Random
    pool: list[Person]  # roll members with a usable ID and no role yet, shuffled
    households: list[Household]  # shuffled
    avoid: set[str]  # names people on no roll must not carry
    truth: list[list[str]] = field(default_factory=list)
    negatives: list[list[str]] = field(default_factory=list)
    serial: Counter[tuple[int, int]] = field(default_factory=Counter)
    roll_names: set[str] = field(default_factory=set)
    counters: Counter[str] = field(default_factory=Counter)
    last: dt.date = dt.date.min  # the last day of the roll month
    before: int = 0  # ordinal of the last day of the month before: extracts hold nothing later

    @property
    def n(self) -> int:
        return len(self.w.persons)


def new_ctx(w: World, seed: int) -> Ctx:
    """The context to plant the extracts in. From here on w draws from a second random stream, seeded
    from the seed, so the generator's own stream (and every file it wrote) stays as it was."""
    w.rng = rng = random.Random(f"{seed}/extracts")
    # A household nothing tells apart (户编号 and head's ID both damaged) takes no role here: what a
    # household-level rule should say of it is a visit, not a warning the truth could predict.
    pool = [p for p in w.persons if p.usable_id and p.pid not in w.taken and p.household.key != KEY_NONE]
    rng.shuffle(pool)
    households = [hh for hh in w.households if hh.key != KEY_NONE]
    rng.shuffle(households)
    damaged = {p.name for p in w.persons if not p.usable_id}
    c = Ctx(w, rng, pool, households, set(w.reserved_names) | damaged, last=last_day(w.month))
    c.before = last_day(w.month - 1).toordinal()
    c.serial.update((hh.township, hh.village) for hh in w.households)
    c.roll_names.update(p.name for p in w.persons)
    return c


def who_of(p: Person) -> Who:
    return Who(p.name, p.id18, p.male)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def of_age(c: Ctx, least: int = 20) -> Callable[[Person], bool]:
    return lambda p: age_on(p.birth, c.last) >= least


def gbk_ok(text: str) -> bool:
    try:
        text.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def far(a: str, b: str) -> bool:
    """At least three differing characters: no typo-tolerant method may link the two IDs."""
    return sum(x != y for x, y in zip(a, b, strict=True)) >= 3


def warn(
    c: Ctx, code: str, who: Who, where: tuple[str, str, str], action: str = CHECK, risk: str = "", effective: str = ""
) -> None:
    """One expected warning; where = (township, household_id, program) of the roll row, empty for OMISSION."""
    c.truth.append([code, who.id18, who.name, *where, action, risk, effective])


def member_at(c: Ctx, p: Person) -> tuple[str, str, str]:
    hh = p.household
    return c.w.townships[hh.township].name, hh.hid, hh.program


def negative(c: Ctx, code: str, who: Who, why: str) -> None:
    c.negatives.append([code, who.id18, who.name, why])


def pick(c: Ctx, k: int, pred: Callable[[Person], bool]) -> list[Person]:
    return take(c.pool, k, pred, c.w.taken)


def pick_households(c: Ctx, k: int, pred: Callable[[Household], bool]) -> list[Household]:
    """Whole households nobody in which has a role yet; all their members take one."""
    out: list[Household] = []
    taken = c.w.taken
    for hh in c.households:
        if len(out) >= k:
            break
        if all(m.pid not in taken for m in hh.members) and pred(hh):
            out.append(hh)
            taken.update(m.pid for m in hh.members)
    return out


def fast_choice(rng: random.Random, items: Sequence[str]) -> str:
    return items[int(rng.random() * len(items))]


def fast_weighted(rng: random.Random, items: Sequence[str], cum: Sequence[int]) -> str:
    return items[bisect.bisect(cum, rng.random() * cum[-1])]


_SURNAME_CUM = tuple(itertools.accumulate(SURNAME_WEIGHTS))


def fast_name(rng: random.Random, male: bool, avoid: set[str]) -> str:
    """Distributed as ``names.random_name`` (from other draws)."""
    chars = MALE_CHARS if male else FEMALE_CHARS
    while True:
        given = fast_choice(rng, chars) if rng.random() < 0.3 else fast_choice(rng, chars) + fast_choice(rng, chars)
        name = fast_weighted(rng, SURNAMES, _SURNAME_CUM) + given
        if name not in avoid:
            return name


def _fresh_id(c: Ctx, birth: dt.date, male: bool, area: str) -> str:
    """A valid ID for somebody on no roll: its first 15 digits match no roll ID (Excel damage stays unmatchable)."""
    rng, used, roll15 = c.rng, c.w.used_ids, c.w.used_key15
    while True:
        stem = f"{area}{birth.year:04d}{birth.month:02d}{birth.day:02d}"
        weighted = sum(map(operator.mul, map(int, stem), ID_WEIGHTS))
        for _ in range(20):
            seq = 2 * int(rng.random() * 500) + 1 if male else 2 * int(rng.random() * 499) + 2
            first17 = f"{stem}{seq:03d}"
            if first17[:15] in roll15:
                continue
            total = weighted + (seq // 100) * 8 + (seq // 10 % 10) * 4 + (seq % 10) * 2  # digits 15-17
            id18 = first17 + CHECK_CHARS[total % 11]
            if id18 not in used:
                used.add(id18)
                return id18
        birth += dt.timedelta(days=1)


@functools.cache
def _span(years: tuple[int, int]) -> tuple[int, int]:
    """First ordinal and number of days of the years first..last."""
    lo = dt.date(years[0], 1, 1).toordinal()
    return lo, dt.date(years[1], 12, 31).toordinal() - lo + 1


def stranger(c: Ctx, years: tuple[int, int], avoid: set[str] | None = None, male: bool | None = None) -> Who:
    """Somebody on no roll."""
    rng = c.rng
    male = rng.random() < 0.55 if male is None else male
    lo, days = _span(years)
    birth = dt.date.fromordinal(lo + int(rng.random() * days))
    id18 = _fresh_id(c, birth, male, fast_weighted(rng, _AREAS, _AREA_CUM))
    return Who(fast_name(rng, male, c.avoid if avoid is None else avoid), id18, male)


def newcomer(c: Ctx, birth: dt.date, male: bool | None = None) -> Who:
    """Somebody new on a roll: a unique ID (first 15 digits too) and no name a decoy relies on."""
    male = c.rng.random() < 0.5 if male is None else male
    id18 = new_id(c.w, birth, male, COUNTY_CODE)
    name = random_name(c.rng, male, c.w.reserved_names)
    c.roll_names.add(name)
    return Who(name, id18, male)


def fast_light_id(rng: random.Random, id18: str) -> str:
    """An intact ID as a register writes it: spaces, lower-case x, a tab, an apostrophe, or clean."""
    return dirty_id(int(rng.random() * 10), id18)


def fast_date_text(rng: random.Random, day: dt.date) -> str:
    """One of the date spellings real extracts mix."""
    return date_spelling(int(rng.random() * 4), day)


def written_id(rng: random.Random, id18: str) -> str:
    """A roll member's intact ID as another register writes it; sometimes the 15-digit legacy form."""
    if id18[6:8] == "19" and rng.random() < 0.06:
        return to_legacy15(id18)
    return fast_light_id(rng, id18)


def written_name(rng: random.Random, name: str) -> str:
    """A name as another register writes it: now and then traditional, or spaced after the surname."""
    return name_variant(rng.random(), name, 0.08, 0.12)


def day_between(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    if hi <= lo:
        return lo
    return dt.date.fromordinal(lo.toordinal() + int(rng.random() * (hi.toordinal() - lo.toordinal() + 1)))


def damaged_stranger(c: Ctx, years: tuple[int, int], kind: str) -> tuple[Who, str]:
    """A stranger whose ID Excel destroyed; a scientific-notation one carries a name on no roll."""
    if kind == "sci":
        who = stranger(c, years, c.avoid | c.roll_names)
        return who, excel_sci(who.id18)
    who = stranger(c, years)
    return who, excel_numeric(who.id18)


def any_village(c: Ctx, t: int) -> int:
    return c.rng.randrange(len(c.w.townships[t].villages))


def any_town(c: Ctx) -> Township:
    return c.w.townships[int(c.rng.random() * len(c.w.townships))]


def day_since(c: Ctx, first: int) -> dt.date:
    """A day from ordinal first up to the end of last month (first itself when that is later)."""
    return dt.date.fromordinal(first + int(c.rng.random() * max(1, c.before - first + 1)))
