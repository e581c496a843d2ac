"""Shared fixtures: small hand-written files and a workspace per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# Property tests run Polars and DuckDB per example: on a loaded 2-core machine one example can take
# longer than Hypothesis' 200 ms deadline without anything being wrong. Correctness, not speed, is
# what they test (speed is `make bench`'s job).
settings.register_profile("hexiao", deadline=None)
settings.load_profile("hexiao")

ROLL_HEADER = "乡镇（街道）,村（社区）,户编号,户主姓名,户主身份证号,姓名,身份证号,与户主关系,保障类别,保障级别,月保障金额,保障起始年月"


def write_text(path: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory with its own database; tests never touch the real one."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HEXIAO_DB", raising=False)
    return tmp_path
