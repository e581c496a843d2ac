"""adoption 收养登记: the civil-affairs adoption register (domain.md rule 12, ADOPTED)."""

from __future__ import annotations

from hexiao.kinds.base import ACCUMULATE, Column, Field, Kind, id_field, name_field

KIND = Kind(
    name="adoption",
    label="收养登记数据",
    fields=(
        # The register names the child 被收养人: its own headers, so that its canonical header is
        # told from a vehicle's or a property's (both have 登记日期).
        Field("name", "被收养人姓名", (*name_field().synonyms, "姓名", "被收养人"), True),
        Field(
            "id_number",
            "被收养人身份证号",
            (*id_field().synonyms, "身份证号", "被收养人身份证号码", "被收养人证件号码"),
            True,
        ),
        Field("adopter_name", "收养人姓名", ("收养人", "收养人1姓名", "收养人（男）姓名")),
        Field("registered_on", "收养登记日期", ("登记日期", "收养日期", "办理日期"), True),
    ),
    columns=(
        Column("adopter_name", is_name=True),
        Column("registered_on", "date", reject_unreadable=True, reject_blank=True),
    ),
    in_force=ACCUMULATE,
    row_date="registered_on",
    file_words=("收养登记", "收养"),
    yields_to_roll=True,
    since=5,
)
