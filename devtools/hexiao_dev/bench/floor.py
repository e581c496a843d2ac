"""The floor: DuckDB alone decoding and reading every file into tables and joining the roll's IDs
exactly against every extract — in one process, with DuckDB's default thread count (all cores).
It imports DuckDB and the standard library only (calamine for a workbook), not Polars.

This is the least any tool must do with these files; hexiao's total is reported as a multiple.

    python -m hexiao_dev.bench.floor DATA_DIR   → JSON on stdout
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from hexiao.io.files import inbox_files, kind_from_name
from hexiao.kinds import FEEDBACK_KIND, FIELDS
from hexiao.timing import peak_rss_mb

# The ID column's header in any of the contract's spellings (spaces inside are ignored).
ID_HEADERS = frozenset(
    f.header for kind, fields in FIELDS.items() if kind != FEEDBACK_KIND for f in fields if f.name == "id_number"
) | frozenset(
    s
    for kind, fields in FIELDS.items()
    if kind != FEEDBACK_KIND
    for f in fields
    if f.name == "id_number"
    for s in f.synonyms
)
HEAD_LINES = 30


def _decode(raw: bytes) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def _is_id_header(cell: str) -> bool:
    return "".join(cell.split()) in ID_HEADERS


def _utf8_copies(path: Path, scratch: Path) -> list[tuple[Path, int]]:
    """DuckDB reads UTF-8 CSV only (its GB18030 and Excel readers are extensions it would
    download): transcode a GB18030 or UTF-16 file once, write every sheet of a workbook out as CSV
    with calamine, and skip title rows above the header."""
    texts = _workbook_as_csv(path) if path.suffix.lower() in (".xlsx", ".xls") else [_decode(path.read_bytes())]
    copies = []
    for number, text in enumerate(texts):
        lines = text.split("\n", HEAD_LINES)[:HEAD_LINES]
        header = (
            i for i, line in enumerate(lines) if any(_is_id_header(cell) for cell in next(csv.reader([line]), []))
        )
        target = scratch / f"{path.name}.{number}.csv"
        target.write_text(text, encoding="utf-8")
        copies.append((target, next(header, 0)))
    return copies


def _workbook_as_csv(path: Path) -> list[str]:
    """Every sheet, every cell as text."""
    import python_calamine  # only for workbooks

    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    texts = []
    for name in workbook.sheet_names:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(workbook.get_sheet_by_name(name).to_python())
        texts.append(buffer.getvalue())
    return texts


def run(data: Path) -> dict[str, object]:
    started = time.perf_counter()
    conn = duckdb.connect()

    def id_column(table: str) -> str:
        names = [row[0] for row in conn.execute(f"DESCRIBE {table}").fetchall()]
        return str(next((n for n in names if _is_id_header(n)), ""))

    with tempfile.TemporaryDirectory() as scratch:
        tables: dict[str, list[str]] = {}
        for index, path in enumerate(inbox_files(data)):
            kind = kind_from_name(path) or "other"  # an unnamed file is read and joined all the same
            for number, (source, skip) in enumerate(_utf8_copies(path, Path(scratch))):
                table = f"{kind}_{index}_{number}"
                conn.execute(
                    f"CREATE TABLE {table} AS SELECT * FROM read_csv(?, all_varchar = true, header = true,"
                    f" skip = {skip}, null_padding = true, ignore_errors = true)",
                    [str(source)],
                )
                if id_column(table):  # a sheet without IDs (a note, an empty sheet) is read, not joined
                    tables.setdefault(kind, []).append(table)
    read_s = time.perf_counter() - started

    roll = " UNION ALL ".join(f'SELECT trim("{id_column(t)}") AS id FROM {t}' for t in tables["roll"])
    conn.execute(f"CREATE TABLE roll_ids AS {roll}")
    joined: dict[str, int] = {}
    for kind, names in tables.items():
        if kind == "roll":
            continue
        union = " UNION ALL ".join(f'SELECT trim("{id_column(t)}") AS id FROM {t}' for t in names)
        row = conn.execute(f"SELECT count(*) FROM roll_ids r JOIN ({union}) e USING (id)").fetchall()
        joined[kind] = int(row[0][0])
    total = time.perf_counter() - started
    return {
        "read_s": round(read_s, 2),
        "total_s": round(total, 2),
        "peak_mb": round(peak_rss_mb(), 1),
        "joined": joined,
    }


def main() -> int:
    sys.stdout.write(json.dumps(run(Path(sys.argv[1])), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
