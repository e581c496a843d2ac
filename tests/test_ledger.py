"""The run ledger (`hexiao.ledger.batch`): 进行中 before the run's transaction, its outcome inside
the commit, 失败 with the message after a rollback, and the 进行中 row of a killed run kept."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from hexiao import __version__, ledger
from hexiao.errors import StateError
from hexiao.store import opened, os_user

MONTH = "2026-11"


def _write_summary(conn: duckdb.DuckDBPyConnection, batch_id: int) -> None:
    conn.execute("INSERT INTO month_summaries VALUES (?, ?, '{}')", [MONTH, batch_id])


def _ledger(db: Path) -> list[tuple[object, ...]]:
    with opened(db, read_only=True) as conn:
        return conn.execute("SELECT command, month, outcome, detail FROM batches ORDER BY batch_id").fetchall()


def _summaries(db: Path) -> int:
    with opened(db, read_only=True) as conn:
        return int(conn.execute("SELECT count(*) FROM month_summaries").fetchall()[0][0])


def test_a_run_that_succeeds_commits_its_rows_with_its_outcome(workspace: Path) -> None:
    db = workspace / "hexiao.duckdb"
    with opened(db) as conn, ledger.batch(conn, "check", MONTH, config_hash="abc", config_text="{}") as run:
        _write_summary(conn, run.batch_id)
        run.detail = "3 人"
    assert _ledger(db) == [("check", MONTH, ledger.DONE, "3 人")]
    assert _summaries(db) == 1
    with opened(db, read_only=True) as conn:
        kept = conn.execute("SELECT version, config_hash, config_text, os_user, finished_at IS NOT NULL FROM batches")
        assert kept.fetchall() == [(__version__, "abc", "{}", os_user(), True)]


def test_a_run_may_commit_with_an_outcome_of_its_own(workspace: Path) -> None:
    db = workspace / "hexiao.duckdb"
    with opened(db) as conn, ledger.batch(conn, "match", MONTH) as run:
        run.outcome, run.detail = "已提交", "/staged"
    assert _ledger(db) == [("match", MONTH, "已提交", "/staged")]


def test_a_run_that_fails_leaves_none_of_its_rows_and_says_why(workspace: Path) -> None:
    db = workspace / "hexiao.duckdb"
    with opened(db) as conn, pytest.raises(StateError, match="重复"):
        with ledger.batch(conn, "check", MONTH) as run:
            _write_summary(conn, run.batch_id)
            raise StateError("身份证号 11010519491231002X 重复")
    assert _ledger(db) == [("check", MONTH, ledger.FAILED, "身份证号 110105********002X 重复")]
    assert _summaries(db) == 0


def test_an_interrupted_run_is_recorded_as_failed(workspace: Path) -> None:
    db = workspace / "hexiao.duckdb"
    with opened(db) as conn, pytest.raises(KeyboardInterrupt):
        with ledger.batch(conn, "load roll", MONTH) as run:
            _write_summary(conn, run.batch_id)
            raise KeyboardInterrupt
    assert _ledger(db) == [("load roll", MONTH, ledger.FAILED, "已中断，数据库保持运行前的状态")]
    assert _summaries(db) == 0


KILLED_RUN = """
import os, signal, sys
from pathlib import Path
from hexiao import ledger
from hexiao.store import opened
with opened(Path(sys.argv[1])) as conn, ledger.batch(conn, "match", "2026-11") as run:
    conn.execute("INSERT INTO month_summaries VALUES ('2026-11', ?, '{}')", [run.batch_id])
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_killed_run_stays_in_the_ledger_as_running_without_its_rows(workspace: Path) -> None:
    db = workspace / "hexiao.duckdb"
    with opened(db):
        pass  # the workspace exists before the run, as after any earlier command
    killed = subprocess.run([sys.executable, "-c", KILLED_RUN, str(db)], capture_output=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
    assert _ledger(db) == [("match", MONTH, ledger.RUNNING, None)]
    assert _summaries(db) == 0


KILLED_AFTER_COMMIT = """
import contextlib, os, signal, sys
from pathlib import Path
from hexiao import ledger, store
from hexiao.store import opened

@contextlib.contextmanager
def then_killed(conn):
    with store.transaction(conn):
        yield conn
    os.kill(os.getpid(), signal.SIGKILL)  # the commit is done: nothing after it runs

ledger.transaction = then_killed
with opened(Path(sys.argv[1])) as conn, ledger.batch(conn, "match", "2026-11") as run:
    conn.execute("INSERT INTO month_summaries VALUES ('2026-11', ?, '{}')", [run.batch_id])
    run.detail = "1 条预警"
"""


def test_a_run_killed_right_after_its_commit_says_done(workspace: Path) -> None:
    """The outcome is part of the commit: a ledger never shows a run's rows under 进行中."""
    db = workspace / "hexiao.duckdb"
    with opened(db):
        pass
    killed = subprocess.run([sys.executable, "-c", KILLED_AFTER_COMMIT, str(db)], capture_output=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
    assert _ledger(db) == [("match", MONTH, ledger.DONE, "1 条预警")]
    assert _summaries(db) == 1
