"""One measured run in a fresh process, so each has its own peak memory: prints JSON on stdout.

python -m hexiao.bench.child inbox|explicit DATA_DIR WORK_DIR MONTH
python -m hexiao.bench.child deceased DATA_DIR WORK_DIR MONTH

`deceased` times the DECEASED rule alone in a workspace the explicit run has loaded: the roll
linked to the cremation extract only, then the rule, rolled back — the work the Splink peer does.
A monthly run links every extract in one pass, so its own figures cannot separate this.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from hexiao.config import Config
from hexiao.inbox import plan_inbox
from hexiao.ingest.values import month_start
from hexiao.load import load
from hexiao.match import match, prepare_month
from hexiao.normalize.names import compare_names
from hexiao.process import leave_memory_to_the_system
from hexiao.rules.base import RuleContext
from hexiao.rules.deceased import DeceasedRule
from hexiao.store import opened
from hexiao.timing import RECORDER, peak_rss_mb

LOAD_ORDER = ("roll", "cremation", "vehicle", "property", "business", "employee", "poverty")


def run(mode: str, data: Path, work: Path, month: str) -> dict[str, object]:
    work.mkdir(parents=True, exist_ok=True)
    db, out = work / "hexiao.duckdb", work / "out"
    RECORDER.enabled = True
    RECORDER.reset()
    started = time.perf_counter()
    if mode == "inbox":
        result = match(month=month, db=db, out=out, inbox=data)
    else:
        planned = plan_inbox(data)
        for kind in LOAD_ORDER:  # `hexiao load KIND FILE --program P` for each file, as an officer would
            for item in (p for p in planned if p.kind == kind):
                load(kind, [item.path], month=month, db=db, program=item.program)
        result = match(month=month, db=db, out=out, inbox=None)
    total = time.perf_counter() - started
    return {
        "mode": mode,
        "total_s": round(total, 2),
        "peak_mb": round(peak_rss_mb(), 1),
        "steps": {name: vars(step) for name, step in RECORDER.steps.items()},
        "warnings": result.warnings.height,
        "warnings_parquet": str(result.out_dir / "warnings.parquet"),
    }


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
    mode, data, work, month = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
    result = deceased_alone(work, month) if mode == "deceased" else run(mode, data, work, month)
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    leave_memory_to_the_system()  # as the command line does: the bench counts until the process ends
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
