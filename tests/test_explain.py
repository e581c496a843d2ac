"""`hexiao explain`: one warning's whole story on the generated sample, as the run saw it."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
from rich.console import Console
from typer.testing import CliRunner

from hexiao.cli import explain_render as render
from hexiao.cli.app import app
from hexiao.explain.gather import PURGED
from hexiao_dev.sample.generator import generate

MONTH = "2026-11"
SNAPSHOT = "2026-10"  # a stored roll of an earlier month
FULL_ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9X](?![0-9])")
# The setting hexiao.toml holds at the run, on this line; every other setting is a default.
TOML = "# 本县设置\n[rules.deceased]\ndeath_stop_offset_months = 1\n"
TOML_LINE = 3


@dataclass(frozen=True)
class Sample:
    db: Path
    config: Path
    ids: dict[str, str]  # rule code -> a warning of it


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    work = tmp_path_factory.mktemp("explain")
    files = generate(work / "inbox", households=200, month=MONTH)
    config = work / "hexiao.toml"
    config.write_text(TOML, encoding="utf-8")
    db = work / "hexiao.duckdb"
    args = ["match", "--month", MONTH, "--inbox", str(files.roll_files[0].parent), "--db", str(db)]
    done = CliRunner().invoke(app, [*args, "--out", str(work / "out"), "--config", str(config), "--quiet"])
    assert done.exit_code == 0, done.output
    # October's roll, stored as the same rows: the overpayment counts October from this snapshot.
    with duckdb.connect(str(db)) as conn:
        conn.execute(f"INSERT INTO roll SELECT * REPLACE ('{SNAPSHOT}' AS month) FROM roll WHERE month = '{MONTH}'")
    again = ["match", "--month", MONTH, "--db", str(db), "--out", str(work / "out"), "--config", str(config), "-q"]
    done = CliRunner().invoke(app, again)
    assert done.exit_code == 0, done.output
    # A later edit of hexiao.toml: explain must still show what the run used.
    config.write_text("[rules.deceased]\ndeath_stop_offset_months = 2\n", encoding="utf-8")
    with duckdb.connect(str(db), read_only=True) as conn:
        rows = conn.execute(
            "SELECT code, first(warning_id ORDER BY coalesce(overpayment, 0) DESC, warning_id) FROM warnings "
            "WHERE month = ? AND code IN ('DECEASED', 'DUPLICATE', 'VEHICLE', 'GUARDIAN_RETURNED') GROUP BY code",
            [MONTH],
        ).fetchall()
    return Sample(db, config, dict(rows))


def _explain(db: Path, *args: str) -> Any:
    return CliRunner().invoke(app, ["explain", *args, "--db", str(db)])


def _story(db: Path, warning_id: str, *more: str) -> dict[str, Any]:
    result = _explain(db, warning_id, "--json", *more)
    assert result.exit_code == 0, result.output
    story: dict[str, Any] = json.loads(result.stdout)
    return story


def _copy(sample: Sample, tmp_path: Path) -> Path:
    db = tmp_path / "hexiao.duckdb"
    shutil.copy(sample.db, db)
    return db


def test_a_deceased_warning_names_its_cremation_record_roll_row_method_and_months(sample: Sample) -> None:
    story = _story(sample.db, sample.ids["DECEASED"])
    warning, [roll], [link] = story["warning"], story["roll"], story["links"]
    record = link["record"]
    assert record["kind"] == "cremation" and record["present"]
    assert warning["source"] == record["place"]  # 比对来源 is the cremation row
    assert f"花名册：{roll['place']}" in warning["evidence"]
    assert link["method"] == warning["match_method"] and link["score"] == warning["match_score"]
    assert link["id_edit"] == 0 and link["name_tier"]
    months = story["months"]
    assert months and months[0]["month"] == warning["effective_month"]
    assert round(sum(m["amount"] for m in months), 2) == warning["overpayment"] > 0
    # The month with a stored roll counts what it paid, naming the row; the months before it, without
    # one, are valued at what that later roll paid, and say so.
    [october] = [m for m in months if m["month"] == SNAPSHOT]
    assert october["basis"] == f"{SNAPSHOT} 花名册：{roll['place']} {october['amount']} 元"
    earlier = [m for m in months if m is not october]
    assert earlier and all(m["basis"] == f"无该月花名册，按 {SNAPSHOT} 花名册金额计" for m in earlier)
    assert all(m["valued_from"] == SNAPSHOT and m["amount"] == october["amount"] for m in earlier)
    text = _explain(sample.db, sample.ids["DECEASED"]).stdout
    assert record["place"] in text and roll["place"] in text and warning["match_method"] in text
    assert f"得分 {round(link['score'])}；" in text  # whole points, as the reports show them
    for month in months:
        assert f"  {month['month']}  " in text and month["basis"] in text


def test_a_duplicate_names_the_other_roll_row_and_a_vehicle_its_registration(sample: Sample) -> None:
    duplicate = _story(sample.db, sample.ids["DUPLICATE"])
    [other] = duplicate["others"]
    assert other["kind"] == "roll" and other["place"] in duplicate["warning"]["evidence"]
    assert duplicate["roll"][0]["place"] == duplicate["warning"]["source"]
    vehicle = _story(sample.db, sample.ids["VEHICLE"])
    records = [link["record"] for link in vehicle["links"]]
    assert records and all(r["kind"] == "vehicle" for r in records)
    assert all(r["place"] in vehicle["warning"]["source"] for r in records)
    assert any("号牌号码" in r["values"] for r in records)


def test_a_guardian_returned_link_compares_the_record_with_the_parent_on_the_roll(
    sample: Sample, tmp_path: Path
) -> None:
    """The release record is linked to the child's parent, not the child: the names and IDs set
    side by side are the roll's 父亲/母亲 ones."""
    story = _story(_copy(sample, tmp_path), sample.ids["GUARDIAN_RETURNED"], "--unmask")  # --unmask is recorded
    [roll], [link] = story["roll"], story["links"]
    parent = link["linked_to"].removeprefix("花名册")
    assert parent in ("父亲", "母亲") and link["linked_name"] == roll["values"][f"{parent}姓名"]
    assert link["linked_name"] != roll["name"]
    if link["method"] == "身份证精确":
        assert link["id_edit"] == 0 and roll["values"][f"{parent}身份证号（规范化）"] == link["record"]["id_normalised"]
    text = _explain(sample.db, sample.ids["GUARDIAN_RETURNED"]).stdout
    assert f"（花名册{parent} {link['linked_name']}，来源 {link['record']['name']}）" in text
    assert f"花名册 {roll['name']}，" not in text


