"""Excel's zero-fill meeting a real ID: a roll member whose real ID is another member's zeroed ID.

A numeric cell keeps an ID's first 15 digits and fills in 000; about one such ID in eleven passes
the check digit, and it can be somebody's real ID: a woman (the 17th digit, 0, is even) born the
same day in the same county. Two such pairs are planted:

* on the roll: a member whose own ID is a numeric cell of that kind, and the member whose real ID
  it spells — two people, so no 重复享受 (a numeric-cell ID is never a DUPLICATE identity);
* in the cremation data: a member who died, recorded under the zeroed ID, and the living member
  whose real ID it spells — the dead one is linked (first 15 digits and name), the living one not.

The twin's birth date becomes the one in the ID it is given; nothing about the twin is planted
elsewhere (it takes no other role).
"""

from __future__ import annotations

from hexiao_dev.sample.ids import excel_numeric, zero_fill_passes_check
from hexiao_dev.sample.people import Person, World, shuffled, take


def give_twin(w: World, original: Person) -> Person | None:
    """A roll member of another household, with another name, whose real ID becomes original's
    zeroed ID (written cleanly on the roll); None when nobody is free."""
    zeroed = excel_numeric(original.id18)

    def free(q: Person) -> bool:
        return (
            q.id_state == "clean"
            and not q.common
            and q.household is not original.household
            and q.name != original.name
            and q.name not in w.reserved_names
        )

    def near_in_age(q: Person) -> bool:  # the twin's birth date becomes original's: keep it plausible
        return free(q) and abs(q.birth.year - original.birth.year) <= 10

    pool = shuffled(w)
    found = take(pool, 1, near_in_age, w.taken) or take(pool, 1, free, w.taken)
    if not found:
        return None
    twin = found[0]
    twin.id18 = twin.roll_id_raw = zeroed
    w.used_ids.add(zeroed)
    return twin


def plant_roll_twins(w: World) -> list[Person]:
    """A twin for one roll member whose numeric-cell ID passes the check digit (see the module)."""
    numeric = [p for p in w.persons if p.id_state == "xlsx_numeric" and zero_fill_passes_check(p.id18)]
    twin = give_twin(w, numeric[0]) if numeric else None
    return [twin] if twin else []
