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
VEHICLE_KIND = "vehicle"
PROPERTY_KIND = "property"
BUSINESS_KIND = "business"
EMPLOYEE_KIND = "employee"
POVERTY_KIND = "poverty"
FEEDBACK_KIND = "feedback"

_ID_SYNONYMS = ("身份证号码", "公民身份号码", "证件号码", "成员身份证号", "身份证", "身份证件号码", "公民身份证号码")
_EXTRACT_NAME = Field(
    "name",
    "姓名",
    ("所有人", "机动车所有人", "权利人", "权利人名称", "不动产权利人", "逝者姓名", "死者姓名", "人员姓名"),
    True,
)
_EXTRACT_ID = Field(
    "id_number",
    "身份证号",
    (
        *_ID_SYNONYMS,
        "所有人身份证号",
        "身份证明号码",  # traffic-police export; its 身份证明名称 (the document's kind) is not an ID
        "权利人证件号码",
        "权利人证件号",
        "逝者身份证号",
        "死者身份证号",
        "逝者身份证号码",
        "逝者证件号码",
        "死者身份证号码",
    ),
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
    VEHICLE_KIND: (
        _EXTRACT_NAME,
        _EXTRACT_ID,
        Field("plate", "号牌号码", ("车牌号", "车牌号码", "号牌")),
        # Known so a police export is recognised, not stored: 车辆类型 already says 摩托/低速货车.
        Field("plate_kind", "号牌种类", ()),
        Field("id_document", "身份证明名称", ()),  # 居民身份证, 护照 …: the document's kind, not its number
        Field("vehicle_type", "车辆类型", ("车型",)),
        Field("use_nature", "使用性质", ()),
        Field("vehicle_status", "机动车状态", ("状态", "车辆状态")),
        Field("registered_on", "初次登记日期", ("登记日期",)),
    ),
    PROPERTY_KIND: (
        _EXTRACT_NAME,
        _EXTRACT_ID,
        Field("certificate", "不动产权证号", ("权证号", "产权证号", "不动产权证书号")),
        # An export has both: the unit number stands in for a certificate only where none is given.
        Field("unit_number", "不动产单元号", ()),
        Field("location", "坐落", ("房屋坐落", "坐落地址")),
        Field("floor_area", "建筑面积", ("面积", "建筑面积(㎡)", "建筑面积(平方米)")),
        Field("planned_use", "规划用途", ("用途", "房屋用途")),
        Field("registered_on", "登记日期", ("登簿日期", "登簿时间")),
    ),
    BUSINESS_KIND: (
        _EXTRACT_NAME,
        _EXTRACT_ID,
        Field("enterprise", "企业名称", ("市场主体名称", "名称", "字号名称", "主体名称", "企业(机构)名称")),
        Field("credit_code", "统一社会信用代码", ("信用代码", "注册号")),
        # A 市场监管 export has both 人员类型 (法定代表人/股东 …) and 职务 (执行董事 …): both are read
        # as the person's role (`prepare_business`).
        Field("role", "人员身份", ("身份", "人员类型")),
        Field("position", "职务", ()),
        Field("business_status", "登记状态", ("企业状态",)),
        Field("operating_status", "经营状态", ()),  # stands in for 登记状态 where that is absent
    ),
    EMPLOYEE_KIND: (
        _EXTRACT_NAME,
        _EXTRACT_ID,
        Field("employer", "工作单位", ("单位名称", "单位")),
        Field("staff_category", "人员类别", ("编制类型", "人员类型")),
    ),
    POVERTY_KIND: (
        Field("township", "乡镇（街道）", ("乡镇", "街道", "乡镇街道", "所属乡镇"), True),
        Field("village", "村（社区）", ("村", "社区", "村居", "所属村")),
        Field("head_id", "户主身份证号", ("户主身份证号码", "户主公民身份号码")),
        _EXTRACT_NAME,
        _EXTRACT_ID,
        Field("monitor_category", "监测对象类别", ("人口类型", "监测类别", "户类型")),
        Field("risk_cleared", "风险是否消除", ("是否消除风险", "风险消除")),
    ),
    # A township's reply: the warning file hexiao wrote, with 核查结果/核查备注 filled in.
    FEEDBACK_KIND: (
        Field("warning_id", "预警编号", ("预警号", "编号"), True),
        Field("review_result", "核查结果", ("核实结果", "核查结论"), True),
        Field("review_note", "核查备注", ("备注", "核查情况", "核查说明")),
        Field("notice_date", "告知日期", ("书面告知日期", "告知时间")),
        Field("recovered", "已追回金额", ("追回金额", "已追回")),
        Field("month", "月份", ()),
        Field("name", "姓名", ()),
        Field("id_number", "身份证号", ()),
    ),
}

KIND_LABELS = {
    ROLL_KIND: "保障对象花名册",
    CREMATION_KIND: "火化/殡葬数据",
    VEHICLE_KIND: "车辆登记数据",
    PROPERTY_KIND: "不动产登记数据",
    BUSINESS_KIND: "工商登记数据",
    EMPLOYEE_KIND: "财政供养人员名单",
    POVERTY_KIND: "防返贫监测名单",
    FEEDBACK_KIND: "乡镇核查反馈",
}

# Snapshot kinds: a newer extract replaces the older. Cremation records accumulate instead.
SNAPSHOT_KINDS = (VEHICLE_KIND, PROPERTY_KIND, BUSINESS_KIND, EMPLOYEE_KIND, POVERTY_KIND)
EXTRACT_KINDS = (CREMATION_KIND, *SNAPSHOT_KINDS)
