"""Killing a run at any point leaves the database and the previous reports as they were; a second
concurrent run exits 3 at once. Real processes, real signals."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from hexiao.report.settle import PENDING
from hexiao.store import workspace_lock
from hexiao_dev.sample.generator import generate

MONTH = "2026-11"


def hexiao(workspace: Path, *args: str) -> subprocess.Popen[bytes]:
    env = os.environ | {"HEXIAO_DB": str(workspace / "hexiao.duckdb")}
    return subprocess.Popen(
        [sys.executable, "-m", "hexiao", *args], cwd=workspace, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def reports_digest(out: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(out.glob("*")):
        if path.suffix == ".json":
            continue  # summary.json carries the elapsed time
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def stored_warnings(db: Path) -> list[tuple[str, ...]]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute("SELECT warning_id FROM warnings WHERE month = ? ORDER BY 1", [MONTH]).fetchall()


def test_sigkill_at_any_point_keeps_the_previous_state(tmp_path: Path) -> None:
    files = generate(tmp_path / "data", households=600, month=MONTH)
    first_inbox = tmp_path / "inbox1"
    first_inbox.mkdir()
    for path in [*files.roll_files, files.cremation_files[0]]:
        (first_inbox / path.name).write_bytes(path.read_bytes())
    done = hexiao(tmp_path, "match", "--month", MONTH, "--inbox", str(first_inbox))
    assert done.wait(120) == 0, done.stderr.read() if done.stderr else ""
    out = tmp_path / "out" / MONTH
    before_reports, before_warnings = reports_digest(out), stored_warnings(tmp_path / "hexiao.duckdb")

    second_inbox = tmp_path / "inbox2"
    second_inbox.mkdir()
    (second_inbox / files.cremation_files[1].name).write_bytes(files.cremation_files[1].read_bytes())
    # A full run of the same work on a copy of the workspace: how long a run takes, and the state
    # it leaves (warning IDs are stable, so the copy's warnings are what the real run commits).
    probe = tmp_path / "probe"
    probe.mkdir()
    shutil.copy(tmp_path / "hexiao.duckdb", probe / "hexiao.duckdb")
    started = time.monotonic()
    full = hexiao(probe, "match", "--month", MONTH, "--inbox", str(second_inbox))
    assert full.wait(120) == 0
    duration = time.monotonic() - started
    after_reports, after_warnings = reports_digest(probe / "out" / MONTH), stored_warnings(probe / "hexiao.duckdb")
    assert after_warnings != before_warnings  # the new cremation file counts

    # Killed anywhere, a run leaves either the old state or the new one, database and reports alike.
    for fraction in (0.15, 0.35, 0.55, 0.7, 0.85, 0.95):
        run = hexiao(tmp_path, "match", "--month", MONTH, "--inbox", str(second_inbox))
        time.sleep(duration * fraction)
        run.send_signal(signal.SIGKILL)
        run.wait(30)
        stored, reports = stored_warnings(tmp_path / "hexiao.duckdb"), reports_digest(out)
        if stored == after_warnings:  # committed before the signal (it may still have been closing)
            if reports != after_reports:  # between the commit and the rename: the ledger names the staged reports
                assert staged_digests(tmp_path / "hexiao.duckdb") == [after_reports], f"killed at {fraction:.0%}"
            break
        assert stored == before_warnings, f"killed at {fraction:.0%}"
        assert reports == before_reports, f"killed at {fraction:.0%}: old warnings, new reports"

    final = hexiao(tmp_path, "match", "--month", MONTH, "--inbox", str(second_inbox))
    assert final.wait(120) == 0
    assert stored_warnings(tmp_path / "hexiao.duckdb") == after_warnings
    assert reports_digest(out) == after_reports


def staged_digests(db: Path) -> list[str]:
    """The reports of committed runs that died before putting them in place."""
    with duckdb.connect(str(db), read_only=True) as conn:
        rows = conn.execute("SELECT detail FROM batches WHERE outcome = ?", [PENDING]).fetchall()
    return [reports_digest(Path(detail)) for (detail,) in rows]


def test_second_concurrent_run_exits_3_at_once(tmp_path: Path) -> None:
    """The test process holds the workspace lock as a running match would; a real second
    process must give up at once with exit code 3 and touch nothing."""
    with workspace_lock(tmp_path / "hexiao.duckdb"):
        started = time.monotonic()
        second = hexiao(tmp_path, "match", "--month", MONTH)
        code = second.wait(30)
        elapsed = time.monotonic() - started
    assert code == 3
    assert elapsed < 10
    assert second.stderr is not None and "另一个 hexiao 进程" in second.stderr.read().decode()
    assert not (tmp_path / "hexiao.duckdb").exists()
