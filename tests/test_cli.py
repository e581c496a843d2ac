"""The command line through Typer's CliRunner: exit codes, one-line errors, masked IDs, help."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import polars as pl
import pytest
from typer.testing import CliRunner

from conftest import ROLL_HEADER, write_text
from hexiao.cli.app import app
from hexiao.cli.match_cmd import households_and_persons
from hexiao.store import insert_frame, workspace_lock
from test_deceased import CREMATION, ROLL

runner = CliRunner()
FULL_ID = re.compile(r"(?<!\d)\d{17}[\dX](?!\d)")


@pytest.fixture
def files(workspace: Path) -> tuple[Path, Path]:
    roll = write_text(workspace / "城关镇花名册.csv", "\n".join([ROLL_HEADER, *ROLL]) + "\n")
    cremation = write_text(workspace / "火化数据.csv", "\n".join(CREMATION) + "\n", "gbk")
    return roll, cremation


def test_load_and_match(files: tuple[Path, Path]) -> None:
    roll, cremation = files
    result = runner.invoke(app, ["load", "roll", str(roll), "--month", "2026-11"])
    assert result.exit_code == 0, result.output
    assert "读取 11 行 = 载入 11 + 拒绝 0" in result.stderr
    assert runner.invoke(app, ["load", "cremation", str(cremation), "--month", "2026-11"]).exit_code == 0
    again = runner.invoke(app, ["load", "cremation", str(cremation), "--month", "2026-11"])
    assert "跳过" in again.stderr
    result = runner.invoke(app, ["match", "--month", "2026-11", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["roll_rows_read"] == summary["roll_rows_loaded"] + summary["roll_rows_rejected"] == 11
    assert summary["by_code"]["DECEASED"] == 7
    out = Path("out/2026-11")
    assert {p.name for p in out.iterdir()} >= {
        "预警名单.csv", "退出建议.csv", "rejected_rows.csv", "summary.csv", "summary.json", "warnings.parquet",
        "预警名单_城关镇.csv", "预警名单_双桥镇.csv", "预警名单_李集乡.csv",
    }  # fmt: skip
    assert (out / "预警名单.csv").stat().st_mode & 0o077 == 0


def test_console_and_log_never_show_a_full_id(files: tuple[Path, Path]) -> None:
    roll, cremation = files
    outputs = [
        runner.invoke(app, ["load", "roll", str(roll), "--month", "2026-11"]),
        runner.invoke(app, ["load", "cremation", str(cremation), "--month", "2026-11"]),
        runner.invoke(app, ["match", "--month", "2026-11"]),
    ]
    for result in outputs:
        assert not FULL_ID.search(result.output)
    assert not FULL_ID.search(Path("hexiao.log").read_text(encoding="utf-8"))


def test_bad_input_exits_1_with_one_line_per_problem(workspace: Path) -> None:
    bad = write_text(workspace / "bad.csv", "乡镇,姓名,身份证号\n城关镇,张三,11010519491231002X\n")
    result = runner.invoke(app, ["load", "roll", str(bad), "--month", "2026-11"])
    assert result.exit_code == 1
    program, head = result.stderr.strip().splitlines()
    assert program.startswith(f"hexiao: error: {bad}: ") and "保障类别" in program and "户主身份证号" not in program
    assert head.startswith(f"hexiao: error: {bad}: ") and "户主身份证号" in head


def test_missing_file_and_unknown_kind(workspace: Path) -> None:
    assert runner.invoke(app, ["load", "roll", "nope.csv", "--month", "2026-11"]).exit_code == 1
    assert runner.invoke(app, ["load", "horses", "nope.csv"]).exit_code == 2


def test_bad_month_is_a_usage_error(workspace: Path) -> None:
    assert runner.invoke(app, ["match", "--month", "2026-13"]).exit_code == 2


def test_match_without_roll_exits_1(workspace: Path) -> None:
    result = runner.invoke(app, ["match", "--month", "2026-11"])
    assert result.exit_code == 1
    assert "没有 2026-11 月的花名册" in result.stderr


def test_second_run_exits_3_while_locked(files: tuple[Path, Path]) -> None:
    with workspace_lock(Path("hexiao.duckdb")):
        result = runner.invoke(app, ["load", "roll", str(files[0]), "--month", "2026-11"])
    assert result.exit_code == 3
    assert "另一个 hexiao 进程" in result.stderr


def test_db_from_environment(files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEXIAO_DB", "elsewhere/h.duckdb")
    assert runner.invoke(app, ["load", "roll", str(files[0]), "--month", "2026-11"]).exit_code == 0
    assert Path("elsewhere/h.duckdb").exists()


# Every command of the CLI; one added or removed must be added here and in README's table.
COMMANDS = [
    "load", "match", "report", "feedback", "explain", "overview", "purge", "status", "demo", "check",
    "config show", "config validate",
]  # fmt: skip


def test_every_command_has_help_and_is_in_readme() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    commands = [([c.name or ""], c.help) for c in app.registered_commands]
    for group in app.registered_groups:  # `hexiao config show|validate`
        assert group.help and group.typer_instance, group.name
        commands += [([group.name or "", c.name or ""], c.help) for c in group.typer_instance.registered_commands]
    assert sorted(" ".join(words) for words, _ in commands) == sorted(COMMANDS)
    for words, help_text in commands:
        name = " ".join(words)
        result = runner.invoke(app, [*words, "--help"])
        assert result.exit_code == 0
        shown = "".join(result.stdout.split())  # Typer wraps the help text to the terminal's width
        assert help_text and "".join(help_text.split("。")[0].split()) in shown, name
        assert f"hexiao {name}" in readme, name


def test_match_summary_shows_money_and_households_against_persons(files: tuple[Path, Path]) -> None:
    roll, cremation = files
    for kind, path in (("roll", roll), ("cremation", cremation)):
        assert runner.invoke(app, ["load", kind, str(path), "--month", "2026-11"]).exit_code == 0
    result = runner.invoke(app, ["match", "--month", "2026-11"])
    assert result.exit_code == 0, result.output
    assert "在保 7 户 / 7 人，应追回金额合计 9,450.00 元" in result.stdout
    assert "预警 7 户 / 7 人；" in result.stderr  # equal counts need no explaining
    assert households_and_persons(120, 150) == "120 户 / 150 人（一户可有多人预警）"
    assert households_and_persons(90, 89) == "90 户 / 89 人（同一人在几户在册的，计入其所在的每一户）"


def test_config_validate_reports_every_problem_with_lines(workspace: Path) -> None:
    Path("bad.toml").write_text(
        '[rules.vehicle]\nexempt_types = ["摩托"]\nbogus = 1\n\n[rules.property]\nmax_residential_units = "two"\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["config", "validate", "--config", "bad.toml"])
    assert result.exit_code == 1
    bogus, units = result.stderr.strip().splitlines()  # one problem per line
    assert bogus.startswith("hexiao: error: bad.toml:3: rules.vehicle.bogus：")
    assert units.startswith("hexiao: error: bad.toml:6: rules.property.max_residential_units：")


def test_config_show_names_the_origin(workspace: Path) -> None:
    Path("hexiao.toml").write_text('[rules.vehicle]\nexempt_types = ["摩托"]\n', encoding="utf-8")
    result = runner.invoke(app, ["config", "show"])
    assert result.exit_code == 0
    assert 'rules.vehicle.exempt_types = ["摩托"]    # ' in result.stdout and "hexiao.toml:2" in result.stdout
    assert "rules.property.max_residential_units = 1    # 默认值" in result.stdout


def test_roll_needs_its_month_and_roll_only_options(files: tuple[Path, Path]) -> None:
    roll, cremation = files
    assert runner.invoke(app, ["load", "roll", str(roll)]).exit_code == 2
    assert runner.invoke(app, ["load", "cremation", str(cremation), "--replace"]).exit_code == 2
    assert runner.invoke(app, ["load", "feedback", str(cremation)]).exit_code == 2


def test_masking_catches_spaced_and_scientific_ids() -> None:
    from hexiao.log import mask_ids_in_text

    for text in ("3404 2119 9001 0112 34", "340421-19900101-1234", "3.40421199001E+17", "11010519491231002x"):
        masked = mask_ids_in_text(f"值 {text} 无效")
        assert "1990" not in masked and "1949" not in masked and "199001" not in masked, masked


def test_the_same_roll_file_is_loaded_for_another_month(files: tuple[Path, Path]) -> None:
    roll, _ = files
    assert runner.invoke(app, ["load", "roll", str(roll), "--month", "2026-10"]).exit_code == 0
    again = runner.invoke(app, ["load", "roll", str(roll), "--month", "2026-11"])
    assert again.exit_code == 0 and "跳过" not in again.stderr
    same_month = runner.invoke(app, ["load", "roll", str(roll), "--month", "2026-11"])
    assert "跳过" in same_month.stderr


def _store_a_wrong_type(conn: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    """A defect: DuckDB refuses the insert inside the load's transaction."""
    insert_frame(conn, table, frame.with_columns(pl.lit("not a number").alias("input_id")))


