"""`hexiao.load`: read input files, normalise them and store them in one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from hexiao import __version__
from hexiao.errors import HexiaoError, InputError
from hexiao.ingest.prepare import PREPARERS, REASON
from hexiao.io.fields import FIELDS, KIND_LABELS
from hexiao.io.grid import ROW_COLUMN, Grid, read_grid, sha256_of
from hexiao.io.headers import find_header, missing_required, select_fields
from hexiao.log import get_logger
from hexiao.store import connect, fetch_one, transaction, workspace_lock
from hexiao.timing import timed

log = get_logger()
PREPARE_CHUNK_ROWS = 1_000_000


@dataclass
class InputSummary:
    file: str
    kind: str
    sha256: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    encoding: str = ""
    header_row: int | None = None
    skipped: bool = False  # same SHA-256 already loaded
    notes: list[str] = field(default_factory=list)


@dataclass
class ReadInput:
    summary: InputSummary
    loaded: pl.DataFrame
    rejected: pl.DataFrame  # source_row, sheet, raw, reason


@dataclass
class LoadResult:
    kind: str
    month: str
    batch_id: int
    inputs: list[InputSummary]


def read_input(
    path: Path, kind: str, *, program: str | None = None, extra_headers: dict[str, str] | None = None
) -> ReadInput:
    """Read one file into normalised rows and rejected rows; raise InputError for a bad file."""
    source = str(path)
    with timed("read") as step:
        grid = read_grid(path)
        step.rows += sum(sheet.frame.height for sheet in grid.sheets)
    with timed("normalise"):
        return _prepare_grid(grid, source, kind, program, extra_headers)


def _prepare_grid(
    grid: Grid, source: str, kind: str, program: str | None, extra_headers: dict[str, str] | None
) -> ReadInput:
    path = grid.path
    summary = InputSummary(file=source, kind=kind, sha256=sha256_of(path), encoding=grid.encoding)
    provided = {"program"} if program else set()
    loaded_parts: list[pl.DataFrame] = []
    rejected_parts: list[pl.DataFrame] = []
    problems: list[str] = []
    for sheet in grid.sheets:
        label = f"工作表“{sheet.name}”" if sheet.name else ""
        match = find_header(sheet, kind, source, extra_headers)
        if match is None:
            if len(grid.sheets) > 1:
                summary.notes.append(f"{label}没有可识别的表头，已跳过")
                continue
            problems.append(
                f"前 30 行中找不到{KIND_LABELS[kind]}的表头（应含 "
                + "、".join(f.header for f in FIELDS[kind] if f.required)
                + "）"
            )
            continue
        missing = missing_required(kind, match, provided)
        if missing:
            problems.extend(
                f"{label}第 {match.row} 行表头缺少必需的列“{f.header}”（也可写作 {'、'.join(f.synonyms) or '—'}）"
                for f in missing
            )
            continue
        summary.header_row = summary.header_row or match.row
        fields = select_fields(sheet, kind, match)
        # A register of millions of rows is prepared a slice at a time: the intermediate columns
        # of normalisation then exist for one slice, not for the whole file.
        for offset in range(0, max(fields.height, 1), PREPARE_CHUNK_ROWS):
            prepared = PREPARERS[kind](fields.slice(offset, PREPARE_CHUNK_ROWS), program)
            loaded_parts.append(prepared.loaded)
            rejected_parts.append(
                prepared.rejected.select(
                    pl.col(ROW_COLUMN).alias("source_row"),
                    pl.lit(sheet.name).alias("sheet"),
                    pl.col("_raw").alias("raw"),
                    pl.col(REASON).alias("reason"),
                )
            )
        summary.rows_read += fields.height
    if problems:
        raise InputError(source, problems)
    if not loaded_parts and summary.notes:
        raise InputError(source, "没有任何工作表含可识别的表头")
    loaded = pl.concat(loaded_parts, how="vertical_relaxed", rechunk=False)  # no copy
    rejected = pl.concat(rejected_parts, how="vertical_relaxed")
    if summary.rows_read == 0:
        raise InputError(source, f"第 {summary.header_row} 行表头下没有数据行")
    summary.rows_loaded, summary.rows_rejected = loaded.height, rejected.height
    if loaded.height == 0:
        raise InputError(source, f"全部 {rejected.height} 行都无法使用（例如：{rejected['reason'][0]}）")
    return ReadInput(summary, loaded, rejected)


def already_loaded(conn: duckdb.DuckDBPyConnection, kind: str, sha256: str, month: str | None = None) -> bool:
    """Same content loaded before. A roll is one month's payment list, so the same roll file given
    for another month is that month's snapshot and is loaded again; an extract stays in force."""
    sql = "SELECT count(*) FROM inputs WHERE kind = ? AND sha256 = ? AND (kind <> 'roll' OR month = ?)"
    return bool(fetch_one(conn, sql, [kind, sha256, month or ""])[0])


