"""business 工商登记数据: market regulation's register of enterprises and their people (contract.md §2)."""

from __future__ import annotations

from hexiao.kinds.base import Column, Field, Kind, id_field, name_field

KIND = Kind(
    name="business",
    label="工商登记数据",
    fields=(
        name_field(),
        id_field(),
        Field("enterprise", "企业名称", ("市场主体名称", "名称", "字号名称", "主体名称", "企业(机构)名称")),
        Field("credit_code", "统一社会信用代码", ("信用代码", "注册号")),
        # A 市场监管 export has both 人员类型 (法定代表人/股东 …) and 职务 (执行董事 …): both are read
        # as the person's role.
        Field("role", "人员身份", ("身份", "人员类型")),
        Field("position", "职务", ()),
        Field("business_status", "登记状态", ("企业状态",)),
        Field("operating_status", "经营状态", ()),  # stands in for 登记状态 where that is absent
    ),
    columns=(
        Column("enterprise"),
        Column("credit_code"),
        Column("role", fields=("role", "position")),
        Column("business_status", fields=("business_status", "operating_status")),
    ),
    file_words=("工商", "市场主体", "市场监管"),
    # Prepared by a function of its own (`ingest.prepare.PREPARERS`): 人员类型 and 职务 are joined into one role.
)
