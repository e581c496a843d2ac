"""feedback 乡镇核查反馈: a township's reply, the warning file hexiao wrote with 核查结果 filled in
(contract.md §4). Not a register of persons: `hexiao feedback` reads it into the cycle's own table."""

from __future__ import annotations

from hexiao.kinds.base import Field, Kind

KIND = Kind(
    name="feedback",
    label="乡镇核查反馈",
    fields=(
        Field("warning_id", "预警编号", ("预警号", "编号"), True),
        Field("review_result", "核查结果", ("核实结果", "核查结论"), True),
        Field("review_note", "核查备注", ("备注", "核查情况", "核查说明")),
        Field("notice_date", "告知日期", ("书面告知日期", "告知时间")),
        Field("recovered", "已追回金额", ("追回金额", "已追回")),
        Field("month", "月份", ()),
        Field("name", "姓名", ()),
        Field("id_number", "身份证号", ()),
    ),
    columns=(),  # the `feedback` table is the cycle's (`store.SCHEMA`)
    person=False,
    # Prepared by a function of its own (`ingest.prepare.PREPARERS`).
)
