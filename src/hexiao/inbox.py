"""Telling a file's kind from its name or header (contract.md §1), for `hexiao match --inbox`."""

from __future__ import annotations

from pathlib import Path

from hexiao.errors import InputError
from hexiao.io.fields import FIELDS
from hexiao.io.grid import read_grid
from hexiao.io.headers import find_header, missing_required
from hexiao.io.kinds import inbox_files, kind_from_name, program_from_name
from hexiao.load import PlannedFile

__all__ = ["kind_from_header", "kind_from_name", "plan_inbox", "program_from_name"]


def kind_from_header(path: Path) -> str | None:
    """The one kind whose required columns are all in the file's header and that names the most
    columns; None when no kind fits or two fit equally well."""
    try:
        grid = read_grid(path)
    except InputError:
        return None
    scores: dict[str, int] = {}
    for kind in FIELDS:
        for sheet in grid.sheets:
            match = find_header(sheet, kind, str(path))
            if match and not missing_required(kind, match, {"program"} if kind == "roll" else set()):
                scores[kind] = max(scores.get(kind, 0), len(match.columns))
    if not scores:
        return None
    best = max(scores.values())
    winners = [k for k, v in scores.items() if v == best]
    return winners[0] if len(winners) == 1 else None


def plan_inbox(directory: Path) -> list[PlannedFile]:
    """Every file in the inbox with its kind; a file that fits no kind stops everything."""
    if not directory.is_dir():
        raise InputError(str(directory), "收件目录不存在")
    files = inbox_files(directory)
    planned: list[PlannedFile] = []
    unknown: list[str] = []
    for path in files:
        kind = kind_from_name(path) or kind_from_header(path)
        if kind is None:
            unknown.append(path.name)
            continue
        planned.append(PlannedFile(path, kind, program_from_name(path) if kind == "roll" else None))
    if unknown:
        raise InputError(
            str(directory),
            [
                f"无法判断“{name}”是哪类数据（文件名不含 花名册/火化/车辆/不动产/工商/财政供养/监测 等，表头也不能唯一识别）；"
                "请改名或移出收件目录，本次未载入任何文件"
                for name in unknown
            ],
        )
    return planned
