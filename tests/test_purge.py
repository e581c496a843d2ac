"""`hexiao purge`: old months' raw rows go, in one transaction; what kept months rest on stays."""

from __future__ import annotations

import getpass
import hashlib
import os
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest
from typer.testing import CliRunner

import hexiao.compact as compact_module
import hexiao.purge as purge_module
from hexiao.cli.app import app
from hexiao.config import RetentionConfig
from hexiao.errors import ConfigError
from hexiao.purge import purge
from hexiao.rules.common import rests_on_sql
from hexiao.settings import load_config
from hexiao.store import ROW_KEY_SQL, os_user, spelled_id_sql
from hexiao_dev.sample.generator import generate

# The row keys a warning rests on, as `hexiao purge` reads them.
REST, REST_W = rests_on_sql(), rests_on_sql("w.link_detail")

MONTHS = ("2026-08", "2026-09", "2026-10", "2026-11")
runner = CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace after four monthly runs, each from that month's generated inbox."""
    root = tmp_path_factory.mktemp("months")
    db = root / "hexiao.duckdb"
    for month in MONTHS:
        inbox = root / "inbox" / month
        generate(inbox, households=60, month=month)
        shutil.rmtree(inbox / "truth")
        result = runner.invoke(
            app,
            ["match", "--month", month, "--inbox", str(inbox), "--db", str(db), "--out", str(root / "out")]
            + ["--config", str(inbox / "hexiao.toml")],  # the sample's local standards (因病's threshold)
        )
        assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def db(built: Path, workspace: Path) -> Path:
    """A copy of the four-month workspace, the test's own."""
    return Path(shutil.copy(built, workspace / "hexiao.duckdb"))


