"""One exception tree and one mapping from exceptions to the contract's exit codes."""

from __future__ import annotations

from enum import IntEnum


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


class ConfigError(HexiaoError):
    """hexiao.toml or a command-line option is invalid."""

    exit_code = ExitCode.BAD_INPUT


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
