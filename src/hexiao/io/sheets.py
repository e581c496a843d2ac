"""What a worksheet's name says: a county workbook names each sheet after its township (城关镇,
李集乡, 东城街道) or its programme (城市低保, 特困供养), and then often leaves that column out."""

from __future__ import annotations

import re

from hexiao.kinds import FIELDS

TOWNSHIP_FIELD, PROGRAM_FIELD = "township", "program"

# Words around the name that do not belong to it: 城关镇花名册, 农村低保对象名单.
_DECORATION = re.compile(r"(花名册|名册|人员名单|对象名单|名单|人员|对象|[0-9]{4}年[0-9]{1,2}月)")
_TOWNSHIP = re.compile(r"[\u4e00-\u9fff]{1,12}(镇|乡|街道|街道办事处|办事处)")
# Programmes a roll sheet may be named after (contract §1, `--program`).
PROGRAM_WORDS = (
    "低保",
    "特困",
    "孤儿",
    "事实无人抚养儿童",
    "残疾人两项补贴",
    "残疾人生活补贴",
    "重度残疾人护理补贴",
    "高龄津贴",
    "临时救助",
)


def _bare(sheet_name: str) -> str:
    return _DECORATION.sub("", re.sub(r"\s", "", sheet_name))


def sheet_fills(kind: str, sheet_name: str, present: set[str]) -> dict[str, str]:
    """Field → value for a field of `kind` that the sheet lacks (`present`: the fields its header
    has) and that its name supplies: 乡镇（街道） from a township's name, 保障类别 from a programme's.
    A text file's sheet has no name and supplies nothing."""
    fields = {f.name for f in FIELDS[kind]}
    name = _bare(sheet_name)
    fills: dict[str, str] = {}
    if not name:
        return fills
    if TOWNSHIP_FIELD in fields and TOWNSHIP_FIELD not in present and _TOWNSHIP.fullmatch(name):
        fills[TOWNSHIP_FIELD] = name
    elif PROGRAM_FIELD in fields and PROGRAM_FIELD not in present and any(w in name for w in PROGRAM_WORDS):
        fills[PROGRAM_FIELD] = name
    return fills
