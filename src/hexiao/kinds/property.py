"""property 不动产登记数据: the real-estate register (contract.md §2)."""

from __future__ import annotations

from hexiao.kinds.base import Column, Field, Kind, id_field, name_field

KIND = Kind(
    name="property",
    label="不动产登记数据",
    fields=(
        name_field(),
        id_field(),
        Field("certificate", "不动产权证号", ("权证号", "产权证号", "不动产权证书号")),
        # An export has both: the unit number stands in for a certificate only where none is given.
        Field("unit_number", "不动产单元号", ()),
        Field("location", "坐落", ("房屋坐落", "坐落地址")),
        Field("floor_area", "建筑面积", ("面积", "建筑面积(㎡)", "建筑面积(平方米)")),
        Field("planned_use", "规划用途", ("用途", "房屋用途")),
        Field("registered_on", "登记日期", ("登簿日期", "登簿时间")),
    ),
    columns=(
        Column("certificate", fields=("certificate", "unit_number")),
        Column("location"),
        Column("planned_use"),
        Column("floor_area", "number", reject_unreadable=True),
        Column("registered_on", "date"),
    ),
    file_words=("不动产", "房产"),
)
