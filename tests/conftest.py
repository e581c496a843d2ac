"""Shared fixtures: small hand-written files and a workspace per test."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest
from hypothesis import settings

# Property tests run Polars and DuckDB per example: on a loaded 2-core machine one example can take
# longer than Hypothesis' 200 ms deadline without anything being wrong. Correctness, not speed, is
# what they test (speed is `make bench`'s job).
settings.register_profile("hexiao", deadline=None)
settings.load_profile("hexiao")

ROLL_HEADER = "乡镇（街道）,村（社区）,户编号,户主姓名,户主身份证号,姓名,身份证号,与户主关系,保障类别,保障级别,月保障金额,保障起始年月"


def write_text(path: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory with its own database; tests never touch the real one."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HEXIAO_DB", raising=False)
    return tmp_path


@dataclass(frozen=True)
class TwoMonths:
    """A workspace matched for two months of the generated sample, with township replies to the
    first month recorded in between, and the reports of both months."""

    db: Path
    out: Path
    replies: dict[str, str]  # 预警编号 of 2026-10 → the township's 核查结果


@pytest.fixture(scope="session")
def two_months(tmp_path_factory: pytest.TempPathFactory) -> TwoMonths:
    """Built once per run (two matches of 200 households); tests that change it work on a copy."""
    from hexiao.feedback import feedback
    from hexiao.match import match
    from hexiao_dev.sample.generator import generate

    root = tmp_path_factory.mktemp("two_months")
    db, out = root / "ws" / "hexiao.duckdb", root / "out"
    for month in ("2026-10", "2026-11"):
        generate(root / "data" / month, households=200, month=month)
    match(month="2026-10", db=db, out=out, inbox=root / "data" / "2026-10")
    listed = pl.read_csv(out / "2026-10" / "预警名单.csv", infer_schema=False)
    ongoing = listed.filter(pl.col("预警代码") == "BAD_HOUSEHOLD")["预警编号"].to_list()  # raised again in 2026-11
    replies = dict(zip(ongoing[:4], ["属实", "不属实", "已处理", "属实"], strict=True))
    answered = listed.with_columns(
        pl.col("预警编号").replace_strict(replies, default=None).alias("核查结果"),
    )
    reply_file = root / "反馈.csv"
    reply_file.write_bytes(answered.write_csv().encode("utf-8-sig"))
    feedback([reply_file], db=db)
    match(month="2026-11", db=db, out=out, inbox=root / "data" / "2026-11")
    return TwoMonths(db, out, replies)


def reply_and_report(two_months: TwoMonths, root: Path) -> tuple[Path, Path]:
    """A copy of the workspace and reports of `two_months` in `root` where, after the match of
    2026-11, townships replied to it (属实, 1000.50 recovered, on three warnings with money owed)
    and `hexiao report` wrote 2026-11 again; its database and report root."""
    from hexiao.feedback import feedback
    from hexiao.match import ReportFormat, report

    db, out = root / "ws" / "hexiao.duckdb", root / "out"
    db.parent.mkdir()
    shutil.copy(two_months.db, db)
    shutil.copytree(two_months.out, out)
    listed = pl.read_csv(out / "2026-11" / "预警名单.csv", infer_schema=False)
    owed = listed.filter(pl.col("应追回金额").cast(pl.Float64, strict=False) > 0)["预警编号"].head(3).to_list()
    assert len(owed) == 3
    chosen = pl.col("预警编号").is_in(owed)
    answered = listed.with_columns(
        pl.when(chosen).then(pl.lit("属实")).otherwise(pl.col("核查结果")).alias("核查结果"),
        pl.when(chosen).then(pl.lit("1000.5")).otherwise(None).alias("已追回金额"),
    )
    reply = write_text(root / "11月反馈.csv", answered.write_csv())
    feedback([reply], db=db)
    report(month="2026-11", db=db, out=out, formats=ReportFormat())
    return db, out