def test_every_roll_column_is_shown_under_its_chinese_header_and_an_adults_row_without_parents(
    sample: Sample,
) -> None:
    children = _story(sample.db, sample.ids["GUARDIAN_RETURNED"])["roll"][0]["values"]
    assert {"父亲姓名", "父亲身份证号（规范化）", "父亲身份证号状态"} <= children.keys() or {
        "母亲姓名",
        "母亲身份证号（规范化）",
        "母亲身份证号状态",
    } <= children.keys()
    adult = _story(sample.db, sample.ids["DECEASED"])["roll"][0]["values"]
    assert not any(word in key for key in adult for word in ("父亲", "母亲", "困境"))
    for code in sample.ids:
        story = _story(sample.db, sample.ids[code])
        keys = [key for row in (*story["roll"], *story["others"]) for key in row["values"]]
        assert keys and not [key for key in keys if re.search("[a-z_]", key)], code
    text = _explain(sample.db, sample.ids["DECEASED"]).stdout
    assert "_id_" not in text


def test_the_settings_are_those_of_the_run_with_their_origin(sample: Sample) -> None:
    story = _story(sample.db, sample.ids["DECEASED"])
    settings = {s["key"]: s for s in story["settings"]}
    offset = settings["rules.deceased.death_stop_offset_months"]
    assert offset["value"] == 1  # hexiao.toml says 2 now
    assert offset["origin"] == f"{sample.config}:{TOML_LINE}"
    assert settings["rules.vehicle.exempt_types"]["origin"] == "默认值"
    assert offset in story["rule_settings"]
    text = _explain(sample.db, sample.ids["DECEASED"]).stdout
    assert f"rules.deceased.death_stop_offset_months = 1    # {sample.config}:{TOML_LINE}" in text


