"""The workspace database: the compact stored form of person rows, and schema upgrades."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from conftest import ROLL_HEADER, write_text
from hexiao.errors import StateError
from hexiao.load import load, read_input
from hexiao.store import (
    PARALLEL_INSERT_ROWS,
    SCHEMA_VERSION,
    fetch_one,
    insert_frame,
    opened,
    person_rows,
    query,
    raw_id_sql,
    temp_table,
    transaction,
)


def test_a_workspace_of_schema_1_gets_its_integer_id_keys(tmp_path: Path) -> None:
    db = tmp_path / "hexiao.duckdb"
    with opened(db) as conn:
        # A workspace written by schema version 1 had no id_key column.
        conn.execute("ALTER TABLE vehicle DROP COLUMN id_key")
        conn.execute(
            "INSERT INTO vehicle (month, source_row, id_norm, id_status) VALUES "
            "('2026-11', 2, '11010519491231002X', '有效'), ('2026-11', 3, '3.40421E+17', '科学计数法损坏')"
        )
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")

    with opened(db) as conn:
        rows = conn.execute("SELECT id_key FROM vehicle ORDER BY source_row").fetchall()
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    assert rows == [(11010519491231002 * 11 + 10,), (None,)]
    assert version == [(SCHEMA_VERSION,)]


def test_rows_read_back_whole_from_their_compact_stored_form(tmp_path: Path) -> None:
    rows = [
        "城关镇,东村,H1,张三,11010519491231002X,张三,11010519491231002x,户主,农村低保,A,500,2020-01",
        "城关镇,东村,H1,张三,11010519491231002X,劉 偉,150102880730303,配偶,农村低保,A,500,2020-01",
        "城关镇,东村,H2,李四,,李四,3.40421E+17,户主,农村低保,A,500,2020-01",
        "城关镇,东村,H3,王五,,王五,12345,户主,农村低保,A,500,2020-01",
        "城关镇,东村,H4,赵六,,赵六,,户主,农村低保,A,500,2020-01",
    ]
    path = write_text(tmp_path / "花名册.csv", "\n".join([ROLL_HEADER, *rows]) + "\n")
    expected = read_input(path, "roll").loaded
    db = tmp_path / "hexiao.duckdb"
    load("roll", [path], month="2026-11", db=db)
    with opened(db) as conn:
        stored = conn.execute("SELECT count(id_norm), count(name_simp), count(id_raw) FROM roll").fetchall()
        back = query(
            conn,
            f"SELECT name_simp, id_norm, {raw_id_sql('r')} AS id_raw FROM ({person_rows('roll')}) r ORDER BY source_row",
        )
    # Stored only where not derivable: the scientific and short IDs, 刘伟 (written 劉 偉), and the
    # raw forms of the lower-case x and the 15-digit ID.
    assert stored == [(2, 1, 2)]
    assert back.to_dicts() == expected.select("name_simp", "id_norm", "id_raw").to_dicts()


def test_a_workspace_of_a_newer_version_is_refused_and_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "hexiao.duckdb"
    with opened(db) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StateError, match="更新版本"), opened(db):
        pass
    conn = duckdb.connect(str(db))
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall() == [("99",)]
    conn.close()


def test_the_workspace_spills_beside_itself_and_opens_read_only(tmp_path: Path) -> None:
    db = tmp_path / "ws" / "hexiao.duckdb"
    with opened(db) as conn:
        # Attached to an in-memory DuckDB: without the setting it would spill to `./.tmp`.
        assert fetch_one(conn, "SELECT current_setting('temp_directory')")[0] == f"{db}.tmp"
        conn.execute("INSERT INTO meta VALUES ('probe', 'written')")
    with opened(db, read_only=True) as reader:
        assert fetch_one(reader, "SELECT value FROM meta WHERE key = 'probe'")[0] == "written"
        with pytest.raises(duckdb.Error):
            reader.execute("INSERT INTO meta VALUES ('other', 'refused')")


def test_frames_cross_to_duckdb_and_back_with_every_column_type(tmp_path: Path) -> None:
    with opened(tmp_path / "hexiao.duckdb") as conn:
        frame = pl.DataFrame(
            {
                "text": ["张三", None],
                "number": [1, None],
                "day": [date(2026, 11, 1), None],
                "nothing": [None, None],  # Polars' Null type: DuckDB's stream reader refuses it
                "nested": [[None], [None]],  # List(Null)
            }
        )
        temp_table(conn, "crossed", frame)
        back = query(conn, "SELECT * FROM crossed")
        assert back.select("text", "number", "day").equals(frame.select("text", "number", "day"))
        assert back["nothing"].null_count() == 2
        empty = query(conn, "SELECT text, day FROM crossed WHERE false")
        assert empty.height == 0 and empty.schema == {"text": pl.String, "day": pl.Date}


def test_a_workspace_left_is_checkpointed_and_free_even_after_a_failure(tmp_path: Path) -> None:
    db = tmp_path / "hexiao.duckdb"
    with opened(db) as conn:
        conn.execute("INSERT INTO meta VALUES ('kept', 'yes')")
    with pytest.raises(RuntimeError), opened(db) as conn:
        conn.execute("BEGIN TRANSACTION")
        conn.execute("INSERT INTO meta VALUES ('lost', 'yes')")
        raise RuntimeError("a failure with the transaction open")
    assert not Path(f"{db}.wal").exists()
    # Detached: the file is free for any other DuckDB, and only the committed row is in it.
    plain = duckdb.connect(str(db), read_only=True)
    try:
        assert plain.execute("SELECT key FROM meta WHERE value = 'yes'").fetchall() == [("kept",)]
    finally:
        plain.close()


def test_two_workspaces_open_at_once_each_spill_beside_themselves(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "hexiao.duckdb", tmp_path / "b" / "hexiao.duckdb"
    setting = "SELECT current_setting('temp_directory')"
    with opened(first) as one, opened(second) as two:
        assert fetch_one(one, setting)[0] == f"{first}.tmp"
        assert fetch_one(two, setting)[0] == f"{second}.tmp"
    for db in (first, second, first):  # whichever instance was kept, each gets its own directory
        with opened(db) as conn:
            assert fetch_one(conn, setting)[0] == f"{db}.tmp"


def _rejected_rows(count: int) -> pl.DataFrame:
    """Rows for the `rejected` table, its columns in another order than the table's."""
    return pl.DataFrame(
        {
            "reason": [f"r{i % 7}" for i in range(count)],
            "source_row": pl.int_range(0, count, eager=True),
            "input_id": [1] * count,
            "kind": ["vehicle"] * count,
        }
    )


