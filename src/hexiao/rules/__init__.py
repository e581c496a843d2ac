"""The rules of domain.md, one module each, and the registry the match run walks."""

from __future__ import annotations

from hexiao.rules.bad_id import BadIdRule
from hexiao.rules.base import Rule
from hexiao.rules.deceased import DeceasedRule

# Order is the order of the reports: the most urgent first.
REGISTRY: tuple[Rule, ...] = (DeceasedRule(), BadIdRule())

LABELS = {rule.code: rule.label for rule in REGISTRY}

__all__ = ["LABELS", "REGISTRY", "Rule"]
