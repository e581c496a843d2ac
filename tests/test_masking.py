"""Masking IDs and names (`hexiao.masking`): the rules one value at a time, free text, whole report
rows, summary.json, and the console's plain-Python twins."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import polars as pl
import pytest

from hexiao.kinds import BY_NAME, KINDS
from hexiao.log import mask_ids_in_text as console_mask
from hexiao.masking import (
    mask_frame,
    mask_id,
    mask_id_value,
    mask_ids_in_message,
    mask_ids_in_text,
    mask_name,
    mask_summary,
)
from hexiao.report.names import known_names
from hexiao.store import PERSON_TABLES


def _masked(mask: Callable[[pl.Expr], pl.Expr], *values: str | None) -> list[str | None]:
    frame = pl.DataFrame({"value": list(values)}, schema={"value": pl.String})
    return frame.select(mask(pl.col("value")))["value"].to_list()


def _names(*values: str | None) -> list[str | None]:
    return _masked(mask_name, *values)


def _ids(*values: str | None) -> list[str | None]:
    return _masked(mask_id, *values)


def _texts(*values: str | None) -> list[str | None]:
    return _masked(mask_ids_in_text, *values)


def test_a_name_keeps_its_surname_and_hides_every_further_character() -> None:
    assert _names("张三丰", "王五", "刘") == ["张**", "王*", "刘"]


def test_a_compound_surname_is_kept_whole_but_never_a_whole_name() -> None:
    assert _names("欧阳修文", "司马光", "歐陽修", "欧阳", "端木蓉") == ["欧阳**", "司马*", "歐陽*", "欧*", "端木*"]


def test_a_name_with_a_middle_dot_keeps_the_part_before_it() -> None:
    assert _names("阿依古丽·买买提", "买买提・艾力", "A·B·CD", "阿依古丽·", "·买买提") == [
        "阿依古丽·***",
        "买买提・**",
        "A·*·**",
        "阿***·",  # nothing after the dot: the part before it is the whole name
        "·***",
    ]


def test_empty_and_missing_names_stay_as_they_are() -> None:
    assert _names("", None) == ["", None]


def test_an_id_shows_its_first_six_and_last_four_characters() -> None:
    assert _ids("340421195803222013", "11010519491231002X", "340421580322201") == [
        "340421********2013",
        "110105********002X",
        "340421*****2201",
    ]


def test_a_short_or_garbage_id_never_shows_more_than_six_and_four() -> None:
    short, eleven, garbage, blank, missing = _ids("3404211958", "34042119580", "身份证号未登记ABC123456789", "", None)
    assert short == "**********" and blank == "" and missing is None
    assert eleven == "340421*9580"
    assert garbage == "身份证号未登*********6789"


def test_an_id_excel_wrote_in_scientific_notation_keeps_six_digits() -> None:
    assert _ids("3.40421198912238e+17", "3.40421E+17", "3.41222012345678E+15") == [
        "3.40421*********e+17",
        "3.40421E+17",
        "3.41222*********E+15",
    ]


def test_every_id_like_run_in_free_text_is_masked() -> None:
    text = (
        "火化记录：身份证号 '340421199311230173；另见 34042119800404769X、340421580322201；"
        "手写 3404 2119 9001 0112 34；全角 ３４０４２１１９９３１１２３０１７３；多一位 3404211993112301731；"
        "Excel “3.40421198912238e+17”"
    )
    (masked,) = _texts(text)
    assert masked == (
        "火化记录：身份证号 '340421********0173；另见 340421********769X、340421*****2201；"
        "手写 340421********1234；全角 ３４０４２１********０１７３；多一位 340421*********1731；"
        "Excel “3.40421*********e+17”"
    )


def test_dates_amounts_and_row_numbers_in_free_text_are_kept() -> None:
    text = "死亡日期 2026-05-19；第1093行、第3、4行；建筑面积 63.81㎡；权证号 皖(2022)第0000004号；电话 13812345678"
    assert _texts(text, None, "") == [text, None, ""]


def test_the_console_masks_as_the_reports_do() -> None:
    values = ["340421195803222013", "3.40421198912238e+17", "3.40421E+17", "3404211958", "34042119580", "x" * 30]
    assert [mask_id_value(v) for v in values] == _ids(*values)
    messages = ["值 3404 2119 9001 0112 34 无效", "身份证号 '340421199311230173；2026-05-19", "1234567890123456789012"]
    assert [mask_ids_in_message(m) for m in messages] == _texts(*messages)
    assert console_mask("身份证号 11010519491231002X") == "身份证号 110105********002X"


def _warning(**values: str | None) -> dict[str, str | None]:
    row: dict[str, str | None] = {
        "warning_id": "DE0123456789",
        "township": "城关镇",
        "village": "桃园村",
        "household_id": "3404210020060009",
        "head_name": "刘松洪",
        "name": "陈蕾",
        "id_number": "340422196504243483",
        "source": "火化数据.csv 第7行",
        "evidence": "",
        "review_note": None,
    }
    return row | values


def test_a_report_row_is_masked_in_every_column_that_can_name_a_person() -> None:
    rows = [
        _warning(evidence="火化记录：吳婉雯，身份证号 340421196503216006；匹配：姓名规范化后相同（花名册 吴婉雯）"),
        _warning(
            evidence="权利人 刘松洪、陈蕾；另见于 第4行（户编号 3404210050080001，胡德生）",
            review_note="已找刘松洪核实",
        ),
        _warning(household_id="340421193207120591", evidence="本户按户主身份证号认定：户主 高福磊"),
        _warning(id_number="3404211983", evidence="身份证号“3404211983”位数或字符不对"),
        _warning(household_id="司马光明", name="司马光明", head_name=None, evidence="户主 司马光明"),
    ]
    names = pl.Series(["吳婉雯", "吴婉雯", "刘松洪", "陈蕾", "胡德生", "高福磊", "司马光明", "刘"])
    masked = mask_frame(pl.DataFrame(rows), names)
    assert masked["name"].to_list() == ["陈*", "陈*", "陈*", "陈*", "司马**"]
    assert masked["head_name"].to_list() == ["刘**", "刘**", "刘**", "刘**", None]
    assert masked["id_number"].to_list() == ["340422********3483"] * 3 + ["**********", "340422********3483"]
    assert masked["evidence"].to_list() == [
        "火化记录：吳**，身份证号 340421********6006；匹配：姓名规范化后相同（花名册 吴**）",
        "权利人 刘**、陈*；另见于 第4行（户编号 340421******0001，胡**）",
        "本户按户主身份证号认定：户主 高**",
        "身份证号“**********”位数或字符不对",  # the row's own ID, short as it is
        "户主 司马**",
    ]
    assert masked["household_id"].to_list() == ["340421******0009"] * 2 + ["340421********0591"] + [
        "340421******0009",
        "司马**",
    ]
    assert masked["review_note"].to_list() == [None, "已找刘**核实", None, None, None]
    kept = ["warning_id", "township", "village", "source"]
    assert masked.select(kept).equals(pl.DataFrame(rows).select(kept))


def test_a_name_inside_a_longer_known_name_does_not_leave_its_rest_showing() -> None:
    masked = mask_frame(pl.DataFrame([_warning(evidence="另见于 刘玉飞；刘玉")]), pl.Series(["刘玉", "刘玉飞"]))
    assert masked["evidence"].item() == "另见于 刘**；刘*"


def test_summary_json_keeps_its_counts_and_masks_the_people_it_lists() -> None:
    summary = {
        "month": "2026-11",
        "persons_warned": 3,
        "by_township": {"城关镇": {"DECEASED": 2}},
        "suppressed_warnings": [{"warning_id": "DE1", "code": "DECEASED", "township": "城关镇", "name": "刘松洪"}],
        "resolved_warnings": [{"warning_id": "VE1", "code": "VEHICLE", "township": "城关镇", "name": "陈蕾"}],
        "inputs": [{"file": "340421196503216006刘松洪.xlsx", "kind": "roll", "sha256": "1" * 64, "rows_read": 4}],
        "ignored": [],
    }
    masked = mask_summary(summary, pl.Series(["刘松洪", "陈蕾"]))
    assert {k: masked[k] for k in ("month", "persons_warned", "by_township", "ignored")} == {
        k: summary[k] for k in ("month", "persons_warned", "by_township", "ignored")
    }
    assert masked["suppressed_warnings"][0]["name"] == "刘**"
    assert masked["resolved_warnings"][0]["name"] == "陈*"
    assert masked["inputs"] == [
        {"file": "340421********6006刘**.xlsx", "kind": "roll", "sha256": "1" * 64, "rows_read": 4}
    ]


@pytest.mark.parametrize("names", [pl.Series([], dtype=pl.String), pl.Series(["刘"])])
def test_without_names_to_hide_ids_are_still_masked(names: pl.Series) -> None:
    masked = mask_frame(pl.DataFrame([_warning(evidence="身份证号 340421196503216006")]), names)
    assert masked["evidence"].item() == "身份证号 340421********6006"


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("电话13912345678", "电话139****5678"),
        ("13912345678,13800001111", "139****5678,138****1111"),
        ("已联系，电话：１３９１２３４５６７８", "已联系，电话：１３９****５６７８"),
        ("编号 2139123456789", "编号 2139123456789"),  # not a mobile number: 13 digits
        ("应追回 12000.00 元", "应追回 12000.00 元"),
    ],
)
def test_mobile_numbers_in_free_text_are_masked(written: str, shown: str) -> None:
    frame = pl.DataFrame({"review_note": [written]})
    assert mask_frame(frame, pl.Series([], dtype=pl.String))["review_note"].item() == shown


def test_every_stored_name_column_of_every_kind_is_hidden_in_the_masked_edition() -> None:
    """A kind's column that holds a person's name (a head's, a parent's, an adopter's: `…_name`) is
    marked `is_name`, so that `report.names.known_names` hides it in the evidence quoting it; a
    kind added later with a name column and no mark fails here."""
    unmarked = [
        f"{kind.name}.{column.name}"
        for kind in KINDS
        for column in kind.columns
        if column.name.endswith("_name") and not column.is_name
    ]
    assert not unmarked
    assert {"head_name", "father_name", "mother_name"} <= {c.name for c in BY_NAME["roll"].columns if c.is_name}
    assert [c.name for c in BY_NAME["adoption"].columns if c.is_name] == ["adopter_name"]


def test_known_names_holds_the_parents_and_adopters_the_store_holds() -> None:
    conn = duckdb.connect()
    for table in PERSON_TABLES:
        columns = ("name", "name_simp", *(c.name for c in BY_NAME[table].columns if c.is_name))
        conn.execute(f"CREATE TABLE {table} (month VARCHAR, {', '.join(f'{c} VARCHAR' for c in columns)})")
    conn.execute(
        "INSERT INTO roll (month, name, name_simp, head_name, father_name, mother_name)"
        " VALUES ('2026-11', '王小一', '王小一', '王小一', '王东宇', '刘丽'), ('2026-12', '张三', '张三', '张三', '张大', NULL)"
    )
    conn.execute(
        "INSERT INTO adoption (month, name, name_simp, adopter_name) VALUES ('2026-10', '郑小九', '郑小九', '刘大')"
    )
    assert sorted(known_names(conn, "2026-11").to_list()) == sorted(["王小一", "王东宇", "刘丽", "郑小九", "刘大"])
