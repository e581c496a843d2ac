"""The floor: DuckDB alone decoding and reading every file into tables and joining the roll's IDs
exactly against every extract — in one process, with DuckDB's default thread count (all cores).

This is the least any tool must do with these files; hexiao's total is reported as a multiple.

    python -m hexiao.bench.floor DATA_DIR   → JSON on stdout
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from hexiao.inbox import kind_from_name
from hexiao.timing import peak_rss_mb

ID_HEADERS = ("身份证号", "身份证号码", "逝者身份证号", "权利人证件号码")


def _utf8_copy(path: Path, scratch: Path) -> tuple[Path, int]:
    """DuckDB reads UTF-8 only (its GB18030 support is an extension it would download):
    transcode GB18030 files once, and skip title rows above the header."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    lines = text.split("\n", 5)
    skip = next(i for i, line in enumerate(lines) if any(h in line for h in ID_HEADERS))
    target = scratch / path.name
    target.write_text(text, encoding="utf-8")
    return target, skip


def run(data: Path) -> dict[str, object]:
    started = time.perf_counter()
    conn = duckdb.connect()
    with tempfile.TemporaryDirectory() as scratch:
        tables: dict[str, list[str]] = {}
        for index, path in enumerate(sorted(p for p in data.iterdir() if p.suffix == ".csv")):
            kind = kind_from_name(path)
            if kind is None:
                continue
            source, skip = _utf8_copy(path, Path(scratch))
            table = f"{kind}_{index}"
            conn.execute(
                f"CREATE TABLE {table} AS SELECT * FROM read_csv(?, all_varchar = true, header = true, skip = {skip},"
                " null_padding = true, ignore_errors = true)",
                [str(source)],
            )
            tables.setdefault(kind, []).append(table)
    read_s = time.perf_counter() - started

    def id_column(table: str) -> str:
        names = [row[0] for row in conn.execute(f"DESCRIBE {table}").fetchall()]
        return str(next(n for n in names if n in ID_HEADERS))

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
