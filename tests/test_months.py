"""Two months end to end: month 1 → township feedback → month 2 with partly new inputs."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest
from typer.testing import CliRunner

import hexiao.report.writer as writer_module
from conftest import ROLL_HEADER, write_text
from hexiao.cli.app import app
from hexiao.errors import StateError
from hexiao.feedback import feedback
from hexiao.load import load
from hexiao.match import match
from test_rules import CAR, CLERK, ROLL, SHOP, VEHICLES

runner = CliRunner()
EMPLOYEES = ["姓名,身份证号,工作单位,人员类别", f"丑,{CLERK},县教育局,事业", f"辛,{SHOP},县医院,事业"]


def _reply(report: Path, answers: dict[str, tuple[str, str]], target: Path) -> Path:
    """What a township sends back: the file re-saved by Excel as GBK, columns moved, one added,
    IDs still tab-prefixed, 核查结果/核查备注 filled in."""
    frame = pl.read_csv(report, infer_schema=False)
    frame = frame.with_columns(
        pl.col("预警编号").replace_strict({k: v[0] for k, v in answers.items()}, default=None).alias("核查结果"),
        pl.col("预警编号").replace_strict({k: v[1] for k, v in answers.items()}, default=None).alias("核查备注"),
        pl.lit("张干事").alias("核查人"),
    )
    moved = frame.select("核查结果", "核查人", *[c for c in frame.columns if c not in ("核查结果", "核查人")])
    target.write_bytes(moved.write_csv(None).encode("gb18030"))
    return target


def test_two_months_with_feedback(workspace: Path) -> None:
    db = workspace / "hexiao.duckdb"
    roll = write_text(workspace / "11月花名册.csv", "\n".join([ROLL_HEADER, *ROLL]) + "\n")
    vehicles = write_text(workspace / "车辆.csv", "\n".join(VEHICLES) + "\n")
    employees = write_text(workspace / "财政供养.csv", "\n".join(EMPLOYEES) + "\n")
    load("roll", [roll], month="2026-11", db=db)
    load("vehicle", [vehicles], month="2026-11", db=db)
    load("employee", [employees], month="2026-11", db=db)
    first = match(month="2026-11", db=db, out=workspace / "out").warnings
    by_code = {(r["code"], r["id_number"]): r["warning_id"] for r in first.to_dicts()}
    car, clerk, shop = (
        by_code[("VEHICLE", CAR)],
        by_code[("PUBLIC_EMPLOYEE", CLERK)],
        by_code[("PUBLIC_EMPLOYEE", SHOP)],
    )
    assert set(first["status"].to_list()) == {"新增"}

    reply = _reply(
        workspace / "out/2026-11/预警名单.csv",
        {car: ("不属实", "车辆已过户给他人"), clerk: ("属实", "已在单位任职"), "XX0000000000": ("属实", "")},
        workspace / "双桥镇_反馈.csv",
    )
    with_bad_rows = reply.read_bytes() + "属实,,XX123,2026-11\n".encode("gb18030")
    reply.write_bytes(with_bad_rows)
    recorded = feedback([reply], db=db)
    assert recorded.by_result == {"不属实": 1, "属实": 1}
    assert any("未知的预警编号" in p for p in recorded.problems)

    # December: the same roll, a new payroll list without 辛 (so her warning is resolved).
    december_roll = write_text(workspace / "12月花名册.csv", "\n".join([ROLL_HEADER, *ROLL]) + "\n ")
    load("roll", [december_roll], month="2026-12", db=db)
    new_list = write_text(workspace / "财政供养12月.csv", "\n".join(EMPLOYEES[:2]) + "\n")
    load("employee", [new_list], month="2026-12", db=db)
    result = match(month="2026-12", db=db, out=workspace / "out")
    second = result.warnings
    assert car not in second["warning_id"].to_list()  # suppressed, not lost:
    assert result.summary["suppressed"] == 1 and result.summary["suppressed_warnings"][0]["warning_id"] == car
    escalated = second.filter(pl.col("warning_id") == clerk).row(0, named=True)
    assert (escalated["risk"], escalated["status"], escalated["first_month"]) == ("高", "持续", "2026-11")
    assert escalated["state"] == "属实未处理"
    # Still paid, no longer on the payroll list: resolved, not executed.
    assert [(r["warning_id"], r["state"]) for r in result.summary["resolved_warnings"]] == [(shop, "已解除")]
    township_file = (workspace / "out/2026-12/预警名单_城关镇.csv").read_text(encoding="utf-8-sig")
    assert car not in township_file

    status = runner.invoke(app, ["status"])
    assert status.exit_code == 0
    assert status.stdout.count("完成") >= 8  # every load, match and feedback is in the ledger


def test_feedback_from_a_workbook(workspace: Path) -> None:
    import xlsxwriter

    db = workspace / "hexiao.duckdb"
    roll = write_text(workspace / "11月花名册.csv", "\n".join([ROLL_HEADER, *ROLL]) + "\n")
    employees = write_text(workspace / "财政供养.csv", "\n".join(EMPLOYEES) + "\n")
    load("roll", [roll], month="2026-11", db=db)
    load("employee", [employees], month="2026-11", db=db)
    warnings = match(month="2026-11", db=db, out=workspace / "out").warnings
    clerk = warnings.filter((pl.col("code") == "PUBLIC_EMPLOYEE") & (pl.col("id_number") == CLERK))["warning_id"][0]
    path = workspace / "城关镇反馈.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("反馈")
    sheet.write_row(0, 0, ["XX镇核查结果反馈表"])
    sheet.write_row(1, 0, ["姓名", "预警编号", "核查结果", "备注"])
    sheet.write_row(2, 0, ["丑", clerk, "不属实", "已离职"])
    sheet.write_row(3, 0, ["某", "PU0000000000", "待定", ""])
    book.close()
    recorded = feedback([path], db=db)
    assert recorded.by_result == {"不属实": 1}
    assert len(recorded.problems) == 1 and "核查结果“待定”无效" in recorded.problems[0]


def test_reports_that_cannot_be_put_in_place_after_the_commit(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The commit stored the month; if the staged reports then cannot replace the old ones, the run
    says so (exit 1, how to write them again) instead of pretending nothing was stored."""
    db, out = workspace / "hexiao.duckdb", workspace / "out"
    load(
        "roll",
        [write_text(workspace / "11月花名册.csv", "\n".join([ROLL_HEADER, *ROLL]) + "\n")],
        month="2026-11",
        db=db,
    )
    match(month="2026-11", db=db, out=out)
    before = (out / "2026-11" / "预警名单.csv").read_bytes()
    load("vehicle", [write_text(workspace / "车辆.csv", "\n".join(VEHICLES) + "\n")], month="2026-11", db=db)

    rename = Path.rename

    def refuse_staging(self: Path, target: Path) -> Path:
        if self.name.startswith(".2026-11.tmp-"):
            raise PermissionError(13, "Permission denied")
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", refuse_staging)
    with pytest.raises(StateError, match="hexiao report --month 2026-11"):
        match(month="2026-11", db=db, out=out)
    assert (out / "2026-11" / "预警名单.csv").read_bytes() == before
    assert [p.name for p in out.iterdir()] == ["2026-11"]  # the staging directory is gone
    with duckdb.connect(str(db), read_only=True) as conn:
        codes = {row[0] for row in conn.execute("SELECT code FROM warnings WHERE month = '2026-11'").fetchall()}
        outcome = conn.execute("SELECT outcome, detail FROM batches ORDER BY batch_id DESC LIMIT 1").fetchone()
    assert "VEHICLE" in codes
    assert outcome == ("完成", "报告未能放入输出目录")