def rows(db: Path, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute(sql, params or []).fetchall()


def count(db: Path, table: str, where: str = "TRUE") -> int:
    return int(rows(db, f"SELECT count(*) FROM {table} WHERE {where}")[0][0])


def with_cremation(value: str, workspace: Path) -> Path:
    path = workspace / "hexiao.toml"
    path.write_text(f'[retention]\ncremation = "{value}"\n', encoding="utf-8")
    return path


def test_old_roll_months_and_superseded_snapshots_go(db: Path) -> None:
    assert count(db, "vehicle", "month = '2026-08'") > 0
    result = purge(db=db, before="2026-10")
    assert {item.month for item in result.removed} == {"2026-08", "2026-09"}
    # Superseded: the vehicle snapshot of 2026-10 is the one in force from the first month kept.
    assert result.in_force["vehicle"] == "2026-10"
    assert count(db, "vehicle", "month < '2026-10'") == 0
    # Of the old rolls only the rows a kept warning's 应追回金额 counts are left.
    left = rows(db, f"SELECT DISTINCT {spelled_id_sql()} FROM roll WHERE month < '2026-10'")
    paid = rows(db, "SELECT DISTINCT id_number FROM warnings WHERE month >= '2026-10' AND effective_month < '2026-10'")
    assert set(left) <= set(paid)
    assert count(db, "roll", "month < '2026-10'") < count(db, "roll", "month = '2026-10'")
    # The purged inputs' rejected rows keep file, row and reason, not the raw values.
    rejected = """SELECT count(*) FILTER (WHERE raw IS NULL), count(*) FILTER (WHERE reason IS NOT NULL), count(*)
                  FROM rejected JOIN inputs i USING (input_id) WHERE i.kind = 'roll' AND i.month {} '2026-10'"""
    cleared, reasons, old = rows(db, rejected.format("<"))[0]
    assert cleared == reasons == old > 0
    assert rows(db, rejected.format(">="))[0][0] == 0
    # Each month's counts, the warnings' history and the ledger stay.
    assert count(db, "month_summaries") == len(MONTHS)
    assert count(db, "warnings", "month = '2026-08'") > 0
    assert count(db, "inputs", "month = '2026-08'") > 0


def test_an_extract_still_in_force_stays(db: Path) -> None:
    # The business register of 2026-09 was sent again unchanged for 2026-10 and 2026-11, so it was
    # loaded once, for 2026-09: it is in force for every month since, and none of it goes (not only
    # the rows warnings rest on); the one of 2026-08 it replaced goes.
    stored = rows(db, "SELECT month, count(*) FROM business GROUP BY ALL ORDER BY ALL")
    assert [month for month, _ in stored] == ["2026-08", "2026-09"]
    result = purge(db=db, before="2026-11")
    assert result.in_force["business"] == "2026-09"
    assert rows(db, "SELECT month, count(*) FROM business GROUP BY ALL ORDER BY ALL") == stored[1:]


def _paid_rows(db: Path) -> list[tuple[object, ...]]:
    """The roll rows the 应追回金额 of 2026-11's warnings counts: the person's, in the months from
    the effective month to the month before."""
    return rows(
        db,
        f"""SELECT r.month, r.program, r.monthly_amount, w.warning_id FROM warnings w JOIN roll r
                ON {spelled_id_sql("r.id_norm", "r.id_key")} = w.id_number
               AND r.month >= w.effective_month AND r.month < w.month
            WHERE w.month = '2026-11' ORDER BY ALL""",
    )


def test_rows_a_kept_warning_rests_on_stay(db: Path, workspace: Path) -> None:
    paid = _paid_rows(db)
    assert any(str(month) < "2026-11" for month, *_ in paid)
    config = load_config(with_cremation("purge", workspace))
    purge(db=db, config=config, before="2026-11")
    assert count(db, "cremation", "month < '2026-11'") < count(db, "cremation", "month = '2026-11'")
    # Every death record and roll row a warning of 2026-11 names is still there...
    keys = " UNION ALL ".join(f"SELECT {ROW_KEY_SQL} AS k FROM {t}" for t in ("roll", "cremation"))
    named = rows(db, f"SELECT count(*) FROM (SELECT unnest({REST}) FROM warnings WHERE month = '2026-11')")
    missing = rows(
        db,
        f"SELECT count(*) FROM (SELECT unnest({REST}) AS k FROM warnings WHERE month = '2026-11' "
        f"AND code = 'DECEASED') WHERE k NOT IN ({keys})",
    )
    assert named[0][0] > 0 and missing == [(0,)]
    assert count(db, "cremation", "month < '2026-11'") > 0  # the death records of 2026-11's warnings
    # ...and so is every roll row its 应追回金额 counts.
    assert _paid_rows(db) == paid


def test_cremation_records_stay_unless_the_setting_says_purge(db: Path, workspace: Path) -> None:
    stored = count(db, "cremation")
    result = purge(db=db, before="2026-11")
    assert count(db, "cremation") == stored
    assert "cremation" not in {item.table for item in result.removed}
    purged = purge(db=db, config=load_config(with_cremation("purge", workspace)), before="2026-11")
    assert "cremation" in {item.table for item in purged.removed}
    assert count(db, "cremation") < stored


def test_the_purge_is_one_transaction(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tables = ("roll", "vehicle", "property", "employee", "poverty", "rejected")
    before = {table: count(db, table) for table in tables}
    raws = count(db, "rejected", "raw IS NOT NULL")
    real_delete = purge_module._delete

    def delete_then_fail(conn: duckdb.DuckDBPyConnection, result: purge_module.PurgeResult) -> None:
        real_delete(conn, result)  # every DELETE and the UPDATE ran
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(purge_module, "_delete", delete_then_fail)
    with pytest.raises(OSError):
        purge(db=db, before="2026-11")
    assert {table: count(db, table) for table in tables} == before
    assert count(db, "rejected", "raw IS NOT NULL") == raws
    assert rows(db, "SELECT command, outcome FROM batches ORDER BY batch_id DESC LIMIT 1") == [("purge", "失败")]


def test_a_dry_run_changes_and_creates_nothing(db: Path, workspace: Path) -> None:
    listing = sorted(p.name for p in workspace.iterdir())
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    dry = runner.invoke(app, ["purge", "--before", "2026-10", "--dry-run", "--json"])
    assert dry.exit_code == 0, dry.output
    assert sorted(p.name for p in workspace.iterdir()) == listing
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest
    real = runner.invoke(app, ["purge", "--before", "2026-10", "--json"])
    assert real.exit_code == 0, real.output
    said, done = pl.read_json(dry.stdout.encode()), pl.read_json(real.stdout.encode())
    assert said["removed"].to_list() == done["removed"].to_list()
    assert said["removed_total"][0] > 0


def test_no_workspace_no_database(workspace: Path) -> None:
    for args in (["purge", "--dry-run"], ["purge"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1
        assert "找不到数据库" in result.stderr
        assert list(workspace.iterdir()) == []


def test_a_horizon_after_the_latest_month_is_refused(db: Path) -> None:
    result = runner.invoke(app, ["purge", "--before", "2026-12"])
    assert result.exit_code == 1
    assert "晚于工作区最近的月份 2026-11" in result.stderr


def test_a_horizon_written_otherwise_names_the_option(db: Path) -> None:
    result = runner.invoke(app, ["purge", "--before", "2026/10"])
    assert result.exit_code != 0
    assert "--before" in result.stderr and "--month" not in result.stderr


def test_the_default_horizon_counts_back_from_the_latest_month_held(db: Path, workspace: Path) -> None:
    (workspace / "hexiao.toml").write_text("[retention]\nmonths = 2\n", encoding="utf-8")
    result = runner.invoke(app, ["purge", "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    assert pl.read_json(result.stdout.encode())["before"].to_list() == ["2026-10"]


def _warnings(db: Path, month: str) -> list[tuple[object, ...]]:
    return rows(
        db,
        """SELECT warning_id, code, risk, source, evidence, action, effective_month, overpayment, status
           FROM warnings WHERE month = ? ORDER BY warning_id""",
        [month],
    )


def test_rematching_a_kept_month_after_the_purge_gives_the_same_warnings(
    built: Path, db: Path, workspace: Path
) -> None:
    before = {month: _warnings(db, month) for month in ("2026-10", "2026-11")}
    config = with_cremation("purge", workspace)
    with config.open("a", encoding="utf-8") as settings:  # the months were matched with the sample's standards
        settings.write((built.parent / "inbox" / "2026-11" / "hexiao.toml").read_text(encoding="utf-8"))
    assert runner.invoke(app, ["purge", "--before", "2026-10", "--config", str(config)]).exit_code == 0
    for month in ("2026-10", "2026-11"):
        result = runner.invoke(app, ["match", "--month", month, "--config", str(config)])
        assert result.exit_code == 0, result.output
        assert _warnings(db, month) == before[month], month


def test_every_ledger_entry_names_who_ran_it(db: Path, workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGNAME", "clerk01")  # what getpass.getuser() reads first
    out = workspace / "out"
    assert runner.invoke(app, ["report", "--month", "2026-11", "--out", str(out)]).exit_code == 0
    reply = workspace / "回复.csv"
    listed = pl.read_csv(out / "2026-11" / "预警名单.csv", infer_schema=False)
    listed.head(1).with_columns(pl.lit("属实").alias("核查结果")).write_csv(reply)
    vehicles = workspace / "车辆.csv"
    vehicles.write_text("姓名,身份证号,号牌号码\n张三,110101199003074514,皖A12345\n", encoding="utf-8")
    commands = (
        ["load", "vehicle", str(vehicles), "--month", "2026-11"],
        ["feedback", str(reply)],
        ["match", "--month", "2026-11"],
        ["purge", "--before", "2026-09"],
    )
    for args in commands:
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    newest = rows(db, "SELECT command, os_user FROM batches ORDER BY batch_id DESC LIMIT 4")
    assert sorted(newest) == sorted(
        [("load vehicle", "clerk01"), ("feedback", "clerk01"), ("match", "clerk01"), ("purge", "clerk01")]
    )
    status = runner.invoke(app, ["status"])
    assert status.exit_code == 0
    assert "用户 clerk01" in status.stdout
    assert "保留 2026-09 起；删除 " in status.stdout


def test_a_user_without_a_name_is_named_by_uid(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_name() -> str:
        raise OSError("No username set in the environment")

    monkeypatch.setattr(getpass, "getuser", no_name)
    assert os_user() == f"uid {os.getuid()}"


def test_retention_settings_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "hexiao.toml"
    path.write_text('[retention]\nmonths = 0\ncremation = "drop"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert f"{path}:2: retention.months" in str(caught.value)
    assert f"{path}:3: retention.cremation" in str(caught.value)
    path.write_text("[retention]\nmonths = 24\n", encoding="utf-8")
    config = load_config(path)
    assert config.retention == RetentionConfig(months=24, cremation="keep")
    assert config.origins["retention.months"] == f"{path}:2"


def test_every_warning_names_the_stored_rows_it_rests_on(built: Path) -> None:
    tables = ("roll", "cremation", "vehicle", "property", "business", "employee", "poverty", "release", "adoption",
              "medical", "disability", "pension", "provident")  # fmt: skip
    keys = " UNION ALL ".join(f"SELECT '{t}' AS kind, month, {ROW_KEY_SQL} AS k FROM {t}" for t in tables)
    found = rows(
        built,
        f"""WITH named AS (SELECT w.warning_id, w.code, w.month, s.k, s.i
                           FROM warnings w, unnest({REST_W}) WITH ORDINALITY AS s(k, i))
            SELECT n.code, count(DISTINCT n.warning_id || n.month), count(*) FILTER (WHERE r.k IS NULL),
                   string_agg(DISTINCT r.kind, ',' ORDER BY r.kind) FILTER (WHERE n.i = 1)
            FROM named n LEFT JOIN ({keys}) r USING (k) GROUP BY n.code ORDER BY n.code""",
    )
    by_code = {code: (warned, missing, first) for code, warned, missing, first in found}
    total = rows(built, "SELECT code, count(*) FROM warnings GROUP BY code")
    assert {code: warned for code, (warned, _, _) in by_code.items()} == dict(total)  # none without keys
    assert {code: missing for code, (_, missing, _) in by_code.items()} == dict.fromkeys(by_code, 0)
    # A roll-based warning names its roll row first; 疑似漏保 has none, only its sources' records.
    omission_kinds = {"poverty", "medical", "disability"}
    assert set(by_code["OMISSION"][2].split(",")) == omission_kinds
    assert {code: first for code, (_, _, first) in by_code.items() if code != "OMISSION"} == {
        code: "roll" for code in by_code if code != "OMISSION"
    }
    assert {"DECEASED", "VEHICLE", "PROPERTY", "BUSINESS", "PUBLIC_EMPLOYEE", "OMISSION", "GUARDIAN_RETURNED",
            "ADOPTED"} <= set(by_code)  # fmt: skip
    # A warning raised from a source record names it.
    sources = {
        "DECEASED": "cremation",
        "VEHICLE": "vehicle",
        "PROPERTY": "property",
        "BUSINESS": "business",
        "PUBLIC_EMPLOYEE": "employee",
        "GUARDIAN_RETURNED": "release",
        "ADOPTED": "adoption",
        "OMISSION": "(SELECT * FROM poverty UNION ALL BY NAME SELECT * FROM medical UNION ALL BY NAME SELECT * FROM disability)",
    }
    for code, kind in sources.items():
        unnamed = rows(
            built,
            f"""SELECT count(*) FROM warnings w WHERE code = ? AND NOT EXISTS (
                    SELECT 1 FROM {kind} e WHERE list_contains({REST_W}, {ROW_KEY_SQL}))""",
            [code],
        )
        assert unnamed == [(0,)], code


def free_blocks(db: Path) -> int:
    return int(rows(db, "SELECT free_blocks FROM pragma_database_size()")[0][0])


def test_what_the_purge_deleted_is_gone_from_the_file(db: Path) -> None:
    size = db.stat().st_size
    result = purge(db=db, before="2026-11")
    # Rewritten: no free block left that could still hold a deleted row's bytes, and smaller.
    assert free_blocks(db) == 0
    assert result.size_after == db.stat().st_size < size
    assert oct(db.stat().st_mode & 0o777) == "0o600"
    assert count(db, "roll", "month = '2026-11'") > 0  # the kept month whole, the ledger continuing
    assert rows(db, "SELECT max(batch_id) FROM batches") == rows(db, "SELECT currval('batch_ids')")


def test_a_rewrite_that_fails_leaves_the_purged_workspace(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(compact_module.os, "replace", disk_full)
    result = runner.invoke(app, ["purge", "--before", "2026-11"])
    assert result.exit_code == 1
    assert "数据库文件未能重写" in result.stderr and "No space left on device" in result.stderr
    assert count(db, "roll", "month < '2026-11'") < count(db, "roll", "month = '2026-11'")  # committed
    assert sorted(p.name for p in db.parent.iterdir() if "rewrite" in p.name) == []
