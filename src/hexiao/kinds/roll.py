"""roll 保障对象花名册: one month's payment list of a programme (contract.md §2)."""

from __future__ import annotations

from hexiao.kinds.base import ID_SYNONYMS, VILLAGE, Column, Field, Kind, township_field

# A child's parents (孤儿 / 事实无人抚养儿童): 父亲情况/母亲情况 say which parent is in which
# situation (服刑, 强制戒毒, 失联, 重残, 死亡 …); 困境类型 stands in where they are absent.
PARENT_FIELDS = (
    Field("hardship_type", "困境类型", ("困境情形", "儿童困境类型", "认定情形", "困境儿童类型")),
    Field("father_name", "父亲姓名", ("父姓名", "父亲")),
    Field("father_id", "父亲身份证号", ("父亲身份证号码", "父亲证件号码", "父亲公民身份号码", "父身份证号")),
    Field("father_status", "父亲情况", ("父亲状况", "父亲情形", "父亲现状")),
    Field("mother_name", "母亲姓名", ("母姓名", "母亲")),
    Field("mother_id", "母亲身份证号", ("母亲身份证号码", "母亲证件号码", "母亲公民身份号码", "母身份证号")),
    Field("mother_status", "母亲情况", ("母亲状况", "母亲情形", "母亲现状")),
)

KIND = Kind(
    name="roll",
    label="保障对象花名册",
    fields=(
        township_field(required=True),
        VILLAGE,
        Field("household_id", "户编号", ("家庭编号", "户号")),
        Field("head_name", "户主姓名", ("户主",)),
        Field("head_id", "户主身份证号", ("户主身份证号码", "户主公民身份号码")),
        # A children's roll (孤儿, 事实无人抚养儿童) names the child where an adult's roll names the member.
        Field("name", "姓名", ("成员姓名", "保障对象姓名", "儿童姓名", "孤儿姓名", "救助对象姓名"), True),
        Field(
            "id_number",
            "身份证号",
            (*ID_SYNONYMS, "儿童身份证号", "儿童身份证号码", "孤儿身份证号", "孤儿身份证号码", "保障对象身份证号"),
            True,
        ),
        Field("relation", "与户主关系", ("关系",)),
        Field("program", "保障类别", ("救助类别", "保障类型", "救助类型"), True),
        Field("category", "保障级别", ("分类", "类别(A/B/C)", "类别")),
        Field("monthly_amount", "月保障金额", ("保障金额", "月救助金额", "发放金额")),
        Field("start_month", "保障起始年月", ("起始年月", "享受起始时间")),
        *PARENT_FIELDS,
    ),
    columns=(
        Column("township"),
        Column("village"),
        Column("household_id"),
        Column("head_name", is_name=True),
        Column("head_id_norm"),
        Column("relation"),
        Column("is_head", sql_type="BOOLEAN"),
        Column("program"),
        Column("category"),
        Column("monthly_amount", sql_type="DOUBLE"),
        Column("start_month", "month"),
        # A 户编号 a spreadsheet damaged, as written, and what the household was built from instead
        # (`ingest.households`): null reads as a sound 户编号.
        Column("household_raw", since=3),
        Column("household_basis", since=3),
        Column("hardship_type", since=5),
        Column("father_name", is_name=True, since=5),
        Column("father_id_norm", since=5),
        Column("father_id_status", since=5),
        Column("father_status", since=5),
        Column("mother_name", is_name=True, since=5),
        Column("mother_id_norm", since=5),
        Column("mother_id_status", since=5),
        Column("mother_status", since=5),
    ),
    # Payment rolls: 低保, 特困, 孤儿 … and whatever a county calls its list of a programme.
    file_words=("低保", "特困", "孤儿", "花名册", "高龄津贴", "事实无人抚养", "基本生活费"),
    # Prepared by a function of its own (`ingest.prepare.PREPARERS`).
)
