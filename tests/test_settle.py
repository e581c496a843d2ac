"""A run that dies after its commit but before its reports are in place: the ledger names the
staged reports, and the next run that writes reports puts them in place first — the reports
always belong to the warnings stored. (tests/test_crash.py does the same with real signals.)"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

import hexiao.match as match_module
import hexiao.report.writer as writer_module
from conftest import ROLL_HEADER, write_text
from hexiao.load import load
from hexiao.match import match, report
from hexiao.report.settle import PENDING, SETTLED_NOTE
from hexiao.status import readable_detail
from test_rules import ROLL, VEHICLES

MONTH = "2026-11"


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs in the process that raised it."""


def _ledger(db: Path) -> list[tuple[str, str]]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute("SELECT outcome, detail FROM batches WHERE command = 'match' ORDER BY batch_id").fetchall()


def _die_before_publishing(monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    """The run dies right after its commit (`step` = commit) or between parking last run's reports
    and renaming the new ones into place (`step` = rename)."""
    if step == "commit":

        def killed(staging: Path, month: str) -> Path:
            raise Killed

        monkeypatch.setattr(match_module, "publish_reports", killed)
        return
    real_rename = Path.rename

    def rename_then_die(self: Path, target: Path) -> Path:
        if self.name.startswith(f".{MONTH}.tmp-"):
            raise Killed
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename_then_die)


def _month_with_new_warnings(workspace: Path) -> tuple[Path, Path, bytes]:
    db, out = workspace / "hexiao.duckdb", workspace / "out"
    load("roll", [write_text(workspace / "花名册.csv", "\n".join([ROLL_HEADER, *ROLL]) + "\n")], month=MONTH, db=db)
    match(month=MONTH, db=db, out=out)
    before = (out / MONTH / "预警名单.csv").read_bytes()
    load("vehicle", [write_text(workspace / "车辆.csv", "\n".join(VEHICLES) + "\n")], month=MONTH, db=db)
    return db, out, before


@pytest.mark.parametrize("step", ["commit", "rename"])
@pytest.mark.parametrize("next_command", ["match", "report"])
def test_the_next_run_puts_in_place_what_a_dead_run_committed(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, step: str, next_command: str
) -> None:
    db, out, before = _month_with_new_warnings(workspace)
    with monkeypatch.context() as patched:
        _die_before_publishing(patched, step)
        with pytest.raises(Killed):
            match(month=MONTH, db=db, out=out)
    outcome, staged = _ledger(db)[-1]
    assert outcome == PENDING
    staged_list = (Path(staged) / "预警名单.csv").read_bytes()
    assert staged_list != before  # the vehicle extract's warnings are in the staged reports
    assert "下次运行 hexiao match 或 hexiao report 时自动放入" in readable_detail("match", outcome, staged)

    # The next run publishes them before doing its own work: were that work to fail, the month
    # folder would still hold the reports of the warnings stored.
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer_module, "write_csvs", fail)
    with pytest.raises(OSError):
        if next_command == "match":
            match(month=MONTH, db=db, out=out)
        else:
            report(month=MONTH, db=db, out=out, formats=match_module.ReportFormat())
    assert (out / MONTH / "预警名单.csv").read_bytes() == staged_list
    assert [path.name for path in out.iterdir()] == [MONTH]  # nothing staged or parked is left
    assert _ledger(db)[-2 if next_command == "match" else -1] == ("完成", SETTLED_NOTE)


def test_staging_left_by_a_run_that_died_before_its_commit_is_removed(workspace: Path) -> None:
    db, out, before = _month_with_new_warnings(workspace)
    dead = out / f".{MONTH}.tmp-{os.getpid() + 1}"
    dead.mkdir()
    (dead / "预警名单.csv").write_text("half")
    unrelated = out / ".2026-11.tmp-notapid"
    unrelated.mkdir()
    match(month=MONTH, db=db, out=out)
    assert not dead.exists()
    assert unrelated.exists()  # a name hexiao does not give is not hexiao's to remove
    assert (out / MONTH / "预警名单.csv").read_bytes() != before
