"""The sample's own settings, ``<out>/hexiao.toml``: the local standards a rule needs to run on the
sample (a threshold, a standard) that hexiao has no default for. Each planting module writes its
``[rules.<section>]`` keys through ``write_rule_settings``; sections and keys merge, so modules
that plant for different rules share the one file."""

from __future__ import annotations

import tomllib
from pathlib import Path

SETTINGS_FILE = "hexiao.toml"

Value = str | int | float | bool | list[str] | dict[str, float]


def _toml(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml(key)} = {_toml(item)}" for key, item in value.items()) + " }"
    return repr(value)


def write_rule_settings(out_dir: Path, section: str, values: dict[str, Value]) -> Path:
    """Merge ``values`` into ``[rules.<section>]`` of ``<out_dir>/hexiao.toml`` (created if absent);
    the file is rewritten sorted by section and key, so its bytes do not depend on who wrote first."""
    path = out_dir / SETTINGS_FILE
    data = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    rules: dict[str, dict[str, Value]] = data.setdefault("rules", {})
    rules.setdefault(section, {}).update(values)
    lines = ["# 示例数据的当地标准（hexiao 没有内置默认值的参数）：hexiao match --config 本文件"]
    for name in sorted(rules):
        lines += ["", f"[rules.{name}]"]
        lines += [f"{key} = {_toml(rules[name][key])}" for key in sorted(rules[name])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
