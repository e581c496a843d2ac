"""A process keeps the DuckDB instance it last used, for the same spill directory only."""

from __future__ import annotations

from pathlib import Path

import pytest

from hexiao import engine


def test_an_instance_is_kept_for_its_own_spill_directory(tmp_path: Path) -> None:
    here, there = str(tmp_path / "a.tmp"), str(tmp_path / "b.tmp")
    with engine.instance(here) as first:
        pass
    with engine.instance(here) as again:
        assert again is first
    with engine.instance(there) as other:
        assert other is not first
    with engine.instance(here) as fresh:
        assert fresh is not first  # the kept one spills elsewhere now


def test_an_instance_in_use_is_not_handed_out_twice(tmp_path: Path) -> None:
    here = str(tmp_path / "a.tmp")
    with engine.instance(here) as outer, engine.instance(here) as inner:
        assert inner is not outer


def test_an_instance_whose_block_failed_is_not_kept(tmp_path: Path) -> None:
    here = str(tmp_path / "a.tmp")
    with pytest.raises(RuntimeError), engine.instance(here) as failed:
        raise RuntimeError("left in an unknown state")
    with engine.instance(here) as next_one:
        assert next_one is not failed
        assert next_one.execute("SELECT 1").fetchall() == [(1,)]
