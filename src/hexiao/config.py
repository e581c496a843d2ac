"""hexiao.toml: one typed schema for every setting, unknown keys refused.

The `[rules.*]` sections are the rules' own: each rule module declares its parameters as a frozen
dataclass whose defaults are named constants with their reason or source, and the caller passes
them in (`RuleSections`, built from the rule registry by `hexiao.settings`), so this module never
imports a rule. Problems are collected and reported together, each with file, key and line.
`Config.origins` says where each effective value came from.
"""

from __future__ import annotations

import hashlib
import json
import re
import types
import typing
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from hexiao.errors import ConfigError
from hexiao.kinds import FIELDS

DEFAULT_CONFIG_NAME = "hexiao.toml"
DEFAULT_ORIGIN = "默认值"

# The township cycle. Days a person has, after the written notice (告知日期), to answer before a
# stop or reduction is carried out: a local rule (no national figure), 15 days as in common county
# practice; set it to what your bureau's rules say.
RESPONSE_DAYS = 15
# A warning with no reply this many months after it was first reported is 逾期未反馈: townships
# answer each month's list within the month.
OVERDUE_AFTER_MONTHS = 1


# 个人信息保护法 第十九条: personal information is kept no longer than its purpose needs; the law
# sets no number of months. 60 months (five years) is this project's local choice: long enough to
# recover an overpayment found late and to answer an audit of the last five years' decisions
# (change it in [retention] to the bureau's own records schedule).
RETENTION_MONTHS = 60
# Death records are kept by default: a dead person's ID reused on a new application years later is
# caught only by the record of the death.
RETENTION_CREMATION = "keep"
RETENTION_CREMATION_CHOICES = ("keep", "purge")

# A rule's parameter section: its name under [rules] and the dataclass of its parameters.
RuleSections = tuple[tuple[str, type[Any]], ...]
P = typing.TypeVar("P")


@dataclass(frozen=True)
class FeedbackParams:
    """[feedback]: the township cycle (`cycle`)."""

    response_days: int = RESPONSE_DAYS
    overdue_after_months: int = OVERDUE_AFTER_MONTHS


@dataclass(frozen=True)
class RetentionConfig:
    """[retention]: what `hexiao purge` keeps."""

    months: int = RETENTION_MONTHS  # months of roll snapshots and extracts kept, the latest included
    cremation: str = RETENTION_CREMATION  # "keep" every death record, or "purge" them like the rest


