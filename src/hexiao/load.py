"""`hexiao.load`: read input files, normalise them and store them in one transaction."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from hexiao import ledger
from hexiao.errors import HexiaoError, InputError
from hexiao.ingest.prepare import REASON, prepare
from hexiao.io.grid import ROW_COLUMN, read_grid, sha256_of
from hexiao.io.headers import find_header, mapping_hint, missing_required, select_fields
from hexiao.io.sheets import sheet_fills
from hexiao.kinds import FEEDBACK_KIND, FIELDS, KIND_LABELS
from hexiao.log import get_logger
from hexiao.prefetch import Prefetched, prefetched
from hexiao.store import (
    PERSON_TABLES,
    SHEETS_PER_FILE,
    compact_persons,
    fetch_one,
    insert_frame,
    opened,
    workspace_lock,
)
from hexiao.timing import timed

log = get_logger()
FIELD_HEADERS = {kind: {f.name: f.header for f in fields} for kind, fields in FIELDS.items()}
PREPARE_CHUNK_ROWS = 1_000_000
# A file up to this size is read and prepared while the workspace opens, before it is known to be
# new: if it was loaded before, a fraction of a second is lost; a larger one waits for the answer.
PREPARE_AHEAD_BYTES = 8 * 1024 * 1024


@dataclass
class InputSummary:
    file: str
    kind: str
    sha256: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    encoding: str = ""
    header_row: int | None = None  # the first sheet read's
    header_rows: list[int] = field(default_factory=list)  # each sheet read's, in order
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


@dataclass(frozen=True)
class PlannedFile:
    """One file to load: its kind and, for a roll without a 保障类别 column, its programme."""

    path: Path
    kind: str
    program: str | None = None


def read_input(
    path: Path, kind: str, *, program: str | None = None, extra_headers: dict[str, str] | None = None
) -> ReadInput:
    """Read one whole file into normalised rows and rejected rows; raise InputError for a bad file.

    For small inputs (township replies) and tests; the monthly load streams (`load_planned`).
    """
    opened = _open_input(path, kind, program, extra_headers, _sha256_or_blank(path))  # read_grid names a missing file
    loaded, rejected = [], []
    for chunk in _prepared_chunks(opened, kind, program):
        loaded.append(chunk.loaded)
        rejected.append(chunk.rejected)
    _check_counts(opened.summary, _first_reason(rejected))
    return ReadInput(
        opened.summary,
        pl.concat(loaded, how="vertical_relaxed", rechunk=False),
        pl.concat(rejected, how="vertical_relaxed"),
    )


@dataclass(frozen=True)
class _SheetFields:
    name: str  # "" for a text file
    position: int  # among the workbook's tabs, 1 = first; 0 for a text file
    fields: pl.DataFrame  # the fields below its header


@dataclass
class _OpenedInput:
    summary: InputSummary
    sheets: list[_SheetFields]


def _open_input(
    path: Path, kind: str, program: str | None, extra_headers: dict[str, str] | None, sha256: str
) -> _OpenedInput:
    """Read the file and find each sheet's header; raise InputError naming every problem."""
    source = str(path)
    with timed("read") as step:
        grid = read_grid(path)
        step.rows += sum(sheet.frame.height for sheet in grid.sheets)
    summary = InputSummary(file=source, kind=kind, sha256=sha256, encoding=grid.encoding)
    provided = {"program"} if program else set()
    sheets: list[_SheetFields] = []
    problems: list[str] = []
    for sheet in grid.sheets:
        label = f"工作表“{sheet.name}”" if sheet.name else ""
        if sheet.position >= SHEETS_PER_FILE:  # the row key has room for this many (`store.ROW_KEY_SQL`)
            problems.append(f"{label}是第 {sheet.position} 个工作表；最多读取前 {SHEETS_PER_FILE - 1} 个，请拆分工作簿")
            break
        match = find_header(sheet, kind, source, extra_headers)
        if match is None:
            if len(grid.sheets) > 1:
                summary.notes.append(f"{label}没有可识别的表头，已跳过")
                continue
            problems.append(
                f"前 30 行中找不到{KIND_LABELS[kind]}的表头（应含 "
                + "、".join(f.header for f in FIELDS[kind] if f.required)
                + f"）；表头用了别的名称时，在 hexiao.toml 的 [headers.{kind}] 中写明，如 "
                + '"证件号" = "id_number"'
            )
            continue
        if len(grid.sheets) > 1 and not {"name", "id_number"} & set(match.columns):
            # A 汇总 sheet (乡镇, 保障类别, 人数 …) names fields but lists nobody.
            summary.notes.append(f"{label}不是人员名单（表头没有姓名和身份证号），已跳过")
            continue
        fills = sheet_fills(kind, sheet.name, set(match.columns))
        missing = missing_required(kind, match, provided | set(fills))
        if missing:
            problems.extend(
                f"{label}第 {match.row} 行表头缺少必需的列“{f.header}”（也可写作 {'、'.join(f.synonyms) or '—'}）；"
                + mapping_hint(kind, f, match)
                for f in missing
            )
            continue
        summary.header_row = summary.header_row or match.row
        summary.header_rows.append(match.row)
        fields = select_fields(sheet, kind, match).with_columns(
            pl.lit(value, pl.String).alias(name) for name, value in fills.items()
        )
        summary.notes.extend(
            f"{label}没有“{FIELD_HEADERS[kind][name]}”列，按工作表名填为“{value}”" for name, value in fills.items()
        )
        summary.rows_read += fields.height
        sheets.append(_SheetFields(sheet.name, sheet.position, fields))
    if problems:
        raise InputError(source, problems)
    if not sheets and summary.notes:
        raise InputError(source, "没有任何工作表含可识别的表头")
    if summary.rows_read == 0:
        raise InputError(source, f"第 {summary.header_row} 行表头下没有数据行")
    return _OpenedInput(summary, sheets)


