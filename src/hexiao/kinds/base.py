"""What a data kind is: the one place its facts live (`hexiao.kinds` gathers them).

A kind says how its files are recognised (words of the file name, its header's columns), what it
stores (its table's columns and their types, with the schema version that added each), and how its
records stay in force: a snapshot, where the newest extract replaces the older, or an accumulating
register, where every row carries its own date. Plain Python: a tool that only sorts files (the
benchmark's floor) need not load Polars.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SNAPSHOT: Literal["snapshot"] = "snapshot"
ACCUMULATE: Literal["accumulate"] = "accumulate"

# How the generic preparer reads a column (`ingest.generic`): as text; a date (2026-03-05, 20260305,
# Excel serials); a month (2026-03, 202603, 2026年3月); an amount of money (1,200.50, 300元, ￥300);
# a plain number (an area: 85.5㎡).
Parse = Literal["text", "date", "month", "money", "number"]
SQL_TYPES: dict[str, str] = {
    "text": "VARCHAR",
    "date": "DATE",
    "month": "DATE",
    "money": "DECIMAL(12,2)",
    "number": "DOUBLE",
}


@dataclass(frozen=True)
class Field:
    """A column of an input file (contract.md §2): its name in the store, its canonical header and
    the other headers real exports give it."""

    name: str  # snake_case name in the store
    header: str  # canonical Chinese header
    synonyms: tuple[str, ...] = ()
    required: bool = False  # the header must have it
    # The field this column is read as when the header has no column of that field: a 人社 export's
    # 社会保障号码 is its holder's ID number, but beside a 公民身份号码 it is a second number, not stored.
    stands_in_for: str = ""


@dataclass(frozen=True)
class Column:
    """A column of the kind's table beside the source and person columns every register has.

    `fields` are the input fields it is made of (the first that has a value; by default the field
    of the same name); `parse` says how. `reject_unreadable` refuses a row whose value is written
    but cannot be read; `reject_blank` also one where it is missing. `since` is the schema version
    (`store.SCHEMA_VERSION`) that added the column: a workspace written before gets it, null, when it
    is upgraded (`store.ADDED_COLUMNS`). `is_name` marks a column holding a person's name besides
    the row's own (a head's, a parent's, an adopter's): the masked edition hides it wherever the
    evidence quotes it (`report.names`).
    """

    name: str
    parse: Parse = "text"
    fields: tuple[str, ...] = ()
    reject_unreadable: bool = False
    reject_blank: bool = False
    since: int = 1
    sql_type: str = ""  # a column a bespoke preparer makes: its DuckDB type (else from `parse`)
    is_name: bool = False

    @property
    def sources(self) -> tuple[str, ...]:
        return self.fields or (self.name,)

    @property
    def type_sql(self) -> str:
        return self.sql_type or SQL_TYPES[self.parse]


@dataclass(frozen=True)
class Kind:
    """One kind of input file and its register."""

    name: str  # also its table's name and its `[headers.<name>]` section
    label: str  # what a user calls it, in messages
    fields: tuple[Field, ...]
    columns: tuple[Column, ...]  # stored beside the source and person columns (see `store`)
    in_force: Literal["snapshot", "accumulate"] = SNAPSHOT
    # An accumulating register's column dating each row (a contribution's 缴存年月): `hexiao purge`
    # keeps rows by it, since a rule reads back from this month by that date, not by the load month.
    row_date: str = ""
    file_words: tuple[str, ...] = ()  # a file whose name holds one of these is of this kind
    # A name that also says 花名册 or 补贴 is a roll's whatever else it says: words such as 养老金发放
    # or 残疾人 would otherwise catch a payment roll (残疾人两项补贴花名册).
    yields_to_roll: bool = False
    person: bool = True  # a register of persons (name, ID) that the linker matches to the roll
    since: int = 1  # the schema version that added its table

    @property
    def table(self) -> str:
        return self.name

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


# Every person register has a name and an ID under one of these headers; a kind may add its own.
ID_SYNONYMS = ("身份证号码", "公民身份号码", "证件号码", "成员身份证号", "身份证", "身份证件号码", "公民身份证号码")
EXTRACT_NAME_SYNONYMS = (
    "所有人",
    "机动车所有人",
    "权利人",
    "权利人名称",
    "不动产权利人",
    "逝者姓名",
    "死者姓名",
    "人员姓名",
)
EXTRACT_ID_SYNONYMS = (
    *ID_SYNONYMS,
    "所有人身份证号",
    "身份证明号码",  # traffic-police export; its 身份证明名称 (the document's kind) is not an ID
    "权利人证件号码",
    "权利人证件号",
    "逝者身份证号",
    "死者身份证号",
    "逝者身份证号码",
    "逝者证件号码",
    "死者身份证号码",
)


def name_field(*synonyms: str) -> Field:
    """姓名 of an extract, with the headers every extract may use and the kind's own."""
    return Field("name", "姓名", (*EXTRACT_NAME_SYNONYMS, *synonyms), True)


def id_field(*synonyms: str) -> Field:
    """身份证号 of an extract, with the headers every extract may use and the kind's own."""
    return Field("id_number", "身份证号", (*EXTRACT_ID_SYNONYMS, *synonyms), True)


def township_field(required: bool = False) -> Field:
    return Field("township", "乡镇（街道）", ("乡镇", "街道", "乡镇街道", "所属乡镇"), required)


# 社会保障号码: the ID of a social-insurance export that has no other ID column (`Field.stands_in_for`).
SOCIAL_SECURITY_NUMBER = Field(
    "social_security_number", "社会保障号码", ("社会保障号", "社保号码", "社会保障卡号"), stands_in_for="id_number"
)

VILLAGE = Field("village", "村（社区）", ("村", "社区", "村居", "所属村"))