def _disk_full(conn: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    raise duckdb.IOException('IO Error: Could not write file "hexiao.duckdb.wal": No space left on device')


def test_a_defect_exits_4_naming_duckdbs_own_error_and_the_log(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("hexiao.load.insert_frame", _store_a_wrong_type)
    result = runner.invoke(app, ["load", "roll", str(files[0]), "--month", "2026-11"])
    assert result.exit_code == 4
    # DuckDB's Python layer raises "transaction is aborted" over the statement's own error.
    assert "internal error: ConversionException（这是 hexiao 的缺陷" in result.stderr
    assert "详情见日志" in result.stderr and "Traceback" not in result.stderr


def test_a_full_disk_exits_4_saying_what_to_look_at(files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("hexiao.load.insert_frame", _disk_full)
    result = runner.invoke(app, ["load", "roll", str(files[0]), "--month", "2026-11"])
    assert result.exit_code == 4
    assert "磁盘空间、内存或文件读写出错" in result.stderr and "No space left on device" in result.stderr
    assert "缺陷" not in result.stderr


def test_text_from_the_ledger_and_file_names_is_printed_as_written(workspace: Path) -> None:
    """Rich reads `[headers.roll]` as markup and drops it: the console prints what the ledger and
    the files hold as plain text, brackets and all."""
    roll = write_text(workspace / "城关镇花名册[v2].csv", "\n".join([ROLL_HEADER, *ROLL]) + "\n")
    loaded = runner.invoke(app, ["load", "roll", str(roll), "--month", "2026-11"])
    assert loaded.exit_code == 0, loaded.output
    bad = write_text(
        workspace / "花名册[2].csv", "乡镇,姓名,证件号,保障类别\n城关镇,张三,11010519491231002X,城市低保\n"
    )
    failed = runner.invoke(app, ["load", "roll", str(bad), "--month", "2026-11"])
    assert failed.exit_code == 1 and "[headers.roll]" in failed.stderr
    status = runner.invoke(app, ["status"])
    assert status.exit_code == 0, status.output
    assert "城关镇花名册[v2].csv" in status.stdout
    [line] = [line for line in status.stdout.splitlines() if "失败" in line]
    assert "在 hexiao.toml 中加入两行：[headers.roll] 和" in line and "已有 [headers.roll] 这一行" in line
