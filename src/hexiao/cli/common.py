"""Options every subcommand accepts, the console, and turning errors into exit codes."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TextIO

import duckdb
import typer
from rich.console import Console

from hexiao.config import Config, find_config
from hexiao.errors import ExitCode, HexiaoError, exit_code_for, underlying_error
from hexiao.kinds import KIND_LABELS
from hexiao.load import InputSummary
from hexiao.log import attach_log_file, get_logger, keep_log, mask_ids_in_text
from hexiao.settings import load_config

DEFAULT_DB = "hexiao.duckdb"

DbOption = Annotated[
    Path | None,
    typer.Option("--db", envvar="HEXIAO_DB", help="数据库文件（默认 ./hexiao.duckdb，或环境变量 HEXIAO_DB）。"),
]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="配置文件（默认当前目录的 hexiao.toml，没有则用内置默认值）。")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="只输出错误。")]
JsonOption = Annotated[bool, typer.Option("--json", help="在标准输出打印机器可读的 JSON 摘要。")]
MonthOption = Annotated[str | None, typer.Option("--month", metavar="YYYY-MM", help="月份 YYYY-MM（默认本月）。")]


def plain_console(file: TextIO, *, color: bool) -> Console:
    """A console that prints text as written: what it prints is the ledger's reasons, file names,
    a township's notes, never Rich markup, so `[headers.roll]` stays (markup would drop it as a
    tag) and `:smile:` is no emoji."""
    return Console(file=file, no_color=not color, markup=False, emoji=False, highlight=False, soft_wrap=True)


@dataclass
class Session:
    """What a command needs from the common options."""

    db: Path
    config: Config
    quiet: bool
    json: bool
    out: Console  # stdout: data or the human summary
    err: Console  # stderr: one line per step

    def step(self, message: str) -> None:
        """One line per step on stderr (unless --quiet), IDs masked; the library logs the same step."""
        masked = mask_ids_in_text(message)
        if not self.quiet:
            self.err.print(masked, markup=False, highlight=False)

    def warn(self, message: str) -> None:
        """A warning on stderr, IDs masked: shown even with --quiet (a cron job's error log keeps it)."""
        self.err.print(f"警告：{mask_ids_in_text(message)}", markup=False, highlight=False)

    def emit_json(self, payload: Any) -> None:
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")


def describe_inputs(inputs: list[InputSummary], verb: str = "载入", rejected: str = "拒绝") -> list[str]:
    """One line per input file: rows read = loaded + rejected, or why it was skipped."""
    lines = []
    for item in inputs:
        name = Path(item.file).name
        if item.skipped:
            lines.append(f"跳过 {name}：相同内容已{verb}过")
            continue
        lines.append(
            f"{verb} {KIND_LABELS.get(item.kind, item.kind)} {name}（{item.encoding}，{header_rows_text(item)}）："
            f"读取 {item.rows_read} 行 = {verb} {item.rows_loaded} + {rejected} {item.rows_rejected}"
        )
        lines.extend(f"  注意：{note}" for note in item.notes)
    return lines


def header_rows_text(item: InputSummary) -> str:
    """`表头在第 2 行`, or for sheets whose headers are on different rows `各工作表表头在第 1–3 行`."""
    rows = sorted(set(item.header_rows))
    if len(rows) > 1:
        return f"各工作表表头在第 {rows[0]}–{rows[-1]} 行"
    return f"表头在第 {rows[0] if rows else item.header_row} 行"


def current_month() -> str:
    return date.today().strftime("%Y-%m")


def check_month(month: str | None, option: str = "--month") -> str:
    """`month` as YYYY-MM (the current month when not given); a bad value names `option`."""
    value = month or current_month()
    parts = value.split("-")
    if len(parts) != 2 or len(parts[0]) != 4 or not all(p.isdigit() for p in parts) or not 1 <= int(parts[1]) <= 12:
        raise typer.BadParameter(f"月份应为 YYYY-MM，例如 2026-11，收到 {value!r}", param_hint=option)
    return f"{int(parts[0]):04d}-{int(parts[1]):02d}"


def open_session(
    db: Path | None, config: Path | None, quiet: bool, as_json: bool, *, read_only: bool = False
) -> Session:
    """The common options resolved. A `read_only` command (one that changes no workspace: status,
    report, config) creates no log file: it logs only to one that is already there."""
    # Every file hexiao writes holds names and ID numbers: owner-only, including the files DuckDB
    # creates later on its own (its write-ahead log).
    os.umask(0o077)
    db_path = db or Path(os.environ.get("HEXIAO_DB") or DEFAULT_DB)
    tty = sys.stderr.isatty()
    session = Session(
        db=db_path,
        config=load_config(find_config(config)),
        quiet=quiet or as_json,
        json=as_json,
        out=plain_console(sys.stdout, color=sys.stdout.isatty()),
        err=plain_console(sys.stderr, color=tty),
    )
    attach_log_file(db_path, create=not read_only)
    return session


@contextmanager
def handled() -> Iterator[None]:
    """Turn any failure into the contract's exit code and one masked line on stderr."""
    try:
        yield
    except (typer.Exit, typer.Abort, typer.TyperException, SystemExit):
        # Usage errors (exit 2) and explicit exits are for Typer to report.
        raise
    except HexiaoError as exc:
        for line in exc.lines():  # one problem per line, so an officer fixes them in one pass
            message = mask_ids_in_text(line)
            get_logger().error(message)
            sys.stderr.write(f"hexiao: error: {message}\n")
        raise typer.Exit(int(exit_code_for(exc))) from None
    except KeyboardInterrupt:
        sys.stderr.write("hexiao: error: 已中断，数据库保持运行前的状态\n")
        raise typer.Exit(int(ExitCode.INTERNAL)) from None
    except Exception as exc:
        failure = underlying_error(exc)
        keep_log()  # a defect's traceback is kept, workspace or not
        logger = get_logger()
        logger.error("内部错误：%s", mask_ids_in_text(f"{type(failure).__name__}: {failure}"))
        logger.log(logging.ERROR, mask_ids_in_text(_traceback_text(exc)))
        log_file = next((h.baseFilename for h in logger.handlers if isinstance(h, logging.FileHandler)), None)
        # A command that only reads writes no log where there is none (`open_session`).
        details = f"详情见日志 {log_file}" if log_file else "此命令只读，没有建立日志"
        if isinstance(failure, _ENVIRONMENT_FAILURES):
            what = f"磁盘空间、内存或文件读写出错：{mask_ids_in_text(str(failure))}（不是输入问题；{details}）"
        else:
            what = f"{type(failure).__name__}（这是 hexiao 的缺陷，不是输入问题；{details}）"
        sys.stderr.write(f"hexiao: internal error: {what}\n")
        raise typer.Exit(int(ExitCode.INTERNAL)) from None


# What the machine, not hexiao, ran out of or refused: a full disk, too little memory, a file that
# cannot be written. Still exit 4, but the officer is told what to look at.
_ENVIRONMENT_FAILURES = (OSError, duckdb.IOException, duckdb.OutOfMemoryException)


def _traceback_text(exc: BaseException) -> str:
    import traceback

    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


CommandFunc = Callable[..., None]
