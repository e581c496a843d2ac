"""The one DuckDB file: schema, transactions, and the workspace lock."""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from hexiao import engine
from hexiao.errors import LockedError, StateError
from hexiao.kinds import KINDS, PERSON_KINDS, Kind

SCHEMA_VERSION = "5"  # 2: integer `id_key` beside `id_norm`; 3–5: the tables and columns of `ADDED_COLUMNS`
# Rows DuckDB gathers before it compresses a row group and writes it out, still inside the
# transaction, while the next file is read. Above the size of a register (DuckDB's default is
# 122,880) a register's rows instead wait for the commit and are compressed there, after all other
# work: a county run's commit took 0.55 s, 0.04 s with this size, for a file 8 % larger. It is an
# option of attaching the file, not stored in it, so every workspace gets it whenever it is opened.
ROW_GROUP_ROWS = 32_768

# Distinct strings are what a register costs to store, so only what cannot be derived cheaply is
# kept: `id_norm` only where `id_key` cannot give it back, `name_simp` only where it differs from
# `name`, `id_raw` only where it differs from `id_norm` (`compact_persons` writes that form,
# `person_rows` reads it back whole), no first-15 key. Older workspaces keep extra columns, unused.
_PERSON_COLUMNS = """
    name VARCHAR, name_simp VARCHAR,
    id_raw VARCHAR, id_norm VARCHAR, id_key BIGINT, id_status VARCHAR, id_birth DATE, id_county VARCHAR,
    id_from15 BOOLEAN
"""
# `sheet` is the worksheet's name and `sheet_no` its place among the workbook's tabs (1 = first);
# both null for a CSV, which has no sheets, and for rows stored before schema version 3.
_SOURCE_COLUMNS = (
    "month VARCHAR, input_id BIGINT, source_file VARCHAR, source_row BIGINT, sheet VARCHAR, sheet_no INTEGER"
)


def _kind_table(kind: Kind) -> str:
    """A register's table: where each row came from, the kind's own columns, the person's."""
    own = "".join(f"{column.name} {column.type_sql}, " for column in kind.columns)
    return f"CREATE TABLE IF NOT EXISTS {kind.table} ({_SOURCE_COLUMNS}, {own}{_PERSON_COLUMNS});"