def test_json_and_text_tell_the_same_story(sample: Sample) -> None:
    story = _story(sample.db, sample.ids["DECEASED"])
    assert set(story) == {
        "warning", "roll", "others", "links", "detail_kept", "run", "rule_settings", "settings", "months",
        "history", "resolved", "replies",
    }  # fmt: skip
    text = _explain(sample.db, sample.ids["DECEASED"]).stdout
    assert story["warning"]["warning_id"] in text and story["warning"]["evidence"] in text
    assert [h["month"] for h in story["history"]] == [MONTH]


def test_ids_are_masked_unless_unmask_which_the_ledger_records(sample: Sample, tmp_path: Path) -> None:
    db = _copy(sample, tmp_path)
    warning_id = sample.ids["DECEASED"]
    for args in ((), ("--json",)):
        shown = _explain(db, warning_id, *args)
        assert shown.exit_code == 0 and not FULL_ID.search(shown.stdout), shown.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hexiao.duckdb"]  # read-only: no file made
    with duckdb.connect(str(db), read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM batches WHERE command = 'explain'").fetchall() == [(0,)]
    story = _story(db, warning_id, "--unmask")
    full = story["roll"][0]["id_normalised"]
    assert FULL_ID.fullmatch(full)
    assert full in _explain(db, warning_id, "--unmask").stdout
    with duckdb.connect(str(db), read_only=True) as conn:
        ledger = conn.execute("SELECT outcome, detail FROM batches WHERE command = 'explain'").fetchall()
    assert ledger == [("完成", f"显示完整身份证号：预警 {warning_id}")] * 2


def test_an_unknown_number_is_one_line_and_exit_1(sample: Sample) -> None:
    result = _explain(sample.db, "DE0000000000")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "hexiao: error: 没有预警编号为 DE0000000000 的预警：请确认编号抄写无误，且 --db 指向发出该预警的工作区（hexiao status 列出各月预警数）"
    ]
    masked = _explain(sample.db, sample.ids["DECEASED"][:4] + "******")
    assert masked.exit_code == 1 and "Traceback" not in masked.output
    assert "请从报告的“预警编号”列完整复制" in masked.stderr and "以 " in masked.stderr


def test_a_purged_source_row_is_said_to_be_gone_and_the_warning_keeps_its_evidence(
    sample: Sample, tmp_path: Path
) -> None:
    db = _copy(sample, tmp_path)
    warning_id = sample.ids["DECEASED"]
    place = _story(db, warning_id)["links"][0]["record"]["place"]
    row = int(place.rsplit("第", 1)[1].rstrip("行"))
    with duckdb.connect(str(db)) as conn:
        conn.execute("DELETE FROM cremation WHERE source_row = ?", [row])
    story = _story(db, warning_id)
    record = story["links"][0]["record"]
    assert not record["present"] and record["place"] == place
    text = _explain(db, warning_id).stdout
    assert f"{place}：{PURGED}" in text
    assert story["warning"]["evidence"] in text
    # Only what the linker recorded is known of a removed record: no comparison made now.
    [link_line] = [line for line in text.splitlines() if line.strip().startswith("关联：")]
    assert "身份证号无法比较" not in link_line and str(story["links"][0]["note"]) in link_line


