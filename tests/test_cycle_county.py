"""Issue 15's "Done when", for the township cycle: two months of a generated county through the CLI.
Month 1's warnings left unanswered are in month 2's 逾期未反馈.csv and summary.json `overdue`; the
answered ones are not; the amounts recovered that the replies give are summed."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from hexiao.cli.app import app
from hexiao_dev.sample.generator import generate

HOUSEHOLDS = 200
REPLIES = {0: ("属实", "300"), 1: ("属实", "1250.50"), 2: ("已处理", ""), 3: ("不属实", ""), 4: ("属实", "")}


def _run(*args: str) -> None:
    result = CliRunner().invoke(app, [*args, "--db", "hexiao.duckdb", "--quiet"])
    assert result.exit_code == 0, result.output


def test_two_months_of_a_county_overdue_and_recovered(workspace: Path) -> None:
    files = generate(workspace / "inbox" / "2026-11", households=HOUSEHOLDS, month="2026-11")
    _run("match", "--month", "2026-11", "--out", "out")
    november = pl.read_csv(workspace / "out/2026-11/预警名单.csv", infer_schema=False)
    assert set(november["处理状态"]) == {"待核查"}

    # One township office answers five of its warnings and saves the file as Excel would (GBK).
    township = november["乡镇（街道）"][0]
    mine = pl.read_csv(workspace / f"out/2026-11/预警名单_{township}.csv", infer_schema=False)
    answered = {mine["预警编号"][row]: reply for row, reply in REPLIES.items()}
    reply = mine.with_columns(
        pl.col("预警编号").replace_strict({k: v[0] for k, v in answered.items()}, default=None).alias("核查结果"),
        pl.col("预警编号").replace_strict({k: v[1] for k, v in answered.items()}, default=None).alias("已追回金额"),
    )
    (workspace / "回执.csv").write_bytes(reply.write_csv(None).encode("gbk"))
    _run("feedback", "回执.csv")

    # December: the same people on the roll, nothing else new.
    _run("load", "roll", *[str(path) for path in files.roll_files], "--month", "2026-12")
    _run("match", "--month", "2026-12", "--out", "out")
    december = pl.read_csv(workspace / "out/2026-12/预警名单.csv", infer_schema=False)
    overdue = pl.read_csv(workspace / "out/2026-12/逾期未反馈.csv", infer_schema=False)
    summary = json.loads((workspace / "out/2026-12/summary.json").read_text(encoding="utf-8"))

    carried = december.filter(pl.col("首次预警月份") == "2026-11")["预警编号"].to_list()
    assert len(carried) > 100  # the month-1 warnings still hold in month 2
    unanswered = set(carried) - set(answered)
    assert set(overdue["预警编号"]) == unanswered and overdue.height == len(unanswered)
    assert not set(answered) & set(overdue["预警编号"])
    assert summary["overdue"] == len(unanswered)
    assert sum(summary["overdue_by_township"].values()) == len(unanswered)
    assert summary["recovered_total"] == 1550.5
    assert set(overdue["处理状态"]) == {"逾期未反馈"}
    assert overdue.columns == december.columns