def _prepared_chunks(opened: _OpenedInput, kind: str, program: str | None) -> Iterator[ReadInput]:
    """The file's rows prepared a million at a time: the intermediate columns of normalisation,
    and the rows waiting to be stored, then exist for one slice, not for the whole register."""
    summary = opened.summary
    for sheet in opened.sheets:
        # Every stored row says which sheet it came from; a text file's rows have no sheet.
        sheet_name = pl.lit(sheet.name or None, pl.String).alias("sheet")
        sheet_no = pl.lit(sheet.position or None, pl.Int32).alias("sheet_no")
        for offset in range(0, sheet.fields.height, PREPARE_CHUNK_ROWS):
            with timed("normalise"):
                prepared = prepare(kind, sheet.fields.slice(offset, PREPARE_CHUNK_ROWS), program)
                rejected = prepared.rejected.select(
                    pl.col(ROW_COLUMN).alias("source_row"),
                    pl.lit(sheet.name).alias("sheet"),
                    pl.col("_raw").alias("raw"),
                    pl.col(REASON).alias("reason"),
                )
                loaded = prepared.loaded
                if kind in PERSON_TABLES:
                    loaded = loaded.with_columns(sheet_name, sheet_no)
                elif kind == FEEDBACK_KIND:  # a reply's provenance is file, sheet and row too
                    loaded = loaded.with_columns(sheet_name)
            summary.rows_loaded += loaded.height
            summary.rows_rejected += rejected.height
            yield ReadInput(summary, loaded, rejected)


def _check_counts(summary: InputSummary, first_reason: str) -> None:
    """A file none of whose rows can be used is a wrong file, not a file of rejects."""
    if summary.rows_loaded == 0:
        raise InputError(summary.file, f"全部 {summary.rows_rejected} 行都无法使用（例如：{first_reason}）")


def _first_reason(rejected: list[pl.DataFrame]) -> str:
    return next((str(frame["reason"][0]) for frame in rejected if frame.height), "")


def already_loaded(conn: duckdb.DuckDBPyConnection, kind: str, sha256: str, month: str | None = None) -> bool:
    """Same content loaded before. A roll is one month's payment list, so the same roll file given
    for another month is that month's snapshot and is loaded again; an extract stays in force."""
    sql = "SELECT count(*) FROM inputs WHERE kind = ? AND sha256 = ? AND (kind <> 'roll' OR month = ?)"
    return bool(fetch_one(conn, sql, [kind, sha256, month or ""])[0])


def store_inputs(
    conn: duckdb.DuckDBPyConnection,
    batch_id: int,
    kind: str,
    month: str,
    reads: list[ReadInput],
    program: str | None,
) -> None:
    """Write whole read files into the store; the caller holds the transaction."""
    for item in reads:
        input_id = new_input_id(conn)
        _store_rows(conn, input_id, kind, month, item)
        record_input(conn, input_id, batch_id, kind, month, item.summary, program)


def new_input_id(conn: duckdb.DuckDBPyConnection) -> int:
    return int(fetch_one(conn, "SELECT nextval('input_ids')")[0])