def begin_batch(conn: duckdb.DuckDBPyConnection, command: str, month: str, config_hash: str = "") -> int:
    """Record the start of a run outside its transaction, so even a killed run is in the ledger."""
    batch_id = int(fetch_one(conn, "SELECT nextval('batch_ids')")[0])
    conn.execute(
        "INSERT INTO batches VALUES (?, ?, ?, ?, NULL, '进行中', ?, ?, NULL)",
        [batch_id, command, month, datetime.now(), __version__, config_hash],
    )
    return batch_id


def end_batch(conn: duckdb.DuckDBPyConnection, batch_id: int, outcome: str, detail: str = "") -> None:
    conn.execute(
        "UPDATE batches SET finished_at = ?, outcome = ?, detail = ? WHERE batch_id = ?",
        [datetime.now(), outcome, detail, batch_id],
    )


def store_inputs(
    conn: duckdb.DuckDBPyConnection,
    batch_id: int,
    kind: str,
    month: str,
    reads: list[ReadInput],
    program: str | None,
) -> None:
    """Write read files into the store; the caller holds the transaction."""
    table = kind  # one table per kind: roll, cremation, …
    for item in reads:
        with timed("store", item.loaded.height):
            _store_one(conn, batch_id, table, kind, month, item, program)


def _store_one(
    conn: duckdb.DuckDBPyConnection,
    batch_id: int,
    table: str,
    kind: str,
    month: str,
    item: ReadInput,
    program: str | None,
) -> None:
    input_id = int(fetch_one(conn, "SELECT nextval('input_ids')")[0])
    s = item.summary
    conn.execute(
        "INSERT INTO inputs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            input_id,
            batch_id,
            kind,
            month,
            s.file,
            Path(s.file).name,
            s.sha256,
            s.encoding,
            program,
            s.rows_read,
            s.rows_loaded,
            s.rows_rejected,
            s.header_row,
            "；".join(s.notes),
        ],
    )
    rejected = item.rejected.with_columns(
        pl.lit(input_id).alias("input_id"),
        pl.lit(kind).alias("kind"),
        pl.lit(month).alias("month"),
        pl.lit(Path(s.file).name).alias("file"),
    )
    # The file's constants are added by DuckDB: no column of millions of equal strings in Python.
    conn.register("incoming", item.loaded.to_arrow())
    conn.execute(
        f"INSERT INTO {table} BY NAME SELECT *, ?::VARCHAR AS month, ?::BIGINT AS input_id, ?::VARCHAR AS source_file "
        "FROM incoming",
        [month, input_id, Path(s.file).name],
    )
    conn.unregister("incoming")
    conn.register("incoming_rejected", rejected.to_arrow())
    conn.execute("INSERT INTO rejected BY NAME SELECT * FROM incoming_rejected")
    conn.unregister("incoming_rejected")


@dataclass(frozen=True)
class PlannedFile:
    """One file to load: its kind and, for a roll without a 保障类别 column, its programme."""

    path: Path
    kind: str
    program: str | None = None


