"""The library's public API: what the command line calls, for a script or a scheduler of its own.

    from hexiao.api import load, match, feedback, check
    load("roll", [Path("花名册.xlsx")], month="2026-11", db=Path("hexiao.duckdb"))
    result = match(month="2026-11", db=Path("hexiao.duckdb"), out=Path("out"))

Everything else in the package may change between versions.
"""

from __future__ import annotations

from hexiao.config import Config
from hexiao.explain import explain
from hexiao.feedback import feedback
from hexiao.intake import check
from hexiao.load import load
from hexiao.match import match, report
from hexiao.overview import write_overview
from hexiao.purge import purge
from hexiao.settings import load_config
from hexiao.status import status

__all__ = [
    "Config",
    "check",
    "explain",
    "feedback",
    "load",
    "load_config",
    "match",
    "purge",
    "report",
    "status",
    "write_overview",
]
