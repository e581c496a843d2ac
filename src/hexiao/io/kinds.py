"""A file's kind and programme from its name (contract.md §1): plain Python, so that a tool that
only sorts files (the benchmark's floor) need not load Polars."""

from __future__ import annotations

from pathlib import Path

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


def inbox_files(directory: Path) -> list[Path]:
    """The files of an inbox directory a match reads, by name: not hidden files, Excel's lock
    files or hexiao's own."""
    return sorted(
        p
        for p in directory.iterdir()
        if p.is_file() and not p.name.startswith((".", "~$")) and p.suffix.lower() not in HEXIAO_OWN_SUFFIXES
    )
