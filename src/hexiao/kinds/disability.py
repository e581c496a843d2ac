"""disability 残疾人名单: the disabled persons' federation's register, for the omission list (domain.md
rule 9, 重残)."""

from __future__ import annotations

from hexiao.kinds.base import VILLAGE, Column, Field, Kind, id_field, name_field, township_field

KIND = Kind(
    name="disability",
    label="残疾人名单",
    fields=(
        township_field(),
        VILLAGE,
        name_field("残疾人姓名"),
        id_field("残疾人身份证号"),
        Field("disability_category", "残疾类别", ("残疾类型", "残疾种类")),
        Field("disability_level", "残疾等级", ("残疾级别", "等级"), True),
    ),
    columns=(
        Column("township"),
        Column("village"),
        Column("disability_category"),
        Column("disability_level", reject_blank=True),
    ),
    # A snapshot: the federation sends its whole register; the newest one replaces the older.
    file_words=("残疾人名单", "残联", "持证残疾人"),
    yields_to_roll=True,
    since=5,
)
