"""Nothing of the user's is touched: hexiao never deletes or overwrites a file it did not create."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROLL_HEADER, write_text
from hexiao.cli.app import app
from hexiao.demo import DEMO_MARKER, prepare_demo_workspace
from hexiao.errors import ConfigError

runner = CliRunner()
ROLL_ROW = "城关镇,东街村,H001,张三,11010519491231002X,张三,11010519491231002X,本人,农村低保,A,500,2020-01"


def listing(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder below `folder` (hidden ones too) with its bytes; None for a folder."""
    return {str(path.relative_to(folder)): None if path.is_dir() else path.read_bytes() for path in folder.rglob("*")}


@pytest.fixture
def users_folder(workspace: Path) -> Path:
    """A working folder as an officer has it: a real database, an inbox, a config, a note."""
    (workspace / "hexiao.duckdb").write_bytes(b"not really a database, but theirs")
    (workspace / "inbox" / "2026-11").mkdir(parents=True)
    write_text(workspace / "inbox" / "2026-11" / "城关镇花名册.csv", f"{ROLL_HEADER}\n{ROLL_ROW}\n")
    (workspace / "hexiao.toml").write_text("disabled_rules = []\n", encoding="utf-8")
    (workspace / ".notes").write_text("keep me\n", encoding="utf-8")
    return workspace


def one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hexiao: error: "), stderr
    return lines[0]


# --- demo -----------------------------------------------------------------------------------------


def test_demo_refuses_the_working_folder_and_touches_nothing(users_folder: Path) -> None:
    before = listing(users_folder)
    result = runner.invoke(app, ["demo", "--workspace", "."])
    assert result.exit_code == 1
    line = one_error_line(result.stderr)
    assert "不是空目录" in line and "--workspace" in line
    assert listing(users_folder) == before


def test_demo_refuses_a_foreign_folder_that_holds_anything(users_folder: Path) -> None:
    before = listing(users_folder)
    for target in ("inbox", "hexiao.toml"):  # a folder with files, and a file
        result = runner.invoke(app, ["demo", "--workspace", target])
        assert result.exit_code == 1
        assert "--workspace" in one_error_line(result.stderr)
    assert listing(users_folder) == before


def test_demo_rebuilds_its_own_folder_and_never_uses_the_real_database(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = workspace / "d"
    demo.mkdir()
    (demo / DEMO_MARKER).write_text("", encoding="utf-8")
    (demo / "上次的报告.csv").write_text("old\n", encoding="utf-8")
    (workspace / "neighbour.txt").write_text("beside it\n", encoding="utf-8")
    # A cron user's environment names the production database: the demo must not load into it.
    monkeypatch.setenv("HEXIAO_DB", str(workspace / "real" / "hexiao.duckdb"))
    result = runner.invoke(app, ["demo", "--workspace", "d", "--quiet"])
    assert result.exit_code == 0, result.output
    assert not (demo / "上次的报告.csv").exists()
    assert (demo / DEMO_MARKER).is_file() and (demo / "out" / "2026-11" / "预警名单.csv").is_file()
    assert (demo / "hexiao.duckdb").is_file() and not (workspace / "real").exists()
    assert (workspace / "neighbour.txt").read_text(encoding="utf-8") == "beside it\n"


def test_demo_takes_an_empty_folder_and_marks_a_new_one(workspace: Path) -> None:
    data = workspace / "sample"
    data.mkdir()
    (workspace / "empty").mkdir()
    for folder in (workspace / "empty", workspace / "new" / "demo"):
        prepare_demo_workspace(folder, data=data, db=folder / "hexiao.duckdb")
        assert [p.name for p in folder.iterdir()] == [DEMO_MARKER]


def test_demo_keeps_its_data_and_database_where_clearing_cannot_harm(workspace: Path) -> None:
    demo = workspace / "d"
    with pytest.raises(ConfigError, match="示例数据目录"):
        prepare_demo_workspace(demo, data=demo / "sample", db=demo / "hexiao.duckdb")
    with pytest.raises(ConfigError, match="--db"):
        prepare_demo_workspace(demo, data=workspace / "sample", db=workspace / "hexiao.duckdb")
    assert not demo.exists()