def test_each_month_shows_the_replies_recorded_since_as_a_report_written_now_does(
    sample: Sample, tmp_path: Path
) -> None:
    db = _copy(sample, tmp_path)
    warning_id = sample.ids["DECEASED"]
    [before] = _story(db, warning_id)["history"]
    assert before["review_result"] is None and before["state"] in ("待核查", "已执行")
    reply = tmp_path / "反馈.csv"
    reply.write_text(
        f"预警编号,月份,核查结果,核查备注,告知日期,已追回金额\n{warning_id},{MONTH},属实,已入户,2026-11-05,123.45\n",
        encoding="utf-8-sig",
    )
    assert CliRunner().invoke(app, ["feedback", str(reply), "--db", str(db), "-q"]).exit_code == 0
    story = _story(db, warning_id)
    [month] = story["history"]
    out = tmp_path / "out"
    assert (
        CliRunner().invoke(app, ["report", "--month", MONTH, "--db", str(db), "--out", str(out), "-q"]).exit_code == 0
    )
    listed = {row["预警编号"]: row for row in csv.DictReader((out / MONTH / "预警名单.csv").open(encoding="utf-8-sig"))}
    reported = listed[warning_id]
    assert (month["review_result"], month["state"], month["notice_date"]) == (
        "属实",
        reported["处理状态"],
        reported["告知日期"],
    )
    assert month["state"] != before["state"] and float(month["recovered"]) == 123.45
    text = _explain(db, warning_id).stdout
    [reply_line] = [line for line in text.splitlines() if f"{MONTH} 月的反馈：属实" in line]
    assert "告知日期 2026-11-05" in reply_line and "已追回金额 123.45" in reply_line
    assert f"处理状态 {month['state']}" in text


def test_a_later_month_that_no_longer_raises_the_warning_says_it_was_executed(sample: Sample, tmp_path: Path) -> None:
    db = _copy(sample, tmp_path)
    warning_id = sample.ids["DECEASED"]
    with duckdb.connect(str(db)) as conn:
        # December's roll: November's without the deceased person, so the warning no longer holds.
        conn.execute(
            """INSERT INTO roll SELECT * REPLACE ('2026-12' AS month) FROM roll WHERE month = ?
               AND name IS DISTINCT FROM (SELECT name FROM warnings WHERE warning_id = ? AND month = ?)""",
            [MONTH, warning_id, MONTH],
        )
    args = ["match", "--month", "2026-12", "--db", str(db), "--out", str(tmp_path / "out"), "-q"]
    assert CliRunner().invoke(app, args).exit_code == 0
    assert _story(db, warning_id)["resolved"] == [{"month": "2026-12", "state": "已执行"}]
    assert "2026-12  处理状态 已执行（该月比对时预警已不成立，不再列出）" in _explain(db, warning_id).stdout


def test_plain_text_has_no_box_drawing_and_a_terminal_gets_tables(sample: Sample) -> None:
    story = _story(sample.db, sample.ids["DECEASED"])
    plain = render.plain(story)
    assert not re.search(r"[\u2500-\u257f]", plain)
    out = io.StringIO()
    render.rich(story, Console(file=out, force_terminal=True, width=200))
    shown = out.getvalue()
    assert story["links"][0]["record"]["place"] in shown and "\x1b[" in shown


def test_a_warning_of_an_earlier_version_shows_what_it_recorded(tmp_path: Path) -> None:
    """A workspace of schema version 2, read as it is (explain upgrades nothing): its warnings kept
    no `link_detail`, its runs no `config_text`."""
    db = tmp_path / "hexiao.duckdb"
    with gzip.open(Path(__file__).parent / "fixtures" / "workspace_v2" / "hexiao.duckdb.gz", "rb") as packed:
        db.write_bytes(packed.read())
    with duckdb.connect(str(db), read_only=True) as conn:
        [(warning_id,)] = conn.execute("SELECT max(warning_id) FROM warnings WHERE code = 'DECEASED'").fetchall()
    result = _explain(db, warning_id)
    assert result.exit_code == 0, result.output
    assert "此预警由较早版本的 hexiao 发出，未保存所依据的行" in result.stdout
    assert "该次运行未保存配置明细" in result.stdout
    with duckdb.connect(str(db), read_only=True) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall() == [("2",)]
