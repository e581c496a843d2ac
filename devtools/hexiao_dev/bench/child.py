"""DECEASED alone, measured in a fresh process: prints JSON on stdout.

python -m hexiao_dev.bench.child deceased WORK_DIR MONTH

It times the DECEASED rule alone in a workspace the explicit run has loaded: the roll
linked to the cremation extract only, then the rule, rolled back — the work the Splink peer does.
A monthly run links every extract in one pass, so its own figures cannot separate this.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from hexiao.config import Config
from hexiao.ingest.values import month_start
from hexiao.match import prepare_month
from hexiao.normalize.names import compare_names
from hexiao.process import leave_memory_to_the_system
from hexiao.rules.base import RuleContext
from hexiao.rules.deceased import DeceasedRule
from hexiao.store import opened


def deceased_alone(work: Path, month: str) -> dict[str, object]:
    with opened(work / "hexiao.duckdb") as conn:
        conn.execute("BEGIN TRANSACTION")
        prepare_month(conn, month)
        ctx = RuleContext(conn=conn, month=month, month_start=month_start(month), config=Config())
        compare_names("张三", "张山", "张三", "张山")  # the pinyin table, loaded once per process
        started = time.perf_counter()
        warnings = DeceasedRule().run(ctx)
        seconds = time.perf_counter() - started
        conn.execute("ROLLBACK")
    return {"mode": "deceased", "seconds": round(seconds, 3), "warnings": warnings.height}


def main() -> int:
    mode, work, month = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    if mode != "deceased":
        raise SystemExit(f"unknown mode {mode!r}: the monthly job is timed through the hexiao command")
    result = deceased_alone(work, month)
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    leave_memory_to_the_system()  # as the command line does: the bench counts until the process ends
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
