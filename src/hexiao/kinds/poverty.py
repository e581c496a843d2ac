"""poverty 防返贫监测名单: the rural-revitalisation monitoring list (contract.md §2)."""

from __future__ import annotations

from hexiao.kinds.base import VILLAGE, Column, Field, Kind, id_field, name_field, township_field

KIND = Kind(
    name="poverty",
    label="防返贫监测名单",
    fields=(
        township_field(required=True),
        VILLAGE,
        Field("head_id", "户主身份证号", ("户主身份证号码", "户主公民身份号码")),
        name_field(),
        id_field(),
        Field("monitor_category", "监测对象类别", ("人口类型", "监测类别", "户类型")),
        Field("risk_cleared", "风险是否消除", ("是否消除风险", "风险消除")),
    ),
    columns=(
        Column("township", reject_blank=True),
        Column("village"),
        Column("head_id_norm"),
        Column("monitor_category"),
        Column("risk_cleared"),
    ),
    file_words=("监测", "脱贫", "乡村振兴"),
    # Prepared by a function of its own (`ingest.prepare.PREPARERS`): the household head's ID is normalised beside the member's.
)
