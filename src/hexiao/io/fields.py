"""The input columns of contract.md §2: canonical field, header, synonyms, required."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str  # snake_case name in the store
    header: str  # canonical Chinese header
    synonyms: tuple[str, ...] = ()
    required: bool = False


ROLL_KIND = "roll"
CREMATION_KIND = "cremation"

_ID_SYNONYMS = ("身份证号码", "公民身份号码", "证件号码", "成员身份证号", "身份证")
_EXTRACT_NAME = Field(
    "name",
    "姓名",
    ("所有人", "机动车所有人", "权利人", "不动产权利人", "逝者姓名", "死者姓名", "人员姓名"),
    True,
)
_EXTRACT_ID = Field(
    "id_number",
    "身份证号",
    (*_ID_SYNONYMS, "所有人身份证号", "权利人证件号码", "逝者身份证号", "死者身份证号", "逝者身份证号码"),
    True,
)

FIELDS: dict[str, tuple[Field, ...]] = {
    ROLL_KIND: (
        Field("township", "乡镇（街道）", ("乡镇", "街道", "乡镇街道", "所属乡镇"), True),
        Field("village", "村（社区）", ("村", "社区", "村居", "所属村")),
        Field("household_id", "户编号", ("家庭编号", "户号")),
        Field("head_name", "户主姓名", ("户主",)),
        Field("head_id", "户主身份证号", ("户主身份证号码", "户主公民身份号码")),
        Field("name", "姓名", ("成员姓名", "保障对象姓名"), True),
        Field("id_number", "身份证号", _ID_SYNONYMS, True),
        Field("relation", "与户主关系", ("关系",)),
        Field("program", "保障类别", ("救助类别", "保障类型", "救助类型"), True),
        Field("category", "保障级别", ("分类", "类别(A/B/C)", "类别")),
        Field("monthly_amount", "月保障金额", ("保障金额", "月救助金额", "发放金额")),
        Field("start_month", "保障起始年月", ("起始年月", "享受起始时间")),
    ),
    CREMATION_KIND: (
        _EXTRACT_NAME,
        _EXTRACT_ID,
        Field("death_date", "死亡日期", ("死亡时间",)),
        Field("cremation_date", "火化日期", ("火化时间",)),
        Field("funeral_home", "殡仪馆", ("火化单位",)),
    ),
}

KIND_LABELS = {ROLL_KIND: "保障对象花名册", CREMATION_KIND: "火化/殡葬数据"}
