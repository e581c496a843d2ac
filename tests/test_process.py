"""A command run as its own process, as cron runs it, leaves everything finished when it exits:
the log written, the workspace checkpointed and closed, nothing beside it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from hexiao_dev.sample.generator import generate

MONTH = "2026-11"


def test_a_command_process_exits_with_its_log_written_and_its_workspace_closed(tmp_path: Path) -> None:
    files = generate(tmp_path / "data", households=60, month=MONTH)
    roll = next(path for path in files.roll_files if path.suffix == ".csv")
    db = tmp_path / "ws" / "hexiao.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "hexiao", "load", "roll", str(roll), "--month", MONTH, "--db", str(db), "-q"],
        capture_output=True,
        env=os.environ.copy(),
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert f"载入 保障对象花名册 {roll.name}" in (db.parent / "hexiao.log").read_text(encoding="utf-8")
    assert sorted(path.name for path in db.parent.iterdir()) == [".hexiao.duckdb.lock", "hexiao.duckdb", "hexiao.log"]
    with duckdb.connect(str(db), read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM inputs").fetchall() == [(1,)]
