"""The linker's precision safeguards, each on the smallest month that needs it (contract.md §2, §3).

Every test here fails when its safeguard is taken out: a living person reported dead, a death
given to the wrong person, or two people made one.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import xlsxwriter

from conftest import ROLL_HEADER, write_text
from hexiao.config import Config
from hexiao.ingest.values import month_start
from hexiao.kinds import CREMATION_KIND
from hexiao.load import load
from hexiao.match import match, prepare_month
from hexiao.matching import methods as m
from hexiao.normalize.ids import check_digit
from hexiao.rules.base import RuleContext
from hexiao.rules.common import LINKS_TABLE, link_extracts
from hexiao.store import opened

CREMATION_HEADER = "逝者姓名,逝者身份证号,死亡日期,火化日期,殡仪馆"
MONTH = "2026-11"


def pid(birth: str, seq: str) -> str:
    body = "340421" + birth + seq
    return body + check_digit(body)


# A real ID that ends in 000 and passes its check digit, as about one in a thousand do; a numeric
# cell of anyone whose first 15 digits are ZEROED[:15] reads back as exactly this ID.
ZEROED = "340421195002071000"
assert check_digit(ZEROED[:17]) == "0"
SAME_FIFTEEN = pid("19500207", "104")  # another person: the same first 15 digits
SAME_FIFTEEN_TOO = pid("19500207", "123")


def roll_row(household: str, name: str, id_number: str) -> str:
    return f"城关镇,东村,{household},{name},{id_number},{name},{id_number},本人,特困供养,,600,2020-01"


def run(workspace: Path, roll: list[str] | Path, cremation: list[str] | Path) -> pl.DataFrame:
    """Load a roll and a cremation extract (rows under their headers, or a file), match the month."""
    if isinstance(roll, list):
        roll = write_text(workspace / "花名册.csv", "\n".join([ROLL_HEADER, *roll]) + "\n")
    if isinstance(cremation, list):
        cremation = write_text(workspace / "火化.csv", "\n".join([CREMATION_HEADER, *cremation]) + "\n")
    db = workspace / "hexiao.duckdb"
    load("roll", [roll], month=MONTH, db=db)
    load("cremation", [cremation], month=MONTH, db=db)
    return match(month=MONTH, db=db, out=workspace / "out").warnings


def deaths(warnings: pl.DataFrame) -> dict[str, dict[str, object]]:
    """DECEASED warnings by the roll member's name (one each at most)."""
    rows = warnings.filter(pl.col("code") == "DECEASED").to_dicts()
    by_name = {str(row["name"]): row for row in rows}
    assert len(by_name) == len(rows)
    return by_name


def cremation_links(workspace: Path) -> set[tuple[str, str, str]]:
    """The month's links to the cremation extract: (household, roll name, method)."""
    with opened(workspace / "hexiao.duckdb") as conn:
        conn.execute("BEGIN TRANSACTION")
        prepare_month(conn, MONTH)
        ctx = RuleContext(conn=conn, month=MONTH, month_start=month_start(MONTH), config=Config())
        link_extracts(ctx, [CREMATION_KIND])
        rows = conn.execute(
            f"SELECT r.household_id, r.name, l.method FROM {LINKS_TABLE} l JOIN roll_m r USING (roll_key)"
        ).fetchall()
        conn.execute("ROLLBACK")
    return set(rows)


def numeric_cremation(path: Path, name: str, id_number: str) -> Path:
    """A cremation workbook whose ID cell is a number, as Excel keeps an ID typed into it."""
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("火化")
    sheet.write_row(0, 0, CREMATION_HEADER.split(","))
    sheet.write_row(1, 0, [name, "", "2026-10-01", "", "县殡仪馆"])
    sheet.write_number(1, 1, float(id_number))
    book.close()
    return path


# --- IDs from numeric cells are never an exact key -----------------------------------------------