_KIND_TABLES = "\n".join(_kind_table(kind) for kind in KINDS if kind.person)

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE SEQUENCE IF NOT EXISTS batch_ids;
CREATE SEQUENCE IF NOT EXISTS input_ids;
CREATE TABLE IF NOT EXISTS batches (
    batch_id BIGINT PRIMARY KEY, command VARCHAR, month VARCHAR,
    started_at TIMESTAMP, finished_at TIMESTAMP, outcome VARCHAR,
    version VARCHAR, config_hash VARCHAR, detail VARCHAR, config_text VARCHAR, os_user VARCHAR
);
CREATE TABLE IF NOT EXISTS inputs (
    input_id BIGINT PRIMARY KEY, batch_id BIGINT, kind VARCHAR, month VARCHAR, file VARCHAR,
    file_name VARCHAR, sha256 VARCHAR, encoding VARCHAR, program VARCHAR,
    rows_read BIGINT, rows_loaded BIGINT, rows_rejected BIGINT, header_row BIGINT, notes VARCHAR
);
{_KIND_TABLES}
CREATE TABLE IF NOT EXISTS feedback (
    month VARCHAR, input_id BIGINT, source_file VARCHAR, source_row BIGINT, warning_id VARCHAR,
    warning_month VARCHAR, review_result VARCHAR, review_note VARCHAR, received_at TIMESTAMP,
    notice_date VARCHAR, recovered DECIMAL(12,2), sheet VARCHAR
);
CREATE TABLE IF NOT EXISTS month_summaries (month VARCHAR, batch_id BIGINT, summary VARCHAR);
CREATE TABLE IF NOT EXISTS rejected (
    input_id BIGINT, kind VARCHAR, month VARCHAR, file VARCHAR, sheet VARCHAR, source_row BIGINT,
    reason VARCHAR, raw VARCHAR
);
CREATE TABLE IF NOT EXISTS warnings (
    month VARCHAR, batch_id BIGINT, warning_id VARCHAR, code VARCHAR, label VARCHAR, risk VARCHAR,
    township VARCHAR, village VARCHAR, household_id VARCHAR, head_name VARCHAR, name VARCHAR,
    id_number VARCHAR, program VARCHAR, match_method VARCHAR, match_score DOUBLE,
    source VARCHAR, evidence VARCHAR, action VARCHAR, effective_month VARCHAR,
    overpayment DOUBLE, first_month VARCHAR, status VARCHAR, review_result VARCHAR, review_note VARCHAR,
    feedback_month VARCHAR, link_detail VARCHAR, state VARCHAR, notice_date VARCHAR, recovered DECIMAL(12,2)
);
"""


# A stored row's key, unique across every file, sheet and row, computed without sorting anything:
# (input_id × SHEETS_PER_FILE + sheet_no) × ROWS_PER_SHEET + source_row, one BIGINT. Bounds: a row
# number below 10^9 (Excel stops at 1,048,576 rows; a CSV of a billion rows is no county's), a sheet
# position below 1000 (`load` refuses a workbook with more tabs), input_id below 9,223,372 (a file
# a day for 25,000 years). A CSV, and a row stored before sheets were, counts as sheet 0: the keys
# keep the order of file and row, so whatever breaks ties by key breaks them as before.
SHEETS_PER_FILE = 1000
ROWS_PER_SHEET = 1_000_000_000
ROW_KEY_SQL = f"(input_id * {SHEETS_PER_FILE} + coalesce(sheet_no, 0)) * {ROWS_PER_SHEET} + source_row"


def source_sql(alias: str) -> str:
    """SQL: where a stored row came from, as the spreadsheet shows it — `花名册.xlsx 工作表“城关镇”
    第12行`, or `花名册.csv 第12行` for a text file (no sheet)."""
    return f"{alias}.source_file || coalesce(' 工作表“' || {alias}.sheet || '”', '') || ' 第' || {alias}.source_row || '行'"


PERSON_TABLES = PERSON_KINDS
# The SQL twin of `normalize.ids._id_key`, for rows stored before the column existed.
_ID_KEY_SQL = """CASE WHEN regexp_full_match(id_norm, '[0-9]{17}[0-9X]')
    THEN CAST(left(id_norm, 17) AS BIGINT) * 11 + CASE right(id_norm, 1) WHEN 'X' THEN 10 ELSE CAST(right(id_norm, 1) AS BIGINT) END
    END"""


# Columns added to existing tables since schema version 2: (table, column, type). `SCHEMA` has them
# too, for a new workspace; an older one gets them, null, when it is upgraded (`_migrate`). A
# column that identifies a warning must read null as the earlier version's behaviour, so that an
# upgraded workspace keeps every 预警编号.
ADDED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    # Which sheet of a workbook a row came from: null reads as a CSV's row, as before.
    *((table, "sheet", "VARCHAR") for table in PERSON_TABLES),
    *((table, "sheet_no", "INTEGER") for table in PERSON_TABLES),
    # A 户编号 a spreadsheet damaged, as written, and what the household was built from instead
    # (`ingest.households`): null reads as a sound 户编号, as before.
    # A register's columns added since its table was made (`kinds.base.Column.since`): 户编号 as
    # written where a spreadsheet damaged it (3), a child's parents (5) …
    *(
        (kind.table, column.name, column.type_sql)
        for kind in KINDS
        if kind.person
        for column in kind.columns
        if column.since > max(kind.since, 2)
    ),
    ("warnings", "feedback_month", "VARCHAR"),  # 反馈月份: the month of the reply a report showed
    # A run's effective configuration, each setting with its origin (`Config.settings_text`):
    # null for a run before it was kept, whose settings only `config_hash` identifies.
    ("batches", "config_text", "VARCHAR"),
    # What a warning rests on, as the match found it (`rules.common.link_detail_sql`): null for a
    # warning raised before it was kept.
    ("warnings", "link_detail", "VARCHAR"),
    # The township cycle (`cycle`): a reply's 告知日期 ('YYYY-MM-DD') and 已追回金额, and each
    # warning's 处理状态 with the figures it showed. Null reads as no date, no amount, no state.
    ("feedback", "notice_date", "VARCHAR"),
    ("feedback", "recovered", "DECIMAL(12,2)"),
    # The sheet of a workbook a reply came from (null for a CSV file, and for a reply recorded before).
    ("feedback", "sheet", "VARCHAR"),
    ("warnings", "state", "VARCHAR"),
    ("warnings", "notice_date", "VARCHAR"),
    ("warnings", "recovered", "DECIMAL(12,2)"),
    # Who ran each command (`ledger.begin_batch`): null for a run recorded before.
    ("batches", "os_user", "VARCHAR"),
)


def _migrate(conn: duckdb.DuckDBPyConnection) -> None:
    """Bring a workspace of an earlier schema version up to this one, in one transaction."""
    version = _schema_version(conn)
    if version == SCHEMA_VERSION:
        return
    with transaction(conn):
        if version == "1":
            for table in PERSON_TABLES:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS id_key BIGINT")
                conn.execute(f"UPDATE {table} SET id_key = {_ID_KEY_SQL}")
        for table, column, sql_type in ADDED_COLUMNS:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {sql_type}")
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [SCHEMA_VERSION])


def compact_persons(frame: pl.DataFrame) -> pl.DataFrame:
    """The stored form of prepared person rows: a value that can be derived is left null."""
    derivable_id = pl.col("id_key").is_not_null()
    return frame.with_columns(
        pl.when(pl.col("id_raw") == pl.col("id_norm")).then(None).otherwise(pl.col("id_raw")).alias("id_raw"),
        pl.when(derivable_id).then(None).otherwise(pl.col("id_norm")).alias("id_norm"),
        pl.when(pl.col("name_simp") == pl.col("name")).then(None).otherwise(pl.col("name_simp")).alias("name_simp"),
    )


def spelled_id_sql(stored: str = "id_norm", key: str = "id_key") -> str:
    """SQL: the normalised ID, `stored` where the store kept it, else spelled from `key` (17 digits
    × 11 + check value; the inverse of `normalize.ids._id_key`). Building the string costs: a query
    over a whole register spells it only for the rows it keeps (`id_text` of `person_rows`)."""
    return (
        f"coalesce({stored}, lpad(CAST({key} // 11 AS VARCHAR), 17, '0') || "
        f"substr('0123456789X', CAST({key} % 11 AS INTEGER) + 1, 1))"
    )


_ID_NORM_SQL = spelled_id_sql()


def person_rows(table: str, where: str = "TRUE") -> str:
    """SQL selecting a person table's rows whole again (see `compact_persons`); `raw_id_sql` then
    gives the ID as written. Also `id_text`, the normalised ID as stored (null where `id_key`
    holds it): a query that only tells persons apart (`PERSONS_SQL`) need not spell every ID."""
    return (
        f"SELECT * REPLACE ({_ID_NORM_SQL} AS id_norm, coalesce(name_simp, name) AS name_simp), id_norm AS id_text "
        f"FROM {table} WHERE {where}"
    )


# The person columns the linker reads, as `person_rows` gives them back, straight from a register.
LINKED_PERSON_COLUMNS = (
    f"name, coalesce(name_simp, name) AS name_simp, {_ID_NORM_SQL} AS id_norm, id_norm AS id_text, "
    "id_key, id_status, id_birth, id_county, id_from15"
)

# The number of distinct persons among rows of `person_rows`: by ID, or by name where there is none.
PERSONS_SQL = (
    "count(DISTINCT id_key) + count(DISTINCT id_text) FILTER (WHERE id_key IS NULL)"
    " + count(DISTINCT name_simp) FILTER (WHERE id_key IS NULL AND id_text IS NULL)"
)


def raw_id_sql(alias: str) -> str:
    """SQL: the ID as the source file wrote it (stored only where it differs from `id_norm`)."""
    return f"coalesce({alias}.id_raw, {alias}.id_norm)"


def os_user() -> str:
    """The operating-system account running this process, for the ledger: its login name, or `uid
    1000` where the system knows no name for it (a container started with an arbitrary uid)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # KeyError before Python 3.13, OSError since
        return f"uid {os.getuid()}"


