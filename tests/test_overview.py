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

from conftest import TwoMonths
from hexiao.cli.app import app
from hexiao.overview import OVERVIEW_FILE, write_overview
from hexiao.overview.data import NO_REPLY, gather
from hexiao.overview.page import HEADLINE, UNKNOWN
from hexiao.store import opened

MONTH = "2026-11"
CYCLE_KEYS = {
    "overdue": 7,
    "overdue_by_township": {"城关镇": 5, "新集镇": 2},
    "recovered_total": 1234.5,
    "outstanding_total": 4321.25,
}


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
def test_headline_numbers_are_summary_json_and_unknown_ones_are_shown_as_such(
    two_months: TwoMonths, tmp_path: Path, matched_before_the_cycle: bool
) -> None:
    db = _copy(two_months, tmp_path)
    cycle_keys = ("overdue", "overdue_by_township", "recovered_total", "outstanding_total")
    if matched_before_the_cycle:  # a month matched by a version that did not count these yet
        _edit_summary(db, MONTH, {}, drop=cycle_keys)
    page = write_overview(month=MONTH, db=db, out=tmp_path / "out")
    with duckdb.connect(str(db), read_only=True) as conn:
        (text,) = conn.execute("SELECT summary FROM month_summaries WHERE month = ?", [MONTH]).fetchone() or ("",)
    summary = json.loads(text)
    assert (set(cycle_keys) <= set(summary)) != matched_before_the_cycle
    shown = _cells(page).headline
    assert set(shown) == {key for key, _, _ in HEADLINE}
    for key, _, money in HEADLINE:
        if key in summary:
            assert shown[key][0] == str(summary[key]), key
            expected = f"{summary[key]:,.2f}" if money else f"{summary[key]:,}"
            assert shown[key][1] == expected, key
        else:
            assert shown[key] == ("", UNKNOWN), key


def test_a_summary_with_the_cycle_keys_shows_them_and_its_warnings_amounts(
    two_months: TwoMonths, tmp_path: Path
) -> None:
    db = _copy(two_months, tmp_path)
    _edit_summary(db, MONTH, CYCLE_KEYS)
    with duckdb.connect(str(db)) as conn:
        conn.execute("ALTER TABLE warnings ADD COLUMN IF NOT EXISTS recovered DECIMAL(12,2)")
        conn.execute(
            "UPDATE warnings SET recovered = 100.25 WHERE month = ? AND township = '城关镇' AND overpayment > 0",
            [MONTH],
        )
        (recovered,) = conn.execute(
            "SELECT sum(recovered) FROM warnings WHERE month = ? AND township = '城关镇'", [MONTH]
        ).fetchone() or (None,)
    page = write_overview(month=MONTH, db=db, out=tmp_path / "out")
    cells = _cells(page)
    assert cells.headline["overdue"] == ("7", "7")
    assert cells.headline["recovered_total"] == ("1234.5", "1,234.50")
    assert cells.headline["outstanding_total"] == ("4321.25", "4,321.25")
    reply_rows = {row[0]: row for row in cells.rows if len(row) == 7 and row[0] != "乡镇（街道）"}
    assert reply_rows["城关镇"][-1] == "5" and reply_rows["新集镇"][-1] == "2" and reply_rows["桂集镇"][-1] == "0"
    money_rows = {row[0]: row for row in cells.rows if len(row) == 3 and row[0] in reply_rows}
    assert recovered and money_rows["城关镇"][2] == f"{float(recovered):,.2f}"
    assert money_rows["桂集镇"][2] == "0.00"


def test_without_the_cycle_keys_overdue_and_recovered_read_unknown_not_zero(
    two_months: TwoMonths, tmp_path: Path
) -> None:
    db = _copy(two_months, tmp_path)
    for month in ("2026-10", MONTH):  # both months as a version before the cycle stored them
        _edit_summary(db, month, {}, drop=("overdue", "overdue_by_township", "recovered_total", "outstanding_total"))
    with duckdb.connect(str(db)) as conn:
        conn.execute("UPDATE warnings SET recovered = NULL")
    with opened(db, read_only=True) as conn:
        data = gather(conn, MONTH, 12)
    assert data.replies["overdue"].is_null().all()
    assert data.money["recovered"].is_null().all()
    assert data.money_trend["recovered_total"].is_null().all()


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
