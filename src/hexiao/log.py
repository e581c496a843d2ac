"""The package logger: one log file beside the database, ID numbers always masked."""

from __future__ import annotations

import logging
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


def attach_log_file(db_path: Path, *, create: bool = True) -> Path | None:
    """Log to `<db dir>/hexiao.log` (owner-only), once per process and file. Without `create` (a
    command that only reads) only to a log that is already there: None where there is none."""
    logger = get_logger()
    log_path = db_path.resolve().parent / "hexiao.log"
    for handler in logger.handlers:
        if isinstance(handler, logging.FileHandler) and Path(handler.baseFilename) == log_path:
            return log_path
    if not create and not log_path.is_file():
        return None
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.touch(mode=0o600, exist_ok=True)
    handler = logging.FileHandler(log_path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    return log_path
