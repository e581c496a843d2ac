"""The package logger: one log file beside the database, ID numbers always masked."""

from __future__ import annotations

import logging
import os
from io import TextIOWrapper
from pathlib import Path

from hexiao.masking import mask_ids_in_message

LOGGER_NAME = "hexiao"

# IDs in a message are masked as in the masked edition of the reports (`masking`), so an officer
# sees one ID written alike in a log line and in a masked list.
mask_ids_in_text = mask_ids_in_message


class MaskingFilter(logging.Filter):
    """Rewrites every record so no unmasked ID reaches a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_ids_in_text(record.getMessage())
        record.args = None
        return True


def get_logger() -> logging.Logger:
    logger = logging.getLogger(LOGGER_NAME)
    if not any(isinstance(f, MaskingFilter) for f in logger.filters):
        logger.addFilter(MaskingFilter())
        # Without a log file yet, say nothing: logging's last-resort handler would print to stderr.
        logger.addHandler(logging.NullHandler())
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


class WorkspaceLog(logging.FileHandler):
    """hexiao.log, made only once there is a workspace (the database, or the log, exists): a command
    that stops before it touches one — no inbox, a bad argument — leaves no file behind. What is
    logged before is held and written first, so a run that goes on to make the workspace logs whole."""

    def __init__(self, log_path: Path, db_path: Path) -> None:
        super().__init__(log_path, encoding="utf-8", delay=True)
        self.db_path = db_path
        self.held: list[logging.LogRecord] = []
        self.kept = False  # `keep_log`: written whether or not there is a workspace

    def emit(self, record: logging.LogRecord) -> None:
        if self.stream is None and not (self.kept or self.db_path.exists() or Path(self.baseFilename).is_file()):
            self.held.append(record)
            return
        held, self.held = self.held, []
        for earlier in held:
            super().emit(earlier)
        super().emit(record)

    def _open(self) -> TextIOWrapper:
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(descriptor, "a", encoding="utf-8")  # logging closes it


def keep_log() -> None:
    """Write the log from now on even where there is no workspace: a defect's traceback is kept."""
    for handler in get_logger().handlers:
        if isinstance(handler, WorkspaceLog):
            handler.kept = True


def attach_log_file(db_path: Path, *, create: bool = True) -> Path | None:
    """Log to `<db dir>/hexiao.log` (owner-only, made with the workspace: `WorkspaceLog`), once per
    process and file. Without `create` (a command that only reads) only to a log that is already
    there: None where there is none."""
    logger = get_logger()
    log_path = db_path.resolve().parent / "hexiao.log"
    for handler in logger.handlers:
        if isinstance(handler, logging.FileHandler) and Path(handler.baseFilename) == log_path:
            return log_path
    if not create and not log_path.is_file():
        return None
    handler = WorkspaceLog(log_path, db_path.resolve())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    return log_path
