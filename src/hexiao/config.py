"""hexiao.toml: one typed schema for every rule parameter, unknown keys refused.

Every default is a named constant with its source. Problems are collected and reported together,
each with file, key and line.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from hexiao.errors import ConfigError

DEFAULT_CONFIG_NAME = "hexiao.toml"

# 特困人员认定办法: support ends from the month after death (从下月起终止).
DEATH_STOP_OFFSET_MONTHS = 1


@dataclass(frozen=True)
class DeceasedParams:
    """DECEASED 死亡."""

    death_stop_offset_months: int = DEATH_STOP_OFFSET_MONTHS


@dataclass(frozen=True)
class BadIdParams:
    """BAD_ID 身份证号异常: no parameters yet; the section exists so it can be switched off."""


@dataclass(frozen=True)
class RulesConfig:
    deceased: DeceasedParams = field(default_factory=DeceasedParams)
    bad_id: BadIdParams = field(default_factory=BadIdParams)


@dataclass(frozen=True)
class Config:
    rules: RulesConfig = field(default_factory=RulesConfig)
    disabled_rules: tuple[str, ...] = ()
    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # kind → {header: field}
    source: str = "内置默认值"

    def digest(self) -> str:
        """Short hash of the effective values, recorded with every run."""
        payload = json.dumps(asdict(self) | {"source": ""}, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()[:12]


def find_config(explicit: Path | None) -> Path | None:
    """`--config PATH` if given, else ./hexiao.toml when present, else built-in defaults."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: 配置文件不存在")
        return explicit
    candidate = Path.cwd() / DEFAULT_CONFIG_NAME
    return candidate if candidate.is_file() else None


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if (
            line.strip().startswith((key, f'"{key}"'))
            or line.strip() == f"[{key}]"
            or line.strip().endswith(f".{key}]")
        ):
            return number
    return None


def _build(cls: type[Any], values: dict[str, Any], where: str, text: str, problems: list[str], path: Path) -> Any:
    known = {f.name: f for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        line = _line_of(text, key)
        at = f"{path}:{line}" if line else str(path)
        if key not in known:
            problems.append(f"{at}: 未知的配置项 {where}{key}（可用：{', '.join(known) or '无'}）")
            continue
        default = known[key].default
        if isinstance(default, bool) or not isinstance(default, int | float | str | tuple):
            kwargs[key] = value
        elif isinstance(default, int) and not (isinstance(value, int) and not isinstance(value, bool)):
            problems.append(f"{at}: {where}{key} 应为整数，实际为 {value!r}")
        else:
            kwargs[key] = value
    return cls(**kwargs)


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: TOML 语法错误：{exc}") from None
    problems: list[str] = []
    rules_data = data.pop("rules", {})
    headers = data.pop("headers", {})
    disabled = data.pop("disabled_rules", [])
    for key in data:
        problems.append(
            f"{path}:{_line_of(text, key) or '?'}: 未知的配置项 {key}（可用：rules、headers、disabled_rules）"
        )
    sections: dict[str, Any] = {}
    rule_fields = {f.name: f for f in fields(RulesConfig)}
    for name, values in rules_data.items():
        if name not in rule_fields:
            problems.append(
                f"{path}:{_line_of(text, name) or '?'}: 未知的规则 rules.{name}（可用：{', '.join(rule_fields)}）"
            )
            continue
        factory = rule_fields[name].default_factory
        assert callable(factory)
        sections[name] = _build(type(factory()), values, f"rules.{name}.", text, problems, path)
    if problems:
        raise ConfigError("；".join(problems))
    return Config(
        rules=RulesConfig(**sections),
        disabled_rules=tuple(str(r).upper() for r in disabled),
        headers={str(k): {str(h): str(f) for h, f in v.items()} for k, v in headers.items()},
        source=str(path),
    )
