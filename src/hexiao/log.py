"""The package logger: one log file beside the database, ID numbers always masked."""

from __future__ import annotations

import logging
import re
from pathlib import Path

LOGGER_NAME = "hexiao"

# An 18-character ID (or a 15-digit legacy one) inside free text. Masking keeps area code and the
# last four characters, which is what an officer needs to tell two people apart in a log.
_ID_IN_TEXT = re.compile(
    r"(?<![0-9])[0-9](?:[ -]?[0-9]){13,16}[ -]?[0-9Xx](?![0-9])"  # 15–18 digits, spaces or hyphens allowed
    r"|(?<![0-9])[0-9]\.[0-9]{5,}[eE]\+?1[47]"  # an ID Excel turned into scientific notation
)


def mask_id(value: str | None) -> str:
    """`340421195803222013` → `340421********2013`; short or empty values are masked whole."""
    if not value:
        return ""
    text = re.sub(r"[ -]", "", str(value).strip())
    if "e" in text.lower():  # scientific notation: keep the area code only
        return text[:7] + "*" * max(len(text) - 7, 0)
    if len(text) < 10:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


def mask_ids_in_text(text: str) -> str:
    """Mask every ID-looking run of digits in a message."""

    def repl(match: re.Match[str]) -> str:
        return mask_id(match.group(0))

    return _ID_IN_TEXT.sub(repl, text)


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