def _setting(conn: duckdb.DuckDBPyConnection) -> bool:
    return bool(fetch_one(conn, "SELECT current_setting('preserve_insertion_order')")[0])


def test_a_mid_sized_frame_stored_in_two_halves_is_stored_whole(tmp_path: Path) -> None:
    count = PARALLEL_INSERT_ROWS.start + 1
    with opened(tmp_path / "hexiao.duckdb") as conn, transaction(conn):
        insert_frame(conn, "rejected", _rejected_rows(count))
        stored = fetch_one(conn, "SELECT count(*), count(DISTINCT source_row), max(source_row) FROM rejected")
        kinds = fetch_one(
            conn, "SELECT count(*) FROM rejected WHERE kind = 'vehicle' AND reason = 'r' || source_row % 7"
        )
        assert _setting(conn)  # restored for every later statement
    assert stored == (count, count, count - 1)
    assert kinds == (count,)


def test_a_failing_two_halves_insert_rolls_back_and_leaves_the_setting_as_it_was(tmp_path: Path) -> None:
    frame = _rejected_rows(PARALLEL_INSERT_ROWS.start).with_columns(pl.lit("not a number").alias("input_id"))
    with pytest.raises(duckdb.Error), opened(tmp_path / "hexiao.duckdb") as conn, transaction(conn):
        insert_frame(conn, "rejected", frame)
    with opened(tmp_path / "hexiao.duckdb") as conn:
        assert fetch_one(conn, "SELECT count(*) FROM rejected") == (0,)
        assert _setting(conn)
