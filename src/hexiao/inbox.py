"""Telling a file's kind from its name (contract.md §1), for `hexiao match --inbox` and the demo."""

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
    ("roll", ("低保", "特困", "孤儿", "花名册")),
)


def kind_from_name(path: Path) -> str | None:
    for kind, words in NAME_PATTERNS:
        if any(word in path.name for word in words):
            return kind
    return None
