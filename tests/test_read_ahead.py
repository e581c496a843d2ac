"""Files are read on a second thread from before the workspace opens; only files that are to be
loaded are prepared, and a run that stops early reads no further."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl
import pytest

from conftest import write_text
from hexiao import ledger
from hexiao import load as load_module
from hexiao.errors import InputError, StateError
from hexiao.ingest.prepare import Prepared
from hexiao.io import grid
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
def test_a_file_loaded_before_is_skipped_and_a_large_one_not_read(
    workspace: Path, prepared_files: list[int], monkeypatch: pytest.MonkeyPatch, ahead_bytes: int
) -> None:
    monkeypatch.setattr(load_module, "PREPARE_AHEAD_BYTES", ahead_bytes)  # 0: every file counts as large
    read: list[str] = []
    real_read = load_module.read_grid

    def counting_read(path: Path) -> grid.Grid:
        read.append(path.name)
        return real_read(path)

    monkeypatch.setattr(load_module, "read_grid", counting_read)
    db = workspace / "hexiao.duckdb"
    first = write_text(workspace / "火化1.csv", "\n".join(CREMATION) + "\n")
    second = write_text(workspace / "火化2.csv", "\n".join(CREMATION[:2]) + "\n")
    load("cremation", [first], month="2026-11", db=db)
    prepared_files.clear()
    read.clear()
    result = load("cremation", [first, second], month="2026-11", db=db)
    assert [summary.skipped for summary in result.inputs] == [True, False]
    assert [s.rows_loaded for s in result.inputs] == [0, 1]
    # A small file loaded before may be read and prepared while the workspace opens (whether the
    # reading thread gets to it before the skip is known is a race); a large one is not even read.
    if ahead_bytes:
        assert sorted(read) in (["火化1.csv", "火化2.csv"], ["火化2.csv"])
        assert prepared_files in ([len(CREMATION) - 1, 1], [1])
    else:
        assert read == ["火化2.csv"]
        assert prepared_files == [1]


def test_a_file_loaded_before_is_skipped_even_if_reading_it_again_fails(workspace: Path) -> None:
    db = workspace / "hexiao.duckdb"
    name, id_number, died = CREMATION[1].split(",")[:3]
    # Loaded once with the headers explained; read again without, its header is not found.
    odd = write_text(workspace / "火化.csv", f"亡者,证件号码,殁日\n{name},{id_number},{died}\n")
    explained = {"亡者": "name", "证件号码": "id_number", "殁日": "death_date"}
    load("cremation", [odd], month="2026-11", db=db, extra_headers=explained)
    headerless = write_text(workspace / "其他.csv", "甲,乙\n1,2\n")
    with pytest.raises(InputError) as raised:
        load("cremation", [odd, headerless], month="2026-11", db=db)
    assert "其他.csv" in str(raised.value) and "火化.csv" not in str(raised.value)


def test_a_file_that_cannot_be_read_fails_inside_its_batch(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = workspace / "hexiao.duckdb"
    locked = write_text(workspace / "火化.csv", "\n".join(CREMATION) + "\n")

    def refuse(path: Path) -> str:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(load_module, "sha256_of", refuse)
    monkeypatch.setattr(grid.os, "access", lambda path, mode: False)  # as a user without the right
    with pytest.raises(InputError, match="没有读取该文件的权限"):
        load("cremation", [locked], month="2026-11", db=db)
    with opened(db, read_only=True) as conn:
        assert conn.execute("SELECT command, outcome FROM batches").fetchall() == [("load cremation", "失败")]


def test_a_load_whose_commit_fails_is_recorded_as_failed(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = workspace / "hexiao.duckdb"
    path = write_text(workspace / "火化.csv", "\n".join(CREMATION) + "\n")

    @contextlib.contextmanager
    def failing_commit(conn: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
        conn.execute("BEGIN TRANSACTION")
        yield conn
        conn.execute("ROLLBACK")
        raise duckdb.IOException("no space left at the commit")

    monkeypatch.setattr(ledger, "transaction", failing_commit)
    with pytest.raises(duckdb.IOException):
        load("cremation", [path], month="2026-11", db=db)
    with opened(db, read_only=True) as conn:
        assert conn.execute("SELECT outcome FROM batches").fetchall() == [("失败",)]
        assert conn.execute("SELECT count(*) FROM cremation").fetchall() == [(0,)]


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
