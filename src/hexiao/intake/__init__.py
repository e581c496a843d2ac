"""The intake check (`hexiao check`): applicants checked against the records in force and the rolls."""

from __future__ import annotations

from hexiao.intake.run import CheckResult, check

__all__ = ["CheckResult", "check"]
