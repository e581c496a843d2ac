"""A workspace written by the previous version, upgraded in place, keeps its warnings' numbers.

`fixtures/workspace_v2/` holds a workspace of schema version 2 after two monthly runs (2026-10,
2026-11) and a township's replies (one 不属实, one 属实), with the inputs it was made from
(`make.py` there says how).
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest
from typer.testing import CliRunner

from hexiao.cli.app import app
from hexiao.store import SCHEMA_VERSION, opened, query

FIXTURE = Path(__file__).parent / "fixtures" / "workspace_v2"


@pytest.fixture
def upgraded(workspace: Path) -> Path:
    db = workspace / "hexiao.duckdb"
    with gzip.open(FIXTURE / "hexiao.duckdb.gz", "rb") as packed, db.open("wb") as raw:
        shutil.copyfileobj(packed, raw)
    return db


def _stored(db: Path, month: str) -> pl.DataFrame:
    with opened(db) as conn:
        return query(
            conn,
            "SELECT warning_id, code, name, status, risk FROM warnings WHERE month = ? ORDER BY warning_id",
            [month],
        )


def test_the_old_workspace_is_of_the_previous_schema() -> None:
    assert SCHEMA_VERSION != "2", "the fixture tests an upgrade: it must be older than this version"


def test_rematching_an_old_month_keeps_every_warning_number(upgraded: Path) -> None:
    before = _stored(upgraded, "2026-11")
    result = CliRunner().invoke(app, ["match", "--month", "2026-11", "--db", str(upgraded)])
    assert result.exit_code == 0, result.output
    after = _stored(upgraded, "2026-11")
    assert after["warning_id"].to_list() == before["warning_id"].to_list()
    assert after["status"].to_list() == before["status"].to_list()


def test_the_next_month_continues_the_old_warnings(upgraded: Path, workspace: Path) -> None:
    november = _stored(upgraded, "2026-11")
    roll = shutil.copy(FIXTURE / "花名册.csv", workspace / "2026年12月花名册.csv")
    runner = CliRunner()
    loaded = runner.invoke(app, ["load", "roll", str(roll), "--month", "2026-12", "--db", str(upgraded)])
    assert loaded.exit_code == 0, loaded.output
    result = runner.invoke(app, ["match", "--month", "2026-12", "--db", str(upgraded), "--json"])
    assert result.exit_code == 0, result.output
    december = _stored(upgraded, "2026-12")
    # Same person, rule and evidence: same number, 持续 — nothing renumbered by the upgrade.
    assert december["warning_id"].to_list() == november["warning_id"].to_list()
    assert set(december["status"]) == {"持续"}
    with opened(upgraded) as conn:
        summary = conn.execute("SELECT summary FROM month_summaries WHERE month = '2026-12'").fetchall()
        replies = conn.execute("SELECT count(*) FROM feedback").fetchall()
    # The 不属实 reply of 2026-10 still suppresses its warning; the 属实 one (a vehicle, 中) is
    # raised to 高 because the person is still paid.
    assert '"suppressed": 1' in summary[0][0]
    assert replies == [(2,)]
    confirmed = december.filter(pl.col("name") == "钱有车").row(0, named=True)
    assert confirmed["risk"] == "高"


# What schema version 4 added (`store.ADDED_COLUMNS`): taken away again, they leave a workspace as
# version 3 wrote it.
VERSION_4_COLUMNS = (
    *(("batches", "config_text"), ("batches", "os_user"), ("warnings", "link_detail")),
    *(("feedback", "notice_date"), ("feedback", "recovered"), ("feedback", "sheet")),
    *(("warnings", "state"), ("warnings", "notice_date"), ("warnings", "recovered")),
)


def _as_schema_3(db: Path) -> None:
    with opened(db):  # the fixture brought up to this version
        pass
    with duckdb.connect(str(db)) as conn:
        for table, column in VERSION_4_COLUMNS:
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")


def test_a_schema_3_workspace_names_its_users_from_now_on_and_can_be_purged(
    upgraded: Path, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _as_schema_3(upgraded)
    monkeypatch.setenv("LOGNAME", "clerk01")
    (workspace / "hexiao.toml").write_text('[retention]\ncremation = "purge"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["purge", "--before", "2026-11", "--db", str(upgraded)])
    assert result.exit_code == 0, result.output
    with opened(upgraded) as conn:
        users = conn.execute("SELECT command, os_user FROM batches ORDER BY batch_id").fetchall()
        deaths = query(conn, "SELECT name FROM cremation ORDER BY name")["name"].to_list()
        warned = query(conn, "SELECT name FROM warnings WHERE month = '2026-11' AND code = 'DECEASED' ORDER BY name")
    # The runs before the upgrade name nobody; the purge names its user.
    assert users[-1] == ("purge", "clerk01") and {user for _, user in users[:-1]} == {None}
    # Warnings stored before they kept their rows' keys keep, by the person's ID, the death records
    # they rest on; the record no kept warning rests on goes.
    assert deaths == warned["name"].to_list()
    assert "火化" in result.stdout and "2026-10：1 行" in result.stdout
