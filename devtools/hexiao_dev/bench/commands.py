"""The monthly job as users run it: the `hexiao` console script, one process per command, timed
from outside with that process's own peak memory.

Inbox path: `hexiao match --inbox DATA`. Explicit path: `hexiao load KIND FILE` for each file (with
`--program` where the file's name gives it), then `hexiao match`. Each command pays the
interpreter's start, its imports and its exit, as it does for an officer or a cron job.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from hexiao.inbox import plan_inbox

LOAD_ORDER = ("roll", "cremation", "vehicle", "property", "business", "employee", "poverty")


@dataclass(frozen=True)
class Command:
    label: str  # e.g. "load roll"
    file: str  # the file it loads, if any
    wall_s: float
    peak_mb: float  # the process's high-water resident memory


def hexiao_script() -> Path:
    """The console script installed beside this interpreter (.venv/bin/hexiao)."""
    return Path(sys.executable).with_name("hexiao")


def run_command(label: str, args: list[str], cwd: Path, file: str = "") -> Command:
    """Run one hexiao command; its peak memory comes from wait4, which reports that child alone."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen([str(hexiao_script()), *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            err.seek(0)
            message = err.read().decode("utf-8", "replace")[-3000:]
            raise RuntimeError(f"hexiao {' '.join(args[:2])} exited {process.returncode}:\n{message}")
    return Command(label, file, round(wall, 2), round(usage.ru_maxrss / 1024, 1))  # Linux: kilobytes


def monthly_job(mode: str, data: Path, work: Path, month: str) -> list[Command]:
    """Run the month in a fresh workspace `work`, the way `mode` (inbox or explicit) does it."""
    work.mkdir(parents=True, exist_ok=True)
    common = ["--month", month, "--db", str(work / "hexiao.duckdb"), "--quiet"]
    if mode == "inbox":
        return [
            run_command("match --inbox", ["match", *common, "--inbox", str(data), "--out", str(work / "out")], work)
        ]
    commands = []
    planned = plan_inbox(data)
    for kind in LOAD_ORDER:
        for item in (p for p in planned if p.kind == kind):
            program = ["--program", item.program] if item.program else []
            args = ["load", kind, str(item.path), *common, *program]
            commands.append(run_command(f"load {kind}", args, work, item.path.name))
    # cwd is the workspace, which has no inbox/<month>: match loads nothing more.
    commands.append(run_command("match", ["match", *common, "--out", str(work / "out")], work))
    return commands