def _store_rows(conn: duckdb.DuckDBPyConnection, input_id: int, kind: str, month: str, item: ReadInput) -> None:
    """Append rows (to the kind's own table: roll, cremation, …) and rejected rows."""
    file_name = Path(item.summary.file).name
    with timed("store", item.loaded.height):
        constants = [pl.lit(month).alias("month"), pl.lit(input_id, pl.Int64).alias("input_id")]
        rows = compact_persons(item.loaded) if kind in PERSON_TABLES else item.loaded
        insert_frame(conn, kind, rows.with_columns(*constants, pl.lit(file_name).alias("source_file")))
        if item.rejected.height:
            insert_frame(
                conn,
                "rejected",
                item.rejected.with_columns(*constants, pl.lit(kind).alias("kind"), pl.lit(file_name).alias("file")),
            )


def record_input(
    conn: duckdb.DuckDBPyConnection,
    input_id: int,
    batch_id: int,
    kind: str,
    month: str,
    s: InputSummary,
    program: str | None,
) -> None:
    """One file of a batch in the ledger's `inputs`: what was read, loaded and rejected."""
    conn.execute(
        "INSERT INTO inputs (input_id, batch_id, kind, month, file, file_name, sha256, encoding, program, "
        "rows_read, rows_loaded, rows_rejected, header_row, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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


@dataclass
class _FileEvent:
    """What reading file `index` produced: a prepared slice, the file read to its end, or the
    error that stopped it."""

    index: int
    chunk: ReadInput | None = None
    done: InputSummary | None = None
    error: InputError | None = None


def _read_files(
    planned: list[PlannedFile],
    shas: list[str],
    order: list[int],
    headers: dict[str, dict[str, str]],
    wanted: Future[frozenset[int]],
) -> Iterator[_FileEvent]:
    """Read and prepare the files in `order`, a slice at a time (runs on the prefetch thread).

    A file up to `PREPARE_AHEAD_BYTES` is read and prepared while the workspace opens; a larger one
    is not even read before `wanted` says it is to be loaded (not loaded before, and the run still
    going): if it was loaded before, reading it again would cost seconds. A file is handed over,
    and its error reported, only once it is wanted.
    """
    for index in order:
        item = planned[index]
        if (wanted.done() or _size(item.path) > PREPARE_AHEAD_BYTES) and index not in wanted.result():
            continue
        try:
            opened = _open_input(item.path, item.kind, item.program, headers.get(item.kind), shas[index])
            chunks = _prepared_chunks(opened, item.kind, item.program)
            ahead = [] if wanted.done() else list(itertools.islice(chunks, 1))
            if index not in wanted.result():  # waits for the decision
                del opened, chunks, ahead  # loaded before: nothing of it is kept
                continue
            for chunk in itertools.chain(ahead, chunks):
                yield _FileEvent(index, chunk=chunk)
        except Exception as exc:
            if index not in wanted.result():
                continue  # loaded before: whatever reading it again ran into is not this run's
            if not isinstance(exc, InputError):
                raise
            yield _FileEvent(index, error=exc)
            continue
        summary = opened.summary
        del opened  # this file's text is not kept while the next one is read
        yield _FileEvent(index, done=summary)


@dataclass
class ReadAhead:
    """Files being read on a second thread, the largest first (`reading_ahead`)."""

    planned: list[PlannedFile]
    shas: list[str]
    wanted: Future[frozenset[int]]
    events: Prefetched[_FileEvent]


@contextlib.contextmanager
def reading_ahead(planned: list[PlannedFile], headers: dict[str, dict[str, str]] | None = None) -> Iterator[ReadAhead]:
    """Start reading `planned` before the workspace is open: opening it (and, in a new process,
    creating DuckDB's instance and the schema) takes as long as reading and preparing a small file.
    `load_planned` then says which files are new (`_read_files`: a large file waits for that).
    Leaving the block stops the reading."""
    shas = _sha256s([item.path for item in planned])
    # The largest file first, so that storing it overlaps preparing the others instead of ending
    # the load.
    order = sorted(range(len(planned)), key=lambda i: -_size(planned[i].path))
    wanted: Future[frozenset[int]] = Future()
    with prefetched(_read_files(planned, shas, order, headers or {}, wanted)) as events:
        try:
            yield ReadAhead(planned, shas, wanted, events)
        finally:
            if not wanted.done():
                wanted.set_result(frozenset())  # the run stopped first: nothing more is read


def _new_files(
    conn: duckdb.DuckDBPyConnection,
    planned: list[PlannedFile],
    shas: list[str],
    summaries: dict[int, InputSummary],
    *,
    replace: bool,
    month: str | None = None,
) -> Iterator[tuple[int, PlannedFile]]:
    """Each file with its position, except one already loaded (its summary, at its position, says
    it was skipped)."""
    seen: set[tuple[str, str]] = set()
    for position, (item, sha) in enumerate(zip(planned, shas, strict=True)):
        if sha and ((item.kind, sha) in seen or (not replace and already_loaded(conn, item.kind, sha, month))):
            summary = InputSummary(file=str(item.path), kind=item.kind, sha256=sha, skipped=True)
            summary.notes.append("相同内容（SHA-256）已载入过，跳过")
            summaries[position] = summary
            continue
        seen.add((item.kind, sha))
        yield position, item


def _sha256s(paths: list[Path]) -> list[str]:
    """Each file's SHA-256, two at a time: hashing releases the GIL, and an inbox holds 50 MB at
    county scale. "" for a file that cannot be read: that is reported when it is read, inside the
    run's batch, so the ledger records the failure."""
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="hexiao-sha256") as pool:
        return list(pool.map(_sha256_or_blank, paths))


