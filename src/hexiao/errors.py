"""One exception tree and one mapping from exceptions to the contract's exit codes."""

from __future__ import annotations

from enum import IntEnum

import duckdb

from hexiao.log import mask_ids_in_text


class ExitCode(IntEnum):
    """Exit codes of contract.md §1."""

    OK = 0
    BAD_INPUT = 1
    USAGE = 2
    LOCKED = 3
    INTERNAL = 4


class HexiaoError(Exception):
    """Base of every error hexiao reports to the user as one line."""

    exit_code = ExitCode.INTERNAL

    def lines(self) -> list[str]:
        """The message as the user reads it: one problem per line."""
        return [str(self)]


class InputError(HexiaoError):
    """A file the user gave cannot be used (encoding, header, missing column, empty …).

    The message names the file and, where known, row and column. Problems are collected and
    reported together so an officer can fix them in one pass.
    """

    exit_code = ExitCode.BAD_INPUT

    def __init__(self, file: str, problems: list[str] | str) -> None:
        self.file = file
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__(f"{file}: " + "；".join(self.problems))

    def lines(self) -> list[str]:
        return [f"{self.file}: {problem}" for problem in self.problems]


class ConfigError(HexiaoError):
    """hexiao.toml or a command-line option is invalid: every problem found, each naming the file,
    line and key where it has them."""

    exit_code = ExitCode.BAD_INPUT

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("；".join(self.problems))

    def lines(self) -> list[str]:
        return list(self.problems)


class StateError(HexiaoError):
    """The database does not hold what the command needs (e.g. no roll for the month)."""

    exit_code = ExitCode.BAD_INPUT


class LockedError(HexiaoError):
    """Another hexiao run holds the workspace lock."""

    exit_code = ExitCode.LOCKED


def exit_code_for(exc: BaseException) -> ExitCode:
    """The exit code for an exception; anything not a HexiaoError is an internal error."""
    if isinstance(exc, HexiaoError):
        return exc.exit_code
    return ExitCode.INTERNAL


# An internal error's own message can run to many lines (DuckDB quotes the query): the ledger keeps
# its start, the log keeps it whole.
_INTERNAL_DETAIL_CHARS = 300


def failure_detail(exc: BaseException) -> str:
    """What the run ledger keeps of a failed run: the message the user was shown, on one line, IDs
    masked. An error that is not hexiao's own keeps its kind, which is what the log is searched for."""
    if isinstance(exc, HexiaoError):
        text = str(exc)
    elif isinstance(exc, KeyboardInterrupt):
        text = "已中断，数据库保持运行前的状态"
    else:
        exc = underlying_error(exc)
        own = " ".join(str(exc).split())
        if len(own) > _INTERNAL_DETAIL_CHARS:
            own = own[:_INTERNAL_DETAIL_CHARS] + "…"
        text = f"内部错误 {type(exc).__name__}：{own}（详情见日志 hexiao.log）"
    return mask_ids_in_text(" ".join(text.split()))


def underlying_error(exc: BaseException) -> BaseException:
    """The error that stopped the run. DuckDB's Python layer reports a statement that fails inside
    a transaction as "transaction is aborted", raised while handling the statement's own error."""
    while isinstance(exc, duckdb.TransactionException) and isinstance(exc.__context__, duckdb.Error):
        exc = exc.__context__
    return exc
