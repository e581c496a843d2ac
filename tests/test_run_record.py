"""What a run keeps beyond its warnings: its effective configuration with each setting's origin
(`batches.config_text`), and for each warning the rows it rests on (`warnings.link_detail`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from hexiao.cli.app import app
from hexiao.store import ROWS_PER_SHEET, SHEETS_PER_FILE, opened

FIXTURE = Path(__file__).parent / "fixtures" / "workspace_v2"
MONTH = "2026-11"
TOML = '[rules.vehicle]\nexempt_types = ["残疾人"]\n'


def _run(*args: str) -> None:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output


@pytest.fixture
def matched(workspace: Path) -> Path:
    (workspace / "hexiao.toml").write_text(TOML, encoding="utf-8")
    for kind, name in (("roll", "花名册.csv"), ("cremation", "火化数据.csv"), ("vehicle", "车辆登记.csv")):
        _run("load", kind, str(shutil.copy(FIXTURE / name, workspace / name)), "--month", MONTH)
    _run("match", "--month", MONTH)
    return workspace / "hexiao.duckdb"


def test_every_run_keeps_its_settings_and_where_each_came_from(matched: Path, workspace: Path) -> None:
    with duckdb.connect(str(matched), read_only=True) as conn:
        runs = conn.execute("SELECT command, config_hash, config_text FROM batches ORDER BY batch_id").fetchall()
    assert [command for command, _, _ in runs] == ["load roll", "load cremation", "load vehicle", "match"]
    for command, digest, text in runs:
        stored = json.loads(text)
        assert stored["digest"] == digest and stored["source"] == str(workspace / "hexiao.toml"), command
        settings = {s["key"]: s for s in stored["settings"]}
        assert settings["rules.vehicle.exempt_types"] == {
            "key": "rules.vehicle.exempt_types", "value": ["残疾人"], "origin": f"{workspace / 'hexiao.toml'}:2",
        }  # fmt: skip
        assert settings["rules.deceased.death_stop_offset_months"]["origin"] == "默认值"


def test_a_warning_keeps_the_rows_it_rests_on_and_the_months_paid(matched: Path) -> None:
    with duckdb.connect(str(matched), read_only=True) as conn:
        [(detail, overpayment, source)] = conn.execute(
            "SELECT link_detail, overpayment, source FROM warnings WHERE code = 'DECEASED' AND name = '孙大山'"
        ).fetchall()
        stored = json.loads(detail)
        [roll_key] = stored["roll"]
        [link] = stored["links"]
        rows = conn.execute(
            "SELECT i.file_name, c.source_row FROM cremation c JOIN inputs i USING (input_id) "
            "WHERE (c.input_id * ? + coalesce(c.sheet_no, 0)) * ? + c.source_row = ?",
            [SHEETS_PER_FILE, ROWS_PER_SHEET, link["ext"]],
        ).fetchall()
    assert roll_key % ROWS_PER_SHEET == 2  # the roll's first row under its header
    assert rows == [("火化数据.csv", 2)] and source == "火化数据.csv 第2行"
    assert link["kind"] == "cremation" and link["method"] == "身份证精确" and link["name_tier"] == "相同"
    months = stored["months"]
    assert [m["month"] for m in months] == ["2026-10"]  # died in September: paid from October
    assert sum(m["amount"] for m in months) == overpayment > 0


def test_a_workspace_of_the_previous_version_gets_the_new_columns(matched: Path) -> None:
    with duckdb.connect(str(matched)) as conn:
        conn.execute("ALTER TABLE batches DROP COLUMN config_text")
        conn.execute("ALTER TABLE warnings DROP COLUMN link_detail")
        conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    _run("match", "--month", MONTH)
    with opened(matched, read_only=True) as conn:
        kept = conn.execute("SELECT count(link_detail) = count(*) FROM warnings").fetchall()
        ran = conn.execute("SELECT config_text IS NOT NULL FROM batches ORDER BY batch_id DESC LIMIT 1").fetchall()
    assert kept == [(True,)] and ran == [(True,)]
