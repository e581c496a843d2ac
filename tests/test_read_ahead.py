"""Files are read on a second thread from before the workspace opens; only files that are to be
loaded are prepared, and a run that stops early reads no further."""

from __future__ import annotations

import threading
from pathlib import Path

import polars as pl
import pytest

from conftest import write_text
from hexiao import load as load_module
from hexiao.errors import InputError, StateError
from hexiao.ingest.prepare import Prepared
from hexiao.load import load
from hexiao.store import opened
from test_deceased import CREMATION


@pytest.fixture
def prepared_files(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of rows of every slice prepared, in order."""
    seen: list[int] = []
    real = load_module.prepare

    def counting(kind: str, fields: pl.DataFrame, program: str | None) -> Prepared:
        seen.append(fields.height)
        return real(kind, fields, program)

    monkeypatch.setattr(load_module, "prepare", counting)
    return seen


@pytest.mark.parametrize("ahead_bytes", [0, load_module.PREPARE_AHEAD_BYTES])
def test_a_file_loaded_before_is_skipped_and_a_large_one_not_prepared(
    workspace: Path, prepared_files: list[int], monkeypatch: pytest.MonkeyPatch, ahead_bytes: int
) -> None:
    monkeypatch.setattr(load_module, "PREPARE_AHEAD_BYTES", ahead_bytes)  # 0: every file counts as large
    db = workspace / "hexiao.duckdb"
    first = write_text(workspace / "火化1.csv", "\n".join(CREMATION) + "\n")
    second = write_text(workspace / "火化2.csv", "\n".join(CREMATION[:2]) + "\n")
    load("cremation", [first], month="2026-11", db=db)
    prepared_files.clear()
    result = load("cremation", [first, second], month="2026-11", db=db)
    assert [summary.skipped for summary in result.inputs] == [True, False]
    assert [s.rows_loaded for s in result.inputs] == [0, 1]
    # The new file's one row; the old one was read, and prepared only when small enough.
    assert prepared_files == ([len(CREMATION) - 1, 1] if ahead_bytes else [1])


def test_a_bad_file_loaded_before_is_still_skipped_and_a_new_one_reported(workspace: Path) -> None:
    db = workspace / "hexiao.duckdb"
    good = write_text(workspace / "火化.csv", "\n".join(CREMATION) + "\n")
    load("cremation", [good], month="2026-11", db=db)
    headerless = write_text(workspace / "其他.csv", "甲,乙\n1,2\n")
    with pytest.raises(InputError, match="其他.csv"):
        load("cremation", [good, headerless], month="2026-11", db=db)


@pytest.mark.parametrize("ahead_bytes", [0, load_module.PREPARE_AHEAD_BYTES])
def test_a_run_that_stops_before_deciding_reads_no_further(
    workspace: Path, prepared_files: list[int], monkeypatch: pytest.MonkeyPatch, ahead_bytes: int
) -> None:
    monkeypatch.setattr(load_module, "PREPARE_AHEAD_BYTES", ahead_bytes)
    db = workspace / "hexiao.duckdb"
    with opened(db) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    files = [write_text(workspace / f"火化{i}.csv", "\n".join(CREMATION) + "\n" * (i + 1)) for i in range(3)]
    with pytest.raises(StateError):
        load("cremation", files, month="2026-11", db=db)
    # At most the file read while the workspace opened was prepared, and only a small one.
    assert len(prepared_files) <= (1 if ahead_bytes else 0)
    assert not any(thread.name == "hexiao-prefetch" for thread in threading.enumerate())
