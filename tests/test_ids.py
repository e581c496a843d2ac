"""ID normalisation (contract.md §3): the standard's examples, damage, and properties."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import polars as pl
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from hexiao.io.grid import _cell_text
from hexiao.matching.linker import _ID_EDIT_KEYS
from hexiao.normalize import ids
from hexiao.normalize.ids import add_id_columns, add_id_columns_of, check_digit, normalize_id
from hexiao.store import _ID_KEY_SQL


def test_standard_examples_are_valid() -> None:
    assert normalize_id("11010519491231002X").status == ids.VALID
    assert normalize_id("440524188001010014").status == ids.VALID


def test_fifteen_digit_id_becomes_eighteen() -> None:
    info = normalize_id("150102880730303")
    assert info.norm == "150102198807303035"
    assert info.status == ids.VALID
    assert info.from15


def test_clean_up_of_written_forms() -> None:
    for written in (
        " 11010519491231002x ",
        "'11010519491231002X",
        "\t11010519491231002X",
        "１１０１０５１９４９１２３１００２Ｘ",
        "110105 1949 1231 002X",
        "11010519491231002X\u200b",
    ):
        assert normalize_id(written).norm == "11010519491231002X", written
    # Full-width digits are Unicode digits: they must not pass for a tidy ID.
    assert normalize_id("４４０５２４１８８００１０１００１４").norm == "440524188001010014"


def test_excel_scientific_notation_keeps_only_the_area_code() -> None:
    info = normalize_id("3.40421E+17")
    assert info.status == ids.EXCEL_SCIENTIFIC
    assert info.county == "340421"
    assert info.key15 is None


def test_excel_numeric_cell_keeps_fifteen_digits() -> None:
    for written in ("340421195803222000", "340421195803222000.0", "3.40421195803222e+17"):
        info = normalize_id(written)
        assert info.status == ids.EXCEL_NUMERIC, written
        assert info.key15 == "340421195803222"
        assert info.birth == date(1958, 3, 22)


def test_numeric_forms_are_damage_whatever_the_check_digit() -> None:
    # 340421195002071000 passes its check digit: as text it is a real ID, as a number it is damage.
    assert normalize_id("340421195002071000").status == ids.VALID
    for written in (
        "3.40421195002071e+17",  # an XLSX numeric cell as `grid` reads it
        "3.40421195002071E+17",  # a CSV Excel wrote with the digits shown
        "3.4042119500207103e+17",  # a float's repr: 17 digits, the last two noise
        "340421195002071000.0",  # a long number with a decimal point
        "340421195002071234.0",
    ):
        info = normalize_id(written)
        assert (info.status, info.norm, info.key15) == (ids.EXCEL_NUMERIC, "340421195002071000", "340421195002071")


def test_a_numeric_head_id_is_damage_too() -> None:
    frame = pl.DataFrame({"member": ["340421195002071000"], "head": ["3.40421195002071e+17"]})
    statuses = add_id_columns_of(frame, {"member": "id", "head": "head"}).row(0, named=True)
    assert (statuses["id_status"], statuses["head_status"]) == (ids.VALID, ids.EXCEL_NUMERIC)


def test_invalid_forms_are_classified() -> None:
    assert normalize_id("110105194912310021").status == ids.BAD_CHECK
    assert normalize_id("110105194913310029").status == ids.BAD_DATE
    assert normalize_id("990105194912310021").status != ids.BAD_REGION  # 9: foreigners' IDs
    assert normalize_id("000105194912310021").status == ids.BAD_REGION
    assert normalize_id("12345").status == ids.BAD_LENGTH
    assert normalize_id("").status == ids.EMPTY
    assert normalize_id(None).status == ids.EMPTY


def test_vanished_county_code_is_not_an_error() -> None:
    # 340421 (怀远县 was renumbered) — the code changes, the ID does not.
    body = "34049919800101001"
    assert normalize_id(body + check_digit(body)).status == ids.VALID


birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=date.today() - timedelta(days=1))
area_codes = st.sampled_from(["110105", "340421", "440524", "150102", "650102", "820000"])


@st.composite
def valid_ids(draw: st.DrawFn) -> str:
    body = draw(area_codes) + draw(birth_dates).strftime("%Y%m%d") + f"{draw(st.integers(0, 999)):03d}"
    return body + check_digit(body)


@given(valid_ids())
@settings(max_examples=300)
def test_generated_ids_agree_with_stdnum(value: str) -> None:
    # stdnum also checks the county against its own list of codes per year; the contract says a
    # vanished county code is normal, so only the check digit and birth date are compared.
    info = normalize_id(value)
    assert info.status == ids.VALID
    assert ric.calc_check_digit(value) == value[-1]
    assert info.birth == ric.get_birth_date(value)


@given(valid_ids(), st.integers(0, 16), st.integers(1, 9))
@settings(max_examples=300)
def test_one_wrong_digit_is_caught_like_stdnum(value: str, position: int, shift: int) -> None:
    digits = list(value)
    digits[position] = str((int(digits[position]) + shift) % 10)
    damaged = "".join(digits)
    try:
        stdnum_ok = ric.calc_check_digit(damaged) == damaged[-1] and ric.get_birth_date(damaged) <= date.today()
    except Exception:  # stdnum raises for an impossible birth date
        stdnum_ok = False
    assert (normalize_id(damaged).status == ids.VALID) == stdnum_ok


@given(st.text(alphabet="0123456789Xx .'\t１２E+", max_size=22))
@settings(max_examples=300)
def test_normalising_twice_changes_nothing(value: str) -> None:
    once = normalize_id(value)
    if once.norm is not None:
        again = normalize_id(once.norm)
        assert again.norm == once.norm
        if once.status == ids.EXCEL_NUMERIC:
            # The damage was in how it was written (a number); the digits it left are 15 and zeros,
            # which read as text pass the check digit one time in eleven.
            assert again.status in (ids.EXCEL_NUMERIC, ids.VALID) and once.norm.endswith("000")
        else:
            assert again.status == once.status


@given(valid_ids())
@settings(max_examples=200)
def test_an_id_kept_as_a_number_is_damage_and_keeps_fifteen_digits(value: str) -> None:
    assume(value[-1] != "X")
    typed = float(value[:15] + "000")  # Excel keeps 15 digits of what is typed into a cell
    written = float(value)  # a program that wrote the whole ID as a float: within 64 of it
    forms = [(_cell_text(typed), 0), (_cell_text(written), 1), (f"{written:.16e}", 1), (f"{int(written)}.0", 1)]
    for text, slack in forms:
        assert text is not None
        info = normalize_id(text)
        assert info.status == ids.EXCEL_NUMERIC, text
        assert info.norm is not None and info.key15 is not None and info.norm == info.key15 + "000", text
        # A float may round the 15th digit up (…999 → …+1 000): the first 15 are known to within one.
        assert abs(int(info.key15) - int(value[:15])) <= slack, text


@given(valid_ids())
@settings(max_examples=100)
def test_an_old_fifteen_digit_id_kept_as_a_number_is_exact(value: str) -> None:
    assume(value[6:8] == "19")
    old = value[:6] + value[8:17]
    info = normalize_id(_cell_text(float(old)))
    assert info == normalize_id(old) and (info.norm, info.status, info.from15) == (value, ids.VALID, True)


@given(st.lists(valid_ids(), min_size=1, max_size=30))
@settings(max_examples=50)
def test_vectorised_result_does_not_depend_on_row_order(values: list[str]) -> None:
    frame = pl.DataFrame({"raw": values})
    forward = add_id_columns(frame, "raw").sort("raw")
    backward = add_id_columns(frame.reverse(), "raw").sort("raw")
    assert forward.equals(backward)


def _key_of(value: str) -> int:
    return int(value[:17]) * 11 + (10 if value[-1] == "X" else int(value[-1]))


@given(valid_ids())
@settings(max_examples=100)
def test_id_key_is_the_whole_id_as_one_integer(value: str) -> None:
    assert normalize_id(value).key == _key_of(value)
    # Workspaces stored before the column existed get it from the store's SQL twin.
    assert duckdb.execute(f"SELECT {_ID_KEY_SQL} FROM (SELECT ?::VARCHAR AS id_norm)", [value]).fetchall() == [
        (_key_of(value),)
    ]
    assert normalize_id(value[:17] + "?").key is None


@given(valid_ids(), st.integers(0, 17), st.sampled_from("0123456789X"), st.booleans())
@settings(max_examples=300)
def test_ids_one_edit_apart_share_a_blocking_key(value: str, position: int, char: str, swap: bool) -> None:
    """The linker finds 身份证纠错 candidates only through `_ID_EDIT_KEYS`: every single
    substitution and every adjacent swap must leave one of them equal."""
    chars = list(value)
    if swap:
        position = min(position, 16)
        chars[position], chars[position + 1] = chars[position + 1], chars[position]
    else:
        chars[position] = char
    edited = "".join(chars)
    assume(edited != value and edited[:17].isdigit())
    equal = " OR ".join(f"{k.format(t='a')} = {k.format(t='b')}" for k in _ID_EDIT_KEYS)
    row = duckdb.execute(
        f"SELECT {equal} FROM (SELECT ?::BIGINT AS id_key) a, (SELECT ?::BIGINT AS id_key) b",
        [_key_of(value), _key_of(edited)],
    ).fetchall()
    assert row == [(True,)]
