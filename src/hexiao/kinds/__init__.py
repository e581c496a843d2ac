"""The registry of data kinds: every fact about a kind lives in its module (`base.Kind`), and inbox
detection, the loader, the store's schema, the rules and the configuration read them here.

Adding a kind is one module here plus its tests; `tests/test_schema.py` fails until the store's
schema version says the new table or column is there.
"""

from __future__ import annotations

from hexiao.kinds.adoption import KIND as ADOPTION
from hexiao.kinds.base import ACCUMULATE, SNAPSHOT, Column, Field, Kind
from hexiao.kinds.business import KIND as BUSINESS
from hexiao.kinds.cremation import KIND as CREMATION
from hexiao.kinds.disability import KIND as DISABILITY
from hexiao.kinds.employee import KIND as EMPLOYEE
from hexiao.kinds.feedback import KIND as FEEDBACK
from hexiao.kinds.medical import KIND as MEDICAL
from hexiao.kinds.pension import KIND as PENSION
from hexiao.kinds.poverty import KIND as POVERTY
from hexiao.kinds.property import KIND as PROPERTY
from hexiao.kinds.provident import KIND as PROVIDENT
from hexiao.kinds.release import KIND as RELEASE
from hexiao.kinds.roll import KIND as ROLL
from hexiao.kinds.vehicle import KIND as VEHICLE

# In the order a file's name is tried against their words (`io.files.kind_from_name`): the roll's
# words (低保, 花名册 …) last, so that a 火化 file named "…花名册比对…" is a cremation extract.
KINDS: tuple[Kind, ...] = (
    CREMATION,
    VEHICLE,
    PROPERTY,
    BUSINESS,
    EMPLOYEE,
    POVERTY,
    RELEASE,
    ADOPTION,
    PENSION,
    PROVIDENT,
    MEDICAL,
    DISABILITY,
    ROLL,
    FEEDBACK,
)
BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}

ROLL_KIND = ROLL.name
FEEDBACK_KIND = FEEDBACK.name
CREMATION_KIND = CREMATION.name
VEHICLE_KIND = VEHICLE.name
PROPERTY_KIND = PROPERTY.name
BUSINESS_KIND = BUSINESS.name
EMPLOYEE_KIND = EMPLOYEE.name
POVERTY_KIND = POVERTY.name
MEDICAL_KIND = MEDICAL.name
DISABILITY_KIND = DISABILITY.name

FIELDS: dict[str, tuple[Field, ...]] = {kind.name: kind.fields for kind in KINDS}
KIND_LABELS: dict[str, str] = {kind.name: kind.label for kind in KINDS}
# Registers of persons, the roll included: each is a table the linker and the rules read.
PERSON_KINDS: tuple[str, ...] = tuple(kind.name for kind in KINDS if kind.person)
# The other departments' registers: every person kind but the roll.
EXTRACT_KINDS: tuple[str, ...] = tuple(name for name in PERSON_KINDS if name != ROLL_KIND)
# A newer extract replaces the older; the others accumulate, each row on its own date.
SNAPSHOT_KINDS: tuple[str, ...] = tuple(k.name for k in KINDS if k.name in EXTRACT_KINDS and k.in_force == SNAPSHOT)
ACCUMULATING_KINDS: tuple[str, ...] = tuple(
    k.name for k in KINDS if k.name in EXTRACT_KINDS and k.in_force == ACCUMULATE
)


def kind(name: str) -> Kind:
    return BY_NAME[name]


__all__ = [
    "ACCUMULATE",
    "ACCUMULATING_KINDS",
    "BUSINESS_KIND",
    "BY_NAME",
    "CREMATION_KIND",
    "DISABILITY_KIND",
    "EMPLOYEE_KIND",
    "EXTRACT_KINDS",
    "FEEDBACK_KIND",
    "FIELDS",
    "KINDS",
    "KIND_LABELS",
    "MEDICAL_KIND",
    "PERSON_KINDS",
    "POVERTY_KIND",
    "PROPERTY_KIND",
    "ROLL_KIND",
    "SNAPSHOT",
    "SNAPSHOT_KINDS",
    "VEHICLE_KIND",
    "Column",
    "Field",
    "Kind",
    "kind",
]