@dataclass(frozen=True)
class Config:
    # Every rule's parameters by section, as read; a section not given is its dataclass's defaults.
    rules: dict[str, Any] = field(default_factory=dict)
    rule_sections: RuleSections = ()
    feedback: FeedbackParams = field(default_factory=FeedbackParams)
    retention: RetentionConfig = field(default_factory=RetentionConfig)
    disabled_rules: tuple[str, ...] = ()
    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # kind → {header: field}
    source: str = "内置默认值"
    origins: dict[str, str] = field(default_factory=dict)  # "rules.vehicle.exempt_types" → "hexiao.toml:7"

    def rule_params(self, section: str, params_type: type[P]) -> P:
        """The parameters of the rule whose section is `section`: as configured, else the defaults."""
        value = self.rules.get(section)
        return value if isinstance(value, params_type) else params_type()

    def digest(self) -> str:
        """Short hash of the effective values, recorded with every run."""
        values = [(key, value) for key, value, _ in self.effective()]
        payload = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()[:12]

    def settings_text(self) -> str:
        """The effective configuration as JSON — every setting with its value and origin, as
        `hexiao config show --json` lists them — stored with each run (`batches.config_text`), so
        what was in force at a run can be shown after hexiao.toml has changed (`hexiao explain`)."""
        settings = [{"key": key, "value": value, "origin": origin} for key, value, origin in self.effective()]
        payload = {"source": self.source, "digest": self.digest(), "settings": settings}
        return json.dumps(payload, ensure_ascii=False, default=str)

    def effective(self) -> list[tuple[str, Any, str]]:
        """(key, value, origin) for every setting, for `hexiao config show`."""
        rows: list[tuple[str, Any, str]] = [
            ("disabled_rules", list(self.disabled_rules), self.origins.get("disabled_rules", DEFAULT_ORIGIN))
        ]
        for section, params_type in self.rule_sections:
            params = self.rule_params(section, params_type)
            for item in fields(params):
                key = f"rules.{section}.{item.name}"
                rows.append((key, _plain(getattr(params, item.name)), self.origins.get(key, DEFAULT_ORIGIN)))
        for item in fields(self.feedback):
            key = f"feedback.{item.name}"
            rows.append((key, getattr(self.feedback, item.name), self.origins.get(key, DEFAULT_ORIGIN)))
        for item in fields(self.retention):
            key = f"retention.{item.name}"
            rows.append((key, getattr(self.retention, item.name), self.origins.get(key, DEFAULT_ORIGIN)))
        for kind, mapping in self.headers.items():
            for header, target in mapping.items():
                key = f"headers.{kind}.{header}"
                rows.append((key, target, self.origins.get(key, DEFAULT_ORIGIN)))
        return rows


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def find_config(explicit: Path | None) -> Path | None:
    """`--config PATH` if given, else ./hexiao.toml when present, else built-in defaults."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: 配置文件不存在")
        return explicit
    candidate = Path.cwd() / DEFAULT_CONFIG_NAME
    return candidate if candidate.is_file() else None


_TOML_TABLE = re.compile(r"^\s*\[\[?([^\]]+)\]\]?\s*(#.*)?$")
_TOML_KEY_PART = r"(?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)"
_TOML_KEY = re.compile(rf"^\s*({_TOML_KEY_PART}(?:\s*\.\s*{_TOML_KEY_PART})*)\s*=")


def _key_parts(dotted: str) -> list[str]:
    """`headers."车主 证件号"` → ["headers", "车主 证件号"]."""
    return [next(g for g in m if g) for m in re.findall(r"\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_-]+)", dotted)]


def _key_lines(text: str) -> dict[str, int]:
    """Full dotted key → the line that sets it: every [table] and every key inside one, with
    quoted keys unquoted (`"车主证件号" = …` under [headers.vehicle] is headers.vehicle.车主证件号)."""
    lines: dict[str, int] = {}
    table: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if header := _TOML_TABLE.match(line):
            table = _key_parts(header.group(1))
            lines.setdefault(".".join(table), number)
        elif key := _TOML_KEY.match(line):
            lines.setdefault(".".join([*table, *_key_parts(key.group(1))]), number)
    return lines


class _Problems:
    def __init__(self, path: Path, text: str) -> None:
        self.path, self.lines, self.items = path, _key_lines(text), list[str]()

    def where(self, key: str) -> str:
        """`file:line` of the line that sets `key` (or, for a table only written as its sub-tables,
        the first of them), else of the nearest table around it."""
        parts = key.split(".")
        while parts:
            prefix = ".".join(parts)
            inside = [n for k, n in self.lines.items() if k == prefix or k.startswith(f"{prefix}.")]
            if inside:
                return f"{self.path}:{min(inside)}"
            parts.pop()
        return str(self.path)

    def add(self, key: str, message: str) -> None:
        self.items.append(f"{self.where(key)}: {key}：{message}")


def _convert(value: Any, hint: Any, key: str, problems: _Problems) -> Any:
    """Check a TOML value against the field's type; return it in the dataclass's form."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):  # `int | None`: a setting with no default
        inner = next(arg for arg in typing.get_args(hint) if arg is not type(None))
        return _convert(value, inner, key, problems)
    if hint is float:
        if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
            return float(value)
        problems.add(key, f"应为非负数，实际为 {value!r}")
    elif hint is str:
        if isinstance(value, str):
            return value
        problems.add(key, f"应为文字，实际为 {value!r}")
    elif hint is bool:
        if isinstance(value, bool):
            return value
        problems.add(key, f"应为 true 或 false，实际为 {value!r}")
    elif hint is int:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        problems.add(key, f"应为非负整数，实际为 {value!r}")
    elif origin is tuple:
        inner = typing.get_args(hint)[0]
        if not isinstance(value, list):
            problems.add(key, f"应为列表，实际为 {value!r}")
        elif inner is str and all(isinstance(v, str) for v in value):
            return tuple(value)
        elif inner is not str and all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in value):
            return tuple(tuple(v) for v in value)
        else:
            problems.add(key, f"列表元素类型不对：{value!r}")
    elif origin is dict:
        number = typing.get_args(hint)[1]
        allowed = (int, float) if number is float else (int,)
        wanted = "数值" if number is float else "整数"
        if not isinstance(value, dict):
            problems.add(key, f"应为 {{名称 = {wanted}}} 表，实际为 {value!r}")
            return None
        wrong = [k for k, v in value.items() if not isinstance(v, allowed) or isinstance(v, bool)]
        for name in wrong:  # each at its own line: an entry of a [sub-table] is a line of its own
            problems.add(f"{key}.{name}", f"应为{wanted}，实际为 {value[name]!r}")
        if not wrong:
            return {str(k): number(v) for k, v in value.items()}
    return None


