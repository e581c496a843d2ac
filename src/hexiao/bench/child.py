"""One measured run in a fresh process, so each has its own peak memory: prints JSON on stdout.

python -m hexiao.bench.child inbox|explicit DATA_DIR WORK_DIR MONTH
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from hexiao.inbox import plan_inbox
from hexiao.load import load
from hexiao.match import match
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


def main() -> int:
    mode, data, work, month = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
    sys.stdout.write(json.dumps(run(mode, data, work, month), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
