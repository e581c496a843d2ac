"""Nothing of the user's is touched: hexiao never deletes or overwrites a file it did not create, and
a command that only reads a workspace never creates one (nor its lock file, nor its log)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROLL_HEADER, write_text
from hexiao.cli.app import app
from hexiao.demo import DEMO_MARKER, prepare_demo_workspace
from hexiao.errors import ConfigError, StateError, failure_detail
from hexiao.ledger import begin_batch, end_batch
from hexiao.log import get_logger
from hexiao.store import opened

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
    (demo / "out" / "2026-10").mkdir(parents=True)
    (demo / "out" / "2026-10" / "预警名单.csv").write_text("old\n", encoding="utf-8")  # a demo run's
    (demo / "hexiao.log").write_text("old\n", encoding="utf-8")
    (demo / "mine.txt").write_text("the officer's own\n", encoding="utf-8")  # not the demo's
    (workspace / "neighbour.txt").write_text("beside it\n", encoding="utf-8")
    # A cron user's environment names the production database: the demo must not load into it.
    monkeypatch.setenv("HEXIAO_DB", str(workspace / "real" / "hexiao.duckdb"))
    result = runner.invoke(app, ["demo", "--workspace", "d"])
    assert result.exit_code == 0, result.output
    assert not (demo / "out" / "2026-10").exists()
    assert not (demo / "hexiao.log").read_text(encoding="utf-8").startswith("old")
    assert (demo / "mine.txt").read_text(encoding="utf-8") == "the officer's own\n"
    assert "中不是演示写的文件未动：mine.txt" in result.stderr
    assert (demo / DEMO_MARKER).is_file() and (demo / "out" / "2026-11" / "预警名单.csv").is_file()
    assert (demo / "out" / "2026-11" / "概览.html").is_file()
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


# --- read-only commands ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["status"],
        ["status", "--month", "2026-11", "--json"],
        ["report", "--month", "2026-11"],
        ["status", "--db", "sub/hexiao.duckdb"],
        ["report", "--month", "2026-11", "--db", "sub/hexiao.duckdb"],
    ],
)
def test_reading_where_there_is_no_workspace_creates_nothing(workspace: Path, command: list[str]) -> None:
    result = runner.invoke(app, command)
    assert result.exit_code == 1
    line = one_error_line(result.stderr)
    assert "没有 hexiao 工作区" in line and "hexiao match" in line and "--db" in line
    assert listing(workspace) == {}  # no database, no lock file, no log, no folder


def test_config_commands_create_nothing(workspace: Path) -> None:
    for command in (["config", "show"], ["config", "validate"]):
        assert runner.invoke(app, command).exit_code == 0
    assert listing(workspace) == {}


def test_status_of_a_workspace_creates_no_log(workspace: Path) -> None:
    with opened(workspace / "hexiao.duckdb"):
        pass
    before = set(listing(workspace))
    assert runner.invoke(app, ["status"]).exit_code == 0
    assert set(listing(workspace)) - before <= {".hexiao.duckdb.lock"}


def test_status_leaves_an_earlier_versions_workspace_as_it_is(workspace: Path) -> None:
    """Reading is not upgrading: the next command that writes upgrades the workspace, status does not."""
    with opened(workspace / "hexiao.duckdb") as conn:
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    before = (workspace / "hexiao.duckdb").read_bytes()
    assert runner.invoke(app, ["status"]).exit_code == 0
    assert (workspace / "hexiao.duckdb").read_bytes() == before


def test_a_defect_in_a_reading_command_does_not_point_at_a_log_it_never_wrote(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with opened(workspace / "hexiao.duckdb"):
        pass
    monkeypatch.setattr(get_logger(), "handlers", [])  # no log file attached by an earlier test

    def defect(**_: object) -> None:
        raise RuntimeError("a defect")

    monkeypatch.setattr("hexiao.cli.status_cmd.read_ledger", defect)
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 4
    assert "此命令只读，没有建立日志" in result.stderr and "详情见日志" not in result.stderr
    assert not (workspace / "hexiao.log").exists()


# --- the ledger speaks ----------------------------------------------------------------------------


def test_status_shows_what_stopped_a_run_not_its_class_name(workspace: Path) -> None:
    write_text(workspace / "bad.csv", "乡镇,姓名,身份证号\n城关镇,张三,11010519491231002X\n")
    assert runner.invoke(app, ["load", "roll", "bad.csv", "--month", "2026-11"]).exit_code == 1
    assert runner.invoke(app, ["match", "--month", "2026-11"]).exit_code == 1
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 0, result.output
    load_line, match_line = result.stdout.strip().splitlines()
    assert "失败" in load_line and "原因：bad.csv" in load_line and "保障类别" in load_line
    assert "原因：没有 2026-11 月的花名册" in match_line
    assert "Error" not in result.stdout


def test_the_ledger_keeps_one_masked_line() -> None:
    assert failure_detail(StateError("身份证号 11010519491231002X\n重复")) == "身份证号 110105********002X 重复"
    internal = failure_detail(ValueError("第一行\n第二行"))
    assert internal.startswith("内部错误 ValueError：第一行 第二行") and "\n" not in internal


def test_status_reads_rows_an_earlier_version_wrote(workspace: Path) -> None:
    with opened(workspace / "hexiao.duckdb") as conn:
        failed = begin_batch(conn, "load roll", "2026-11")
        end_batch(conn, failed, "失败", "InputError")
        replies = begin_batch(conn, "feedback", "")
        end_batch(conn, replies, "完成", '{"不属实": 1, "属实": 3, "已处理": 2}')
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 0, result.output
    assert "原因：输入文件有问题（该版本未记下详细原因）" in result.stdout
    assert "属实 3，不属实 1，已处理 2" in result.stdout and "{" not in result.stdout


# --- --out ----------------------------------------------------------------------------------------


def test_out_pointing_at_a_file_stops_before_any_work(workspace: Path) -> None:
    write_text(workspace / "城关镇花名册.csv", f"{ROLL_HEADER}\n{ROLL_ROW}\n")
    assert runner.invoke(app, ["load", "roll", "城关镇花名册.csv", "--month", "2026-11"]).exit_code == 0
    (workspace / "报告.xlsx").write_bytes(b"the officer's own workbook")
    before = listing(workspace)
    for out in ("报告.xlsx", "报告.xlsx/sub"):
        for command in (["match", "--month", "2026-11"], ["report", "--month", "2026-11"]):
            result = runner.invoke(app, [*command, "--out", out])
            assert result.exit_code == 1, result.output
            line = one_error_line(result.stderr)
            assert "报告.xlsx 是文件" in line and "--out" in line
    after = listing(workspace)
    assert after.pop("hexiao.log").startswith(before.pop("hexiao.log"))  # the refusals are logged, nothing else
    assert after == before
    ledger = runner.invoke(app, ["status"]).stdout
    assert "match" not in ledger  # refused before the run began


def test_out_whose_month_folder_is_a_file_is_refused(workspace: Path) -> None:
    (workspace / "out").mkdir()
    (workspace / "out" / "2026-11").write_bytes(b"someone's file")
    result = runner.invoke(app, ["match", "--month", "2026-11"])
    assert result.exit_code == 1
    assert "是文件" in one_error_line(result.stderr)
    assert (workspace / "out" / "2026-11").read_bytes() == b"someone's file"
    assert not (workspace / "hexiao.duckdb").exists()


def test_out_where_hexiao_may_not_write_stops_before_any_work(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (workspace / "shared").mkdir()
    # The tests may run as root, whom no permission stops: the folder is reported as not writable.
    monkeypatch.setattr("hexiao.match.os.access", lambda path, mode: Path(path).name != "shared")
    result = runner.invoke(app, ["match", "--month", "2026-11", "--out", "shared/报告"])
    assert result.exit_code == 1
    assert "没有写入 shared 的权限" in one_error_line(result.stderr)
    assert set(listing(workspace)) == {"shared"}  # no workspace, no report folder, no log


# --- a command that fails before doing anything creates nothing -----------------------------------


def test_match_with_nothing_to_match_and_no_workspace_creates_nothing(workspace: Path) -> None:
    (workspace / "inbox" / "2026-11").mkdir(parents=True)
    (workspace / "inbox" / "2026-11" / "Thumbs.db").write_bytes(b"\x00litter")
    for command in (["match", "--month", "2026-11"], ["match", "--month", "2026-12"]):  # empty inbox; none
        before = listing(workspace)
        result = runner.invoke(app, command)
        assert result.exit_code == 1
        assert "花名册" in one_error_line(result.stderr)
        assert listing(workspace) == before  # no database, lock file, log or report folder


def test_feedback_without_a_workspace_creates_nothing(workspace: Path) -> None:
    write_text(workspace / "城关镇反馈.csv", "预警编号,核查结果\nDE0123456789,属实\n")
    before = listing(workspace)
    result = runner.invoke(app, ["feedback", "城关镇反馈.csv"])
    assert result.exit_code == 1
    assert "没有 hexiao 工作区" in one_error_line(result.stderr)
    assert listing(workspace) == before


def test_a_run_that_makes_the_workspace_logs_what_came_before(workspace: Path) -> None:
    """The log is made with the workspace; lines logged before it existed are written first."""
    folder = workspace / "inbox" / "2026-11"
    folder.mkdir(parents=True)
    write_text(folder / "城关镇花名册.csv", f"{ROLL_HEADER}\n{ROLL_ROW}\n")
    (folder / "desktop.ini").write_bytes(b"[.ShellClassInfo]")
    assert runner.invoke(app, ["match", "--month", "2026-11"]).exit_code == 0
    log = (workspace / "hexiao.log").read_text(encoding="utf-8")
    assert log.index("已忽略（不是数据）：desktop.ini") < log.index("载入 保障对象花名册")
    assert (workspace / "hexiao.log").stat().st_mode & 0o077 == 0


def test_a_defect_keeps_its_traceback_in_the_log_even_without_a_workspace(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_logger(), "handlers", [])  # no log file attached by an earlier test

    def defect(*_: object, **__: object) -> None:
        raise RuntimeError("a defect")

    monkeypatch.setattr("hexiao.cli.feedback_cmd.record_feedback", defect)
    result = runner.invoke(app, ["feedback", "城关镇反馈.csv"])
    assert result.exit_code == 4 and "详情见日志" in result.stderr
    assert "RuntimeError: a defect" in (workspace / "hexiao.log").read_text(encoding="utf-8")
