"""provident 住房公积金缴存: contributions, which evidence a wage (domain.md rule 11, INCOME and
GRADUAL_EXIT; rule 12, a 失联 parent who is in work)."""

from __future__ import annotations

from hexiao.kinds.base import ACCUMULATE, Column, Field, Kind, id_field, name_field

KIND = Kind(
    name="provident",
    label="住房公积金缴存数据",
    fields=(
        name_field("职工姓名", "缴存人姓名"),
        id_field("职工身份证号", "缴存人身份证号", "职工证件号码"),
        Field("employer", "单位名称", ("缴存单位", "工作单位", "单位")),
        Field("wage_base", "缴存基数", ("月缴存基数", "工资基数", "缴存工资基数", "月工资"), True),
        Field("monthly_contribution", "月缴存额", ("缴存额", "月缴额", "月汇缴额", "缴存金额")),
        Field("pay_month", "缴存年月", ("汇缴年月", "缴存月份", "所属年月", "缴存期"), True),
    ),
    columns=(
        Column("employer"),
        Column("wage_base", "money", reject_unreadable=True, reject_blank=True),
        Column("monthly_contribution", "money", reject_unreadable=True),
        Column("pay_month", "month", reject_unreadable=True, reject_blank=True),
    ),
    in_force=ACCUMULATE,  # one row per month contributed
    row_date="pay_month",
    file_words=("公积金",),
    yields_to_roll=True,
    since=5,
)