def _sha256_or_blank(path: Path) -> str:
    try:
        return sha256_of(path) if path.is_file() else ""
    except OSError:
        return ""


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
    summaries: dict[int, InputSummary] = {}
    shas = _sha256s([item.path for item in planned])
    for position, item in _new_files(conn, planned, shas, summaries, replace=replace):
        try:
            read = read_input(item.path, item.kind, program=item.program, extra_headers=(headers or {}).get(item.kind))
        except InputError as exc:
            errors.append(exc)
            continue
        summaries[position] = read.summary
        reads.append(read)
    _raise_collected(errors)
    return reads, [summaries[i] for i in sorted(summaries)]


def load_planned(
    conn: duckdb.DuckDBPyConnection,
    batch_id: int,
    month: str,
    reading: ReadAhead,
    *,
    replace: bool = False,
) -> list[InputSummary]:
    """Store the files `reading` reads, one at a time, a slice at a time, so memory holds a file's
    text and a few slices of rows, not every file. The next slice is read and prepared on a second
    thread while this one is stored.

    The caller holds the transaction: every bad file is reported together at the end, and the
    raised error rolls back whatever was stored before it — nothing is loaded unless all is.
    """
    summaries: dict[int, InputSummary] = {}  # by position in `planned`
    files = dict(_new_files(conn, reading.planned, reading.shas, summaries, replace=replace, month=month))
    # IDs in the order given, so row keys do not depend on file sizes.
    input_ids = {position: new_input_id(conn) for position in files}
    reading.wanted.set_result(frozenset(files))
    errors: dict[int, InputError] = {}
    stored: set[int] = set()
    first_reasons: dict[int, str] = {}
    for event in reading.events:
        item = files[event.index]
        if event.error is not None:
            errors[event.index] = event.error
        elif event.chunk is not None:
            # Once the run is known to fail, later files are still checked so every bad file
            # is reported together, but no longer stored.
            if not errors:
                _store_rows(conn, input_ids[event.index], item.kind, month, event.chunk)
                stored.add(event.index)
            if not first_reasons.get(event.index):
                first_reasons[event.index] = _first_reason([event.chunk.rejected])
        elif event.done is not None:
            summary = event.done
            try:
                _check_counts(summary, first_reasons.get(event.index, ""))
            except InputError as exc:
                errors[event.index] = exc
                continue
            if event.index in stored:
                record_input(conn, input_ids[event.index], batch_id, item.kind, month, summary, item.program)
            summaries[event.index] = summary
            log.info(
                "载入 %s %s：读取 %d 行 = 载入 %d + 拒绝 %d",
                KIND_LABELS[summary.kind], Path(summary.file).name, summary.rows_read, summary.rows_loaded,
                summary.rows_rejected,
            )  # fmt: skip
    _raise_collected([errors[i] for i in sorted(errors)])
    return [summaries[i] for i in sorted(summaries)]


def _size(path: Path) -> int:
    return path.stat().st_size if path.is_file() else 0  # a missing file is reported when read


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
    config_text: str | None = None,
) -> LoadResult:
    """Load files of one kind for a month. The whole call commits or nothing does."""
    if kind not in FIELDS:
        raise HexiaoError(f"未知的数据种类 {kind}")
    planned = [PlannedFile(path, kind, program) for path in paths]
    headers = {kind: extra_headers or {}}
    with workspace_lock(db), reading_ahead(planned, headers) as reading, opened(db) as conn:
        with ledger.batch(conn, f"load {kind}", month, config_hash=config_hash, config_text=config_text) as run:
            if replace and kind == "roll":
                conn.execute("DELETE FROM roll WHERE month = ?", [month])
            inputs = load_planned(conn, run.batch_id, month, reading, replace=replace)
    return LoadResult(kind, month, run.batch_id, inputs)
