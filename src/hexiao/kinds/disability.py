"""disability 残疾人名单: the disabled persons' federation's register, for the omission list (domain.md
rule 12b, 重残).

残联 exports write 残疾等级 as 一级/二级, 1级, 1, 壹级 or 二级（重度）, and some give only the 残疾人证号:
20 characters, the holder's ID number followed by the category (1 视力, 2 听力, 3 言语, 4 肢体, 5 智力,
6 精神, 7 多重) and the level (1–4). Prepared by a function of its own (`ingest.disability`): the level
is stored as 一级…四级 and the category as 视力…多重 whichever way the file wrote them, the ID taken from
the certificate where 身份证号 is blank; the certificate number itself is not stored (it holds the ID).
"""

from __future__ import annotations

from hexiao.kinds.base import VILLAGE, Column, Field, Kind, id_field, name_field, township_field

_TOWNSHIP = township_field()

KIND = Kind(
    name="disability",
    label="残疾人名单",
    fields=(
        Field(_TOWNSHIP.name, _TOWNSHIP.header, (*_TOWNSHIP.synonyms, "乡镇名称", "所属乡镇（街道）", "户籍乡镇")),
        Field(VILLAGE.name, VILLAGE.header, (*VILLAGE.synonyms, "村（居）", "所属村（社区）", "村名称", "户籍村")),
        name_field("残疾人姓名", "持证人姓名"),
        id_field("残疾人身份证号", "持证人身份证号"),
        Field("certificate_no", "残疾人证号", ("残疾证号", "残疾人证号码", "残疾证号码", "证号")),
        Field("disability_category", "残疾类别", ("残疾类型", "残疾种类")),
        Field("disability_level", "残疾等级", ("残疾级别", "等级")),
    ),
    columns=(
        Column("township"),
        Column("village"),
        Column("disability_category"),
        Column("disability_level", reject_blank=True),
    ),
    # A snapshot: the federation sends its whole register; the newest one replaces the older.
    file_words=("残疾人名单", "残联", "持证残疾人", "残疾人信息", "残疾人基础信息"),
    yields_to_roll=True,
    since=5,
)