def test_numeric_cell_that_passes_the_check_digit_does_not_kill_its_namesake_id(workspace: Path) -> None:
    # 李明 really holds ZEROED and is alive; the record is 王芳's, her ID cut to 15 digits by Excel.
    cremation = numeric_cremation(workspace / "火化.xlsx", "王芳", SAME_FIFTEEN)
    assert deaths(run(workspace, [roll_row("H1", "李明", ZEROED)], cremation)) == {}


def test_numeric_cell_with_the_same_name_is_only_a_first_fifteen_match(workspace: Path) -> None:
    cremation = numeric_cremation(workspace / "火化.xlsx", "李明", ZEROED)
    row = deaths(run(workspace, [roll_row("H1", "李明", ZEROED)], cremation))["李明"]
    assert (row["match_method"], row["action"]) == (m.NAME_BIRTH, "入户核查")
    assert "前15位" in str(row["evidence"])


# --- An extract ID zeroed by Excel belongs to whom its first 15 digits and name fit ---------------


def test_zeroed_extract_id_links_the_member_it_was_cut_from_not_its_namesake_id(workspace: Path) -> None:
    roll = [roll_row("H1", "李明", ZEROED), roll_row("H2", "王芳", SAME_FIFTEEN)]
    found = deaths(run(workspace, roll, [f"王芳,{ZEROED},2026-10-01,,"]))
    assert set(found) == {"王芳"}
    assert (found["王芳"]["match_method"], found["王芳"]["action"]) == (m.NAME_BIRTH, "入户核查")


def test_zeroed_extract_id_that_a_same_id_namesake_explains_stays_theirs(workspace: Path) -> None:
    # Two roll rows hold ZEROED (a DUPLICATE of its own): the one with the record's name is its owner.
    roll = [roll_row("H1", "李明", ZEROED), roll_row("H2", "王芳", ZEROED), roll_row("H3", "王芳", SAME_FIFTEEN)]
    run(workspace, roll, [f"王芳,{ZEROED},2026-10-01,,"])
    assert cremation_links(workspace) == {("H1", "李明", m.NAME_DIFFERS), ("H2", "王芳", m.EXACT_ID)}


def test_zeroed_extract_id_with_no_better_owner_stays_a_same_id_other_name_match(workspace: Path) -> None:
    found = deaths(run(workspace, [roll_row("H1", "李明", ZEROED)], [f"王芳,{ZEROED},2026-10-01,,"]))
    assert (found["李明"]["match_method"], found["李明"]["action"]) == (m.NAME_DIFFERS, "入户核查")


def test_zeroed_extract_id_fitting_two_members_links_neither(workspace: Path) -> None:
    roll = [
        roll_row("H1", "李明", ZEROED),
        roll_row("H2", "王芳", SAME_FIFTEEN),
        roll_row("H3", "王芳", SAME_FIFTEEN_TOO),
    ]
    assert deaths(run(workspace, roll, [f"王芳,{ZEROED},2026-10-01,,"])) == {}


# --- Same ID, another name -----------------------------------------------------------------------


def test_same_id_other_name_says_so_and_scores_below_every_stronger_method(workspace: Path) -> None:
    renamed = pid("19270707", "102")
    row = deaths(run(workspace, [roll_row("H1", "吴改名", renamed)], [f"吴某某,{renamed},2026-10-01,,"]))["吴改名"]
    assert (row["match_method"], row["action"]) == ("身份证一致姓名不符", "入户核查")
    score = float(row["match_score"])  # type: ignore[arg-type]
    assert score == int(score) and score <= m.SCORE_NAME_DIFFERS_CAP < 80
    assert "姓名不符" in str(row["evidence"]) and "姓名相似" not in str(row["evidence"])


def test_invalid_id_shared_by_chance_with_another_name_is_no_match(workspace: Path) -> None:
    body = "34042119440404012"
    wrong = body + ("1" if check_digit(body) != "1" else "2")
    assert deaths(run(workspace, [roll_row("H1", "赵六", wrong)], [f"钱七,{wrong},2026-10-01,,"])) == {}


