"""medical 医保结算: medical-insurance settlements, for the omission list (domain.md rule 9, 因病)."""

from __future__ import annotations

from hexiao.kinds.base import ACCUMULATE, VILLAGE, Column, Field, Kind, id_field, name_field, township_field

KIND = Kind(
    name="medical",
    label="医保结算数据",
    fields=(
        township_field(),
        VILLAGE,
        name_field("参保人姓名", "患者姓名", "就诊人姓名"),
        id_field("参保人身份证号", "患者身份证号", "社会保障号码"),
        Field("settled_on", "结算日期", ("结算时间", "费用结算日期", "出院日期", "就诊日期"), True),
        Field("total_cost", "医疗总费用", ("总费用", "医疗费用总额", "费用总额", "医疗费总额")),
        Field(
            "out_of_pocket", "个人自付", ("个人自付金额", "自付金额", "个人负担", "个人负担金额", "个人现金支付"), True
        ),
    ),
    columns=(
        Column("township"),
        Column("village"),
        Column("settled_on", "date", reject_unreadable=True, reject_blank=True),
        Column("total_cost", "money", reject_unreadable=True),
        Column("out_of_pocket", "money", reject_unreadable=True, reject_blank=True),
    ),
    in_force=ACCUMULATE,  # one row per settlement
    file_words=("医保结算", "医疗费用", "医保"),
    yields_to_roll=True,
    since=5,
)
