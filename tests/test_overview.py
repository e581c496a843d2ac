"""`hexiao overview`: the bureau's page agrees with summary.json, names nothing outside itself,
reads the workspace without writing to it, and replaces only its own file."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import polars as pl
import pytest
from typer.testing import CliRunner

from conftest import TwoMonths, reply_and_report
from hexiao.cli.app import app
from hexiao.overview import OVERVIEW_FILE, write_overview
from hexiao.overview.data import NO_REPLY, gather
from hexiao.overview.page import HEADLINE, UNKNOWN
from hexiao.store import opened

MONTH = "2026-11"
CYCLE_KEYS = ("overdue", "overdue_by_township", "recovered_total", "outstanding_total")


class _Cells(HTMLParser):
    """The page's headline cells (data-key → (data-value, shown text)) and every table's rows."""

    def __init__(self) -> None:
        super().__init__()
        self.headline: dict[str, tuple[str, str]] = {}
        self.rows: list[list[str]] = []
        self._key: tuple[str, str] | None = None
        self._row: list[str] | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tr":
            self._row = []
        if tag in ("td", "th"):
            self._text = ""
            key = found.get("data-key")
            self._key = (key, found.get("data-value") or "") if key else None

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None:
            self._row.append(self._text)
            if self._key:
                self.headline[self._key[0]] = (self._key[1], self._text)
        if tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        self._text += data


def _cells(page: Path) -> _Cells:
    parser = _Cells()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def _copy(two_months: TwoMonths, tmp_path: Path) -> Path:
    db = tmp_path / "ws" / "hexiao.duckdb"
    db.parent.mkdir()
    shutil.copy(two_months.db, db)
    return db


def _edit_summary(db: Path, month: str, change: dict[str, object], drop: tuple[str, ...] = ()) -> None:
    with duckdb.connect(str(db)) as conn:
        (text,) = conn.execute("SELECT summary FROM month_summaries WHERE month = ?", [month]).fetchone() or ("",)
        summary = {k: v for k, v in json.loads(text).items() if k not in drop} | change
        conn.execute("UPDATE month_summaries SET summary = ? WHERE month = ?", [json.dumps(summary), month])


@pytest.mark.parametrize("matched_before_the_cycle", [False, True])
def test_headline_numbers_are_summary_json(
    two_months: TwoMonths, tmp_path: Path, matched_before_the_cycle: bool
) -> None:
    db = _copy(two_months, tmp_path)
    if matched_before_the_cycle:  # a month matched by a version that did not count these yet
        _edit_summary(db, MONTH, {}, drop=CYCLE_KEYS)
    page = write_overview(month=MONTH, db=db, out=tmp_path / "out")
    summary = json.loads((two_months.out / MONTH / "summary.json").read_text(encoding="utf-8"))
    shown = _cells(page).headline
    assert set(shown) == {key for key, _, _ in HEADLINE}
    for key, _, money in HEADLINE:
        assert shown[key][0] == str(summary[key]), key
        expected = f"{summary[key]:,.2f}" if money else f"{summary[key]:,}"
        assert shown[key][1] == expected, key


def test_overdue_per_township_is_counted_now_not_read_from_the_stored_summary(
    two_months: TwoMonths, tmp_path: Path
) -> None:
    db = _copy(two_months, tmp_path)
    _edit_summary(db, MONTH, {"overdue": 7, "overdue_by_township": {"城关镇": 5, "新集镇": 2}})
    summary = json.loads((two_months.out / MONTH / "summary.json").read_text(encoding="utf-8"))
    assert summary["overdue_by_township"] and summary["overdue"] != 7
    cells = _cells(write_overview(month=MONTH, db=db, out=tmp_path / "out"))
    assert cells.headline["overdue"][0] == str(summary["overdue"])
    reply_rows = {row[0]: row for row in cells.rows if len(row) == 7 and row[0] != "乡镇（街道）"}
    assert {t: int(row[-1]) for t, row in reply_rows.items() if row[-1] != "0"} == summary["overdue_by_township"]


def test_after_replies_and_a_report_the_page_and_the_stored_summary_are_the_new_summary_json(
    two_months: TwoMonths, tmp_path: Path
) -> None:
    before = json.loads((two_months.out / MONTH / "summary.json").read_text(encoding="utf-8"))
    db, out = reply_and_report(two_months, tmp_path)
    written = json.loads((out / MONTH / "summary.json").read_text(encoding="utf-8"))
    assert written["recovered_total"] == 3001.5 != before["recovered_total"]
    with duckdb.connect(str(db), read_only=True) as conn:
        (text,) = conn.execute("SELECT summary FROM month_summaries WHERE month = ?", [MONTH]).fetchone() or ("",)
    assert json.loads(text) == written
    # The page counts the replies itself: the same figures with the stored summary as the match left it.
    _edit_summary(db, MONTH, {key: before[key] for key in CYCLE_KEYS})
    page = _cells(write_overview(month=MONTH, db=db, out=tmp_path / "page"))
    for key, _, _ in HEADLINE:
        assert page.headline[key][0] == str(written[key]), key
    township_money = (
        pl.read_csv(out / MONTH / "summary.csv", infer_schema=False)
        .group_by("乡镇（街道）")
        .agg(pl.col(column).cast(pl.Float64).sum().round(2) for column in ("应追回金额", "已追回金额", "未追回金额"))
    )
    expected = {township: [f"{amount:,.2f}" for amount in amounts] for township, *amounts in township_money.iter_rows()}
    assert {row[0]: row[1:] for row in page.rows if len(row) == 4 and row[0] in expected} == expected


def test_a_month_whose_roll_is_purged_shows_the_stored_overdue_and_the_money_of_the_replies(
    two_months: TwoMonths, tmp_path: Path
) -> None:
    db = _copy(two_months, tmp_path)
    summary = json.loads((two_months.out / MONTH / "summary.json").read_text(encoding="utf-8"))
    for month in ("2026-10", MONTH):  # both months as a version before the cycle stored them
        _edit_summary(db, month, {}, drop=CYCLE_KEYS)
    with duckdb.connect(str(db)) as conn:
        conn.execute("DELETE FROM roll WHERE month = ?", [MONTH])
    with opened(db, read_only=True) as conn:
        data = gather(conn, MONTH, 12)
    assert data.replies["overdue"].is_null().all() and "overdue" not in data.summary
    assert _cells(write_overview(month=MONTH, db=db, out=tmp_path / "out")).headline["overdue"] == ("", UNKNOWN)
    assert data.summary["recovered_total"] == summary["recovered_total"]
    assert data.summary["outstanding_total"] == summary["outstanding_total"]
    assert data.money_trend.filter(pl.col("month") == "2026-10")["recovered_total"].is_null().all()
    assert data.money_trend.filter(pl.col("month") == MONTH)["recovered_total"].to_list() == [
        summary["recovered_total"]
    ]


def test_trend_counts_new_and_ongoing_from_the_warnings_and_the_rest_from_each_summary(
    two_months: TwoMonths,
) -> None:
    with opened(two_months.db, read_only=True) as conn:
        data = gather(conn, MONTH, 12)
    trend = {(row["month"], row["kind"]): row["count"] for row in data.trend.iter_rows(named=True)}
    for month in ("2026-10", "2026-11"):
        listed = pl.read_csv(two_months.out / month / "预警名单.csv", infer_schema=False)
        summary = json.loads((two_months.out / month / "summary.json").read_text(encoding="utf-8"))
        assert trend[(month, "新增")] == listed.filter(pl.col("状态") == "新增").height
        assert trend[(month, "持续")] == listed.filter(pl.col("状态") == "持续").height
        assert trend[(month, "已解除")] == summary["resolved"]
        assert trend[(month, "乡镇核实不属实")] == summary["suppressed"]
    assert trend[(MONTH, "乡镇核实不属实")] == 1  # the reply 不属实 to a warning raised again
    assert trend[(MONTH, "持续")] > 0 and trend[(MONTH, "已解除")] > 0


def test_a_summary_without_resolved_counts_it_as_the_match_did(two_months: TwoMonths, tmp_path: Path) -> None:
    db = _copy(two_months, tmp_path)
    stored = json.loads((two_months.out / MONTH / "summary.json").read_text(encoding="utf-8"))
    _edit_summary(db, MONTH, {}, drop=("resolved",))
    with opened(db, read_only=True) as conn:
        data = gather(conn, MONTH, 12)
    derived = data.trend.filter((pl.col("month") == MONTH) & (pl.col("kind") == "已解除"))["count"].item()
    assert derived == stored["resolved"] > 0


def test_replies_are_counted_per_township_by_the_latest_reply(two_months: TwoMonths) -> None:
    with opened(two_months.db, read_only=True) as conn:
        data = gather(conn, MONTH, 12)
    replies = data.replies
    assert replies["属实"].sum() == 2 and replies["已处理"].sum() == 1
    assert replies["不属实"].sum() == 0  # held back this month, not reported again
    assert (replies["属实"] + replies["不属实"] + replies["已处理"] + replies[NO_REPLY] == replies["warnings"]).all()
    assert replies["warnings"].sum() == json.loads((two_months.out / MONTH / "summary.json").read_text())["warnings"]


def test_months_limits_the_trend_to_the_latest(two_months: TwoMonths) -> None:
    with opened(two_months.db, read_only=True) as conn:
        assert gather(conn, MONTH, 1).trend["month"].unique().to_list() == [MONTH]
        assert gather(conn, "2026-10", 12).trend["month"].unique().to_list() == ["2026-10"]


def test_the_page_names_nothing_outside_itself(two_months: TwoMonths, tmp_path: Path) -> None:
    html = write_overview(month=MONTH, db=two_months.db, out=tmp_path / "out").read_text(encoding="utf-8")
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", html, re.IGNORECASE)
    assert not re.search(r"\b(src|href|xlink:href)\s*=|url\(|@import|<script|<link|<iframe", html, re.IGNORECASE)
    assert "<svg" in html and "城关镇" in html


def test_the_page_replaces_only_its_own_file_owner_only(two_months: TwoMonths, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(two_months.out, out)
    before = {path.name: path.read_bytes() for path in (out / MONTH).iterdir()}
    umask = os.umask(0o022)  # a shell's usual umask: the page is owner-only whatever it is
    try:
        page = write_overview(month=MONTH, db=two_months.db, out=out)
        fresh = write_overview(month=MONTH, db=two_months.db, out=tmp_path / "new")
    finally:
        os.umask(umask)
    assert page == out / MONTH / OVERVIEW_FILE and page.stat().st_mode & 0o777 == 0o600
    assert fresh.stat().st_mode & 0o777 == 0o600 and fresh.parent.stat().st_mode & 0o777 == 0o700
    again = write_overview(month=MONTH, db=two_months.db, out=out)
    after = {path.name: path.read_bytes() for path in (out / MONTH).iterdir()}
    assert again == page and set(after) == set(before) | {OVERVIEW_FILE}
    assert all(after[name] == content for name, content in before.items())


def test_a_failed_write_keeps_the_old_page_and_leaves_no_temporary_file(
    two_months: TwoMonths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    page = write_overview(month=MONTH, db=two_months.db, out=out)
    old = page.read_bytes()

    def refuse(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        write_overview(month=MONTH, db=two_months.db, out=out)
    assert [path.name for path in (out / MONTH).iterdir()] == [OVERVIEW_FILE]
    assert page.read_bytes() == old


def test_the_workspace_is_opened_read_only(two_months: TwoMonths, tmp_path: Path) -> None:
    """Another program reading the database (DuckDB allows readers beside readers, never a writer):
    the overview reads beside it."""
    db = _copy(two_months, tmp_path)
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); print('ready', flush=True); "
            "sys.stdin.readline()",
            str(db),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "ready"
        page = write_overview(month=MONTH, db=db, out=tmp_path / "out")
    finally:
        reader.communicate("\n", timeout=60)
    assert page.is_file()


def test_cli_writes_the_page_and_refuses_a_month_never_matched(two_months: TwoMonths, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    done = runner.invoke(
        app, ["overview", "--month", MONTH, "--months", "2", "--db", str(two_months.db), "--out", str(out), "--json"]
    )
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout) == {"overview": str(out / MONTH / OVERVIEW_FILE)}
    missing = runner.invoke(app, ["overview", "--month", "2026-12", "--db", str(two_months.db), "--out", str(out)])
    assert missing.exit_code == 1
    assert missing.stderr.strip().splitlines() == [
        "hexiao: error: 2026-12 月还没有比对结果：先运行 hexiao match --month 2026-12"
    ]
    assert not (out / "2026-12").exists()


def test_cli_without_a_workspace_creates_nothing(workspace: Path) -> None:
    done = CliRunner().invoke(app, ["overview", "--month", MONTH])
    assert done.exit_code == 1
    assert done.stderr.startswith("hexiao: error: 这里没有 hexiao 工作区")
    assert list(workspace.iterdir()) == []
