"""employee 财政供养人员名单: people paid from public funds (contract.md §2)."""

from __future__ import annotations

from hexiao.kinds.base import Column, Field, Kind, id_field, name_field

KIND = Kind(
    name="employee",
    label="财政供养人员名单",
    fields=(
        name_field(),
        id_field(),
        Field("employer", "工作单位", ("单位名称", "单位")),
        Field("staff_category", "人员类别", ("编制类型", "人员类型")),
    ),
    columns=(Column("employer"), Column("staff_category")),
    file_words=("财政供养",),
)
