"""The store's schema follows the kinds and its version: a table or column added to a kind
(`hexiao.kinds`) or to the store without a new `store.SCHEMA_VERSION` fails here, and so does one
that an upgraded workspace would not get.

`tests/fixtures/schema/v<N>.txt` is the schema of version N as a new workspace has it, one
`table.column TYPE` per line. A new version's file is written by running this test with
`HEXIAO_UPDATE_SCHEMA=1`; a version's file, once written, is never rewritten.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from hexiao.store import SCHEMA_VERSION, opened

SCHEMAS = Path(__file__).parent / "fixtures" / "schema"


def _columns(conn: duckdb.DuckDBPyConnection) -> list[str]:
    rows = conn.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_catalog = current_database()"
    ).fetchall()
    return sorted(f"{table}.{column} {sql_type}" for table, column, sql_type in rows)


def _new_workspace_columns(tmp_path: Path) -> list[str]:
    with opened(tmp_path / "new.duckdb") as conn:
        return _columns(conn)


def _recorded(version: str) -> list[str]:
    return (SCHEMAS / f"v{version}.txt").read_text(encoding="utf-8").splitlines()


def test_a_new_workspace_has_the_schema_recorded_for_its_version(tmp_path: Path) -> None:
    columns = _new_workspace_columns(tmp_path)
    recorded = SCHEMAS / f"v{SCHEMA_VERSION}.txt"
    if not recorded.exists() and os.environ.get("HEXIAO_UPDATE_SCHEMA") == "1":
        recorded.write_text("\n".join(columns) + "\n", encoding="utf-8")
    assert recorded.exists(), f"no {recorded.name}: run this test with HEXIAO_UPDATE_SCHEMA=1 to record it"
    added = sorted(set(columns) - set(_recorded(SCHEMA_VERSION)))
    removed = sorted(set(_recorded(SCHEMA_VERSION)) - set(columns))
    assert not added and not removed, (
        f"the schema differs from version {SCHEMA_VERSION}'s (added {added}, removed {removed}): "
        "raise store.SCHEMA_VERSION, give each new column `since` = the new version (kinds.base.Column) or an "
        "ADDED_COLUMNS entry, and record the new version's schema"
    )


def _earlier_versions() -> list[str]:
    versions = sorted(int(path.stem[1:]) for path in SCHEMAS.glob("v*.txt"))
    return [str(v) for v in versions if v < int(SCHEMA_VERSION)]


@pytest.mark.parametrize("version", _earlier_versions())
def test_a_workspace_of_an_earlier_version_is_upgraded_to_every_column(tmp_path: Path, version: str) -> None:
    """A workspace with exactly the recorded tables of `version`, opened by this one, gets every
    table and column a new workspace has."""
    tables: dict[str, list[str]] = {}
    for line in _recorded(version):
        qualified, sql_type = line.split(" ", 1)
        table, column = qualified.split(".", 1)
        tables.setdefault(table, []).append(f"{column} {sql_type}")
    old = tmp_path / "old.duckdb"
    with duckdb.connect(str(old)) as conn:
        for table, columns in tables.items():
            key = ", PRIMARY KEY (key)" if table == "meta" else ""  # what INSERT OR IGNORE relies on
            conn.execute(f"CREATE TABLE {table} ({', '.join(columns)}{key})")
        conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", [version])
    with opened(old) as conn:
        upgraded = _columns(conn)
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (SCHEMA_VERSION,)
    assert upgraded == _new_workspace_columns(tmp_path)