# --- Ambiguity -----------------------------------------------------------------------------------

# A death record whose ID fails its check digit and is not one edit from anyone's: only name, birth
# date and county can place it.
UNPLACED = "34042119600606999" + ("1" if check_digit("34042119600606999") != "1" else "2")


def test_fuzzy_record_with_one_candidate_is_linked(workspace: Path) -> None:
    roll = [roll_row("H1", "张伟", pid("19600606", "111"))]
    row = deaths(run(workspace, roll, [f"张伟,{UNPLACED},2026-10-01,,"]))["张伟"]
    assert (row["match_method"], row["action"]) == (m.NAME_BIRTH, "入户核查")


def test_fuzzy_record_with_two_equally_good_candidates_is_no_match(workspace: Path) -> None:
    roll = [roll_row("H1", "张伟", pid("19600606", "111")), roll_row("H2", "张伟", pid("19600606", "222"))]
    assert deaths(run(workspace, roll, [f"张伟,{UNPLACED},2026-10-01,,"])) == {}


# --- Scientific notation: the name must be unique in the county on both sides --------------------

SCI_MEMBER = pid("19310101", "072")


def test_scientific_notation_id_with_a_unique_name_is_a_weak_link(workspace: Path) -> None:
    row = deaths(run(workspace, [roll_row("H1", "欧阳娜娜", SCI_MEMBER)], ["欧阳娜娜,3.40421E+17,2026-10-01,,"]))
    assert (row["欧阳娜娜"]["match_method"], row["欧阳娜娜"]["action"]) == (m.NAME_COUNTY, "入户核查")
    assert float(row["欧阳娜娜"]["match_score"]) <= m.SCORE_NAME_COUNTY  # type: ignore[arg-type]


def test_scientific_notation_id_with_a_namesake_on_the_roll_is_no_match(workspace: Path) -> None:
    roll = [roll_row("H1", "欧阳娜娜", SCI_MEMBER), roll_row("H2", "欧阳娜娜", pid("19800808", "083"))]
    assert deaths(run(workspace, roll, ["欧阳娜娜,3.40421E+17,2026-10-01,,"])) == {}


def test_scientific_notation_id_with_a_namesake_in_the_extract_is_no_match(workspace: Path) -> None:
    cremation = ["欧阳娜娜,3.40421E+17,2026-10-01,,", f"欧阳娜娜,{pid('19800808', '083')},2026-09-01,,"]
    assert deaths(run(workspace, [roll_row("H1", "欧阳娜娜", SCI_MEMBER)], cremation)) == {}


# --- DUPLICATE: a damaged ID is no identity -------------------------------------------------------


def test_two_people_whose_numeric_cells_agree_on_fifteen_digits_are_not_one(workspace: Path) -> None:
    path = workspace / "花名册.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("城关镇")
    sheet.write_row(0, 0, ROLL_HEADER.split(","))
    for row, (household, name, id_number) in enumerate(
        [("H1", "李明", SAME_FIFTEEN), ("H2", "王芳", SAME_FIFTEEN_TOO)], 1
    ):
        sheet.write_row(row, 0, roll_row(household, name, "").split(","))
        sheet.write_number(row, 4, float(id_number))  # 户主身份证号
        sheet.write_number(row, 6, float(id_number))  # 身份证号: both read back as ZEROED, which is valid
    book.close()
    warnings = run(workspace, path, [f"路人,{pid('19900101', '011')},2026-10-01,,"])
    assert warnings.filter(pl.col("code") == "DUPLICATE").is_empty()
    bad = warnings.filter(pl.col("code") == "BAD_ID")
    assert sorted(bad["name"]) == ["李明", "王芳"]
    assert all("后三位已丢失" in e and "校验位" not in e for e in bad["evidence"])
