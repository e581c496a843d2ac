"""cremation 火化/殡葬数据: the funeral homes' records of deaths (contract.md §2)."""

from __future__ import annotations

from hexiao.kinds.base import ACCUMULATE, Column, Field, Kind, id_field, name_field

KIND = Kind(
    name="cremation",
    label="火化/殡葬数据",
    fields=(
        name_field(),
        id_field(),
        Field("death_date", "死亡日期", ("死亡时间",)),
        Field("cremation_date", "火化日期", ("火化时间",)),
        Field("funeral_home", "殡仪馆", ("火化单位",)),
    ),
    columns=(Column("death_date", "date"), Column("cremation_date", "date"), Column("funeral_home")),
    # A death stays a death: every record loaded for a month up to this one is in force.
    in_force=ACCUMULATE,
    # Checked first: a 火化 file named "…花名册比对…" is still a cremation extract.
    file_words=("火化", "殡葬"),
    # Prepared by a function of its own (`ingest.prepare.PREPARERS`): a row needs a death or a cremation date, and either alone is enough.
)
