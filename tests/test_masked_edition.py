"""`--masked`: the month's lists once more in `<out>/<M>/脱敏/`, for wider circulation, with no full ID
and no full name of anyone the roll or an extract holds — run on the generated sample, every file
read back as text (CSV, JSON) or cell by cell (workbooks)."""

from __future__ import annotations

import re
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from hexiao.cli.app import app
from hexiao.report.writer import MASKED_DIR
from hexiao.store import PERSON_TABLES
from hexiao_dev.sample.generator import generate
from hexiao_dev.sample.settings import SETTINGS_FILE

runner = CliRunner()
MONTH = "2026-11"
HOUSEHOLDS = 400
RULES_IN_SAMPLE = {
    *("DECEASED", "DUPLICATE", "PUBLIC_EMPLOYEE", "AGE_OUT", "VEHICLE", "PROPERTY", "BUSINESS", "OMISSION"),
    *("AGE_INVALID", "BAD_ID", "BAD_HOUSEHOLD", "ADOPTED", "GUARDIAN_RETURNED", "INCOME", "GRADUAL_EXIT"),
}
# Names a row holds besides the person's own (`name`, `name_simp`): the evidence quotes them too
# (the head, a child's parents, an adopter). Listed here by hand, so that the test does not take
# the masking's own list of name columns on trust.
OTHER_NAMES = {"roll": ("head_name", "father_name", "mother_name"), "adoption": ("adopter_name",)}


@dataclass(frozen=True)
class Sample:
    work: Path  # the workspace: hexiao.duckdb, out/
    names: set[str]  # every name of two characters or more a roll or extract row holds
    ids: set[str]  # every ID as written and normalised, and its first 15 characters


def _people(db: Path) -> tuple[set[str], set[str]]:
    with duckdb.connect(str(db), read_only=True) as conn:
        names: set[str] = set()
        ids: set[str] = set()
        for table in PERSON_TABLES:
            extra = "".join(f", {column}" for column in OTHER_NAMES.get(table, ()))
            for row in conn.execute(f"SELECT name, name_simp{extra}, id_raw, id_norm FROM {table}").fetchall():
                names |= {v for v in row[:-2] if v and len(v) >= 2}
                ids |= {v.strip() for v in row[-2:] if v and len(v.strip()) >= 15}
    return names, ids | {i[:15] for i in ids if i[:15].isdigit()}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    work = tmp_path_factory.mktemp("masked")
    files = generate(work / "inbox", households=HOUSEHOLDS, month=MONTH, as_sent=True)
    db = work / "hexiao.duckdb"
    inbox = files.roll_files[0].parent
    # The sample's own settings turn on the rules that need a local standard (INCOME …).
    args = ["match", "--month", MONTH, "--inbox", str(inbox), "--db", str(db), "--config", str(inbox / SETTINGS_FILE)]
    result = runner.invoke(app, [*args, "--out", str(work / "out"), "--masked", "--format", "xlsx", "--quiet"])
    assert result.exit_code == 0, result.output
    names, ids = _people(db)
    return Sample(work, names, ids)


def _text_of(path: Path) -> str:
    if path.suffix == ".xlsx":
        book = CalamineWorkbook.from_path(str(path))
        cells = [
            str(cell) for sheet in book.sheet_names for row in book.get_sheet_by_name(sheet).to_python() for cell in row
        ]
        return "\n".join(cells)
    return path.read_text(encoding="utf-8-sig")


def _masked_files(out: Path) -> list[Path]:
    return sorted(p for p in (out / MONTH / MASKED_DIR).rglob("*") if p.is_file())


def test_the_masked_edition_holds_the_same_lists_and_nothing_else(sample: Sample) -> None:
    month = sample.work / "out" / MONTH
    masked = {p.name for p in _masked_files(sample.work / "out")}
    full = {p.name for p in month.iterdir() if p.is_file()}
    assert masked == full - {"rejected_rows.csv", "warnings.parquet"}
    assert {"预警名单.csv", "退出建议.csv", "疑似漏保.csv", "summary.csv", "summary.json"} <= masked
    assert any(name.endswith(".xlsx") for name in masked)
    assert not any(name.endswith(".parquet") or name.startswith("rejected") for name in masked)


def test_no_full_id_of_anyone_is_in_any_masked_file(sample: Sample) -> None:
    found = {}
    for path in _masked_files(sample.work / "out"):
        text = _text_of(path)
        # No run of 15 digits at all, no ID of the store's, no Excel number with more than 6 digits.
        runs = re.findall(r"[0-9]{15,}", text) + re.findall(r"[0-9][.,][0-9]{6,}[eE]", text)
        leaked = [i for i in sample.ids if i in text]
        if runs or leaked:
            found[path.name] = runs + leaked
    assert not found
    listed = pl.read_csv(sample.work / "out" / MONTH / MASKED_DIR / "预警名单.csv", infer_schema=False)
    # The scan read the evidence of every rule the sample raises: each rule words its own.
    assert RULES_IN_SAMPLE <= set(listed["预警代码"])
    assert listed["身份证号"].str.contains(r"^\t[0-9]{6}\*{8}[0-9]{3}[0-9X]$").sum() > 100


