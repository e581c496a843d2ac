"""Telling a file's kind from its name or header (contract.md §1), for `hexiao match --inbox`."""

from __future__ import annotations

from pathlib import Path

from hexiao.errors import InputError
from hexiao.io.fields import FIELDS
from hexiao.io.grid import read_grid
from hexiao.io.headers import find_header, missing_required
from hexiao.load import PlannedFile

# Checked in order: a 火化 file named "…花名册比对…" is still a cremation extract.
NAME_PATTERNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cremation", ("火化", "殡葬")),
    ("vehicle", ("车辆",)),
    ("property", ("不动产", "房产")),
    ("business", ("工商", "市场主体")),
    ("employee", ("财政供养",)),
    ("poverty", ("监测", "脱贫", "乡村振兴")),
    ("roll", ("低保", "特困", "孤儿", "花名册", "高龄津贴")),
)
# A roll file without a 保障类别 column takes its programme from its name.
PROGRAMS_IN_NAMES = (
    ("城市低保", "城市低保"),
    ("农村低保", "农村低保"),
    ("特困", "特困供养"),
    ("事实无人抚养儿童", "事实无人抚养儿童"),
    ("孤儿", "孤儿"),
    ("高龄津贴", "高龄津贴"),
)


# hexiao's own files, should the database live beside the inbox: never inputs.
HEXIAO_OWN_SUFFIXES = (".log", ".duckdb", ".wal", ".lock", ".tmp")


def kind_from_name(path: Path) -> str | None:
    for kind, words in NAME_PATTERNS:
        if any(word in path.name for word in words):
            return kind
    return None


def program_from_name(path: Path) -> str | None:
    return next((program for word, program in PROGRAMS_IN_NAMES if word in path.name), None)


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
    files = sorted(
        p
        for p in directory.iterdir()
        if p.is_file() and not p.name.startswith((".", "~$")) and p.suffix.lower() not in HEXIAO_OWN_SUFFIXES
    )
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
