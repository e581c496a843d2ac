"""Preparing a register in slices on several threads gives the rows of preparing it whole."""

from __future__ import annotations

from pathlib import Path

import pytest

import hexiao.ingest.prepare as prepare_module
from hexiao.inbox import plan_inbox
from hexiao.ingest.prepare import prepare, preparer
from hexiao.load import _open_input
from hexiao_dev.sample.generator import generate


def test_sliced_preparation_equals_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generate(tmp_path / "data", households=300, month="2026-11")
    monkeypatch.setattr(prepare_module, "PARALLEL_MIN_ROWS", 7)  # slices of a few rows each
    monkeypatch.setattr(prepare_module, "usable_cores", lambda: 3)
    kinds = set()
    for item in plan_inbox(tmp_path / "data"):
        opened = _open_input(item.path, item.kind, item.program, None, "")
        for sheet in opened.sheets:
            fields = sheet.fields
            whole, sliced = preparer(item.kind)(fields, item.program), prepare(item.kind, fields, item.program)
            assert sliced.loaded.equals(whole.loaded), item.path.name
            assert sliced.rejected.equals(whole.rejected), item.path.name
            kinds.add(item.kind)
    assert kinds == {
        "roll",
        "cremation",
        "vehicle",
        "property",
        "business",
        "employee",
        "poverty",
        "pension",
        "provident",
    }