def test_reports_that_cannot_be_written_leave_everything_as_it_was(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that fills while the reports are written: the run rolls back, last run's reports stay,
    and no half-written directory is left behind."""
    db, out = workspace / "hexiao.duckdb", workspace / "out"
    roll = write_text(workspace / "11月花名册.csv", "\n".join([ROLL_HEADER, *ROLL]) + "\n")
    load("roll", [roll], month="2026-11", db=db)
    first = match(month="2026-11", db=db, out=out).warnings
    before = (out / "2026-11" / "预警名单.csv").read_bytes()
    load("vehicle", [write_text(workspace / "车辆.csv", "\n".join(VEHICLES) + "\n")], month="2026-11", db=db)

    def disk_full(files: list[tuple[pl.DataFrame, Path]], encoding: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer_module, "write_csvs", disk_full)
    with pytest.raises(OSError, match="No space left"):
        match(month="2026-11", db=db, out=out)
    assert (out / "2026-11" / "预警名单.csv").read_bytes() == before
    assert [p.name for p in out.iterdir()] == ["2026-11"]
    with duckdb.connect(str(db), read_only=True) as conn:
        stored = conn.execute("SELECT warning_id FROM warnings WHERE month = '2026-11' ORDER BY 1").fetchall()
    assert [row[0] for row in stored] == sorted(first["warning_id"].to_list())
