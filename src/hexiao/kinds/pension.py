"""pension 养老金/社保待遇发放: pensions and other social-insurance benefits paid (domain.md rule 11,
INCOME; rule 12, a 失联 parent who draws a pension)."""

from __future__ import annotations

from hexiao.kinds.base import ACCUMULATE, SOCIAL_SECURITY_NUMBER, Column, Field, Kind, id_field, name_field

KIND = Kind(
    name="pension",
    label="养老金/社保待遇发放数据",
    fields=(
        name_field("参保人姓名", "领取人姓名"),
        id_field("参保人身份证号", "领取人身份证号"),
        SOCIAL_SECURITY_NUMBER,
        # A 人社 export names the benefit (待遇项目: 基本养老金, 高龄津贴 …) and the insurance it is paid
        # from (险种类型: 城乡居民基本养老保险 …) in two columns: the benefit is what INCOME tests
        # against its exempt types, the insurance stands in where no benefit is named.
        Field("benefit_type", "待遇类型", ("待遇项目", "待遇名称", "养老金类型", "发放项目")),
        Field("insurance_type", "险种类型", ("险种",)),
        Field("monthly_amount", "月发放金额", ("发放金额", "月养老金", "养老金金额", "实发金额", "待遇金额"), True),
        Field("pay_month", "发放年月", ("发放月份", "待遇年月", "所属期", "待遇所属期", "发放期", "费款所属期"), True),
    ),
    columns=(
        Column("benefit_type", fields=("benefit_type", "insurance_type")),
        Column("monthly_amount", "money", reject_unreadable=True, reject_blank=True),
        Column("pay_month", "month", reject_unreadable=True, reject_blank=True),
    ),
    in_force=ACCUMULATE,  # one row per month paid
    row_date="pay_month",
    file_words=("养老金发放", "待遇发放", "养老金", "社保待遇"),
    yields_to_roll=True,
    since=5,
)
