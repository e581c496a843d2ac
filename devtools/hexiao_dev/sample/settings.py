"""The sample's settings, `<out>/hexiao.toml`: each planting module adds its own section, merged with
what is there, so two modules' sections live side by side."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

SETTINGS_FILE = "hexiao.toml"


def _value(value: Any) -> str:
    """A TOML value: a number, a string, a list, or an inline table of name = number."""
    if isinstance(value, dict):
        return (
            "{ " + ", ".join(f"{json.dumps(str(k), ensure_ascii=False)} = {_value(v)}" for k, v in value.items()) + " }"
        )
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def write_settings(out_dir: Path, section: str, values: dict[str, Any]) -> Path:
    """Set `[section]` (dotted: "rules.income") of `<out_dir>/hexiao.toml` to `values`, keeping the other sections."""
    path = out_dir / SETTINGS_FILE
    sections: dict[str, dict[str, Any]] = {}
    if path.exists():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for name, table in _flatten(data):
            sections[name] = table
    sections[section] = values
    lines = ["# 样例县的本地设置（hexiao_dev.sample 生成）"]
    for name in sorted(sections):
        lines += ["", f"[{name}]", *(f"{key} = {_value(value)}" for key, value in sections[name].items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _flatten(data: dict[str, Any], prefix: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Tables holding values, by dotted name (a table of tables is its subtables)."""
    out: list[tuple[str, dict[str, Any]]] = []
    values = {
        k: v
        for k, v in data.items()
        if not (isinstance(v, dict) and all(isinstance(x, dict) for x in v.values()) and v)
    }
    if values and prefix:
        out.append((prefix, values))
    for key, value in data.items():
        if key not in values:
            out += _flatten(value, f"{prefix}.{key}" if prefix else key)
    return out
