"""The workspace database: schema upgrades of an existing workspace."""

from __future__ import annotations

from pathlib import Path

from hexiao.store import SCHEMA_VERSION, connect


def test_a_workspace_of_schema_1_gets_its_integer_id_keys(tmp_path: Path) -> None:
    db = tmp_path / "hexiao.duckdb"
    conn = connect(db)
    # A workspace written by schema version 1 had no id_key column.
    conn.execute("ALTER TABLE vehicle DROP COLUMN id_key")
    conn.execute(
        "INSERT INTO vehicle (month, source_row, id_norm, id_status) VALUES "
        "('2026-11', 2, '11010519491231002X', '有效'), ('2026-11', 3, '3.40421E+17', '科学计数法损坏')"
    )
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.close()

    conn = connect(db)
    rows = conn.execute("SELECT id_key FROM vehicle ORDER BY source_row").fetchall()
    version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    conn.close()
    assert rows == [(11010519491231002 * 11 + 10,), (None,)]
    assert version == [(SCHEMA_VERSION,)]
