"""`hexiao.status`: the run ledger — every batch, its inputs and its warnings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from hexiao.store import opened, query, workspace_lock


@dataclass
class Ledger:
    batches: pl.DataFrame  # batch_id, command, month, started_at, finished_at, outcome, version, config_hash, detail
    inputs: pl.DataFrame  # batch_id, kind, month, file_name, sha256, rows_read, rows_loaded, rows_rejected
    warnings: pl.DataFrame  # month, code, warnings


def status(*, db: Path, month: str | None = None) -> Ledger:
    """Read the ledger; with `month`, only that month's batches and warnings."""
    with workspace_lock(db), opened(db) as conn:
        where, params = ("WHERE month = ?", [month]) if month else ("", [])
        batches = query(conn, f"SELECT * FROM batches {where} ORDER BY batch_id", list(params))
        inputs = query(
            conn,
            f"""SELECT batch_id, kind, month, file_name, sha256, rows_read, rows_loaded, rows_rejected
                FROM inputs {where} ORDER BY input_id""",
            list(params),
        )
        warnings = query(
            conn,
            f"SELECT month, code, count(*) AS warnings FROM warnings {where} GROUP BY ALL ORDER BY ALL",
            list(params),
        )
    return Ledger(batches, inputs, warnings)
