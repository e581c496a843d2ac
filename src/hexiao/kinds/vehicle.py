"""vehicle 车辆登记数据: the traffic police's register of motor vehicles (contract.md §2)."""

from __future__ import annotations

from hexiao.kinds.base import Column, Field, Kind, id_field, name_field

KIND = Kind(
    name="vehicle",
    label="车辆登记数据",
    fields=(
        name_field(),
        id_field(),
        Field("plate", "号牌号码", ("车牌号", "车牌号码", "号牌")),
        # Known so a police export is recognised, not stored: 车辆类型 already says 摩托/低速货车.
        Field("plate_kind", "号牌种类", ()),
        Field("id_document", "身份证明名称", ()),  # 居民身份证, 护照 …: the document's kind, not its number
        Field("vehicle_type", "车辆类型", ("车型",)),
        Field("use_nature", "使用性质", ()),
        Field("vehicle_status", "机动车状态", ("状态", "车辆状态")),
        Field("registered_on", "初次登记日期", ("登记日期",)),
    ),
    columns=(
        Column("plate"),
        Column("vehicle_type"),
        Column("use_nature"),
        Column("vehicle_status"),
        Column("registered_on", "date"),
    ),
    file_words=("车辆", "机动车"),  # 机动车登记信息: the traffic police's own name
)
