"""medical 医保结算: medical-insurance settlements, for the omission list (domain.md rule 12b, 因病).

The medical-insurance platform's settlement export (结算清单) names a person 人员姓名/参保人姓名 and
证件号码, dates a settlement by 结算时间 and carries 医疗费总额 beside what the person bore: 个人负担总金额
(all the person paid) and 个人现金支出 (the part not paid from the personal account). Both columns are
often in one file, so each is a field of its own and 个人自付 is the first that has a value; a
settlement without a 结算时间 is dated by its 出院日期.
"""

from __future__ import annotations

from hexiao.kinds.base import (
    ACCUMULATE,
    SOCIAL_SECURITY_NUMBER,
    VILLAGE,
    Column,
    Field,
    Kind,
    id_field,
    name_field,
    township_field,
)

_TOWNSHIP = township_field()

KIND = Kind(
    name="medical",
    label="医保结算数据",
    fields=(
        Field(_TOWNSHIP.name, _TOWNSHIP.header, (*_TOWNSHIP.synonyms, "参保乡镇", "乡镇名称", "所属乡镇（街道）")),
        Field(VILLAGE.name, VILLAGE.header, (*VILLAGE.synonyms, "参保村", "村（居）", "所属村（社区）", "村名称")),
        name_field("参保人姓名", "患者姓名", "就诊人姓名"),
        id_field("参保人身份证号", "患者身份证号", "参保人证件号码"),
        SOCIAL_SECURITY_NUMBER,
        Field("settled_on", "结算日期", ("结算时间", "费用结算日期", "费用结算时间", "结算日期时间")),
        Field("discharged_on", "出院日期", ("出院时间", "就诊日期", "就诊时间")),
        Field("total_cost", "医疗总费用", ("总费用", "医疗费用总额", "费用总额", "医疗费总额", "医疗总费用金额")),
        Field(
            "out_of_pocket",
            "个人自付",
            ("个人自付金额", "自付金额", "个人负担", "个人负担金额", "个人负担总金额", "个人负担总额", "个人自付费用"),
        ),
        Field("cash_paid", "个人现金支付", ("个人现金支出", "个人现金支付金额", "现金支付", "现金支付金额")),
    ),
    columns=(
        Column("township"),
        Column("village"),
        Column("settled_on", "date", ("settled_on", "discharged_on"), reject_unreadable=True, reject_blank=True),
        Column("total_cost", "money", reject_unreadable=True),
        Column("out_of_pocket", "money", ("out_of_pocket", "cash_paid"), reject_unreadable=True, reject_blank=True),
    ),
    in_force=ACCUMULATE,  # one row per settlement
    row_date="settled_on",
    file_words=("医保结算", "医疗费用", "医保"),
    yields_to_roll=True,
    since=5,
)
