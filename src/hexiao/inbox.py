"""Telling a file's kind from its name or header (contract.md §1), for `hexiao match --inbox`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hexiao.errors import InputError
from hexiao.io.files import kind_from_name, name_words, program_from_name, sort_inbox
from hexiao.io.grid import is_blank_workbook, read_grid
from hexiao.io.headers import find_header, missing_required
from hexiao.kinds import FIELDS
from hexiao.load import PlannedFile

__all__ = ["InboxPlan", "kind_from_header", "kind_from_name", "plan_inbox", "program_from_name", "survey_inbox"]


@dataclass(frozen=True)
class InboxPlan:
    """What an inbox holds: the files to load, each with its kind, and the litter passed over."""

    directory: Path
    files: list[PlannedFile]
    ignored: list[str] = field(default_factory=list)  # file names (`kinds.is_litter`)

    def empty_message(self, month: str) -> str:
        """Why there is nothing to match, and what to do: said when the inbox holds no data file
        and no roll of the month is stored."""
        passed_over = f"（只有已忽略的 {'、'.join(self.ignored)}）" if self.ignored else ""
        return (
            f"收件目录 {self.directory} 是空的{passed_over}，也还没有载入 {month} 月的花名册："
            f"请把本月花名册和比对数据放进该目录后再运行，或先运行 hexiao load roll 文件 --month {month}"
        )


def kind_from_header(path: Path, headers: dict[str, dict[str, str]] | None = None) -> str | None:
    """The one kind whose required columns are all in the file's header and that names the most
    columns, with the `[headers.<kind>]` mappings of hexiao.toml (`headers`) as the load reads
    them; None when no kind fits or two fit equally well."""
    try:
        grid = read_grid(path)
    except InputError:
        return None
    scores: dict[str, int] = {}
    for kind in FIELDS:
        for sheet in grid.sheets:
            # Two columns of one field stop a load, not the guess: the load names both.
            match = find_header(sheet, kind, str(path), (headers or {}).get(kind), strict=False)
            if match and not missing_required(kind, match, {"program"} if kind == "roll" else set()):
                scores[kind] = max(scores.get(kind, 0), len(match.columns))
    if not scores:
        return None
    best = max(scores.values())
    winners = [k for k, v in scores.items() if v == best]
    return winners[0] if len(winners) == 1 else None


def plan_inbox(directory: Path, headers: dict[str, dict[str, str]] | None = None) -> list[PlannedFile]:
    """The inbox's files to load with their kinds (`survey_inbox` also lists what it passed over)."""
    return survey_inbox(directory, headers).files


def survey_inbox(directory: Path, headers: dict[str, dict[str, str]] | None = None) -> InboxPlan:
    """Every data file in the inbox with its kind, and the litter ignored (`io.files.is_litter`, and
    a workbook without a cell); a data file that fits no kind stops everything. `headers` are the
    configuration's `[headers.<kind>]` mappings."""
    if not directory.is_dir():
        raise InputError(str(directory), "收件目录不存在")
    files, litter = sort_inbox(directory)
    # A workbook no one typed into (新建 Microsoft Excel 工作表.xlsx) is litter too, as an empty file is.
    blank = [path for path in files if is_blank_workbook(path)]
    files = [path for path in files if path not in blank]
    planned: list[PlannedFile] = []
    unknown: list[str] = []
    for path in files:
        kind = kind_from_name(path) or kind_from_header(path, headers)
        if kind is None:
            unknown.append(path.name)
            continue
        planned.append(PlannedFile(path, kind, program_from_name(path) if kind == "roll" else None))
    if unknown:
        raise InputError(
            str(directory),
            [
                f"无法判断“{name}”是哪类数据（文件名不含 {name_words()} 等，"
                "表头也不能唯一识别）；请改名或移出收件目录，本次未载入任何文件"
                for name in unknown
            ],
        )
    return InboxPlan(directory, planned, [path.name for path in sorted([*litter, *blank])])
