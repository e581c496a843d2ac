"""`hexiao.ledger`: the run ledger, one row of the `batches` table per run of a command that writes.

A run is recorded in three steps (`batch`):

- 进行中 before its transaction, committed on its own, so even a killed run is in the ledger, with
  the version, configuration and operating-system account that ran it;
- its outcome (完成, or what the run set: `report.settle.PENDING`) inside the transaction, so the
  ledger says 完成 only when the run's rows are in, and a rolled-back run never says it;
- 失败 with the message the user was shown (`errors.failure_detail`) after the rollback, on any
  exception, Ctrl-C included; the exception goes on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import duckdb

from hexiao import __version__
from hexiao.errors import failure_detail
from hexiao.store import fetch_one, os_user, transaction

RUNNING = "进行中"
DONE = "完成"
FAILED = "失败"


@dataclass
class Run:
    """A run inside its batch: its ledger row's id, and the outcome and detail its commit records."""

    batch_id: int
    outcome: str = DONE
    detail: str = ""


@contextlib.contextmanager
def batch(
    conn: duckdb.DuckDBPyConnection,
    command: str,
    month: str,
    *,
    config_hash: str = "",
    config_text: str | None = None,
    detail: str | None = None,
) -> Iterator[Run]:
    """A run of `command` for `month` (or "") in one transaction, recorded in the ledger: the block
    writes its rows and may set `Run.outcome` and `Run.detail`; leaving it commits them with the
    outcome, an exception rolls them back and records 失败 (module docstring)."""
    run = Run(begin_batch(conn, command, month, config_hash, config_text=config_text, detail=detail))
    try:
        with transaction(conn):
            yield run
            end_batch(conn, run.batch_id, run.outcome, run.detail)
    except BaseException as exc:
        end_batch(conn, run.batch_id, FAILED, failure_detail(exc))
        raise


def begin_batch(
    conn: duckdb.DuckDBPyConnection,
    command: str,
    month: str,
    config_hash: str = "",
    *,
    config_text: str | None = None,
    detail: str | None = None,
) -> int:
    """Record the start of a run outside any transaction, with the operating-system account that
    ran it (`store.os_user`); `config_text` is the run's effective configuration
    (`Config.settings_text`). Returns the batch id."""
    # Columns named: an upgraded workspace has its added columns in the order they were added.
    row = fetch_one(
        conn,
        "INSERT INTO batches (batch_id, command, month, started_at, outcome, version, config_hash, config_text, detail, os_user) "
        "VALUES (nextval('batch_ids'), ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING batch_id",
        [command, month, datetime.now(), RUNNING, __version__, config_hash, config_text, detail, os_user()],
    )
    return int(row[0])


def end_batch(conn: duckdb.DuckDBPyConnection, batch_id: int, outcome: str, detail: str = "") -> None:
    """Record a run's outcome and when it ended; inside the run's transaction for an outcome that
    says its rows are in."""
    conn.execute(
        "UPDATE batches SET finished_at = ?, outcome = ?, detail = ? WHERE batch_id = ?",
        [datetime.now(), outcome, detail, batch_id],
    )