def _section(cls: type[Any], values: Any, prefix: str, problems: _Problems, origins: dict[str, str]) -> Any:
    if not isinstance(values, dict):
        problems.add(prefix, "应为一个表（[section]）")
        return cls()
    hints = typing.get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    for name, value in values.items():
        key = f"{prefix}.{name}"
        if name not in known:
            problems.add(key, f"未知的配置项（可用：{'、'.join(sorted(known)) or '无'}）")
            continue
        converted = _convert(value, hints[name], key, problems)
        if converted is not None:
            kwargs[name] = converted
            origins[key] = problems.where(key)
    params = cls(**kwargs)
    # A section's own checks of its values together (a positive standard, from ≤ to), when its
    # class has them: this module knows no rule.
    validate = getattr(params, "validate", None)
    for name, message in validate() if callable(validate) else []:
        problems.add(f"{prefix}.{name}", message)
    return params


def load_config(path: Path | None, rule_sections: RuleSections = (), rule_codes: tuple[str, ...] = ()) -> Config:
    """The settings of `path` (None: the defaults) over the rules' sections; `rule_codes` are the
    codes `disabled_rules` may name. `hexiao.settings.load_config` passes the registry's."""
    if path is None:
        return Config(rule_sections=rule_sections)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: 无法读取配置文件（{type(exc).__name__}）") from None
    import tomllib  # only with a configuration file: 5–10 ms of every run otherwise

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: TOML 语法错误：{exc}") from None
    problems = _Problems(path, text)
    origins: dict[str, str] = {}
    known_top = {"rules", "feedback", "headers", "disabled_rules", "retention"}
    for key in data:
        if key not in known_top:
            problems.add(key, f"未知的配置项（可用：{'、'.join(sorted(known_top))}）")
    rules_data = data.get("rules", {})
    sections: dict[str, Any] = {}
    known_sections = dict(rule_sections)
    for name, values in rules_data.items() if isinstance(rules_data, dict) else []:
        if name not in known_sections:
            problems.add(f"rules.{name}", f"未知的规则（可用：{'、'.join(known_sections)}）")
            continue
        sections[name] = _section(known_sections[name], values, f"rules.{name}", problems, origins)
    feedback = _section(FeedbackParams, data.get("feedback", {}), "feedback", problems, origins)
    if feedback.overdue_after_months < 1:
        problems.add("feedback.overdue_after_months", "应至少为 1（预警发出后的第几个月仍未反馈算逾期）")
    disabled = data.get("disabled_rules", [])
    if not isinstance(disabled, list) or not all(isinstance(d, str) for d in disabled):
        problems.add("disabled_rules", f'应为规则代码列表，如 ["BAD_ID"]，实际为 {disabled!r}')
        disabled = []
    elif "disabled_rules" in data:
        origins["disabled_rules"] = problems.where("disabled_rules")
    headers = data.get("headers", {})
    if not isinstance(headers, dict) or not all(
        isinstance(m, dict) and all(isinstance(v, str) for v in m.values()) for m in headers.values()
    ):
        problems.add("headers", '应为 [headers.<种类>] 表，每项为 "表头" = "字段名"')
        headers = {}
    for kind, mapping in headers.items():
        for header in mapping:
            origins[f"headers.{kind}.{header}"] = problems.where(f"headers.{kind}.{header}")
    retention = _section(RetentionConfig, data.get("retention", {}), "retention", problems, origins)
    _check_retention(retention, problems)
    _check_header_targets(headers, problems)
    _check_rule_codes(disabled, rule_codes, problems)
    if problems.items:
        raise ConfigError(problems.items)
    return Config(
        rules=sections,
        rule_sections=rule_sections,
        feedback=feedback,
        retention=retention,
        disabled_rules=tuple(d.upper() for d in disabled),
        headers={str(k): {str(h): str(f) for h, f in v.items()} for k, v in headers.items()},
        source=str(path),
        origins=origins,
    )


def _check_header_targets(headers: dict[str, Any], problems: _Problems) -> None:
    for kind, mapping in headers.items():
        if kind not in FIELDS:
            problems.add(f"headers.{kind}", f"未知的数据种类（可用：{'、'.join(FIELDS)}）")
            continue
        names = {f.name for f in FIELDS[kind]}
        for header, target in mapping.items():
            if target not in names:
                problems.add(
                    f"headers.{kind}.{header}", f"“{header}”映射到未知字段 {target}（可用：{'、'.join(sorted(names))}）"
                )


def _check_rule_codes(disabled: list[str], rule_codes: tuple[str, ...], problems: _Problems) -> None:
    codes = set(rule_codes)
    for code in disabled:
        if code.upper() not in codes:
            problems.add("disabled_rules", f"未知的规则代码 {code}（可用：{'、'.join(sorted(codes))}）")


def _check_retention(retention: RetentionConfig, problems: _Problems) -> None:
    if retention.months < 1:
        problems.add("retention.months", "至少为 1（保留的月数包括最近一个月）")
    if retention.cremation not in RETENTION_CREMATION_CHOICES:
        problems.add(
            "retention.cremation",
            f"应为 {' 或 '.join(repr(c) for c in RETENTION_CREMATION_CHOICES)}，实际为 {retention.cremation!r}",
        )
