"""release 刑满释放/解除强制隔离戒毒/解除羁押人员名单: the justice and public-security lists of people
leaving custody or compulsory drug treatment (domain.md rule 11, GUARDIAN_RETURNED)."""

from __future__ import annotations

from hexiao.kinds.base import ACCUMULATE, Column, Field, Kind, id_field, name_field

KIND = Kind(
    name="release",
    label="刑满释放/解除戒毒人员名单",
    fields=(
        name_field("服刑人员姓名", "戒毒人员姓名", "被释放人姓名"),
        id_field("服刑人员身份证号", "戒毒人员身份证号"),
        Field("category", "类别", ("释放类别", "解除类别", "释放类型", "解除类型", "人员类别", "解除方式")),
        Field(
            "release_date",
            "解除日期",
            (
                "释放日期",
                "刑满释放日期",
                "出狱日期",
                "解除戒毒日期",
                "解除强制隔离戒毒日期",
                "出所日期",
                "解除羁押日期",
                "解除时间",
                "刑满日期",
                "刑满时间",
                "刑满释放时间",
                "实际释放日期",
                "实际释放时间",
                "释放时间",
                "出狱时间",
                "解教日期",
                "解除劳教日期",
                "解除强制隔离戒毒时间",
                "解除戒毒时间",
                "出所时间",
            ),
            True,
        ),
    ),
    columns=(Column("category"), Column("release_date", "date", reject_unreadable=True, reject_blank=True)),
    in_force=ACCUMULATE,  # each row is one release, on its own date
    row_date="release_date",
    file_words=("刑满释放", "解除戒毒", "解除强制隔离", "解除羁押", "释放人员"),
    yields_to_roll=True,
    since=5,
)