def test_no_full_name_of_anyone_is_in_any_masked_file(sample: Sample) -> None:
    found = {}
    for path in _masked_files(sample.work / "out"):
        text = _text_of(path)
        leaked = sorted(name for name in sample.names if name in text)
        if leaked:
            found[path.name] = leaked
    assert not found


def test_each_name_keeps_its_surname_and_a_star_for_each_further_character(sample: Sample) -> None:
    month = sample.work / "out" / MONTH
    full = pl.read_csv(month / "预警名单.csv", infer_schema=False)
    masked = pl.read_csv(month / MASKED_DIR / "预警名单.csv", infer_schema=False)
    assert full["预警编号"].to_list() == masked["预警编号"].to_list()
    pairs = [(n, m) for column in ("姓名", "户主姓名") for n, m in zip(full[column], masked[column], strict=True)]
    two = [(n, m) for n, m in pairs if n and len(n) == 2]
    assert two and all(m == n[0] + "*" for n, m in two)
    for name, shown in ((n, m) for n, m in pairs if n and "·" not in n):
        assert shown[0] == name[0] and len(shown) == len(name) and shown.endswith("*"), (name, shown)
    dotted = [(n, m) for n, m in pairs if n and "·" in n]
    assert all(m == n.split("·")[0] + "·" + "*" * len(n.split("·", 1)[1]) for n, m in dotted)


def test_the_masked_files_are_as_private_as_the_others(sample: Sample) -> None:
    folder = sample.work / "out" / MONTH / MASKED_DIR
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in _masked_files(sample.work / "out")} == {0o600}


def _copy(sample: Sample, tmp_path: Path) -> Path:
    shutil.copy(sample.work / "hexiao.duckdb", tmp_path / "hexiao.duckdb")
    return tmp_path / "hexiao.duckdb"


def test_report_masked_writes_the_masked_edition_again(sample: Sample, tmp_path: Path) -> None:
    db = _copy(sample, tmp_path)
    out = tmp_path / "out"
    args = ["report", "--month", MONTH, "--db", str(db), "--out", str(out), "--format", "xlsx", "--quiet"]
    assert runner.invoke(app, [*args, "--masked"]).exit_code == 0
    again = {p.name: p.read_bytes() for p in _masked_files(out) if p.suffix == ".csv"}
    first = {p.name: p.read_bytes() for p in _masked_files(sample.work / "out") if p.suffix == ".csv"}
    assert again == first


def test_without_masked_no_masked_edition_is_written_nor_left_from_before(sample: Sample, tmp_path: Path) -> None:
    db = _copy(sample, tmp_path)
    out = tmp_path / "out"
    shutil.copytree(sample.work / "out", out)
    assert (out / MONTH / MASKED_DIR).is_dir()
    report = ["report", "--month", MONTH, "--db", str(db), "--out", str(out), "--quiet"]
    assert runner.invoke(app, [*report, "--no-masked"]).exit_code == 0
    assert not (out / MONTH / MASKED_DIR).exists() and (out / MONTH / "预警名单.csv").is_file()
    shutil.copytree(sample.work / "out" / MONTH / MASKED_DIR, out / MONTH / MASKED_DIR)
    match = ["match", "--month", MONTH, "--db", str(db), "--out", str(out), "--quiet"]
    assert runner.invoke(app, match).exit_code == 0
    assert not (out / MONTH / MASKED_DIR).exists()


def test_a_rewrite_keeps_the_formats_the_month_was_written_in_unless_told(sample: Sample, tmp_path: Path) -> None:
    """`report` after the townships' replies: the month's folder is replaced whole, so the
    workbooks and the masked edition the match wrote are written again, not lost."""
    db = _copy(sample, tmp_path)
    out = tmp_path / "out"
    report = ["report", "--month", MONTH, "--db", str(db), "--out", str(out), "--quiet"]
    assert runner.invoke(app, report).exit_code == 0
    month = out / MONTH
    assert (month / MASKED_DIR).is_dir() and list(month.glob("预警名单_*.xlsx"))
    assert runner.invoke(app, [*report, "--format", "csv"]).exit_code == 0  # told: no workbooks
    assert (month / MASKED_DIR).is_dir() and not list(month.glob("预警名单_*.xlsx"))
    assert runner.invoke(app, report).exit_code == 0  # as last written: CSV and masked
    assert (month / MASKED_DIR).is_dir() and not list(month.glob("预警名单_*.xlsx"))
    assert runner.invoke(app, [*report, "--encoding", "gb18030"]).exit_code == 0
    assert (month / "预警名单.csv").read_bytes()[:3] != b"\xef\xbb\xbf"  # no UTF-8 BOM: GB18030
    assert (month / MASKED_DIR).is_dir()
