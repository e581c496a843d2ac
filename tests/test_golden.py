"""Golden files: the real command on fixed inputs full of hard cases, compared byte for byte.

Refresh deliberately with `HEXIAO_UPDATE_GOLDEN=1 pytest tests/test_golden.py` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROLL_HEADER, write_text
from hexiao.cli.app import app
from test_deceased import CREMATION, ROLL

GOLDEN = Path(__file__).parent / "golden"
REPORTS = ("预警名单.csv", "退出建议.csv", "rejected_rows.csv", "summary.csv", "预警名单_李集乡.csv")

# Hard cases on top of the DECEASED table: a GB18030 roll with a title row, 生僻字 and a minority name,
# traditional characters, a 15-digit ID, Excel damage, blank and 合计 rows.
EXTRA_ROLL = [
    "XX县2026年11月特困供养花名册,,,,,,,,,,,",
    ROLL_HEADER.replace("乡镇（街道）", "乡镇(街道)"),
    "李集乡,北村,H20,王䶮,,王䶮,340421195001010013,本人,特困供养,,650,2015-01",
    "李集乡,北村,H21,阿依古丽・买买提,,阿依古丽・买买提,650102880730303,本人,特困供养,,650,2015-01",
    ",,,,,,,,,,,",
    "合计,,,,,,,,,,1300,",
]


def test_reports_match_the_golden_files(workspace: Path) -> None:
    inbox = workspace / "inbox" / "2026-11"
    inbox.mkdir(parents=True)
    write_text(inbox / "城关镇花名册.csv", "\n".join([ROLL_HEADER, *ROLL]) + "\n")
    (inbox / "特困供养花名册.csv").write_bytes(("\n".join(EXTRA_ROLL) + "\n").encode("gb18030"))
    write_text(inbox / "火化数据.csv", "\n".join(CREMATION) + "\n", "gb18030")
    result = CliRunner().invoke(app, ["match", "--month", "2026-11"])
    assert result.exit_code == 0, result.output
    out = workspace / "out" / "2026-11"
    for name in REPORTS:
        produced = (out / name).read_bytes()
        golden = GOLDEN / name
        if os.environ.get("HEXIAO_UPDATE_GOLDEN"):
            golden.write_bytes(produced)
            continue
        if not golden.exists():
            pytest.fail(f"no golden file {golden}; create it with HEXIAO_UPDATE_GOLDEN=1")
        assert produced == golden.read_bytes(), f"{name} differs from {golden}"
