"""The configuration with every rule's parameters: `config.load_config` over the rule registry.

Here, not in `config`, so that the rules may read their configuration and the configuration never
imports a rule.
"""

from __future__ import annotations

from pathlib import Path

from hexiao import config
from hexiao.config import Config
from hexiao.rules import LABELS, RULE_SECTIONS


def load_config(path: Path | None) -> Config:
    """hexiao.toml at `path` (None: the built-in defaults), every `[rules.*]` section checked
    against the parameters its rule declares."""
    return config.load_config(path, RULE_SECTIONS, tuple(LABELS))


def default_config() -> Config:
    """The built-in defaults, every rule's parameters listed (`Config.effective`)."""
    return load_config(None)
