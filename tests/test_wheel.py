"""`hexiao demo` from a built wheel, in an empty directory outside the source tree: the wheel
carries the sample inbox (not its truth files, which are the tests'), and the demo writes its
reports from it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hexiao import demo
from hexiao.cli.app import app

ROOT = Path(__file__).resolve().parents[1]


def _run(args: list[str | Path], cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, capture_output=True, text=True, cwd=cwd, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_demo_runs_from_an_installed_wheel_with_its_data(tmp_path: Path) -> None:
    # The backend is in the dev environment: nothing is fetched.
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", tmp_path / "dist", ROOT]
    )
    [wheel] = (tmp_path / "dist").glob("hexiao-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "hexiao/demo_data/农村低保花名册.xlsx" in names and "hexiao/demo_data/.DS_Store" in names
    assert "hexiao/demo_data/申请/2026年12月低保申请人名单.xlsx" in names  # the intake check's list
    assert not [name for name in names if "truth" in name]

    site = tmp_path / "site"
    _run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-compile", "-q", "--target", site, wheel])
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "HEXIAO_DB"} | {"PYTHONPATH": str(site)}
    where = _run(
        [sys.executable, "-c", "import hexiao.demo as d; print(d.__file__); print(d.find_sample_data())"],
        cwd=empty,
        env=env,
    ).split()
    assert where == [str(site / "hexiao" / "demo.py"), str(site / "hexiao" / "demo_data")]  # not the source tree

    ran = subprocess.run([site / "bin" / "hexiao", "demo", "--workspace", "demo"], capture_output=True, text=True,
                         cwd=empty, env=env)  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    reports = empty / "demo" / "out" / "2026-11"
    assert {"summary.csv", "summary.json", "概览.html", "脱敏"} <= {path.name for path in reports.iterdir()}
    assert list(reports.glob("预警名单_*.csv")) and list(reports.glob("预警名单_*.xlsx"))
    [day] = (empty / "demo" / "out" / "核对").iterdir()  # the applicants checked, and where it says
    assert list(day.glob("核对报告_*.xlsx")) and f"核对报告已写入 demo/out/核对/{day.name}" in ran.stderr


def test_an_installation_without_its_data_says_so_and_makes_nothing(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "DEMO_DATA", "missing")
    monkeypatch.setattr(demo, "SOURCE_TREE_DATA", workspace / "sample_data")
    result = CliRunner().invoke(app, ["demo", "--workspace", "demo"])
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("hexiao: error: ") and "找不到随 hexiao 安装的示例数据" in line and "--data" in line
    assert list(workspace.iterdir()) == []
