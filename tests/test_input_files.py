"""Real exports and what hexiao says about an input it cannot use: export names and headers,
the kind told from every kind's header, non-workbooks under a workbook's name, two columns of one
field, an unknown required column."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import write_text
from hexiao.cli.app import app
from hexiao.errors import InputError
from hexiao.inbox import kind_from_header, kind_from_name
from hexiao.kinds import FIELDS
from hexiao.load import read_input
from hexiao.settings import load_config
from test_deceased import HEAD, SOLO

runner = CliRunner()

POLICE_HEADER = "机动车所有人,身份证明名称,身份证明号码,号牌种类,号牌号码,车辆类型,使用性质,机动车状态,初次登记日期"
POLICE_ROW = f"张三,居民身份证,{HEAD},小型汽车,皖D12345,小型轿车,非营运,正常,2020-05-01"


def test_every_kind_is_told_from_its_own_canonical_header(tmp_path: Path) -> None:
    # No synonym may make one kind's header look like another's (a roll taken for an extract …).
    for kind, fields in FIELDS.items():
        path = write_text(tmp_path / f"{kind}.csv", ",".join(f.header for f in fields) + "\n" + "x," * 3 + "\n")
        assert kind_from_header(path) == kind, kind


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        (POLICE_HEADER, "vehicle"),
        (
            "权利人名称,权利人证件号,不动产权证书号,不动产单元号,房屋坐落,建筑面积(平方米),规划用途,登簿时间",
            "property",
        ),
        ("主体名称,统一社会信用代码,人员姓名,证件号码,职务,人员类型,登记状态,经营状态", "business"),
        ("企业(机构)名称,统一社会信用代码,人员姓名,证件号码,人员类型,经营状态", "business"),
        ("逝者姓名,逝者证件号码,死亡日期,火化日期", "cremation"),
    ],
)
def test_real_export_headers_are_known(tmp_path: Path, header: str, kind: str) -> None:
    path = write_text(tmp_path / "export.csv", f"{header}\n" + ",".join("x" for _ in header.split(",")) + "\n")
    assert kind_from_header(path) == kind


def test_police_export_is_known_by_its_name_and_read_whole(tmp_path: Path) -> None:
    path = write_text(tmp_path / "机动车登记信息.csv", f"{POLICE_HEADER}\n{POLICE_ROW}\n")
    assert kind_from_name(path) == "vehicle"
    read = read_input(path, "vehicle")
    row = read.loaded.row(0, named=True)
    # 身份证明号码 is the ID; 身份证明名称 beside it is the document's kind, not a number.
    assert row["id_norm"] == HEAD and row["plate"] == "皖D12345" and row["vehicle_status"] == "正常"


def test_market_export_reads_both_role_columns_and_either_status(tmp_path: Path) -> None:
    header = "主体名称,统一社会信用代码,人员姓名,证件号码,职务,人员类型,经营状态"
    path = write_text(
        tmp_path / "市场监管.csv", f"{header}\n某某商贸有限公司,91340421X,张三,{HEAD},执行董事,法定代表人,在业\n"
    )
    row = read_input(path, "business").loaded.row(0, named=True)
    assert row["role"] == "法定代表人/执行董事" and row["business_status"] == "在业"


def test_property_unit_number_stands_in_for_a_missing_certificate(tmp_path: Path) -> None:
    header = "权利人名称,权利人证件号,不动产权证书号,不动产单元号,房屋坐落,建筑面积(平方米),规划用途"
    rows = [f"张三,{HEAD},皖(2020)1号,U1,城关镇1号,80,住宅", f"孙大山,{SOLO},,U2,城关镇2号,60,住宅"]
    path = write_text(tmp_path / "不动产.csv", "\n".join([header, *rows]) + "\n")
    assert read_input(path, "property").loaded["certificate"].to_list() == ["皖(2020)1号", "U2"]


def test_html_saved_as_xls_is_named_for_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "车辆登记信息.xls"
    path.write_bytes("<html><body><table><tr><td>机动车所有人</td></tr></table></body></html>".encode())
    with pytest.raises(InputError) as caught:
        read_input(path, "vehicle")
    message = str(caught.value)
    assert str(path) in message and "网页(HTML)" in message and "另存为 .xlsx" in message
    assert "Error" not in message  # never a Python class name


def test_broken_workbook_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(b"PK\x03\x04\x00\x00broken zip\x00")
    with pytest.raises(InputError) as caught:
        read_input(path, "roll", program="特困供养")
    assert "不是可读取的 Excel 工作簿" in str(caught.value) and "Error" not in str(caught.value)


def test_two_columns_of_one_field_are_named_as_written(tmp_path: Path) -> None:
    header = "乡镇,姓名,身份证号,户编号,保障类别,公民身份号码"
    path = write_text(tmp_path / "花名册.csv", f"{header}\n城关镇,张三,{HEAD},H1,农村低保,{HEAD}\n")
    with pytest.raises(InputError) as caught:
        read_input(path, "roll")
    assert "“身份证号”(C列)和“公民身份号码”(F列)都对应“身份证号”" in str(caught.value)
    assert "id_number" not in str(caught.value)


def test_unknown_required_column_gives_lines_to_paste(workspace: Path) -> None:
    path = write_text(workspace / "机动车.csv", f"车主,车主证件号,号牌号码,车辆类型\n张三,{HEAD},皖D1,小型轿车\n")
    with pytest.raises(InputError) as caught:
        read_input(path, "vehicle")
    hints = re.findall(
        r"在 hexiao.toml 中加入两行：(\[headers\.[a-z]+\]) 和 (\"[^\"]+\" = \"[a-z_]+\")", str(caught.value)
    )
    assert hints == [("[headers.vehicle]", '"车主" = "name"'), ("[headers.vehicle]", '"车主证件号" = "id_number"')]
    # What the message says to paste is TOML hexiao reads: one hint's two lines, or both hints
    # under the one table line, as the message says.
    Path("hexiao.toml").write_text("\n".join(hints[0]) + "\n", encoding="utf-8")
    assert load_config(Path("hexiao.toml")).headers == {"vehicle": {"车主": "name"}}
    Path("hexiao.toml").write_text("\n".join([hints[0][0], hints[0][1], hints[1][1]]) + "\n", encoding="utf-8")
    mapped = load_config(Path("hexiao.toml")).headers["vehicle"]
    assert read_input(path, "vehicle", extra_headers=mapped).loaded.height == 1


def test_the_pasted_mapping_is_read(workspace: Path) -> None:
    Path("hexiao.toml").write_text('[headers.vehicle]\n"车主证件号" = "id_number"\n"车主" = "name"\n', encoding="utf-8")
    path = write_text(workspace / "机动车.csv", f"车主,车主证件号,号牌号码,车辆类型\n张三,{HEAD},皖D1,小型轿车\n")
    result = runner.invoke(app, ["load", "vehicle", str(path), "--month", "2026-11"])
    assert result.exit_code == 0, result.output


def test_a_header_with_two_columns_of_one_field_is_still_placed(tmp_path: Path) -> None:
    # Placed by its header, so that loading it names the two columns instead of "cannot place".
    path = write_text(
        tmp_path / "export.csv", f"逝者姓名,逝者身份证号,身份证号,死亡日期\n张三,{HEAD},{HEAD},2026-10-01\n"
    )
    assert kind_from_header(path) == "cremation"
    with pytest.raises(InputError, match="都对应“身份证号”"):
        read_input(path, "cremation")


def test_a_column_absent_from_the_file_is_not_given_a_made_up_header(tmp_path: Path) -> None:
    path = write_text(tmp_path / "机动车.csv", "机动车所有人,号牌号码,车辆类型\n张三,皖D1,小型轿车\n")
    with pytest.raises(InputError) as caught:
        read_input(path, "vehicle")
    assert "表中没有其他列可对应该字段：请补上这一列" in str(caught.value) and "[headers." not in str(caught.value)
