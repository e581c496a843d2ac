"""An inbox's files: which are data and which are litter, and a file's kind and programme from its
name (contract.md §1). Plain Python, so that a tool that only sorts files (the benchmark's floor)
need not load Polars."""

from __future__ import annotations

from pathlib import Path

from hexiao.kinds import KINDS, ROLL_KIND

# A name that says one of these is a payment roll's, whatever else it says (`Kind.yields_to_roll`).
ROLL_NAME_WORDS = ("花名册", "补贴")
# A roll file without a 保障类别 column takes its programme from its name.
PROGRAMS_IN_NAMES = (
    ("城市低保", "城市低保"),
    ("农村低保", "农村低保"),
    ("特困", "特困供养"),
    ("事实无人抚养儿童", "事实无人抚养儿童"),
    ("孤儿", "孤儿"),
    ("高龄津贴", "高龄津贴"),
)


# hexiao's own files, should the database or its settings (hexiao.toml) live beside the inbox: never inputs.
HEXIAO_OWN_SUFFIXES = (".log", ".duckdb", ".wal", ".lock", ".tmp", ".toml")
# What Windows Explorer, macOS Finder and desktop search leave in a shared folder.
SYSTEM_FILE_NAMES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", ".ds_store"})


def kind_from_name(path: Path) -> str | None:
    """The first kind (`kinds.KINDS`, in order) whose words the file's name holds."""
    roll_named = any(word in path.name for word in ROLL_NAME_WORDS)
    for kind in KINDS:
        if kind.yields_to_roll and roll_named:
            continue
        if any(word in path.name for word in kind.file_words):
            return kind.name
    return ROLL_KIND if roll_named else None


def name_words() -> str:
    """The words a file's name may hold, for a message about a file hexiao cannot place."""
    return "/".join(word for kind in KINDS for word in kind.file_words[:2])


def program_from_name(path: Path) -> str | None:
    return next((program for word, program in PROGRAMS_IN_NAMES if word in path.name), None)


def is_litter(path: Path) -> bool:
    """Not data, whatever it is called: a hidden file, a system file, an Office lock file (~$…), an
    empty file (a copy that never finished, a placeholder). Only in an inbox: a file named on the
    command line is read, and an empty one is an error there."""
    name = path.name
    return name.startswith((".", "~$")) or name.lower() in SYSTEM_FILE_NAMES or path.stat().st_size == 0


def sort_inbox(directory: Path) -> tuple[list[Path], list[Path]]:
    """The inbox's data files and its litter (`is_litter`), each sorted by name. hexiao's own files
    and sub-directories are neither."""
    files = sorted(p for p in directory.iterdir() if p.is_file() and p.suffix.lower() not in HEXIAO_OWN_SUFFIXES)
    litter = {p for p in files if is_litter(p)}
    return [p for p in files if p not in litter], sorted(litter)


def inbox_files(directory: Path) -> list[Path]:
    """The files of an inbox directory a match reads: not litter or hexiao's own."""
    return sort_inbox(directory)[0]