def _read_each(
    conn: duckdb.DuckDBPyConnection,
    planned: list[PlannedFile],
    errors: list[InputError],
    *,
    replace: bool,
    headers: dict[str, dict[str, str]] | None,
    month: str | None = None,
) -> Iterator[tuple[PlannedFile, InputSummary, ReadInput | None]]:
    """Each file read in turn (None for one skipped as already loaded); bad files go to `errors`
    so that all of them can be reported together."""
    seen: set[tuple[str, str]] = set()
    for item in planned:
        sha = sha256_of(item.path) if item.path.is_file() else ""
        if sha and ((item.kind, sha) in seen or (not replace and already_loaded(conn, item.kind, sha, month))):
            summary = InputSummary(file=str(item.path), kind=item.kind, sha256=sha, skipped=True)
            summary.notes.append("相同内容（SHA-256）已载入过，跳过")
            yield item, summary, None
            continue
        seen.add((item.kind, sha))
        try:
            read = read_input(item.path, item.kind, program=item.program, extra_headers=(headers or {}).get(item.kind))
        except InputError as exc:
            errors.append(exc)
            continue
        yield item, read.summary, read


def _raise_collected(errors: list[InputError]) -> None:
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise InputError(f"{len(errors)} 个文件", [str(e) for e in errors])


def read_files(
    conn: duckdb.DuckDBPyConnection,
    planned: list[PlannedFile],
    *,
    replace: bool = False,
    headers: dict[str, dict[str, str]] | None = None,
) -> tuple[list[ReadInput], list[InputSummary]]:
    """Read every file before anything is stored (small inputs such as township replies)."""
    errors: list[InputError] = []
    reads: list[ReadInput] = []
    summaries: list[InputSummary] = []
    for _, summary, read in _read_each(conn, planned, errors, replace=replace, headers=headers):
        summaries.append(summary)
        if read is not None:
            reads.append(read)
    _raise_collected(errors)
    return reads, summaries


def load_planned(
    conn: duckdb.DuckDBPyConnection,
    batch_id: int,
    month: str,
    planned: list[PlannedFile],
    *,
    replace: bool = False,
    headers: dict[str, dict[str, str]] | None = None,
) -> list[InputSummary]:
    """Read and store the files one at a time, so memory holds one file, not all of them.

    The caller holds the transaction: every bad file is reported together at the end, and the
    raised error rolls back whatever was stored before it — nothing is loaded unless all is.
    """
    errors: list[InputError] = []
    summaries: list[InputSummary] = []
    for item, summary, read in _read_each(conn, planned, errors, replace=replace, headers=headers, month=month):
        summaries.append(summary)
        if read is None or errors:
            continue  # skipped, or the run will fail: keep reading to report every bad file
        store_inputs(conn, batch_id, item.kind, month, [read], item.program)
        log.info(
            "载入 %s %s：读取 %d 行 = 载入 %d + 拒绝 %d",
            KIND_LABELS[summary.kind], Path(summary.file).name, summary.rows_read, summary.rows_loaded,
            summary.rows_rejected,
        )  # fmt: skip
    _raise_collected(errors)
    return summaries


def load(
    kind: str,
    paths: list[Path],
    *,
    month: str,
    db: Path,
    program: str | None = None,
    replace: bool = False,
    extra_headers: dict[str, str] | None = None,
    config_hash: str = "",
) -> LoadResult:
    """Load files of one kind for a month. The whole call commits or nothing does."""
    if kind not in FIELDS:
        raise HexiaoError(f"未知的数据种类 {kind}")
    planned = [PlannedFile(path, kind, program) for path in paths]
    with workspace_lock(db):
        conn = connect(db)
        try:
            batch_id = begin_batch(conn, f"load {kind}", month, config_hash)
            try:
                with transaction(conn):
                    if replace and kind == "roll":
                        conn.execute("DELETE FROM roll WHERE month = ?", [month])
                    inputs = load_planned(
                        conn, batch_id, month, planned, replace=replace, headers={kind: extra_headers or {}}
                    )
            except BaseException as exc:
                end_batch(conn, batch_id, "失败", type(exc).__name__)
                raise
            end_batch(conn, batch_id, "完成")
        finally:
            conn.close()
    return LoadResult(kind, month, batch_id, inputs)