def require_workspace(db_path: Path) -> None:
    """For a command that only reads a workspace: refuse, before creating anything (the database,
    its lock file, its folder), where there is none."""
    if not db_path.is_file():
        raise StateError(
            f"这里没有 hexiao 工作区：找不到数据库 {db_path.resolve()}；请在工作区目录中运行，"
            "或用 --db 指向工作区的数据库（新工作区由 hexiao load 或 hexiao match 建立）"
        )


@contextlib.contextmanager
def opened(db_path: Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """The workspace database (created with owner-only permissions), open until the block ends.
    It is then detached, which checkpoints it and closes its file for the next run. Read-only, it
    creates nothing: a missing database is refused (`require_workspace`)."""
    if read_only:
        require_workspace(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    existed = db_path.exists()
    # The workspace is attached to an instance of its own in memory, so the spill directory is
    # named, or it would be `.tmp` in whatever directory cron starts in.
    with engine.instance(f"{db_path}.tmp") as instance:
        conn = instance.cursor()
        attached = False
        try:
            old_umask = os.umask(0o077)
            try:
                options = "READ_ONLY" if read_only else f"ROW_GROUP_SIZE {ROW_GROUP_ROWS}"
                conn.execute(f"ATTACH ? AS workspace ({options})", [str(db_path)])
            finally:
                os.umask(old_umask)
            attached = True
            conn.execute("USE workspace")
            conn.execute("SET enable_progress_bar = false")  # hexiao prints its own plain progress lines
            if not read_only:
                _prepare_schema(conn, db_path, existed)
            yield conn
        except BaseException:
            conn.close()  # rolls back what the block left open
            if attached:  # the block's own error is the one to report; the instance is dropped anyway
                with contextlib.suppress(duckdb.Error):
                    instance.execute("DETACH workspace")
            raise
        conn.close()
        instance.execute("DETACH workspace")


def _prepare_schema(conn: duckdb.DuckDBPyConnection, db_path: Path, existed: bool) -> None:
    version = _schema_version(conn) if existed else None
    if version is not None and int(version) > int(SCHEMA_VERSION):
        raise StateError(
            f"工作区 {db_path} 由更新版本的 hexiao 写入（数据结构版本 {version}，本版本为 {SCHEMA_VERSION}）；请升级 hexiao"
        )
    if version != SCHEMA_VERSION:  # new, or written by an earlier version
        with transaction(conn):  # every table or none, and one commit instead of one per statement
            conn.execute(SCHEMA)
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
        _migrate(conn)
    os.chmod(db_path, 0o600)


def _schema_version(conn: duckdb.DuckDBPyConnection) -> str | None:
    """None for a database without hexiao's tables. The meta table is asked directly: listing the
    catalog first cost 10 ms at every open; the failed query, for a database that is not yet a
    workspace, costs a tenth of a second (a new file is not asked at all)."""
    try:
        rows = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    except duckdb.CatalogException:
        return None
    return str(rows[0][0]) if rows else None


@contextlib.contextmanager
def transaction(conn: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: a failure anywhere inside rolls every write back."""
    conn.execute("BEGIN TRANSACTION")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextlib.contextmanager
def workspace_lock(db_path: Path, *, create: bool = True) -> Iterator[Path]:
    """An exclusive, non-blocking lock beside the database so two runs never overlap.

    flock is released by the kernel when the process dies, so a killed run never leaves a stale
    lock behind. Without `create` (a command that must create no file) a missing lock file is not
    made: no run holds it then, since every run creates it before anything else.
    """
    lock_path = db_path.resolve().parent / f".{db_path.name}.lock"
    if not create and not lock_path.exists():
        yield lock_path
        return
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockedError(
                f"另一个 hexiao 进程正在使用工作区 {db_path}（锁文件 {lock_path}）；请等待其结束后再运行"
            ) from None
        yield lock_path
    finally:
        os.close(handle)


def fetch_one(conn: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> tuple[Any, ...]:
    """The single row of a query, reading the result to its end (DuckDB 2 results stream and
    hold the connection until drained)."""
    rows = conn.execute(sql, params or []).fetchall()
    if len(rows) != 1:
        raise RuntimeError(f"expected one row, got {len(rows)}")
    return tuple(rows[0])


def query(conn: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> pl.DataFrame:
    """A query's result as a Polars frame, read through the Arrow C stream interface
    (`.pl()` would import pyarrow, 0.07 s of every run, only to hand the same memory over)."""
    return pl.DataFrame(conn.sql(sql, params=params))


# DuckDB stores an Arrow stream on one core unless it holds at least two of its scan units of
# 122,880 rows. A frame short of that but large enough to be worth it goes in as two halves stored
# side by side (county property register, 120,000 rows: 0.29 -> 0.16 s).
PARALLEL_INSERT_ROWS = range(100_000, 2 * 122_880)


def insert_frame(conn: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    """Append a frame to a table by column name.

    Through a relation, not a registered view: a view dropped inside a transaction keeps its Arrow
    data alive until the commit, so a run loading many files would hold all of them in memory.
    """
    sql = f"INSERT INTO {table} BY NAME SELECT * FROM incoming"
    if frame.height not in PARALLEL_INSERT_ROWS:
        conn.from_arrow(_arrow(frame)).query("incoming", sql)
        return
    half = -(-frame.height // 2)
    halves = conn.from_arrow(_arrow(frame.head(half))).union(conn.from_arrow(_arrow(frame.slice(half))))  # UNION ALL
    # In insertion order the halves would be stored one after the other. So the rows of such a
    # frame are stored in no set order: whatever reads them back orders them by its own keys (the
    # rules by source file and row, `hexiao report` by `history.WARNING_ORDER`).
    conn.execute("SET preserve_insertion_order = false")  # DuckDB has it for the whole instance only
    try:
        halves.query("incoming", sql)
    except BaseException:
        # The transaction is aborted and refuses the reset; the instance of a block that raised is
        # dropped (`engine.instance`), and the insert's own error is the one to report.
        with contextlib.suppress(duckdb.Error):
            conn.execute("RESET preserve_insertion_order")
        raise
    conn.execute("RESET preserve_insertion_order")


def temp_table(conn: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> None:
    """A temporary table holding a copy of the frame (see `insert_frame` for why not a view)."""
    conn.from_arrow(_arrow(frame)).query("incoming", f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM incoming")


class _ArrowStream:
    """A frame offered to DuckDB as an Arrow C stream only. DuckDB reads Polars' memory as it is,
    string views too, where for a Polars frame or a pyarrow table it would import pyarrow first
    (0.07 s of every run)."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self._frame = frame

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        return self._frame.__arrow_c_stream__(requested_schema)


def _arrow(frame: pl.DataFrame) -> Any:
    # DuckDB's stream reader refuses Arrow's null type (no validity bitmap by design); a column
    # of Polars' Null type, or a nested one that may hold it, goes through pyarrow, which DuckDB
    # reads as its own NULL type.
    if any(dtype == pl.Null or dtype.is_nested() for dtype in frame.dtypes):
        return frame.to_arrow(compat_level=pl.CompatLevel.newest())
    return _ArrowStream(frame)
