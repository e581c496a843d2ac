"""应追回金额 of months without a stored roll snapshot: valued at what a stored snapshot paid, not at
this month's 月保障金额, which a later edit of the roll may have changed (contract.md §4)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from conftest import ROLL_HEADER, write_text
from hexiao.explain import explain
from hexiao.load import load
from hexiao.match import match
from hexiao.normalize.ids import check_digit

MONTH = "2026-11"


def _id(birth: str, seq: str) -> str:
    body = "340421" + birth + seq
    return body + check_digit(body)


DEAD = _id("19400312", "021")  # died 2026-07-14: stop from 2026-08, so August to October were overpaid
ORPHAN = _id("20080505", "141")  # 18 on 2026-05-05: stop from 2026-06, so June to October were overpaid


def _dead(amount: str, program: str = "特困供养", start: str = "2020-01") -> str:
    return f"城关镇,东村,H1,孙大山,{DEAD},孙大山,{DEAD},本人,{program},,{amount},{start}"


def _orphan(amount: str) -> str:
    return f"李集乡,南村,G1,卯,{ORPHAN},卯,{ORPHAN},本人,孤儿,,{amount},2015-01"


OTHER = f"城关镇,东村,H2,张三,{_id('19500101', '013')},张三,{_id('19500101', '013')},户主,农村低保,A,400,2021-06"


def _warning(workspace: Path, code: str, current: str, snapshots: dict[str, str]) -> dict[str, Any]:
    """The warning of `code` for the month, with the roll `current` this month and, for each month of
    `snapshots`, a stored roll of that month holding that row (and another person, so it is stored)."""
    db = workspace / "hexiao.duckdb"
    for month, row in sorted(snapshots.items()):
        rows = [OTHER, row] if row else [OTHER]
        load(
            "roll",
            [write_text(workspace / f"{month}花名册.csv", "\n".join([ROLL_HEADER, *rows]) + "\n")],
            month=month,
            db=db,
        )
    load("roll", [write_text(workspace / "花名册.csv", f"{ROLL_HEADER}\n{current}\n{OTHER}\n")], month=MONTH, db=db)
    cremation = write_text(
        workspace / "火化.csv", f"逝者姓名,逝者身份证号,死亡日期,火化日期,殡仪馆\n孙大山,{DEAD},2026-07-14,,\n"
    )
    load("cremation", [cremation], month=MONTH, db=db)
    warnings = match(month=MONTH, db=db, out=workspace / "out").warnings.filter(pl.col("code") == code)
    assert warnings.height == 1
    row: dict[str, Any] = warnings.row(0, named=True)
    with duckdb.connect(str(db), read_only=True) as conn:
        stored = conn.execute("SELECT link_detail FROM warnings WHERE warning_id = ?", [row["warning_id"]]).fetchone()
    assert stored is not None
    row["link_detail"] = stored[0]
    return row


def _months(row: dict[str, Any]) -> list[tuple[str, float, str | None, str | None]]:
    """(month, amount, the month's own snapshot, the later snapshot its amount was taken from)."""
    months = json.loads(row["link_detail"])["months"]
    result = [(m["month"], float(m["amount"]), m["snapshot"], m["valued_from"]) for m in months]
    assert round(sum(m[1] for m in result), 2) == row["overpayment"]
    return result


def test_a_raise_this_month_leaves_earlier_months_at_the_earliest_later_snapshot(workspace: Path) -> None:
    row = _warning(workspace, "DECEASED", _dead("998"), {"2026-09": _dead("898"), "2026-10": _dead("950")})
    # August has no snapshot: September's, the nearest later one, says what was paid, not November's 998.
    assert _months(row) == [
        ("2026-08", 898.0, None, "2026-09"),
        ("2026-09", 898.0, "2026-09", None),
        ("2026-10", 950.0, "2026-10", None),
    ]
    assert row["overpayment"] == 898 * 2 + 950


def test_a_reduction_to_zero_this_month_keeps_the_earlier_amount(workspace: Path) -> None:
    row = _warning(workspace, "DECEASED", _dead("0"), {"2026-10": _dead("470")})
    assert _months(row) == [
        ("2026-08", 470.0, None, "2026-10"),
        ("2026-09", 470.0, None, "2026-10"),
        ("2026-10", 470.0, "2026-10", None),
    ]


def test_without_a_later_snapshot_listing_the_person_the_current_amount_counts(workspace: Path) -> None:
    # October's roll is stored but lists him in another programme only: it says nothing of 特困供养.
    row = _warning(workspace, "DECEASED", _dead("600"), {"2026-10": _dead("500", program="农村低保")})
    assert _months(row) == [
        ("2026-08", 600.0, None, None),
        ("2026-09", 600.0, None, None),
        ("2026-10", 0.0, "2026-10", None),
    ]


def test_with_no_earlier_snapshot_the_current_amount_counts(workspace: Path) -> None:
    # December's roll, stored before November is run again, is no payment made by November.
    row = _warning(workspace, "DECEASED", _dead("600"), {"2026-12": _dead("700")})
    assert [m[1:] for m in _months(row)] == [(600.0, None, None)] * 3


def test_months_before_the_start_month_stay_unpaid(workspace: Path) -> None:
    row = _warning(workspace, "DECEASED", _dead("600", start="2026-09"), {"2026-10": _dead("500", start="2026-09")})
    assert _months(row) == [
        ("2026-08", 0.0, None, None),
        ("2026-09", 500.0, None, "2026-10"),
        ("2026-10", 500.0, "2026-10", None),
    ]


def test_age_out_values_earlier_months_the_same_way(workspace: Path) -> None:
    row = _warning(workspace, "AGE_OUT", _orphan("1300"), {"2026-08": _orphan("1200")})
    assert [(m[0], m[1], m[3]) for m in _months(row)] == [
        ("2026-06", 1200.0, "2026-08"),
        ("2026-07", 1200.0, "2026-08"),
        ("2026-08", 1200.0, None),
        ("2026-09", 1300.0, None),  # after the last stored snapshot: the current amount
        ("2026-10", 1300.0, None),
    ]


def test_explain_says_which_roll_each_month_is_valued_from(workspace: Path) -> None:
    row = _warning(workspace, "DECEASED", _dead("0", start="2026-09"), {"2026-10": _dead("470", start="2026-09")})
    months = explain(row["warning_id"], db=workspace / "hexiao.duckdb")["months"]
    assert [(m["month"], m["amount"], m["basis"]) for m in months] == [
        ("2026-08", 0.0, f"无该月花名册，按保障起始年月和 {MONTH} 花名册月保障金额计"),
        ("2026-09", 470.0, "无该月花名册，按 2026-10 花名册金额计"),
        ("2026-10", 470.0, "2026-10 花名册：2026-10花名册.csv 第3行 470.0 元"),
    ]
